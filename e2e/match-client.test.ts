// Issue 7, the staff side of a held online-form request: the name typed on the form matched no client,
// so the request waits on a provisional client ("not matched to a client yet"). Support opens it, finds
// the real client (who has no therapist yet, so support names one), confirms, and the page shows the
// real client and therapist with the red badge gone. Axe finds no serious or critical violation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConfig, type Sink, startSink } from '../test/mail/support.js';
import { askCode, codeFrom, submitForm } from '../test/portal/intake-helpers.js';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { randomIp } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { choose, launch, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const DOB = '1984-03-09';

describe.skipIf(!chromiumAvailable())(
  'journey: support matches a held online-form request to its client',
  () => {
    let server: Served;
    let browser: Browser;
    let sink: Sink;
    let support: TestUser;
    let requestId = '';
    const people: Person[] = [];

    beforeAll(async () => {
      sink = await startSink();
      [server, browser] = await Promise.all([
        serve({ mail: mailConfig({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` }) }),
        launch(),
      ]);
      const practice = await createPractice(server, {
        name: 'Cedar Counseling',
        privacyOfficerPhone: '555-0142',
      });
      support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
      const therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
      await createClient(server, practice, therapist, { firstName: 'Jordan', lastName: 'Avery' });
      // The real client: no therapist assigned yet.
      await createClient(server, practice, null, { firstName: 'Lena', lastName: 'Marsh', dateOfBirth: DOB });

      // The sender misspelt her last name: the form answers as always, and the request is held.
      const email = 'lena@example.test';
      const ip = randomIp();
      expect((await askCode(server, { practiceId: practice.id, email }, ip)).statusCode).toBe(202);
      const res = await submitForm(
        server,
        {
          practiceId: practice.id,
          kind: 'own_records',
          email,
          code: codeFrom(sink, email),
          client: { firstName: 'Lena', lastName: 'Marsch', dateOfBirth: DOB },
          records: ['progress_notes'],
        },
        ip,
      );
      expect(res.statusCode, res.body).toBe(201);
      const { rows } = await server.running.services.database.pool.query(
        'select id from requests where number = $1',
        [res.json().number],
      );
      requestId = rows[0].id;
    });

    afterAll(async () => {
      for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
      await sink?.stop();
    });

    it('support opens the held request, matches it to the client with a therapist, and sees the client’s name', async () => {
      const page = await signInAs(browser, server, support, people);
      await page.goto(`/requests/${requestId}`);
      const header = page.locator('header', { has: page.getByRole('heading', { level: 1 }) });
      await header.getByText('not matched to a client yet').waitFor();
      const form = page.getByRole('form', { name: 'Match to a client' });
      await form.getByText('This request came from the online form and matched no client.').waitFor();
      await form.getByText('The form said: Lena Marsch').waitFor();
      await screenshot(page, 'match-client-01-held');
      await expectAccessible(page, 'match-client-01-held');

      // Confirming with nothing chosen says what is missing, and sends nothing.
      await form.getByRole('button', { name: 'Match to this client' }).click();
      await form.getByText('Choose the client this request is about.').waitFor();

      await form.getByRole('textbox', { name: 'Client' }).fill('Marsh');
      await page.getByRole('option', { name: /Lena Marsh/ }).click();
      await choose(page, 'Therapist for this request', 'Dr. Maya Rivera');
      await screenshot(page, 'match-client-02-chosen');
      await expectAccessible(page, 'match-client-02-chosen');
      await form.getByRole('button', { name: 'Match to Lena Marsh' }).click();

      // The page now shows the real client and therapist; the badge and the form are gone.
      await header.getByText('therapist Dr. Maya Rivera').waitFor();
      await expect.poll(() => form.count()).toBe(0);
      const text = (await header.textContent()) ?? '';
      // The client is the real one; the requester stays as the sender typed it.
      expect(text).toMatch(/Client\s*Lena Marsh\s*Born 9 Mar 1984/);
      expect(text).not.toContain('not matched to a client yet');
      await screenshot(page, 'match-client-03-matched');
      await expectAccessible(page, 'match-client-03-matched');
    });
  },
);
