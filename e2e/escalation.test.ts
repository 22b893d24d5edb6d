// Journey (2) of issue 4: a supervisor unsure of a request asks their own supervisor ("Ask
// <director>") with a question; the privacy officer sees it among the escalated requests on their
// home; the director finds the review in My tasks and decides. Each person signs
// in through the form (rules REV-2, TIME-6).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../test/support/factories.js';
import { createRequestAs, runJobs } from '../test/support/requests.js';
import { signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { choose, launch, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const QUESTION = 'Her ex-partner mentioned a custody case last month: could the notes be used in it?';

describe.skipIf(!chromiumAvailable())(
  'journey: the supervisor, unsure, asks the director, who decides',
  () => {
    let server: Served;
    let browser: Browser;
    let supervisor: TestUser;
    let director: TestUser;
    let privacy: TestUser;
    let requestNumber = '';
    const people: Person[] = [];

    beforeAll(async () => {
      [server, browser] = await Promise.all([serve(), launch()]);
      const practice = await createPractice(server, { name: 'Maple Counseling' });
      const support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
      const therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
      supervisor = await createUser(server, practice, ['supervisor'], { name: 'Dr. Lena Park' });
      director = await createUser(server, practice, ['supervisor'], { name: 'Dr. Omar Haddad' });
      privacy = await createUser(server, practice, ['privacy_officer'], { name: 'Pat Quinn' });
      await linkSupervisor(server, therapist, supervisor);
      await linkSupervisor(server, supervisor, director);
      const client = await createClient(server, practice, therapist, {
        firstName: 'Jordan',
        lastName: 'Avery',
      });
      // Intake and the client discussion through the API: this journey is about the review.
      const asSupport = await apiSignIn(server, support);
      const asTherapist = await apiSignIn(server, therapist);
      const r = await createRequestAs(asSupport, client.id, { kind: 'client_access' });
      requestNumber = r.number;
      const intake = await asSupport.post(`/api/requests/${r.id}/intake`, {
        verification: { method: 'Called the client back at the number on file' },
      });
      expect(intake.statusCode, intake.body).toBe(200);
      const discussion = await asTherapist.post(`/api/requests/${r.id}/client-discussion`, {
        outcome: 'go_ahead',
        need: 'A copy of her progress notes',
        when: 'This month',
        concerns: 'Her ex-partner may ask for them',
      });
      expect(discussion.statusCode, discussion.body).toBe(200);
      await runJobs(server);
      server.clock.advance(31_000);
    });

    afterAll(async () => {
      for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
    });

    it('the supervisor, unsure, asks Dr. Omar Haddad with a question', async () => {
      const page = await signInAs(browser, server, supervisor, people);
      const card = page.getByRole('article', { name: `Supervisor review, ${requestNumber}` });
      await card.getByRole('link', { name: `Open ${requestNumber}` }).click();
      await page.getByRole('button', { name: 'Ask Dr. Omar Haddad' }).click();
      const form = page.getByRole('form', { name: 'Ask Dr. Omar Haddad' });
      // Without a question nothing is sent.
      await form.getByRole('button', { name: 'Ask Dr. Omar Haddad' }).click();
      await expect.poll(() => page.getByText('Waiting on Dr. Omar Haddad').count()).toBe(0);
      await form.getByLabel('Your question for Dr. Omar Haddad').fill(QUESTION);
      await screenshot(page, '50-supervisor-asks-director');
      await expectAccessible(page, '50-supervisor-asks-director');
      await form.getByRole('button', { name: 'Ask Dr. Omar Haddad' }).click();
      await page.getByText('Waiting on Dr. Omar Haddad: supervisor review.').first().waitFor();
      await screenshot(page, '51-supervisor-after-asking');
    });

    it('the privacy officer sees it among the escalated requests', async () => {
      const page = await signInAs(browser, server, privacy, people);
      const escalated = page.getByRole('region', { name: 'Escalated requests' });
      await escalated.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).waitFor();
      await screenshot(page, '52-privacy-officer-home');
      await expectAccessible(page, '52-privacy-officer-home');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
      // A controlled checkbox whose state lives in the URL: click, then wait for it to show.
      await page.getByLabel('Escalated only').click();
      await expect.poll(() => page.getByLabel('Escalated only').isChecked()).toBe(true);
      await page.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).waitFor();
      await expect.poll(() => page.getByRole('article').count()).toBe(1);
      await choose(page, 'Therapist', 'Dr. Maya Rivera');
      await expect.poll(() => new URL(page.url()).searchParams.get('therapist')).toMatch(/^[0-9a-f-]{36}$/);
      await page.getByRole('link', { name: `${requestNumber}, Jordan Avery` }).waitFor();
      await screenshot(page, '52b-privacy-officer-escalated-list');
      await expectAccessible(page, '52b-privacy-officer-escalated-list');

      // The audit log of the request: the escalation, by whom, with the question.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Request number').fill(requestNumber);
      await page.getByLabel('Request number').press('Enter');
      await choose(page, 'What happened', /request\.review_escalated/);
      const events = page.getByRole('list', { name: 'Events' });
      await expect.poll(() => events.getByRole('listitem').count()).toBe(1);
      await expect.poll(() => events.textContent()).toContain('Review escalated');
      await events.getByText('Dr. Lena Park (Supervisor)').waitFor();
      await expect.poll(() => events.textContent()).toContain('custody case');
      await screenshot(page, '52c-privacy-officer-audit-log');
      await expectAccessible(page, '52c-privacy-officer-audit-log');
    });

    it("the privacy officer's pages work at phone width", async () => {
      server.clock.advance(31_000);
      const page = await signInAs(browser, server, privacy, people, PHONE);
      await page.getByRole('region', { name: 'Escalated requests' }).waitFor();
      await screenshot(page, '56-privacy-officer-home-phone');
      await expectAccessible(page, '56-privacy-officer-home-phone');
      await page.getByRole('button', { name: 'Open the menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disclosures' }).click();
      await page.getByRole('heading', { name: 'Disclosure log' }).waitFor();
      await page.getByText('No accounting request is waiting to be sent.').waitFor();
      await screenshot(page, '57-privacy-officer-disclosures-phone');
      await expectAccessible(page, '57-privacy-officer-disclosures-phone');
      await page.getByRole('button', { name: 'Open the menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('list', { name: 'Events' }).waitFor();
      await screenshot(page, '58-privacy-officer-audit-log-phone');
      await expectAccessible(page, '58-privacy-officer-audit-log-phone');
    });

    it('the director, on a phone, finds the review in My tasks and decides', async () => {
      const page = await signInAs(browser, server, director, people, PHONE);
      const card = page.getByRole('article', { name: `Supervisor review, ${requestNumber}` });
      await card.waitFor();
      await screenshot(page, '53-director-my-tasks-phone');
      await card.getByRole('link', { name: `Open ${requestNumber}` }).click();
      // The supervisor's question is there for whoever decides now.
      const asks = page.getByRole('alert').filter({ hasText: 'Dr. Lena Park asks' });
      await expect.poll(() => asks.textContent()).toContain(QUESTION);
      const form = page.getByRole('form', { name: 'Record the review decision' });
      await form
        .getByLabel('Consequences for the client and the therapeutic relationship')
        .fill('Her own records, for her own use: the custody case does not change her right to them.');
      await form.getByLabel('Release in full').check();
      await screenshot(page, '54-director-review-phone');
      await expectAccessible(page, '54-director-review-phone');
      await form.getByRole('button', { name: 'Record the decision' }).click();
      await page.getByText('Waiting on the support team: send the invoice.').first().waitFor();
      await screenshot(page, '55-director-decided-phone');
    });
  },
);
