// Issue 7, the staff side of the requester thread: a requester writes from the portal (with markup in
// the words), support opens the request's "Messages with the requester" tab, sees who wrote it and
// each email's delivery state, the code email without its code, and replies; the requester reads the
// reply on the status page. Axe finds no serious or critical violation on the tab.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchPending } from '../src/server/mail/dispatch.js';
import { emailedCode, signInToPortal } from '../test/portal/support.js';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { createRequestAs } from '../test/support/requests.js';
import { signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

describe.skipIf(!chromiumAvailable())('journey: support answers a requester from the request page', () => {
  let server: Served;
  let browser: Browser;
  let support: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, { name: 'Maple Counseling' });
    support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
    const therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
    const client = await createClient(server, practice, therapist, {
      firstName: 'Jordan',
      lastName: 'Avery',
    });
    const agent = await apiSignIn(server, support);
    const r = await createRequestAs(agent, client.id, {
      kind: 'client_access',
      requester: { name: 'Jordan Avery', email: 'jordan@example.test' },
    });
    requestId = r.id;
    requestNumber = r.number;
    // The API sign-in above used this minute's code; the browser sign-in needs the next one.
    server.clock.advance(31_000);
  });
  let requestId = '';
  let requestNumber = '';

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('SEC-5: support sees the portal message as plain text with its writer, the code email without its code, and replies', async () => {
    const { r: requester } = await signInToPortal(server, requestId);
    const words = 'Could I have <b>the March letter</b> too? <img src=x onerror="alert(1)">';
    const sent = await requester.post(`/api/portal/requests/${requestNumber}/messages`, { body: words });
    expect(sent.statusCode, sent.body).toBeLessThan(300);

    // Support answers a minute later (the test clock stands still otherwise).
    server.clock.advance(60_000);
    const page = await signInAs(browser, server, support, people);
    await page.goto(`/requests/${requestId}?tab=requester`);
    const tab = page.getByRole('tab', { name: /Messages with the requester/ });
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const fromRequester = page.getByRole('article', { name: 'Message from Jordan Avery (requester)' });
    await fromRequester.getByText(words).waitFor(); // the markup shown as typed, not run
    expect(await fromRequester.locator('b, img').count()).toBe(0);
    // The acknowledgement's email state is shown beside it (no SMTP here: kept in the outbox).
    await page.getByText('Email: kept in the outbox (email is not set up)').first().waitFor();
    const body = (await page.textContent('main')) ?? '';
    expect(body).toContain('A code was sent');
    expect(body).not.toContain(await emailedCode(server, requestId));
    expect(body).not.toContain('/portal/links/');
    await screenshot(page, 'requester-thread-01-support');
    await expectAccessible(page, 'requester-thread-01-support');

    const reply = 'Yes, we will add the March letter. You will hear from us by Friday.';
    const form = page.getByRole('form', { name: 'Reply to the requester' });
    await form.getByLabel('Reply to the requester').fill(reply);
    await form.getByRole('button', { name: 'Send to requester' }).click();
    const answer = page.getByRole('article', { name: 'Message from Sam Ortiz' });
    await answer.getByText(reply).waitFor();
    await expect.poll(() => form.getByLabel('Reply to the requester').inputValue()).toBe('');
    // The mail runtime emails a staff message within seconds; here the test runs that step, then reloads.
    await dispatchPending(server.running.services);
    await page.reload();
    await answer.getByText('Email: kept in the outbox (email is not set up)').waitFor();
    await screenshot(page, 'requester-thread-02-replied');
    await expectAccessible(page, 'requester-thread-02-replied');

    // The requester reads the reply on the status page, in order after their own message.
    const status = await requester.get(`/api/portal/requests/${requestNumber}`);
    const messages = status.json().messages as { body: string; fromYou: boolean }[];
    expect(messages.map((m) => m.body).slice(-2)).toEqual([words, reply]);
  });
});
