// The administrator's home (issue 4): staff accounts (add one and hand over the one-time sign-in
// link, change roles, name a supervisor, deactivate), the practice settings beyond the notices, and
// the rule packs (a value confirmed by counsel becomes the next version); then the audit log shows
// what was done, filtered by kind of event. The privacy officer's home is in escalation.test.ts.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { expectAccessible } from './support/a11y.js';
import { launch, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

describe.skipIf(!chromiumAvailable())('home: the administrator sets up the practice', () => {
  let server: Served;
  let browser: Browser;
  let admin: TestUser;
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, { name: 'Maple Counseling' });
    admin = await createUser(server, practice, ['admin'], { name: 'Ada Admin' });
    await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
    await createUser(server, practice, ['therapist'], { name: 'Dr. Theo Grant' });
    await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('adds a staff member with the sign-in link, changes roles, names a supervisor and deactivates', async () => {
    const page = await signInAs(browser, server, admin, people);
    await page
      .getByRole('region', { name: 'Administration' })
      .getByRole('link', { name: 'Rule packs' })
      .waitFor();
    await screenshot(page, '60-admin-home');
    await expectAccessible(page, '60-admin-home');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff and supervision' }).waitFor();

    const add = page.getByRole('form', { name: 'Add a staff member' });
    // Nothing filled in: each field says what it needs, and nothing is sent.
    await add.getByRole('button', { name: 'Add and show the sign-in link' }).click();
    await add.getByText('Give at least one role.').waitFor();
    await add.getByLabel('Name').fill('Casey Nguyen');
    await add.getByLabel('Work email').fill('casey.nguyen@example.test');
    await add.getByLabel('Clinical services').check();
    await add.getByRole('button', { name: 'Add and show the sign-in link' }).click();
    const link = add.getByTestId('sign-in-link');
    await expect.poll(async () => (await link.textContent()) ?? '').toMatch(/\/sign-in\?token=/);
    await page
      .getByRole('article', { name: 'Casey Nguyen' })
      .getByText('Not signed in yet', { exact: true })
      .waitFor();

    // Dr. Grant becomes a supervisor too, then Dr. Rivera's supervisor.
    const grant = page.getByRole('article', { name: 'Dr. Theo Grant' });
    await grant.getByLabel('Supervisor', { exact: true }).check();
    await grant.getByRole('button', { name: 'Save the roles' }).click();
    await grant.getByRole('button', { name: 'Save the roles' }).waitFor({ state: 'detached' });
    const rivera = page.getByRole('article', { name: 'Dr. Maya Rivera' });
    await rivera.getByRole('textbox', { name: 'Supervisor of Dr. Maya Rivera' }).click();
    await page.getByRole('option', { name: 'Dr. Theo Grant' }).click();
    await expect
      .poll(() => rivera.getByRole('textbox', { name: 'Supervisor of Dr. Maya Rivera' }).inputValue())
      .toBe('Dr. Theo Grant');
    await screenshot(page, '61-admin-staff');
    await expectAccessible(page, '61-admin-staff');

    // Sam leaves the practice.
    await page
      .getByRole('article', { name: 'Sam Ortiz' })
      .getByRole('button', { name: 'Deactivate' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate Sam Ortiz?' });
    await dialog.getByRole('button', { name: 'Deactivate Sam Ortiz' }).click();
    await page.getByRole('heading', { name: 'Deactivated' }).waitFor();
    await page
      .getByRole('article', { name: 'Sam Ortiz' })
      .getByText('Deactivated', { exact: true })
      .waitFor();
  });

  it('changes the practice settings and confirms a rule-pack value; the audit log shows it', async () => {
    server.clock.advance(31_000);
    const page = await signInAs(browser, server, admin, people);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const practiceForm = page.getByRole('form', { name: 'The practice' });
    await practiceForm.getByLabel('Privacy officer’s email').fill('not-an-email');
    await practiceForm.getByRole('button', { name: 'Save the practice details' }).click();
    await practiceForm.getByText('Enter an email address.').waitFor();
    await practiceForm.getByLabel('Privacy officer’s name').fill('Pat Quinn');
    await practiceForm.getByLabel('Privacy officer’s email').fill('privacy@maple.example');
    await practiceForm.getByRole('button', { name: 'Save the practice details' }).click();
    await practiceForm.getByText('Saved.').waitFor();

    const policy = page.getByRole('form', { name: 'Steps and deadlines' });
    await policy.getByLabel('Practice target (calendar days)').fill('21');
    await policy.getByLabel('Discuss the request with the client').fill('');
    await policy.getByRole('button', { name: 'Save steps and deadlines' }).click();
    await policy.getByText('A whole number of days, 0 to 60.').waitFor();
    await policy.getByLabel('Discuss the request with the client').fill('4');
    await policy.getByRole('button', { name: 'Save steps and deadlines' }).click();
    await policy.getByText('Saved.').waitFor();
    await page.reload();
    await expect
      .poll(() =>
        page
          .getByRole('form', { name: 'Steps and deadlines' })
          .getByLabel('Practice target (calendar days)')
          .inputValue(),
      )
      .toBe('21');
    await screenshot(page, '62-admin-settings');
    await expectAccessible(page, '62-admin-settings');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rule packs' }).click();
    const federal = page.getByRole('region', { name: 'US rules' });
    await federal.getByText('Version 1', { exact: false }).waitFor();
    await screenshot(page, '63-admin-rule-packs');
    await expectAccessible(page, '63-admin-rule-packs');
    await federal.getByRole('button', { name: 'Confirm 42 CFR 2.32 notice (short form)' }).click();
    const confirm = page.getByRole('form', { name: 'Confirm 42 CFR 2.32 notice (short form)' });
    await confirm.getByRole('button', { name: 'Confirm the value' }).click();
    await confirm.getByText('Say what changed and on whose advice.').waitFor();
    await confirm.getByLabel('Who confirmed it, and how').fill('Confirmed by counsel (J. Smith) by letter');
    await confirm.getByRole('button', { name: 'Confirm the value' }).click();
    await federal.getByText('Version 2', { exact: false }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('textbox', { name: 'What happened' }).fill('Version added');
    await page.getByRole('option', { name: /rule_pack\.version_added/ }).click();
    const events = page.getByRole('list', { name: 'Events' });
    await events.getByText('Ada Admin (Administrator)').first().waitFor();
    await expect.poll(() => events.getByRole('listitem').count()).toBe(1);
    await page.getByRole('button', { name: 'Check that the log is untouched' }).click();
    await page.getByText('The log is intact').waitFor();
    await screenshot(page, '64-admin-audit-log');
    await expectAccessible(page, '64-admin-audit-log');
  });

  it('the staff screen works at phone width', async () => {
    server.clock.advance(31_000);
    const page = await signInAs(browser, server, admin, people, PHONE);
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('article', { name: 'Casey Nguyen' }).waitFor();
    await screenshot(page, '65-admin-staff-phone');
    await expectAccessible(page, '65-admin-staff-phone');
  });
});
