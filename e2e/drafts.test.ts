// Letters & notes in the browser (issue 6, procedure step 4): the therapist starts a letter to a
// court from the practice's template (the client's name, date of birth, recipient and purpose filled
// in), edits it into version 2 and sends it; the supervisor reads it and approves it; the approved
// PDF with the letterhead shows on the Files tab under the records to release.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPreparation } from '../test/drafts/support.js';
import type { World } from '../test/packets/support.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../test/support/factories.js';
import { type Agent, signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { choose, launch, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

describe.skipIf(!chromiumAvailable())(
  'letters & notes: a letter from a template, reviewed and approved',
  () => {
    let server: Served;
    let browser: Browser;
    let w: World;
    const u: Record<string, TestUser> = {};
    const people: Person[] = [];

    beforeAll(async () => {
      [server, browser] = await Promise.all([serve(), launch()]);
      server.clock.set(NOW);
      const practice = await createPractice(server, {
        name: 'Riverbend Counseling',
        timeZone: 'America/Los_Angeles',
      });
      u.support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
      u.therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
      u.supervisor = await createUser(server, practice, ['supervisor'], { name: 'Dr. Lena Park' });
      await linkSupervisor(server, u.therapist, u.supervisor);
      const client = await createClient(server, practice, u.therapist, {
        firstName: 'Jordan',
        lastName: 'Avery',
        dateOfBirth: '1988-07-14',
      });
      const as: Record<string, Agent> = {};
      for (const [k, user] of Object.entries(u)) as[k] = await apiSignIn(server, user);
      w = { t: server, u, as, client, practiceName: practice.name };
    });

    afterAll(async () => {
      for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
    });

    async function openLetters(page: Page, requestId: string) {
      await page.goto(`/requests/${requestId}`);
      await page.getByRole('tab', { name: 'Letters & notes' }).click();
      return page.getByRole('tabpanel', { name: 'Letters & notes' });
    }

    it('procedure step 4: the therapist drafts a letter from a template, the supervisor approves it, the approved PDF is on the Files tab', async () => {
      const r = await toPreparation(w);

      // The therapist: a template, filled from the request.
      server.clock.advance(31_000);
      const therapist = await signInAs(browser, server, u.therapist!, people);
      let panel = await openLetters(therapist, r.id);
      await panel.getByText('Before what was prepared can be approved').waitFor();
      const start = panel.getByRole('form', { name: 'Start from a template' });
      await choose(therapist, 'Template', 'Letter to a court');
      await start.getByRole('button', { name: 'Start writing' }).click();
      const card = panel.getByRole('article', { name: 'Letter to a court' });
      await card.getByText('Version 1: Not sent yet').waitFor();
      await card.getByText('Date of birth: 14 July 1988', { exact: false }).waitFor();
      await card
        .getByText('I am writing at the request of Jordan Avery for this purpose: Custody hearing.')
        .waitFor();

      // Version 2 in the therapist's words, sent to the supervisor.
      await card.getByRole('button', { name: 'Edit and save as version 2' }).click();
      const edit = card.getByRole('form', { name: 'Write a new version' });
      await edit
        .getByLabel('Text')
        .fill(
          'To Dana Reyes,\n\nJordan Avery has attended weekly sessions at Riverbend Counseling since January 2026.\n\nThis letter speaks to attendance only.\n\nDr. Maya Rivera',
        );
      await edit.getByRole('button', { name: 'Save as version 2' }).click();
      await card.getByText('Version 2: Not sent yet').waitFor();
      await card.getByRole('button', { name: 'Send version 2 to the supervisor' }).click();
      await card.getByText('Version 2: Waiting for the supervisor').waitFor();
      await card.getByText('Earlier versions (1)').waitFor();
      await screenshot(therapist, '70-letter-sent-for-review');
      await expectAccessible(therapist, '70-letter-sent-for-review');

      // The supervisor reads it and approves it.
      server.clock.advance(31_000);
      const supervisor = await signInAs(browser, server, u.supervisor!, people);
      panel = await openLetters(supervisor, r.id);
      const review = panel.getByRole('article', { name: 'Letter to a court' });
      await review.getByText('This letter speaks to attendance only.').waitFor();
      expect(await review.getByRole('button', { name: /Edit and save/ }).count()).toBe(0);
      await review.getByRole('button', { name: 'Approve version 2' }).click();
      await review.getByText('Version 2: Approved').waitFor();
      await review.getByRole('link', { name: 'Approved PDF (version 2)' }).waitFor();
      await screenshot(supervisor, '71-letter-approved');
      await expectAccessible(supervisor, '71-letter-approved');

      // The approved PDF is a record to release, on the Files tab.
      await supervisor.getByRole('tab', { name: 'Files' }).click();
      const files = supervisor.getByRole('tabpanel', { name: 'Files' });
      await files.getByText(`letter-to-a-court-v2-${r.number}.pdf`).waitFor();
      await screenshot(supervisor, '72-approved-letter-on-files');
    });
  },
);
