// The bench report's statistics and formatting (no timings are asserted anywhere: the figures
// themselves live in bench/results/, never in a test).
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/args.js';
import { type AuditPathFigures, auditPathBody } from '../../bench/audit-reads.js';
import { percentile, ratioOf, summarize } from '../../bench/stats.js';
import { routesBody } from '../../bench/summary.js';
import { ratio, renderTable } from '../../bench/table.js';

describe('bench statistics', () => {
  it('p50 and p99 are nearest-rank percentiles of the unsorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('p99 of 1,000 values is the 990th smallest, not an interpolation', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1).reverse();
    expect(summarize(values)).toEqual({ count: 1000, p50: 500, p99: 990, max: 1000 });
  });

  it('a ratio divides a by b and is undefined (printed as -) for a zero or missing divisor', () => {
    expect(ratioOf(300, 1200)).toBe(0.25);
    expect(ratioOf(1, 0)).toBeNaN();
    expect(ratioOf(Number.NaN, 2)).toBeNaN();
    expect(ratio(300, 1200)).toBe('0.25x');
    expect(ratio(1500, 100)).toBe('15.0x');
    expect(ratio(1, 0)).toBe('-');
  });
});

describe('bench report formatting', () => {
  it('renders a Markdown table with right-aligned number columns and escaped pipes', () => {
    const t = renderTable(
      [{ title: 'route' }, { title: 'req/s', align: 'right' }],
      [
        ['a|b', '12'],
        ['c', '1 234'],
      ],
    );
    expect(t.split('\n')).toEqual([
      '| route | req/s |',
      '| ----- | ----: |',
      '| a\\|b  |    12 |',
      '| c     | 1 234 |',
    ]);
  });

  it("puts each route beside the bare route's figures of the same size, and the growth between sizes", () => {
    const f = (rps: number, p50: number, p99: number) => ({ rps, p50, p99, requests: rps * 10, seconds: 10 });
    const size = (requests: number, details: number) => ({
      requests,
      auditRows: requests * 10,
      queueCards: 3,
      listTotal: requests,
      routes: {
        bare: f(10_000, 1, 2),
        details: f(details, 10, 40),
        // A route too slow for the window is timed by count, and marked so.
        queue: { ...f(2.5, 4000, 8000), by: 'count' as const },
        list: f(200, 20, 60),
      },
      alone: { details: 12.5 },
    });
    const md = routesBody([size(1000, 500), size(100_000, 250)], 10, 10);
    const line = (needle: string) => md.split('\n').filter((l) => l.includes(needle));
    // details at 1,000: bare 10,000 / 500 req/s = 20.0x, p50 10 / 1 ms = 10.0x, p99 40 / 2 ms = 20.0x
    expect(line('GET /api/requests/:id')[0]).toMatch(
      /\| +1 000 \|.*\| +500 \|.*\| +20\.0x \| +10\.0x \| +20\.0x \|/,
    );
    expect(line('GET /api/requests/:id')[0]).toMatch(/\| +12\.5 ms \|/);
    expect(line('GET /api/me/tasks')[0]).toMatch(/\| +2\.5\* \| +4 000 ms \| +8 000 ms \| +4000\.0x \|/);
    // growth: 250 / 500 req/s = 0.50x
    expect(line('GET /api/requests/:id')[2]).toMatch(/\| +500 \| +250 \| +0\.50x \|/);
  });
});

describe('the audit path section', () => {
  it('puts the batched path beside the per-read path of the same callers, and the rows per batch', () => {
    const f = (mode: AuditPathFigures['mode'], callers: number, rps: number, batches: number | null) => ({
      mode,
      callers,
      rps,
      p50: 2,
      p99: 9,
      reads: rps * 10,
      batches,
    });
    const body = auditPathBody([
      f('none', 10, 5000, null),
      f('per_read', 10, 400, null),
      f('batched', 10, 2000, 1000),
      f('per_read', 50, 500, null),
      f('batched', 50, 2500, 500),
    ]);
    const line = (label: RegExp, callers: number) =>
      body
        .split('\n')
        .find(
          (l) =>
            label.test(l) &&
            l.trimStart().startsWith(`| ${' '.repeat(7 - String(callers).length)}${callers} |`),
        );
    expect(line(/batched after the read/, 10)).toContain('5.00x');
    expect(line(/batched after the read/, 10)).toContain('(20.0 rows each)');
    expect(line(/batched after the read/, 50)).toContain('5.00x');
    expect(line(/batched after the read/, 50)).toContain('(50.0 rows each)');
    expect(line(/one append \+ commit per read/, 10)).not.toContain('x |');
  });
});

describe('bench options', () => {
  it('--quick is small; the default is the full run of 1,000 and 100,000 requests and 200 sessions for 5 minutes', () => {
    expect(parseArgs([])).toMatchObject({
      mode: 'full',
      sizes: [1000, 100_000],
      sessions: 200,
      sessionSeconds: 300,
    });
    expect(parseArgs(['--quick'])).toMatchObject({ mode: 'quick', sessionSeconds: 20 });
    expect(parseArgs(['--sizes', '5000,200'])).toMatchObject({ mode: 'custom', sizes: [200, 5000] });
    expect(() => parseArgs(['--sizes', '1e3x'])).toThrow(/--sizes/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option --bogus/);
  });
});
