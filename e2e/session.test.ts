// A demo server in the browser: the banner on every page (sign-in included) with the demo logins;
// a demo account signs in without a second factor and finds an empty "My tasks" that says what
// to do; an unknown request is a calm not-found page; and the idle timeout warns before the
// server's 15 minutes, lets the person stay, and signs them out at the end saying why.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BANNER } from '../src/server/demo/accounts.js';
import { createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';

describe.skipIf(!chromiumAvailable())(
  'a demo server: banner, sign-in, not found and the idle timeout',
  () => {
    let server: Served;
    let browser: Browser;
    let user: TestUser;
    let person: Person;

    beforeAll(async () => {
      [server, browser] = await Promise.all([serve({ demo: true }), launch()]);
      const practice = await createPractice(server, { name: 'Riverbend Counseling (demo)' });
      user = await createUser(server, practice, ['therapist'], {
        name: 'Dr. Maya Rivera',
        isDemo: true,
        enrolled: false,
      });
      person = await openAs(browser, server.baseURL);
      // The page's clock is ours to move: the idle timer runs on it.
      await person.page.clock.install();
    });

    afterAll(async () => {
      expect(person?.problems ?? [], 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
    });

    it('shows the banner and the demo logins before anyone signs in', async () => {
      const { page } = person;
      const response = await page.goto('/');
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(await page.title()).toContain(DEMO_BANNER);
      await page.getByRole('note', { name: 'Demo server' }).getByText(DEMO_BANNER).waitFor();
      await page.getByText('therapist@demo.test').waitFor();
      await screenshot(page, '20-demo-sign-in');
      await expectAccessible(page, '20-demo-sign-in');
    });

    it('a demo account signs in without a second factor and finds an empty My tasks', async () => {
      const { page } = person;
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Nothing is waiting on you').waitFor();
      await page.getByRole('note', { name: 'Demo server' }).waitFor();
      await screenshot(page, '21-demo-my-tasks-empty');
    });

    it('an unknown request is a calm not-found page, banner included', async () => {
      const { page } = person;
      await page.goto('/requests/00000000-0000-4000-8000-000000000000');
      await page.getByRole('heading', { name: 'Request not found' }).waitFor();
      await page.getByRole('note', { name: 'Demo server' }).waitFor();
      await screenshot(page, '22-request-not-found');
      await page.getByRole('link', { name: 'Back to my tasks' }).click();
      await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    });

    it('warns before the idle timeout, lets the person stay, and signs out at the end', async () => {
      const { page } = person;
      // A response still in flight when the clock jumps counts as fresh activity (the server saw the
      // person) and holds the warning back; then the idle time is counted from that response.
      const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
      await page.clock.fastForward('13:30');
      const shown = await dialog
        .waitFor({ timeout: 4000 })
        .then(() => true)
        .catch(() => false);
      if (!shown) await page.clock.fastForward('13:30');
      await dialog.waitFor();
      await screenshot(page, '23-idle-warning');
      await dialog.getByRole('button', { name: 'Stay signed in' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('heading', { name: 'My tasks' }).waitFor();

      await page.clock.fastForward('15:10');
      await page.getByText('You were signed out after 15 minutes without activity').waitFor();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await screenshot(page, '24-signed-out-idle');
    });
  },
);
