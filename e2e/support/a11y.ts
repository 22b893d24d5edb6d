// Issue 4 and 7: every main page passes an axe-core check with no serious or critical violation
// (WCAG 2.0, 2.1 and 2.2 A and AA rules). axe-core 4.x tags its 2.2 rules 'wcag22aa' only (2.5.8
// target-size; it has no 'wcag22a' rule), so that is the one new tag; the 2.2 criteria axe cannot
// judge are asserted by hand in the journeys (support/wcag22.ts). A failure lists each violation with
// the elements it found, so it can be fixed.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { smallTargets } from './wcag22.js';

export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, `accessibility of ${where}`).toEqual([]);
  expect(results.passes.length, `axe ran its checks on ${where}`).toBeGreaterThan(10);
  // WCAG 2.5.8 by measurement on a phone-sized screen, where fingers press: axe's target-size rule
  // passes a small target with enough space around it; here every target is 24×24 CSS px itself.
  const width = page.viewportSize()?.width ?? 1280;
  if (width <= 480)
    expect(await smallTargets(page), `targets under 24×24 px on ${where} (phone)`).toEqual([]);
}
