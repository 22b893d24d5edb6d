// The recipient's side of a secure link in the browser (rules REL-2, REL-3, REL-5): a request is
// walked to its release through the API, a record uploaded, a packet assembled and a link sent. On
// her phone the client opens the link from the email, sees only the practice's name and that a
// document waits, types the code from the second message, and downloads the packet; the bytes she
// got hash to the packet's SHA-256, and the release's disclosure entry carries that same hash. A
// revoked link says so calmly, with how to reach the practice.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, NOW, recordPdf, sql, toRelease, upload, type World } from '../test/packets/support.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../test/support/factories.js';
import { outboxEmails } from '../test/support/outbox.js';
import { type Agent, signIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!chromiumAvailable())(
  'journey: the recipient opens a secure link and downloads the packet',
  () => {
    let server: Served;
    let browser: Browser;
    let w: World;
    const people: Person[] = [];

    beforeAll(async () => {
      [server, browser] = await Promise.all([serve(), launch()]);
      server.clock.set(NOW);
      const practice = await createPractice(server, {
        timeZone: 'America/Los_Angeles',
        name: 'Riverbend Counseling',
      });
      const u = {
        support: await createUser(server, practice, ['support']),
        therapist: await createUser(server, practice, ['therapist']),
        supervisor: await createUser(server, practice, ['supervisor']),
        clinical: await createUser(server, practice, ['clinical_services']),
      };
      await linkSupervisor(server, u.therapist, u.supervisor);
      const client = await createClient(server, practice, u.therapist, {
        firstName: 'Ngọc',
        lastName: 'Trần',
        dateOfBirth: '1988-07-14',
      });
      const as: Record<string, Agent> = {};
      for (const [k, user] of Object.entries(u)) as[k] = await signIn(server, user);
      w = { t: server, u, as, client, practiceName: practice.name };
    });

    afterAll(async () => {
      for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
    });

    /** Send a link to the packet; answers the link's path and the code, as the two emails carry them (SEC-5: the thread says only that they were sent). */
    async function sendLink(requestId: string, packetId: string) {
      const res = await w.as.support!.post(`/api/requests/${requestId}/packets/${packetId}/links`, {});
      expect(res.statusCode, res.body).toBe(201);
      const linkId = res.json().link.id as string;
      const messages = (
        await outboxEmails(
          w.t,
          'request_id = $1 and thread_message_id in (select id from thread_messages where idempotency_key like $2)',
          [requestId, `delivery-link:${linkId}:%`],
          'kind',
        )
      ).map((e) => ({ kind: e.kind, subject: e.subject, body: e.text }));
      const linkMessage = messages.find((m) => m.kind === 'secure_link')!;
      const codeMessage = messages.find((m) => m.kind === 'secure_link_code')!;
      const path = linkMessage.body.match(/https?:\/\/[^\s]+(\/links\/[A-Za-z0-9_-]{43})/)?.[1];
      const code = codeMessage.body.match(/\b(\d{6})\b/)?.[1];
      expect(path, linkMessage.body).toBeTruthy();
      expect(code, codeMessage.body).toBeTruthy();
      return { linkId, path: path!, code: code! };
    }

    it('REL-2, REL-3, REL-5: the client opens the link on her phone, enters the emailed code, downloads the packet; its bytes hash to the disclosure entry', async () => {
      const r = await toRelease(w);
      await upload(w, r.id, 'progress-notes-2026.pdf', await recordPdf('Progress note', 2), {
        documentClass: 'progress_notes',
        dateFrom: '2026-02-01',
        dateTo: '2026-05-31',
      });
      const packet = await assemble(w, r.id);
      expect(packet.status, packet.problem ?? '').toBe('ready');
      const { path, code } = await sendLink(r.id, packet.id);

      const person = await openAs(browser, server.baseURL, PHONE);
      people.push(person);
      const { page } = person;
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['cache-control']).toBe('no-store');
      expect(response?.headers()['referrer-policy']).toBe('no-referrer');
      await page.getByRole('heading', { name: 'A document is waiting for you' }).waitFor();
      await page.getByText('Riverbend Counseling').first().waitFor();
      // No health information, not even the client's name, and no staff sign-in.
      const text = (await page.textContent('body')) ?? '';
      expect(text).not.toMatch(/Ngọc|Trần|Progress note|Sign in/);
      await screenshot(page, 'link-01-recipient-code-phone');
      await expectAccessible(page, 'link-01-recipient-code-phone');

      // A wrong code first: the page says how many tries are left.
      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByLabel('Confirmation code from the email').fill(wrong);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('4 tries left').waitFor();
      await page.getByLabel('Confirmation code from the email').fill(code);
      await page.getByRole('button', { name: 'Continue' }).click();
      const button = page.getByRole('button', { name: 'Download the document' });
      await button.waitFor();
      await screenshot(page, 'link-02-recipient-ready-phone');
      await expectAccessible(page, 'link-02-recipient-ready-phone');

      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const bytes = await readFile((await download.path())!);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      expect(sha256(bytes)).toBe(packet.sha256);
      await page.getByText('Downloaded', { exact: true }).waitFor();
      await page.getByText(/can be used 4 more times/).waitFor();
      await screenshot(page, 'link-03-recipient-downloaded-phone');
      await expectAccessible(page, 'link-03-recipient-downloaded-phone');

      // Support records the release: the disclosure entry holds the hash of the bytes she got.
      const released = await w.as.support!.post(`/api/requests/${r.id}/release`, {
        method: 'secure_download',
      });
      expect(released.statusCode, released.body).toBe(200);
      const [entry] = await sql<{ packet_sha256: string }>(
        w,
        'select packet_sha256 from disclosures where request_id = $1',
        [r.id],
      );
      expect(entry!.packet_sha256).toBe(sha256(bytes));
      const events = await sql<{ type: string }>(
        w,
        `select type from audit_events where request_id = $1 and type like 'delivery_link.%' order by id`,
        [r.id],
      );
      expect(events.map((e) => e.type)).toEqual([
        'delivery_link.created',
        'delivery_link.opened',
        'delivery_link.code_rejected',
        'delivery_link.code_accepted',
        'delivery_link.downloaded',
      ]);
    });

    it("issue 7, REL-2: a Spanish request's recipient page speaks Spanish, from the heading to the download", async () => {
      const r = await toRelease(w, { language: 'es' });
      await upload(w, r.id, 'progress-notes-2026.pdf', await recordPdf('Progress note', 1), {
        documentClass: 'progress_notes',
        dateFrom: '2026-02-01',
        dateTo: '2026-05-31',
      });
      const packet = await assemble(w, r.id);
      expect(packet.status, packet.problem ?? '').toBe('ready');
      const { path, code } = await sendLink(r.id, packet.id);

      const person = await openAs(browser, server.baseURL, PHONE);
      people.push(person);
      const { page } = person;
      await page.goto(path);
      await page.getByRole('heading', { name: 'Tiene un documento esperándole' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      const text = (await page.textContent('body')) ?? '';
      expect(text).not.toMatch(/Ngọc|Trần|Progress note|A document is waiting/);
      await screenshot(page, 'link-04-recipient-code-phone-es');
      await expectAccessible(page, 'link-04-recipient-code-phone-es');
      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByLabel('Código de confirmación del correo').fill(wrong);
      await page.getByRole('button', { name: 'Continuar' }).click();
      await page.getByText('Le quedan 4 intentos', { exact: false }).waitFor();
      await page.getByLabel('Código de confirmación del correo').fill(code);
      await page.getByRole('button', { name: 'Continuar' }).click();
      const button = page.getByRole('button', { name: 'Descargar el documento' });
      await button.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      expect(sha256(await readFile((await download.path())!))).toBe(packet.sha256);
      await page.getByText('Descargado', { exact: true }).waitFor();
      await page.getByText(/Puede usar este enlace 4 veces más/).waitFor();
    });

    it('REL-2: a revoked link says calmly that it is no longer valid, and how to reach the practice', async () => {
      const r = await toRelease(w);
      await upload(w, r.id, 'notes.pdf', await recordPdf('Progress note'), {
        documentClass: 'progress_notes',
        dateFrom: '2026-03-01',
        dateTo: '2026-03-31',
      });
      const packet = await assemble(w, r.id);
      const { linkId, path } = await sendLink(r.id, packet.id);
      const revoked = await w.as.support!.post(`/api/requests/${r.id}/links/${linkId}/revoke`, {
        reason: 'Sent to an old address',
      });
      expect(revoked.statusCode, revoked.body).toBe(200);

      const person = await openAs(browser, server.baseURL, PHONE);
      people.push(person);
      const { page } = person;
      await page.goto(path);
      await page.getByRole('heading', { name: 'This link is no longer valid' }).waitFor();
      await page.getByText(/reply to the email this link came in/).waitFor();
      expect(await page.getByRole('button', { name: 'Continue' }).count()).toBe(0);
      // (Two short paragraphs: too little for the "axe checked enough" guard of expectAccessible;
      // the same page, with its form, passed it in the test above.)
      await screenshot(page, 'link-04-recipient-revoked-phone');
    });

    /** A phone whose browser prefers Spanish (navigator.languages and Accept-Language: es-ES). */
    async function spanishPhone(): Promise<Person> {
      const context = await browser.newContext({
        baseURL: server.baseURL,
        viewport: PHONE,
        locale: 'es-ES',
        timezoneId: 'America/Los_Angeles',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      const person = { context, page, problems };
      people.push(person);
      return person;
    }

    it("issue 7, REL-2: before the link answers the page speaks the browser's Spanish, then the request's language; the switch changes it and is remembered; a Spanish request's revoked link says so in Spanish", async () => {
      // An English request's link, opened on a phone that prefers Spanish.
      const r = await toRelease(w);
      await upload(w, r.id, 'notes.pdf', await recordPdf('Progress note'), {
        documentClass: 'progress_notes',
        dateFrom: '2026-03-01',
        dateTo: '2026-03-31',
      });
      const { path } = await sendLink(r.id, (await assemble(w, r.id)).id);
      const { page } = await spanishPhone();
      // Hold the link's answer to see the first screen, drawn before anything is known of the link.
      let answer!: () => void;
      const held = new Promise<void>((resolve) => {
        answer = resolve;
      });
      await page.route('**/api/links/**', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(path);
      await page.getByText('Abriendo el enlace seguro…').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      // Let it through (and everything after it: the handler now passes each request straight on).
      answer();
      // The link says the request is in English: the page follows the request.
      await page.getByRole('heading', { name: 'A document is waiting for you' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      // She prefers Spanish: the switch changes the page, and her choice outlasts a reload.
      await page.getByText('Español', { exact: true }).click();
      await page.getByRole('heading', { name: 'Tiene un documento esperándole' }).waitFor();
      await page.getByLabel('Código de confirmación del correo').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await screenshot(page, 'link-05-recipient-switched-es-phone');
      await expectAccessible(page, 'link-05-recipient-switched-es-phone');
      await page.reload();
      await page.getByRole('heading', { name: 'Tiene un documento esperándole' }).waitFor();

      // A Spanish request's revoked link in an English browser: the refusal carries the language.
      const es = await toRelease(w, { language: 'es' });
      await upload(w, es.id, 'notes.pdf', await recordPdf('Progress note'), {
        documentClass: 'progress_notes',
        dateFrom: '2026-03-01',
        dateTo: '2026-03-31',
      });
      const sent = await sendLink(es.id, (await assemble(w, es.id)).id);
      const revoked = await w.as.support!.post(`/api/requests/${es.id}/links/${sent.linkId}/revoke`, {
        reason: 'Sent to an old address',
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      const english = await openAs(browser, server.baseURL, PHONE);
      people.push(english);
      await english.page.goto(sent.path);
      await english.page.getByRole('heading', { name: 'Este enlace ya no es válido' }).waitFor();
      expect(await english.page.locator('html').getAttribute('lang')).toBe('es');
      await english.page.getByText(/responda al correo con el que llegó este enlace/).waitFor();
      await screenshot(english.page, 'link-06-recipient-revoked-es-phone');
    });
  },
);
