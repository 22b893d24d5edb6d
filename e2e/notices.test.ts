// Two journeys of the staff app: the admin writes the practice's important notice in Settings and
// support finds it on a request page (none are shipped: before, the admin is prompted to write
// them); and a therapist who opens another therapist's client's request gets a not-found page,
// the same as for a request that does not exist (404 for what the caller may not see, SEC-2).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { createRequestAs } from '../test/support/requests.js';
import { signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

describe.skipIf(!chromiumAvailable())('journeys: important notices, and a request that is not yours', () => {
  let server: Served;
  let browser: Browser;
  let admin: TestUser;
  let support: TestUser;
  let otherTherapist: TestUser;
  let requestId = '';
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, { name: 'Maple Counseling' });
    admin = await createUser(server, practice, ['admin'], { name: 'Ada Admin' });
    support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
    const therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
    otherTherapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Theo Grant' });
    const client = await createClient(server, practice, therapist, {
      firstName: 'Jordan',
      lastName: 'Avery',
    });
    const agent = await apiSignIn(server, support);
    requestId = (await createRequestAs(agent, client.id, { kind: 'client_access' })).id;
    // The API sign-in above used this minute's code; the browser sign-ins need the next one.
    server.clock.advance(31_000);
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('the admin writes an important notice in Settings, and support sees it on a request page', async () => {
    const page = await signInAs(browser, server, admin, people);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Important notices' });
    await form.getByText('No notices yet.').waitFor();
    await form.getByRole('button', { name: 'Add a notice' }).click();
    // An empty notice is stopped here, with the reason, and nothing is sent.
    await form.getByRole('button', { name: 'Save the notices' }).click();
    await form.getByText(/give the notice a title/).waitFor();
    await form.getByLabel('Notice 1: title').fill('Court papers');
    await form
      .getByLabel('Notice 1: text')
      .fill('Any subpoena goes to the privacy officer the day it arrives, before anyone replies.');
    await form.getByRole('button', { name: 'Save the notices' }).click();
    await page.getByText('Saved. The notices show on every request page').waitFor();
    await screenshot(page, '30-admin-important-notices');
    await expectAccessible(page, '30-admin-important-notices');

    server.clock.advance(31_000);
    const supportPage = await signInAs(browser, server, support, people);
    await supportPage.goto(`/requests/${requestId}`);
    const notices = supportPage.getByRole('region', { name: 'Important notices' });
    await notices.getByText('Court papers').waitFor();
    await expect.poll(() => notices.textContent()).toContain('Any subpoena goes to the privacy officer');
    await screenshot(supportPage, '31-support-request-with-notice');
    await expectAccessible(supportPage, '31-support-request-with-notice');
  });

  it("a therapist opening another therapist's client's request gets a not-found page", async () => {
    server.clock.advance(31_000);
    const page = await signInAs(browser, server, otherTherapist, people);
    await page.goto(`/requests/${requestId}`);
    await page.getByRole('heading', { name: 'Request not found' }).waitFor();
    expect(await page.getByText('Jordan Avery').count()).toBe(0);
    await screenshot(page, '32-therapist-not-their-request');
    await expectAccessible(page, '32-therapist-not-their-request');
  });
});
