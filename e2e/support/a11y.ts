// Issue 4: every main page passes an axe-core check with no serious or critical violation (WCAG 2.1
// A and AA rules). A failure lists each violation with the elements it found, so it can be fixed.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, `accessibility of ${where}`).toEqual([]);
  expect(results.passes.length, `axe ran its checks on ${where}`).toBeGreaterThan(10);
}
