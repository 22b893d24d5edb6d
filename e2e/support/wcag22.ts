// WCAG 2.2 checks axe-core cannot make from the markup alone, measured in the browser (issue 7):
// - 2.5.8 Target Size (Minimum): every clickable target at least 24×24 CSS px, measured with
//   getBoundingClientRect (a visually hidden native radio or checkbox is measured by its label, which
//   is what a finger presses). The criterion's "inline" exception is kept narrow: a link inside a
//   sentence (its parent has more text than the link) may be a line tall. A multi-select's typing field
//   is measured by its box, which focuses it when pressed.
// - 2.4.11 Focus Not Obscured (Minimum): an element reached by the keyboard is not under a sticky
//   header (the app's scroll-padding-top).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const MIN_TARGET = 24;

const MEASURE_TARGETS = `((min) => {
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="tab"], [role="radio"], [role="checkbox"], [role="switch"], [role="menuitem"], [role="option"]';
  const describe = (el) => {
    const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + (el.getAttribute('type') ? '[type=' + el.getAttribute('type') + ']' : '') + ' "' + name + '"';
  };
  const shown = (el) => {
    if (!el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const small = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[aria-hidden="true"], [inert]') || el.disabled) continue;
    if (el.getAttribute('tabindex') === '-1' && !el.matches('a[href], button, [role="option"]')) continue;
    let target = el;
    const style = getComputedStyle(el);
    // A native radio or checkbox drawn by its label (opacity 0, or a 1px box): the label is the target.
    if (el.matches('input[type="radio"], input[type="checkbox"]') && (style.opacity === '0' || !shown(el))) {
      target = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) || el.closest('label') || el;
    }
    // The typing field of a multi-select sits in its box (Mantine's PillsInput, itself an input
    // box): a press anywhere on the box focuses the field, so the box is the target.
    const box = el.matches('input') ? el.closest('.mantine-Input-input') : null;
    if (box && box !== el) target = box;
    if (seen.has(target) || !shown(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width >= min - 0.01 && r.height >= min - 0.01) continue;
    // WCAG 2.5.8 "Inline": a link in a sentence, its height set by the line of text around it.
    const inline = getComputedStyle(target).display === 'inline' && target.matches('a') &&
      (target.parentElement?.textContent || '').trim().length > (target.textContent || '').trim().length + 20;
    if (inline) continue;
    small.push(describe(el) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return small;
})(${MIN_TARGET})`;

/** The clickable targets smaller than 24×24 CSS px on the page as it is now. */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(MEASURE_TARGETS);
}

/** rule-less (WCAG 2.5.8): no clickable target under 24×24 CSS px. */
export async function expectTargetSizes(page: Page, where: string): Promise<void> {
  expect(await smallTargets(page), `targets under ${MIN_TARGET}×${MIN_TARGET} px on ${where}`).toEqual([]);
}

/** The bottom edge of whatever is stuck to the top of the viewport (sticky or fixed headers), in px. */
export function stuckBottom(page: Page): Promise<number> {
  return page.evaluate<number>(`(() => {
    let bottom = 0;
    for (const el of document.querySelectorAll('body *')) {
      const s = getComputedStyle(el);
      if (s.position !== 'sticky' && s.position !== 'fixed') continue;
      const r = el.getBoundingClientRect();
      if (r.height > 0 && r.top <= 1 && r.bottom < innerHeight / 2) bottom = Math.max(bottom, r.bottom);
    }
    return bottom;
  })()`);
}

/**
 * WCAG 2.4.11: the page scrolled so that a focusable element sits just under the sticky header (in
 * the viewport, so a browser would not scroll to it by itself), the keyboard goes back to it
 * (Shift+Tab from the next one): it must end below the header, not under it.
 */
export async function expectFocusNotObscured(page: Page, selector: string, where: string): Promise<void> {
  const { top, header } = await keyboardBackTo(page, selector, where);
  expect(header, `a sticky header on ${where}`).toBeGreaterThan(0);
  expect(top, `the focused element's top is below the sticky header on ${where}`).toBeGreaterThanOrEqual(
    header - 0.5,
  );
}

/**
 * Scroll the element `selector` picks to 8 px from the top of the viewport, focus the next focusable
 * element without scrolling, and Shift+Tab back: where the element's top lands, and the sticky
 * header's bottom.
 */
export async function keyboardBackTo(
  page: Page,
  selector: string,
  where = selector,
): Promise<{ top: number; header: number }> {
  await page.locator(selector).first().waitFor();
  const moved = await page.evaluate<boolean>(`(() => {
    const target = document.querySelector(${JSON.stringify(selector)});
    window.scrollBy({ top: target.getBoundingClientRect().top - 8, behavior: 'instant' });
    const all = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select, textarea, [tabindex="0"]')]
      .filter((e) => e.checkVisibility() && e.tabIndex >= 0);
    const next = all[all.indexOf(target) + 1];
    next?.focus({ preventScroll: true });
    return Boolean(next) && window.scrollY > 0 && Math.abs(target.getBoundingClientRect().top - 8) < 1;
  })()`);
  expect(moved, `${where} scrolls the target to the top, with something focusable after it`).toBe(true);
  await page.keyboard.press('Shift+Tab');
  const isFocused = `document.activeElement === document.querySelector(${JSON.stringify(selector)})`;
  await expect.poll(() => page.evaluate<boolean>(isFocused)).toBe(true);
  const header = await stuckBottom(page);
  const top = await page.evaluate<number>(
    `document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect().top`,
  );
  return { top, header };
}
