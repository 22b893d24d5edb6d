// The browser side of a journey: a Chromium per test file, a context (its own cookies) per person,
// screenshots under e2e/screenshots, and a page that fails the test on a script error or a CSP
// violation.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../screenshots');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP violations seen on this person's pages. */
  problems: string[];
}

export async function openAs(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<Person> {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'en-US',
    timezoneId: 'America/Los_Angeles',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text))
      problems.push(`CSP: ${text}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // From the top: a sticky header would otherwise be drawn where the page was scrolled to.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Open a Mantine Accordion item by its control and wait until its panel has finished opening.
 * While the panel grows it clips its content and scrolls it (a field focused inside it scrolls the
 * clipped panel, which then scrolls back as it grows), so its buttons move: a press can land on a
 * button and its release on the field above, and the browser then sends the click to neither.
 * Playwright checks only the press, so it reports the click done, and nothing happened.
 */
export async function openPanel(control: Locator): Promise<void> {
  await control.click();
  await expect.poll(() => control.getAttribute('aria-expanded'), { timeout: 15_000 }).toBe('true');
  const id = await control.getAttribute('aria-controls');
  if (!id) throw new Error('the control names no panel (aria-controls)');
  const panel = control.page().locator(`[id="${id}"]`);
  // Open: laid out, all of its content shown (nothing clipped, so nothing scrolled), no transition left.
  await expect
    .poll(
      () =>
        panel.evaluate(
          (el) =>
            el.clientHeight > 0 && el.clientHeight === el.scrollHeight && el.getAnimations().length === 0,
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** Choose an option of a Mantine Select by the field's label and the option's text. */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByRole('textbox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}
