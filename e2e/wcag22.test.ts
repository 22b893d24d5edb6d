// Issue 7, WCAG 2.2 AA: what axe-core cannot judge, measured in Chromium.
// - 2.4.11 Focus Not Obscured: going back with the keyboard to an element high on a long staff page,
//   the browser scrolls it into view below the sticky header (the Shell sets scroll-padding-top).
// - 2.5.8 Target Size: every clickable target on the portal's screens is at least 24×24 CSS px on a
//   phone (also checked on every phone screen by expectAccessible).
// - 3.3.8 Accessible Authentication: the emailed code's field takes a pasted code as the email shows
//   it (even with a space), is offered by the phone's one-time-code autofill, and does not block paste.
// - 3.2.6 Consistent Help: the portal's footer, with how to reach the practice, is in the same place
//   on each screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedCode } from '../test/portal/support.js';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { createRequestAs } from '../test/support/requests.js';
import { signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, SCREENSHOTS, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { statusLinkPath } from './support/portal.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';
import { expectFocusNotObscured, expectTargetSizes, keyboardBackTo } from './support/wcag22.js';

describe.skipIf(!chromiumAvailable())('WCAG 2.2 AA beyond axe', () => {
  let server: Served;
  let browser: Browser;
  let support: TestUser;
  let requestId = '';
  let requestNumber = '';
  const people: Person[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launch()]);
    const practice = await createPractice(server, {
      name: 'Maple Counseling',
      privacyOfficerPhone: '555-0100',
      privacyOfficerEmail: 'records@maple.test',
    });
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

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
  });

  it('WCAG 2.4.11: an element reached by the keyboard lands below the sticky header, on a laptop and on a phone', async () => {
    for (const [name, viewport] of [
      ['laptop', { width: 1280, height: 600 }],
      ['phone', PHONE],
    ] as const) {
      server.clock.advance(31_000); // a fresh authenticator code for each sign-in
      const page = await signInAs(browser, server, support, people, viewport);
      await page.goto(`/requests/${requestId}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // The first control of the page's content: the closest to the header.
      const first = 'main :is(a[href], button:not([disabled]))';
      await expectFocusNotObscured(page, first, `the request page (${name})`);
      await page.screenshot({ path: `${SCREENSHOTS}/wcag22-focus-${name}.png` }); // as scrolled
      // The check can fail: without the Shell's scroll padding the same move hides it under the header.
      await page.evaluate(`document.documentElement.style.scrollPaddingTop = '0px'`);
      const bare = await keyboardBackTo(page, first);
      expect(bare.top).toBeLessThan(bare.header);
    }
  });

  async function codeScreen(): Promise<Page> {
    const path = await statusLinkPath(server, requestId);
    const person = await openAs(browser, server.baseURL, PHONE);
    people.push(person);
    await person.page.goto(path);
    await person.page.getByRole('heading', { name: 'See your records request' }).waitFor();
    await person.page.getByText(/We emailed a 6-digit code/).waitFor();
    return person.page;
  }

  it('WCAG 3.3.8, 2.5.8, 3.2.6: the code takes a paste as emailed and autofill; every target is 24×24; the footer help stays in place', async () => {
    const page = await codeScreen();
    const field = page.getByLabel('Code from the email');
    expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
    // A paste is never cancelled (no script stands between the person and their password manager).
    const prevented = await page.evaluate<boolean>(`(() => {
      const input = document.querySelector('input[autocomplete="one-time-code"]');
      const data = new DataTransfer();
      data.setData('text/plain', '123456');
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      input.dispatchEvent(event);
      return event.defaultPrevented;
    })()`);
    expect(prevented).toBe(false);
    // The code as it stands in the email, pasted with a space in the middle, is taken whole.
    const code = await emailedCode(server, requestId);
    await field.focus();
    await page.keyboard.insertText(`${code.slice(0, 3)} ${code.slice(3)}`);
    await expect.poll(() => field.inputValue()).toBe(code);
    await expectTargetSizes(page, 'the code screen (phone)');
    const footerOnCode = await footerPlace(page);
    await screenshot(page, 'wcag22-code-phone');

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: `Request ${requestNumber}` }).waitFor();
    await expectAccessible(page, 'wcag22-status-phone');
    await expectTargetSizes(page, 'the status page (phone)');
    const footerOnStatus = await footerPlace(page);
    // 3.2.6: the same help, last on the page, after the main content, on both screens.
    expect(footerOnStatus).toEqual(footerOnCode);
    expect(footerOnCode.text).toContain('555-0100');
    await screenshot(page, 'wcag22-status-phone');
  });
});

/** The portal footer's words and its place among the page's landmarks. */
async function footerPlace(page: Page): Promise<{ text: string; order: string[] }> {
  return page.evaluate(`(() => {
    const footer = document.querySelector('footer');
    const order = [...document.querySelectorAll('header, main, footer')].map((e) => e.tagName.toLowerCase());
    return { text: (footer?.textContent ?? '').trim(), order };
  })()`);
}
