// Issue 4: the initial JavaScript of a page is at most 350 KB gzipped; the figure is printed on
// every `npm test` so a change that grows it is seen before it reaches the budget.
import { describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../src/server/http/web-build.js';
import { INITIAL_JS_BUDGET_BYTES, initialScripts, measureInitialJs } from './bundle-size.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('the web app bundle', () => {
  it('finds the entry script and its preloaded chunks in index.html', () => {
    const html =
      '<script type="module" crossorigin src="/assets/index-a.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">' +
      '<link rel="stylesheet" href="/assets/index-c.css">';
    expect(initialScripts(html)).toEqual(['/assets/index-a.js', '/assets/vendor-b.js']);
  });

  it('loads at most 350 KB of gzipped JavaScript before the first screen', { timeout: 120_000 }, async () => {
    await ensureWebBuild({ log: (line) => console.log(`[bundle] ${line}`) });
    const figure = measureInitialJs();
    expect(figure.files.length).toBeGreaterThan(0);
    for (const f of figure.files)
      console.log(`[bundle] ${f.name}: ${kb(f.bytes)}, ${kb(f.gzipBytes)} gzipped`);
    console.log(
      `[bundle] initial JavaScript: ${kb(figure.totalGzipBytes)} gzipped (budget ${kb(INITIAL_JS_BUDGET_BYTES)})`,
    );
    expect(figure.totalGzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });
});
