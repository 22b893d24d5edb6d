// The Files tab in the browser (issue 6, "a corrupt or 500 MB file … ends in a clear message"): a
// file over 25 MB chosen on the request's Files tab is named too large at once, in the same words
// as on the new-request form, and nothing is sent to the server; a file within the limit then goes
// up as usual. The requests the page makes are watched, so "nothing sent" is observed, not assumed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_TOO_LARGE_TEXT } from '../src/shared/files.js';
import { recordPdf } from '../test/packets/support.js';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { createRequestAs } from '../test/support/requests.js';
import { signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { choose, launch, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const MB = 1024 * 1024;

describe.skipIf(!chromiumAvailable())('the Files tab: a file over 25 MB', () => {
  let server: Served;
  let browser: Browser;
  let support: TestUser;
  let requestId: string;
  const people: Person[] = [];
  let dir: string;
  let bigFile: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, { name: 'Maple Counseling' });
    support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
    const therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
    const client = await createClient(server, practice, therapist, {
      firstName: 'Jordan',
      lastName: 'Avery',
    });
    requestId = (await createRequestAs(await apiSignIn(server, support), client.id)).id;
    dir = await mkdtemp(path.join(tmpdir(), 'rd-e2e-files-'));
    bigFile = path.join(dir, 'whole-chart.pdf');
    await writeFile(bigFile, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(26 * MB, 0x20)]));
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is named too large as soon as it is chosen and never sent; a file within the limit then uploads', async () => {
    server.clock.advance(31_000); // a new authenticator code: the API sign-in above used this one
    const page = await signInAs(browser, server, support, people);
    const uploads: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/api/requests/${requestId}/files`)) uploads.push(r);
    });
    await page.goto(`/requests/${requestId}`);
    await page.getByRole('tab', { name: 'Files' }).click();
    const form = page.getByRole('form', { name: 'Add a file' });
    await choose(page, 'Kind of record', 'Assessments');
    const input = form.locator('input[type=file]');
    // 26 MB from a file on disk: the browser reads it itself (a buffer would cross the DevTools
    // protocol as 35 MB of base64).
    await input.setInputFiles(bigFile);
    await form.getByText(FILE_TOO_LARGE_TEXT).waitFor();
    expect(FILE_TOO_LARGE_TEXT).toBe('The file is larger than 25 MB.');
    // The field itself is marked invalid and described by the message (read with it).
    const field = form.getByLabel('File', { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(FILE_TOO_LARGE_TEXT);
    await form.getByRole('button', { name: 'Add the file' }).click();
    await screenshot(page, '04c-support-files-too-large');
    await expectAccessible(page, '04c-support-files-too-large');

    // A file within the limit: the message goes, the file goes up and is listed. Had the large
    // file been sent, its request would have been seen before this one.
    const record = await recordPdf('Intake assessment');
    await input.setInputFiles({ name: 'assessment.pdf', mimeType: 'application/pdf', buffer: record });
    await expect.poll(() => form.getByText(FILE_TOO_LARGE_TEXT).count()).toBe(0);
    await form.getByRole('button', { name: 'Add the file' }).click();
    await page
      .getByRole('region', { name: 'Records to release' })
      .getByRole('link', { name: 'assessment.pdf' })
      .waitFor();
    expect(uploads).toHaveLength(1);
    expect((await uploads[0]!.response())?.status()).toBe(201);
    const files = await server.running.services.database.pool.query<{ name: string }>(
      'select name from files where request_id = $1',
      [requestId],
    );
    expect(files.rows.map((r) => r.name)).toEqual(['assessment.pdf']);
  });
});
