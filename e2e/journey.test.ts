// Journey (1) of issue 4, through the browser against a real server on a real PostgreSQL: support
// signs in (password, then the authenticator code), records a new request with the request letter
// attached, and checks the intake; the therapist, on a phone between sessions, opens it from "My
// tasks" and records the client discussion; the supervisor finds the review waiting on them (with
// "Ask <director>") and decides to release; support records the invoice (no fee) from its queue;
// clinical services prepares the records; the supervisor approves them; support releases them from
// "Ready to release", and the release is in the client's disclosure log. Each person signs in
// through the form.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetter } from '../src/server/pdf/letter.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../test/support/factories.js';
import { runJobs } from '../test/support/requests.js';
import { expectAccessible } from './support/a11y.js';
import { choose, DESKTOP, launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { codeFor, type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const CLIENT = { firstName: 'Jordan', lastName: 'Avery' };

describe.skipIf(!chromiumAvailable())('journey: a request from intake to release, in the browser', () => {
  let server: Served;
  let browser: Browser;
  let support: TestUser;
  let therapist: TestUser;
  let supervisor: TestUser;
  let clinical: TestUser;
  let requestNumber = '';
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, { name: 'Maple Counseling' });
    support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
    therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
    supervisor = await createUser(server, practice, ['supervisor'], { name: 'Dr. Lena Park' });
    const director = await createUser(server, practice, ['supervisor'], { name: 'Dr. Omar Haddad' });
    clinical = await createUser(server, practice, ['clinical_services'], { name: 'Robin Clinical' });
    await linkSupervisor(server, therapist, supervisor);
    await linkSupervisor(server, supervisor, director);
    await createClient(server, practice, therapist, { ...CLIENT, email: 'jordan.avery@example.test' });
  });

  afterAll(async () => {
    for (const p of people) {
      expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    }
    await browser?.close();
    await server?.close();
  });

  const signIn = (user: TestUser, viewport = DESKTOP): Promise<Page> =>
    signInAs(browser, server, user, people, viewport);

  it('support records a new request and checks the intake', async () => {
    const page = await signIn(support);
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByRole('heading', { name: 'New request' }).waitFor();
    await choose(page, 'Kind of request', 'Client asks for their own records');
    await page.getByRole('textbox', { name: 'Client', exact: true }).fill('Avery');
    await page.getByRole('option', { name: /Jordan Avery/ }).click();
    await page.getByRole('button', { name: 'The client is asking: use their details' }).click();
    await expect.poll(() => page.getByLabel('Requester’s name').inputValue()).toBe('Jordan Avery');
    await page.getByLabel('Assessments').check();
    // The request letter goes with it: added as the request's file once the request is recorded.
    const letter = await renderLetter({
      letterhead: { practiceName: 'Jordan Avery', lines: [] },
      reference: 'Request for my records',
      date: '1 July 2026',
      title: 'Request for my records',
      blocks: [{ type: 'paragraph', text: 'Please send me a copy of my assessments.' }],
      createdAt: new Date('2026-07-01T12:00:00Z'),
    });
    await page
      .getByRole('region', { name: 'Files' })
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: 'request-letter.pdf', mimeType: 'application/pdf', buffer: letter });
    await page.getByText('request-letter.pdf').waitFor();
    await screenshot(page, '01-support-new-request');
    await expectAccessible(page, '01-support-new-request');
    await page.getByRole('button', { name: 'Record the request' }).click();

    const recorded = page.getByText(/^Recorded R-/);
    await recorded.waitFor();
    requestNumber = ((await recorded.textContent()) ?? '').replace('Recorded ', '').trim();
    expect(requestNumber).toMatch(/^R-\d{4}-\d+$/);
    await page.getByText('Waiting on the support team: check the intake.').waitFor();
    await page
      .getByLabel('How the requester’s identity was checked')
      .fill('Called the client back at the phone number on file');
    await screenshot(page, '02-support-request-page');
    await expectAccessible(page, '02-support-request-page');
    await page.getByRole('button', { name: 'Complete the intake check' }).click();
    await page.getByText('Waiting on Dr. Maya Rivera: discuss the request with the client.').waitFor();
    await screenshot(page, '03-support-after-intake');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
    await page.getByLabel('Search').fill('Avery');
    await page.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).waitFor();
    await page.getByLabel('Search').fill('Nobody-by-this-name');
    await page.getByText('No request matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await page.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).waitFor();
    await screenshot(page, '04-support-request-list');
    await expectAccessible(page, '04-support-request-list');
  });

  it('support adds a record to the request from the Files tab, and it downloads as it was', async () => {
    expect(requestNumber, 'the request recorded by support').not.toBe('');
    server.clock.advance(31_000); // a new authenticator code: the first one was used (no replay)
    const page = await signIn(support);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    // The request letter attached on the new-request form is there.
    await page.getByRole('link', { name: 'request-letter.pdf' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a file' });
    // Without a file the form says what is missing and sends nothing.
    await form.getByRole('button', { name: 'Add the file' }).click();
    await form.getByText('Choose a PDF, JPEG or PNG file.').waitFor();
    await choose(page, 'Kind of record', 'Assessments');
    await form.getByLabel('Covers from').fill('2026-01-01');
    await form.getByLabel('Covers to').fill('2026-06-30');
    const record = await renderLetter({
      letterhead: { practiceName: 'Maple Counseling', lines: [] },
      reference: requestNumber,
      date: '1 July 2026',
      title: 'Intake assessment',
      blocks: [{ type: 'paragraph', text: 'Made-up assessment for the browser journey.' }],
      createdAt: new Date('2026-07-01T12:00:00Z'),
    });
    await form.locator('input[type=file]').setInputFiles({
      name: 'assessment.pdf',
      mimeType: 'application/pdf',
      buffer: record,
    });
    await form.getByRole('button', { name: 'Add the file' }).click();
    const section = page.getByRole('region', { name: 'Records to release' });
    const link = section.getByRole('link', { name: 'assessment.pdf' });
    await link.waitFor();
    await expect.poll(() => section.textContent()).toMatch(/covers 1 Jan 2026 to 30 Jun 2026/);
    await screenshot(page, '04b-support-files');
    await expectAccessible(page, '04b-support-files');
    const download = await page.request.get((await link.getAttribute('href')) ?? '');
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(record)).toBe(true);
  });

  it('the therapist, on a phone, opens it from My tasks and records the client discussion', async () => {
    expect(requestNumber, 'the request recorded by support').not.toBe('');
    await runJobs(server); // the server's worker would post each step's instructions to the thread
    const page = await signIn(therapist, PHONE);
    const card = page.getByRole('article', {
      name: `Discuss the request with the client, ${requestNumber}`,
    });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain('Jordan Avery');
    await expect.poll(() => card.textContent()).toMatch(/Legal due date:.*\d+ days left/);
    await screenshot(page, '05-therapist-my-tasks-phone');
    await expectAccessible(page, '05-therapist-my-tasks-phone');
    await card.getByRole('link', { name: `Open ${requestNumber}` }).click();

    const form = page.getByRole('form', { name: 'Record the client discussion' });
    await form.waitFor();
    await expect.poll(() => form.textContent()).toContain('Why (optional)');
    await form
      .getByLabel('What does the client need?')
      .fill('A copy of her progress notes and assessments for her own files.');
    await form.getByLabel('When do they need it?').fill('Within the month');
    await form.getByLabel('Any concerns?').fill('None raised; she is doing well.');
    await screenshot(page, '06-therapist-discussion-form-phone');
    await expectAccessible(page, '06-therapist-discussion-form-phone');
    // Submitting without an outcome is stopped here, with the field marked, and nothing is lost.
    await form.getByRole('button', { name: 'Record the discussion' }).click();
    await form.getByText('Choose one.').waitFor();
    expect(await form.getByLabel('When do they need it?').inputValue()).toBe('Within the month');
    await form.getByLabel('Go ahead').check();
    await form.getByRole('button', { name: 'Record the discussion' }).click();
    await page.getByText('Waiting on Dr. Lena Park: supervisor review.').waitFor();
    await page.getByRole('tab', { name: /Internal thread \([1-9]\d*\)/ }).waitFor();
    await screenshot(page, '07-therapist-after-discussion-phone');
  });

  it('the supervisor finds the review waiting on them, with “Ask” their own supervisor', async () => {
    expect(requestNumber, 'the request recorded by support').not.toBe('');
    const page = await signIn(supervisor);
    const card = page.getByRole('article', { name: `Supervisor review, ${requestNumber}` });
    await card.waitFor();
    await screenshot(page, '08-supervisor-my-tasks');
    await card.getByRole('link', { name: `Open ${requestNumber}` }).click();
    await page.getByRole('form', { name: 'Record the review decision' }).waitFor();
    await page.getByRole('button', { name: 'Ask Dr. Omar Haddad' }).waitFor();
    await page.getByText('Consequences for the client and the therapeutic relationship').waitFor();
    await screenshot(page, '09-supervisor-review');
    await expectAccessible(page, '09-supervisor-review');
    const form = page.getByRole('form', { name: 'Record the review decision' });
    await form
      .getByLabel('Consequences for the client and the therapeutic relationship')
      .fill('None expected: her own assessments, and she is doing well.');
    await form.getByLabel('Release in full').check();
    await form.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByText('Waiting on the support team: send the invoice.').waitFor();
  });

  it('support finds the invoice in its queue and records it: no fee for her own records', async () => {
    expect(requestNumber, 'the request recorded by support').not.toBe('');
    server.clock.advance(31_000);
    const page = await signIn(support);
    const queue = page.getByRole('region', { name: 'Invoices to send' });
    await queue.getByRole('link', { name: requestNumber }).waitFor();
    await screenshot(page, '12-support-queues');
    await expectAccessible(page, '12-support-queues');
    await queue.getByRole('link', { name: requestNumber }).click();
    const form = page.getByRole('form', { name: 'Record the invoice' });
    await form.waitFor();
    expect(await form.getByLabel('No fee').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Record the invoice' }).click();
    await page.getByText(/^Waiting on .*: prepare the records\.$/).waitFor();
    await screenshot(page, '13-support-after-invoice');
  });

  it('clinical services prepares the records and sends them for review', async () => {
    const page = await signIn(clinical);
    const card = page.getByRole('article', { name: `Prepare the records, ${requestNumber}` });
    await card.waitFor();
    await screenshot(page, '14-clinical-my-tasks');
    await expectAccessible(page, '14-clinical-my-tasks');
    await card.getByRole('link', { name: `Open ${requestNumber}` }).click();
    const form = page.getByRole('form', { name: 'Send what was prepared for review' });
    await form.getByLabel('Notes for the reviewer (optional)').fill('Assessments, January to June 2026.');
    await screenshot(page, '15-clinical-preparation');
    await expectAccessible(page, '15-clinical-preparation');
    await form.getByRole('button', { name: 'Send for review' }).click();
    await page.getByText('Waiting on Dr. Lena Park: review what was prepared.').waitFor();
  });

  it('the supervisor approves what was prepared', async () => {
    server.clock.advance(31_000);
    const page = await signIn(supervisor);
    const card = page.getByRole('article', { name: `Review what was prepared, ${requestNumber}` });
    await card.getByRole('link', { name: `Open ${requestNumber}` }).click();
    const form = page.getByRole('form', { name: 'Approve what was prepared' });
    await form.waitFor();
    await screenshot(page, '16-supervisor-approval');
    await expectAccessible(page, '16-supervisor-approval');
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Waiting on the support team: release the records.').waitFor();
  });

  it('support releases the records from "Ready to release", and the disclosure is logged', async () => {
    server.clock.advance(31_000);
    const page = await signIn(support);
    const queue = page.getByRole('region', { name: 'Ready to release' });
    await queue.getByRole('link', { name: requestNumber }).click();
    const form = page.getByRole('form', { name: 'Record the release' });
    await form.waitFor();
    expect(await form.getByLabel('Released to').inputValue()).toBe('Jordan Avery');
    await screenshot(page, '17-support-release');
    await expectAccessible(page, '17-support-release');
    await form.getByRole('button', { name: 'Record the release' }).click();
    await page.getByText('Released: the records went to the requester.').first().waitFor();
    await screenshot(page, '18-released');

    // rule REL-3: the release is in the client's disclosure log.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disclosures' }).click();
    await page.getByRole('heading', { name: 'Disclosure log' }).waitFor();
    await page.getByRole('textbox', { name: 'Client', exact: true }).fill('Avery');
    await page.getByRole('option', { name: /Jordan Avery/ }).click();
    const log = page.getByRole('list', { name: 'Disclosures' });
    await log.getByText('To Jordan Avery').waitFor();
    await expect.poll(() => log.textContent()).toMatch(/Assessments/);
    await expect.poll(() => log.textContent()).toContain('by Sam Ortiz');
    await screenshot(page, '19-disclosure-log');
    await expectAccessible(page, '19-disclosure-log');
  });

  it('a new staff member sets up the authenticator from the shown code, keeps the recovery codes, and signs in', async () => {
    const practice = { id: support.practiceId, name: 'Maple Counseling', timeZone: 'America/Los_Angeles' };
    const newcomer = await createUser(server, practice, ['clinical_services'], {
      name: 'Casey Nguyen',
      enrolled: false,
    });
    const person = await openAs(browser, server.baseURL);
    people.push(person);
    const { page } = person;
    await page.goto('/');
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const url = (await page.getByTestId('otpauth-url').textContent()) ?? '';
    expect(url).toMatch(/^otpauth:\/\/totp\//);
    const secret = new URL(url).searchParams.get('secret') ?? '';
    expect((await page.getByTestId('totp-secret').textContent())?.replace(/\s/g, '')).toBe(secret);
    await screenshot(page, '10-enrol-authenticator');
    await expectAccessible(page, '10-enrol-authenticator');
    await page
      .getByLabel('The code your app shows now')
      .fill(codeFor(server, { ...newcomer, totpSecret: secret }));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    await screenshot(page, '11-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them: continue' }).click();
    await page.getByText('Nothing is waiting on you').waitFor();
    await page.getByRole('button', { name: 'Signed in as Casey Nguyen' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
  });
});
