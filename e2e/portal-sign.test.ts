// Issue 7, signing in the browser on a phone-sized screen (AUTH-1, AUTH-7): a client who asked for a
// copy to go to her advocates opens her status link, enters the emailed code, reads the practice's
// permission form in plain words, signs by typing her name (the keyboard-only way), and downloads
// her signed copy. Axe finds no serious or critical violation on the form or the confirmation.
import { readFile } from 'node:fs/promises';
import { and, desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_META } from '../src/server/context.js';
import { threadMessages } from '../src/server/db/schema.js';
import { inTransaction } from '../src/server/db/tx.js';
import { issueStatusLink } from '../src/server/portal/status-link.js';
import { createClient, createPractice, createUser } from '../test/support/factories.js';
import { pdfText, qpdfCheck } from '../test/support/pdf.js';
import { createRequestAs } from '../test/support/requests.js';
import { signIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';

const NOW = '2027-03-01T18:00:00Z';

describe.skipIf(!chromiumAvailable())('journey: a client signs her permission form in the portal', () => {
  let server: Served;
  let browser: Browser;
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    server.clock.set(NOW);
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('AUTH-1, AUTH-7: on her phone she reads the form, signs by typing her name, and downloads the signed copy', async () => {
    const practice = await createPractice(server, {
      timeZone: 'America/Los_Angeles',
      name: 'Riverbend Counseling',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'records@riverbend.test',
    });
    const therapist = await createUser(server, practice, ['therapist']);
    const support = await signIn(server, await createUser(server, practice, ['support']));
    const client = await createClient(server, practice, therapist, {
      firstName: 'Aisha',
      lastName: 'Rahman',
    });
    const email = 'aisha@example.test';
    const r = await createRequestAs(support, client.id, {
      kind: 'client_directed',
      requester: { name: 'Aisha Rahman', relationship: 'client', email },
      purpose: 'Disability benefits application',
      channel: 'portal',
      notes: 'Send the copy to: Bright Path Disability Advocates, 500 K Street, Sacramento, CA 95814',
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
    await page.getByText(/We emailed a 6-digit code/).waitFor();
    const [sent] = await server.running.services.database.db
      .select({ body: threadMessages.body })
      .from(threadMessages)
      .where(and(eq(threadMessages.requestId, r.id), eq(threadMessages.kind, 'portal_code')))
      .orderBy(desc(threadMessages.createdAt))
      .limit(1);
    const code = sent?.body.match(/\b(\d{6})\b/)?.[1];
    expect(code).toBeTruthy();
    await page.getByLabel('Code from the email').fill(code!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: `Request ${r.number}` }).waitFor();

    // The status page offers the form.
    await page.getByRole('heading', { name: 'Your permission form' }).waitFor();
    await page.getByRole('link', { name: 'Read and sign the form' }).click();
    await page.getByRole('heading', { name: 'Sign your permission form', level: 1 }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('H1');
    await page.getByText('Bright Path Disability Advocates, 500 K Street').waitFor();
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
});
