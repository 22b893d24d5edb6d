// Issue 7, the requester portal in the browser on a phone-sized screen: the client opens the status
// link from the acknowledgement email, enters the code the portal emails her, sees where her request
// is, sends a message (which support sees on the request), switches to Español, and later downloads
// her released records. Axe finds no serious or critical violation on any of these screens.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, NOW, recordPdf, toRelease, upload, type World } from '../test/packets/support.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../test/support/factories.js';
import { newestOutboxEmail, outboxEmails } from '../test/support/outbox.js';
import { type Agent, signIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!chromiumAvailable())('journey: a client follows her request in the portal', () => {
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
      privacyOfficerPhone: '555-0100',
      privacyOfficerEmail: 'records@riverbend.test',
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

  /** The path of the newest status link emailed for the request (the host is the server's PUBLIC_URL). */
  async function statusLinkPath(requestId: string): Promise<string> {
    const email = (await outboxEmails(w.t, 'request_id = $1', [requestId], 'created_at desc, id desc')).find(
      (e) => e.text.includes('/portal/links/'),
    );
    const path = email?.text.match(/https?:\/\/[^\s]+(\/portal\/links\/[A-Za-z0-9_-]{43})/)?.[1];
    expect(path, email?.text).toBeTruthy();
    return path!;
  }
  async function emailedCode(requestId: string): Promise<string> {
    const email = await newestOutboxEmail(w.t, "request_id = $1 and kind = 'portal_code'", [requestId]);
    // The code stands on a line of its own: the practice's name above it may hold six digits.
    const code = email?.text.match(/^(\d{6})$/m)?.[1];
    expect(code, email?.text).toBeTruthy();
    return code!;
  }

  it('REL-2: on her phone she opens the emailed link, enters the code, sees the stage, writes to the practice, reads it in Spanish, and later downloads her records', async () => {
    const r = await toRelease(w);
    await upload(w, r.id, 'progress-notes-2026.pdf', await recordPdf('Progress note', 2), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-05-31',
    });
    const packet = await assemble(w, r.id);
    expect(packet.status, packet.problem ?? '').toBe('ready');
    const path = await statusLinkPath(r.id);

    const person = await openAs(browser, server.baseURL, PHONE);
    people.push(person);
    const { page } = person;
    const sentReferers: string[] = [];
    page.on('request', (req) => {
      const referer = req.headers().referer;
      if (referer) sentReferers.push(referer);
    });
    let screens = 0;
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(response?.headers()['cache-control']).toBe('no-store');
    await page.getByRole('heading', { name: 'See your records request' }).waitFor();
    screens += 1;
    await page.getByText(/We emailed a 6-digit code to n•••@example\.test/).waitFor();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('H1');
    const before = (await page.textContent('body')) ?? '';
    expect(before).not.toMatch(/Ngọc|Trần|Progress note|Sign in/);
    await screenshot(page, 'portal-01-code-phone');
    await expectAccessible(page, 'portal-01-code-phone');

    const code = await emailedCode(r.id);
    const wrong = code === '000000' ? '111111' : '000000';
    const field = page.getByLabel('Code from the email');
    await field.fill(wrong);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('That code is not right. 4 tries left.').waitFor();
    await field.fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    screens += 1;
    await page.getByRole('heading', { name: `Request ${r.number}` }).waitFor();
    // The token left the address bar (and the history).
    expect(page.url()).toMatch(new RegExp(`/portal/requests/${r.number}$`));
    await page.getByTestId('portal-stage').getByText('Being prepared').waitFor();
    await page.getByText('We will answer by Wednesday, March 31, 2027').waitFor();
    await page.getByRole('link', { name: '555-0100' }).first().waitFor();
    await screenshot(page, 'portal-02-status-phone');
    await expectAccessible(page, 'portal-02-status-phone');

    // She writes to the practice; the words stay words (no markup runs), and support sees them.
    const words = 'Thank you! <b>Could</b> I also have the letter from March?';
    await page.getByLabel('Write to Riverbend Counseling').fill(words);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Sent. We will answer here').waitFor();
    await page.getByText(words).waitFor();
    const staff = await w.as.support!.get(`/api/requests/${r.id}`);
    expect((staff.json().thread as { body: string; kind: string }[]).some((m) => m.body === words)).toBe(
      true,
    );
    await screenshot(page, 'portal-03-message-phone');

    // Español, remembered for the next visit.
    await page.getByText('Español').click();
    await page.getByRole('heading', { name: `Solicitud ${r.number}` }).waitFor();
    await page.getByTestId('portal-stage').getByText('En preparación').waitFor();
    await page.getByText('Le responderemos a más tardar el miércoles, 31 de marzo de 2027').waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('es');
    await screenshot(page, 'portal-04-status-es-phone');
    await expectAccessible(page, 'portal-04-status-es-phone');

    // Later: the records are released; the page offers them and the download is the packet.
    const link = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(link.statusCode, link.body).toBe(201);
    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
    await page.reload();
    const button = page.getByRole('button', { name: 'Descargar sus expedientes (PDF)' });
    await button.waitFor();
    await screenshot(page, 'portal-05-ready-es-phone');
    await expectAccessible(page, 'portal-05-ready-es-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const bytes = await readFile((await download.path())!);
    expect(sha256(bytes)).toBe(packet.sha256);

    // Keyboard only: the skip link is the first stop and leads to the main content.
    await page.keyboard.press('Tab');
    await page.reload();
    await page.getByRole('heading', { name: `Solicitud ${r.number}` }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null | undefined>('document.activeElement?.textContent')).toBe(
      'Ir al contenido principal',
    );

    // No request carried the status link's token as a Referer.
    const token = path.split('/').pop()!;
    expect(sentReferers.filter((ref) => ref.includes(token))).toEqual([]);
    console.log(
      `[portal] screens from the emailed link to the status page: ${screens}; fields typed: 1 (the code)`,
    );
  });

  it('a wrong link is a calm page that says nothing about any request', async () => {
    const person = await openAs(browser, server.baseURL, PHONE);
    people.push(person);
    const { page } = person;
    await page.goto(`/portal/links/${'A'.repeat(43)}`);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await page.getByText(/Open the link in the latest email/).waitFor();
    await screenshot(page, 'portal-06-wrong-link-phone');
    await expectAccessible(page, 'portal-06-wrong-link-phone');
    await page.goto('/portal/requests/R-2027-0001');
    await page.getByRole('heading', { name: 'Please open your link again' }).waitFor();
  });
});
