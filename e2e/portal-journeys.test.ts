// Issue 7's Proof, in Chromium, each journey one continuous test: (1) a client asks for her own
// records on a phone at /request, follows the status page from the acknowledgement email's link as
// support works the request (through the HTTP API), and downloads the records whose SHA-256 is the
// disclosure entry's; (2) an attorney submits with the client's signed authorization, pays online
// (the fake Stripe's Checkout page, then Stripe's signed webhook), gets the receipt, and after the
// release downloads through the secure link; (3) journey (1) in Spanish. Axe on every portal screen.
// The run PRINTS how many screens and fields the client passes through to submit journey (1).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConfig, type Sink, startSink } from '../test/mail/support.js';
import { assemble, NOW, recordPdf, upload, validAuthorization, type World } from '../test/packets/support.js';
import { onePagePdf } from '../test/portal/intake-helpers.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../test/support/factories.js';
import { type FakeStripe, startFakeStripe, stripeEvent } from '../test/support/fake-stripe.js';
import { outboxEmails } from '../test/support/outbox.js';
import { pdfText } from '../test/support/pdf.js';
import { signIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import {
  disclosedSha,
  intakeCode,
  portalCode,
  prepared,
  requestIdOf,
  reviewed,
  type Staff,
  screenFields,
  statusLinkPath,
  step,
} from './support/portal.js';
import { OWN_RECORDS, type OwnRecordsWords } from './support/portal-words.js';
import { type Served, serve } from './support/server.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const DOB = '1988-07-14';

describe.skipIf(!chromiumAvailable())('journeys: a requester asks, follows, pays and receives', () => {
  let server: Served;
  let browser: Browser;
  let sink: Sink;
  let fake: FakeStripe;
  let staff: Staff;
  let w: World;
  const people: Person[] = [];

  beforeAll(async () => {
    sink = await startSink();
    fake = await startFakeStripe(() => server.clock.now());
    [server, browser] = await Promise.all([
      serve({ mail: mailConfig({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` }), stripe: fake.settings }),
      launch(),
    ]);
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
      dateOfBirth: DOB,
    });
    staff = {
      support: await signIn(server, u.support),
      therapist: await signIn(server, u.therapist),
      supervisor: await signIn(server, u.supervisor),
      clinical: await signIn(server, u.clinical),
    };
    w = { t: server, u, as: staff, client, practiceName: practice.name };
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
    await sink?.stop();
    await fake?.close();
  });

  async function phone(): Promise<Page> {
    const person = await openAs(browser, server.baseURL, PHONE);
    people.push(person);
    return person.page;
  }

  /** Each portal screen: its heading, axe, and (for a few) a screenshot to look at. */
  async function visited(page: Page, name: string, shot = false): Promise<void> {
    await expectAccessible(page, name);
    if (shot) await screenshot(page, name);
  }

  async function records(requestId: string) {
    await upload(w, requestId, 'progress-notes-2026.pdf', await recordPdf('Progress note', 2), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-05-31',
    });
    const packet = await assemble(w, requestId);
    expect(packet.status, packet.problem ?? '').toBe('ready');
    return packet;
  }

  /** The status link from the newest email, and the code it emails: the status page. */
  async function openStatus(page: Page, requestId: string, number: string, x: OwnRecordsWords) {
    await page.goto(await statusLinkPath(server, requestId));
    await page.getByRole('heading', { level: 1, name: x.linkTitle }).waitFor();
    await visited(page, `journeys-${x.lng}-status-link`);
    await page.getByLabel(x.codeLabel).fill(await portalCode(server, requestId));
    await page.getByRole('button', { name: x.next }).click();
    await page.getByRole('heading', { level: 1, name: x.statusTitle(number) }).waitFor();
  }

  async function stageIs(page: Page, stage: string, name: string) {
    await page.reload();
    await page.getByTestId('portal-stage').getByText(stage, { exact: true }).waitFor();
    await visited(page, name);
  }

  /** Journeys (1) and (3): the form, the code, the confirmation; the status page as it moves; the download. */
  async function ownRecords(x: OwnRecordsWords, email: string) {
    const page = await phone();
    const counted: { title: string; fields: number }[] = [];
    const pass = async (title: string, fill: () => Promise<void>, button = x.next) => {
      counted.push({ title, fields: await screenFields(page, title) });
      await visited(page, `journeys-${x.lng}-form-${counted.length}`, counted.length === 2);
      await fill();
      await page.getByRole('button', { name: button }).click();
    };
    await page.goto('/request');
    await page.getByRole('heading', { level: 1, name: OWN_RECORDS.en.intake.choice }).waitFor();
    if (x.lng === 'es') await page.getByText('Español').click();
    await expect.poll(() => page.evaluate<string>('document.documentElement.lang')).toBe(x.lng);
    await pass(x.intake.choice, () => page.getByRole('radio', { name: x.intake.own }).check());
    await pass(x.intake.about, async () => {
      await page.getByLabel(x.intake.first).fill('Ngọc');
      await page.getByLabel(x.intake.last).fill('Trần');
      await page.getByLabel(x.intake.dob).fill(DOB);
    });
    await pass(x.intake.which, async () => undefined);
    await pass(x.intake.how, async () => undefined);
    await pass(x.intake.email, () => page.getByLabel(x.intake.emailLabel).fill(email), x.intake.sendCode);
    await pass(
      x.intake.code,
      async () => page.getByLabel(x.intake.codeLabel).fill(await intakeCode(sink, email)),
      x.intake.submit,
    );
    await page.getByRole('heading', { level: 1, name: x.intake.done }).waitFor();
    const number = (await page.getByTestId('request-number').textContent())!.trim();
    expect(number).toMatch(/^R-\d{4}-\d{4}$/);
    await visited(page, `journeys-${x.lng}-form-confirmation`, true);
    const screens = counted.length + 1;
    const fields = counted.reduce((n, c) => n + c.fields, 0);
    const requestId = await requestIdOf(server, number);

    // The acknowledgement email's status link, the emailed code: where the request is, as it moves.
    await openStatus(page, requestId, number, x);
    await stageIs(page, x.stage.received, `journeys-${x.lng}-status-received`);
    await step(staff.support, requestId, 'intake', {
      verification: { method: 'Called back on file number' },
    });
    await stageIs(page, x.stage.reviewing, `journeys-${x.lng}-status-reviewing`);
    await step(staff.therapist, requestId, 'client-discussion', { outcome: 'go_ahead' });
    await step(staff.supervisor, requestId, 'supervisor-review', {
      decision: 'release',
      consequences: 'None',
    });
    await step(staff.support, requestId, 'invoice', { mode: 'no_fee' });
    await prepared(staff, requestId);
    await stageIs(page, x.stage.preparing, `journeys-${x.lng}-status-preparing`);
    await screenshot(page, `journeys-${x.lng}-status-preparing`);

    const packet = await records(requestId);
    const link = await staff.support.post(`/api/requests/${requestId}/packets/${packet.id}/links`, {});
    expect(link.statusCode, link.body).toBe(201);
    await step(staff.support, requestId, 'release', { method: 'secure_download' });
    await stageIs(page, x.stage.ready, `journeys-${x.lng}-status-ready`);
    // The request keeps the language it was made in (its emails follow it), and so does the page.
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe(x.lng);
    await screenshot(page, `journeys-${x.lng}-status-ready`);
    const button = page.getByRole('button', { name: x.download });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const bytes = await readFile((await download.path())!);
    expect(sha256(bytes)).toBe(await disclosedSha(server, requestId));
    return { screens, fields, counted };
  }

  it('(1) REL-2: on her phone a client asks for her own records, follows the status page, and downloads them; the bytes hash to the disclosure entry', async () => {
    const { screens, fields, counted } = await ownRecords(OWN_RECORDS.en, 'ngoc@example.test');
    console.log(
      `client own-records submission: ${screens} screens, ${fields} fields (${counted.map((c) => `${c.title} ${c.fields}`).join('; ')}; then the confirmation)`,
    );
    expect(screens).toBeGreaterThan(1);
  });

  it('(3) the same journey in Spanish, chosen on the first screen: Spanish headings throughout', async () => {
    await ownRecords(OWN_RECORDS.es, 'ngoc.es@example.test');
  });

  it('(2) AUTH-1, FEE-4, REL-2: an attorney submits with a signed authorization, pays online, gets the receipt, and after the release downloads', async () => {
    const page = await phone();
    const email = 'lee@parklaw.test';
    const next = (name = 'Continue') => page.getByRole('button', { name }).click();
    const form = async (title: string) => {
      await screenFields(page, title);
      await visited(page, `journeys-attorney-form-${title}`);
    };
    await page.goto('/request');
    await form('What would you like to do?');
    await page.getByRole('radio', { name: 'I am a third party with a signed authorization' }).check();
    await next();
    await form('About you');
    await page.getByLabel('Your full name').fill('Lee Park');
    await page.getByLabel(/Your organization/).fill('Park Law');
    await next();
    await form('Whose records?');
    await page.getByLabel('First name').fill('Ngọc');
    await page.getByLabel('Last name').fill('Trần');
    await page.getByLabel('Date of birth').fill(DOB);
    await next();
    await form('Which records?');
    await next();
    await form('What are the records for?');
    await page.getByLabel('Purpose').fill('Personal injury claim');
    await next();
    await form('How would you like to get them?');
    await next();
    await form('Add documents');
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({
        name: 'authorization.pdf',
        mimeType: 'application/pdf',
        buffer: await onePagePdf('Authorization signed by Ngoc Tran'),
      });
    await next();
    await form('Where can we email you?');
    await page.getByLabel('Email address').fill(email);
    await next('Email me a code');
    await form('Enter your code');
    await page.getByLabel('6-digit code').fill(await intakeCode(sink, email));
    await next('Send my request');
    await page.getByRole('heading', { level: 1, name: 'We have your request' }).waitFor();
    const number = (await page.getByTestId('request-number').textContent())!.trim();
    await visited(page, 'journeys-attorney-confirmation');
    const requestId = await requestIdOf(server, number);

    // Support: the intake check, the client's authorization recorded (AUTH-1), the review, the fee.
    await reviewed(staff, requestId);
    const auth = await staff.support.post(
      `/api/requests/${requestId}/authorizations`,
      validAuthorization({ recipient: 'Lee Park, Park Law', purpose: 'Personal injury claim' }),
    );
    expect(auth.statusCode, auth.body).toBe(201);
    const lines = [{ code: 'flat_electronic', description: 'Electronic copy', amountCents: 500 }];
    const quote = await staff.support.post(`/api/requests/${requestId}/fee-quote`, { basis: 'flat', lines });
    expect(quote.statusCode, quote.body).toBe(201);
    await step(staff.support, requestId, 'fee-quote/accept', {
      quoteId: quote.json().quote.id,
      note: 'By email',
    });
    await step(staff.support, requestId, 'invoice', {
      mode: 'sent',
      lines: lines.map((l) => ({ description: l.description, amountCents: l.amountCents })),
    });

    // The fee email's status link; the invoice; Pay sends the browser to Stripe's Checkout page.
    const x = OWN_RECORDS.en;
    await openStatus(page, requestId, number, x);
    await stageIs(page, 'Waiting for payment', 'journeys-attorney-status-payment');
    await page.getByText('$5.00').first().waitFor();
    await screenshot(page, 'journeys-attorney-status-payment');
    await page.route('https://checkout.stripe.test/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><title>Checkout</title><main><h1>Pay Riverbend Counseling</h1></main></html>',
      }),
    );
    await page.getByRole('button', { name: 'Pay $5.00 online' }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const session = fake.sessions.get(new URL(page.url()).pathname.split('/').pop()!)!;
    expect(session.amount_total).toBe(500);
    // Stripe, once the card is paid: the signed checkout.session.completed webhook, then the success URL.
    const event = stripeEvent('checkout.session.completed', {
      ...session,
      status: 'complete',
      payment_status: 'paid',
      payment_intent: `pi_test_${String(session.id).slice(-10)}`,
    });
    const { body, header } = fake.signed(event);
    const hook = await fetch(`${server.baseURL}/api/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body,
    });
    expect(hook.status).toBe(200);
    expect(await hook.json()).toMatchObject({ outcome: 'applied' });
    const success = new URL(String(session.success_url));
    await page.goto(`${success.pathname}${success.search}`);
    await page.getByRole('heading', { level: 1, name: `Request ${number}` }).waitFor();
    await page.getByText(/^Paid on .+\. Thank you\.$/).waitFor();
    await visited(page, 'journeys-attorney-status-paid', true);
    const [receipt] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the receipt (PDF)' }).click(),
    ]);
    const receiptText = await pdfText(await readFile((await receipt.path())!));
    expect(receiptText).toContain('Receipt');
    expect(receiptText).toContain('$5.00');

    // Prepared, released through a secure link that needs the client's date of birth (REL-2).
    await prepared(staff, requestId);
    const packet = await records(requestId);
    const sent = await staff.support.post(`/api/requests/${requestId}/packets/${packet.id}/links`, {
      secondChannel: 'date_of_birth',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    await step(staff.support, requestId, 'release', { method: 'secure_download' });
    await stageIs(page, 'Ready', 'journeys-attorney-status-ready');
    await page.getByText(/These records need a second code/).waitFor();

    const rows = (
      await outboxEmails(
        server,
        "request_id = $1 and thread = 'requester' and kind in ('secure_link', 'secure_link_code')",
        [requestId],
        'created_at',
      )
    ).map((e) => ({ kind: e.kind, body: e.text }));
    const linkPath = rows
      .find((m) => m.kind === 'secure_link')
      ?.body.match(/https?:\/\/[^\s]+(\/links\/[A-Za-z0-9_-]{43})/)?.[1];
    const code = rows.find((m) => m.kind === 'secure_link_code')?.body.match(/\b(\d{6})\b/)?.[1];
    expect(linkPath && code, JSON.stringify(rows)).toBeTruthy();
    await page.goto(linkPath!);
    await page.getByRole('heading', { name: 'A document is waiting for you' }).waitFor();
    await visited(page, 'journeys-attorney-secure-link');
    await page.getByLabel('Confirmation code from the email').fill(code!);
    await page.getByLabel(/date of birth/i).fill(DOB);
    await page.getByRole('button', { name: 'Continue' }).click();
    const button = page.getByRole('button', { name: 'Download the document' });
    await button.waitFor();
    await visited(page, 'journeys-attorney-secure-link-ready', true);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const bytes = await readFile((await download.path())!);
    expect(sha256(bytes)).toBe(await disclosedSha(server, requestId));
  });
});
