// The practice's own letter templates in the browser (issue 6, procedure step 4): the administrator
// adds one from the administrator's home (placeholders put in with the chips; an unknown one refused
// by the server and shown at the field), a therapist starts a letter from it on a request and sees
// the request's facts filled in, sends it, and the supervisor's My tasks shows "Letter to review",
// which opens the request's Letters & notes tab. axe on each screen.
import type { Browser } from 'playwright-core';
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

describe.skipIf(!chromiumAvailable())('letter templates: the administrator’s own, used on a request', () => {
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
    u.admin = await createUser(server, practice, ['admin'], { name: 'Ada Admin' });
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
    for (const k of ['support', 'therapist', 'supervisor']) as[k] = await apiSignIn(server, u[k]!);
    w = { t: server, u, as, client, practiceName: practice.name };
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('procedure step 4: the admin adds a template; a therapist starts a letter from it with the facts filled in; the supervisor is told on My tasks', async () => {
    // The administrator adds the template from their home.
    const admin = await signInAs(browser, server, u.admin!, people);
    await admin
      .getByRole('region', { name: 'Administration' })
      .getByRole('link', { name: 'Letter templates' })
      .click();
    await admin.getByRole('heading', { name: 'Letter templates', level: 1 }).waitFor();
    await admin.getByRole('heading', { name: 'No templates of your own yet' }).waitFor();
    await admin.getByRole('button', { name: 'Add a template' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Add a template' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Letter to a probation officer');
    await dialog.getByRole('textbox', { name: 'Short description' }).fill('Attendance only.');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    await title.fill('Attendance letter for ');
    await dialog.getByRole('button', { name: /^Insert \{\{client\}\}/ }).click();
    expect(await title.inputValue()).toBe('Attendance letter for {{client}}');
    // An unknown placeholder: the server's refusal shows at the Text field, what was typed stays.
    const text = dialog.getByRole('textbox', { name: 'Text' });
    await text.fill('To {{recipient}},\n\nCase number {{caseNumber}}.');
    await dialog.getByRole('button', { name: 'Add the template' }).click();
    await dialog.getByText('Not known: {{caseNumber}}.', { exact: false }).waitFor();
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    expect(await title.getAttribute('aria-invalid')).not.toBe('true');
    expect(await text.inputValue()).toContain('{{caseNumber}}');
    await screenshot(admin, '73-letter-template-refused');
    await expectAccessible(admin, '73-letter-template-refused');

    await text.fill('To {{recipient}},\n\n{{client}} has attended every session at {{practice}} ');
    await dialog.getByRole('button', { name: /^Insert \{\{datesOfService\}\}/ }).click();
    await text.press('End');
    await text.pressSequentially('.');
    expect(await text.inputValue()).toBe(
      'To {{recipient}},\n\n{{client}} has attended every session at {{practice}} {{datesOfService}}.',
    );
    await dialog.getByRole('button', { name: 'Add the template' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.getByText('Saved “Letter to a probation officer”.').waitFor();
    const table = admin.getByRole('table', { name: 'The practice’s templates' });
    await table.getByText('Letter to a probation officer').waitFor();
    await table
      .getByRole('row', { name: /Letter to a probation officer/ })
      .getByText('Offered', { exact: true })
      .waitFor();
    await screenshot(admin, '74-letter-templates');
    await expectAccessible(admin, '74-letter-templates');

    // The therapist starts a letter from it on a request being prepared.
    const r = await toPreparation(w);
    server.clock.advance(31_000);
    const therapist = await signInAs(browser, server, u.therapist!, people);
    await therapist.goto(`/requests/${r.id}?tab=drafts`);
    const panel = therapist.getByRole('tabpanel', { name: 'Letters & notes' });
    await choose(therapist, 'Template', 'Letter to a probation officer');
    await panel
      .getByRole('form', { name: 'Start from a template' })
      .getByRole('button', { name: 'Start writing' })
      .click();
    const card = panel.getByRole('article', { name: 'Letter to a probation officer' });
    await card.getByText('Version 1: Not sent yet').waitFor();
    await card.getByText('Attendance letter for Jordan Avery').first().waitFor();
    await card
      .getByText(
        'Jordan Avery has attended every session at Riverbend Counseling from 1 January 2026 to 31 December 2026.',
      )
      .waitFor();
    await card.getByText('To Dana Reyes, Reyes Law,').waitFor();
    await screenshot(therapist, '75-letter-from-practice-template');
    await expectAccessible(therapist, '75-letter-from-practice-template');
    await card.getByRole('button', { name: 'Send version 1 to the supervisor' }).click();
    await card.getByText('Version 1: Waiting for the supervisor').waitFor();

    // The supervisor's My tasks says a letter waits for them, and leads to the tab.
    server.clock.advance(31_000);
    const supervisor = await signInAs(browser, server, u.supervisor!, people);
    const review = supervisor.getByRole('article', {
      name: `Letter to review: Attendance letter for Jordan Avery (version 1), ${r.number}`,
    });
    await review.getByText('Preparation due', { exact: false }).waitFor();
    await screenshot(supervisor, '76-letter-to-review-card');
    await expectAccessible(supervisor, '76-letter-to-review-card');
    await review.getByRole('link', { name: `Review it in ${r.number}` }).click();
    await supervisor
      .getByRole('tabpanel', { name: 'Letters & notes' })
      .getByRole('button', { name: 'Approve version 1' })
      .waitFor();

    // The administrator changes it: no longer offered; the list says so.
    await admin.reload();
    await admin.getByRole('button', { name: 'Change Letter to a probation officer' }).click();
    const change = admin.getByRole('dialog', { name: 'Change “Letter to a probation officer”' });
    expect(await change.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(
      'Attendance letter for {{client}}',
    );
    await change.getByRole('checkbox', { name: /Offer this template/ }).uncheck();
    await change.getByRole('button', { name: 'Save the changes' }).click();
    await change.waitFor({ state: 'detached' });
    await admin
      .getByRole('row', { name: /Letter to a probation officer/ })
      .getByText('Not offered', { exact: true })
      .waitFor();
  });
});
