// Issue 7, signing in the browser on a phone-sized screen (AUTH-1, AUTH-7): a client who asked for a
// copy to go to her advocates opens her status link, enters the emailed code, reads the practice's
// permission form in plain words, signs by typing her name (the keyboard-only way), and downloads
// her signed copy. Axe finds no serious or critical violation on the form or the confirmation.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_META } from '../src/server/context.js';
import { inTransaction } from '../src/server/db/tx.js';
import { issueStatusLink } from '../src/server/portal/status-link.js';
import { createClient, createPractice, createUser, type TestPractice } from '../test/support/factories.js';
import { newestOutboxEmail } from '../test/support/outbox.js';
import { pdfText, qpdfCheck } from '../test/support/pdf.js';
import { createRequestAs } from '../test/support/requests.js';
import { type Agent, signIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';

const NOW = '2027-03-01T18:00:00Z';

describe.skipIf(!chromiumAvailable())('journey: a client signs her permission form in the portal', () => {
  let server: Served;
  let browser: Browser;
  const people: Person[] = [];

  let practice: TestPractice;
  let support: Agent;
  let clientId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    server.clock.set(NOW);
    practice = await createPractice(server, {
      timeZone: 'America/Los_Angeles',
      name: 'Riverbend Counseling',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'records@riverbend.test',
    });
    const therapist = await createUser(server, practice, ['therapist']);
    support = await signIn(server, await createUser(server, practice, ['support']));
    clientId = (await createClient(server, practice, therapist, { firstName: 'Aisha', lastName: 'Rahman' }))
      .id;
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  /** Her request to send a copy to her advocates, and her phone on its status page (link, emailed code). */
  async function clientOnStatusPage(email: string, language: 'en' | 'es' = 'en') {
    const r = await createRequestAs(support, clientId, {
      language,
      kind: 'client_directed',
      requester: { name: 'Aisha Rahman', relationship: 'client', email },
      purpose: 'Disability benefits application',
      channel: 'portal',
      // rule KIND-2: the recipient she named, in the request's own fields.
      recipient: { name: 'Bright Path Disability Advocates', address: '500 K Street, Sacramento, CA 95814' },
    });
    const token = await inTransaction(
      server.running.services,
      SYSTEM_META,
      null,
      (ctx) => issueStatusLink(ctx, { practiceId: practice.id, requestId: r.id, email }),
      { practiceId: practice.id },
    );
    const person = await openAs(browser, server.baseURL, PHONE);
    people.push(person);
    const { page } = person;
    await page.goto(`/portal/links/${token}`);
    await page.getByText(/We emailed a 6-digit code|Enviamos un código de 6 dígitos/).waitFor();
    const sent = await newestOutboxEmail(server, "request_id = $1 and kind = 'portal_code'", [r.id]);
    const code = sent?.text.match(/^(\d{6})$/m)?.[1];
    expect(code).toBeTruthy();
    await page.getByLabel(/Code from the email|Código del correo/).fill(code!);
    await page.getByRole('button', { name: /^(Continue|Continuar)$/ }).click();
    await page
      .getByRole('heading', { name: new RegExp(r.number) })
      .first()
      .waitFor();
    return { r, page };
  }

  it('AUTH-1, AUTH-7: on her phone she reads the form, signs by typing her name, and downloads the signed copy', async () => {
    const { r, page } = await clientOnStatusPage('aisha@example.test');

    // The status page offers the form.
    await page.getByRole('heading', { name: 'Your permission form' }).waitFor();
    await page.getByRole('link', { name: 'Read and sign the form' }).click();
    await page.getByRole('heading', { name: 'Sign your permission form', level: 1 }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('H1');
    await page.getByText('Name: Bright Path Disability Advocates').waitFor();
    await page.getByText('Address: 500 K Street, Sacramento, CA 95814').waitFor();
    await page
      .getByText('You can take back (cancel) this permission at any time.', { exact: false })
      .waitFor();
    await page.getByRole('link', { name: 'Open the exact form as a PDF' }).waitFor();
    await screenshot(page, 'portal-sign-01-form-phone');
    await expectAccessible(page, 'portal-sign-01-form-phone');

    // Keyboard only: the typed name is the default way; tab to the name, the two boxes and the button.
    await page.getByLabel('Type your full name').focus();
    await page.keyboard.type('Aisha Rahman');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thank you: your form is signed', level: 1 }).waitFor();
    await page.getByText(/You signed on March 1, 2027/).waitFor();
    await screenshot(page, 'portal-sign-02-signed-phone');
    await expectAccessible(page, 'portal-sign-02-signed-phone');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download your signed copy' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(await qpdfCheck(bytes)).toContain('No syntax or stream encoding errors');
    const text = await pdfText(bytes);
    expect(text).toContain('Electronic signature');
    expect(text).toContain('Aisha Rahman');

    // Back on the status page, the card now offers the signed form.
    await page.getByRole('link', { name: 'Back to your request' }).click();
    await page.getByRole('link', { name: 'See your signed form' }).waitFor();

    const staff = await support.get(`/api/requests/${r.id}`);
    const auths = staff.json().authorizations as { valid: boolean; signerCopy: { method: string } | null }[];
    expect(auths).toEqual([
      expect.objectContaining({ valid: true, signerCopy: expect.objectContaining({ method: 'portal' }) }),
    ]);
  });

  it('AUTH-1: in Spanish she draws her signature on the canvas (pointer events, as a finger or a mouse sends them), and the drawing is on the signed copy', async () => {
    const { r, page } = await clientOnStatusPage('aisha.es@example.test');
    await page.getByRole('link', { name: 'Read and sign the form' }).click();
    await page.getByRole('heading', { name: 'Sign your permission form', level: 1 }).waitFor();
    await page.getByText('Español').click();
    await page.getByRole('heading', { name: 'Firme su formulario de permiso', level: 1 }).waitFor();
    // Her request is in English, so the form is the English one: a summary in Spanish over each part.
    await page
      .getByText('Este formulario está en inglés, el idioma de su solicitud.', { exact: false })
      .waitFor();
    await page.getByText('Sus derechos: puede cancelar este permiso por escrito', { exact: false }).waitFor();
    await page.getByLabel('Dibujar su firma').check();
    const box = (await page.locator('#signature-canvas').boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(box.x + 20 + i * 20, box.y + box.height * (0.7 - (i % 3) * 0.15));
    }
    await page.mouse.up();
    await page.getByLabel('Leí este formulario', { exact: false }).check();
    await page.getByLabel('Acepto firmar de forma electrónica', { exact: false }).check();
    await screenshot(page, 'portal-sign-03-drawn-es-phone');
    await expectAccessible(page, 'portal-sign-03-drawn-es-phone');
    await page.getByRole('button', { name: 'Firmar el formulario' }).click();
    await page.getByRole('heading', { name: 'Gracias: su formulario está firmado', level: 1 }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar su copia firmada' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(await qpdfCheck(bytes)).toContain('No syntax or stream encoding errors');
    expect(await pdfText(bytes)).toContain('(drawn by the signer)');
    const staff = await support.get(`/api/requests/${r.id}`);
    expect((staff.json().authorizations as { valid: boolean }[]).map((a) => a.valid)).toEqual([true]);
  });

  it('AUTH-1, AUTH-2, AUTH-7: a request made in Spanish shows the form written in Spanish (no summaries), refuses a one-letter name in Spanish, and signs; the signed copy is Spanish throughout', async () => {
    const { page } = await clientOnStatusPage('aisha.sol@example.test', 'es');
    await page.getByRole('link', { name: 'Leer y firmar el formulario' }).click();
    await page.getByRole('heading', { name: 'Firme su formulario de permiso', level: 1 }).waitFor();
    await page.getByRole('heading', { name: '2. Quién recibirá sus expedientes' }).waitFor();
    await page.getByText('Nombre: Bright Path Disability Advocates').waitFor();
    await page
      .getByText('Usted puede retirar (cancelar) este permiso cuando quiera.', { exact: false })
      .waitFor();
    // The form's own words, marked as Spanish for a screen reader, and no summary over them.
    expect(await page.locator('#form-heading').getAttribute('lang')).toBe('es');
    expect(await page.getByText('En español:', { exact: false }).count()).toBe(0);
    expect(await page.getByText('Your rights', { exact: false }).count()).toBe(0);
    await screenshot(page, 'portal-sign-04-form-es-phone');
    await expectAccessible(page, 'portal-sign-04-form-es-phone');
    // One letter is not a name: the page says so in Spanish before anything is sent.
    await page.getByLabel('Escriba su nombre completo').fill('A');
    await page.getByLabel('Leí este formulario', { exact: false }).check();
    await page.getByLabel('Acepto firmar de forma electrónica', { exact: false }).check();
    await page.getByRole('button', { name: 'Firmar el formulario' }).click();
    await page.getByRole('alert').getByText('al menos 2 letras', { exact: false }).waitFor();
    await page.getByLabel('Escriba su nombre completo').fill('Aisha Rahman');
    await page.getByRole('button', { name: 'Firmar el formulario' }).click();
    await page.getByRole('heading', { name: 'Gracias: su formulario está firmado', level: 1 }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar su copia firmada' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(await qpdfCheck(bytes)).toContain('No syntax or stream encoding errors');
    const text = (await pdfText(bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Su permiso para compartir sus expedientes');
    expect(text).toContain('Firma electrónica');
    expect(text).toContain('1 de marzo de 2027 a las 10:00:00 a.m. PST');
    expect(text).not.toContain('Electronic signature');
  });
});
