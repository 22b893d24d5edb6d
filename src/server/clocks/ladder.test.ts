import { describe, expect, it } from 'vitest';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import { accountingClock, checkExtension } from './extension.js';
import { businessDaysOverdue, ladderThresholds, legalNoticeDue, rungsDue } from './ladder.js';

const LA = 'America/Los_Angeles';
const at = (iso: string) => new Date(iso);
const thu = at('2026-11-06T07:59:59.999Z'); // end of Thu 5 Nov in Los Angeles

describe('the ladder, as pure functions', () => {
  it.each([
    ['2026-11-06T07:00:00Z', null], // Thu 23:00: not late
    ['2026-11-06T08:05:00Z', 0], // Fri 00:05
    ['2026-11-07T17:00:00Z', 0], // Sat
    ['2026-11-09T17:00:00Z', 1], // Mon
    ['2026-11-10T17:00:00Z', 2], // Tue
  ])('TIME-6: business days overdue at %s: %s', (now, expected) => {
    expect(businessDaysOverdue(thu, at(now), LA, new Set())).toBe(expected);
  });

  it('TIME-6: a holiday does not count as a business day overdue', () => {
    expect(businessDaysOverdue(thu, at('2026-11-09T17:00:00Z'), LA, new Set(['2026-11-09']))).toBe(0);
  });

  it('TIME-6: default thresholds 0, 1, 2, 3; a lower rung setting is read as the one before it', () => {
    expect(ladderThresholds(parsePracticeSettings({}))).toEqual({ 1: 0, 2: 1, 3: 2, 4: 3 });
    const odd = parsePracticeSettings({
      ladderBusinessDays: { assignee: 2, supervisor: 1, secondSupervisor: 5, privacyOfficer: 0 },
    });
    expect(ladderThresholds(odd)).toEqual({ 1: 2, 2: 2, 3: 5, 4: 5 });
  });

  it('TIME-6: rungs for a named assignee, a one-supervisor chain, no chain, a queue and the privacy officer queue', () => {
    const th = { 1: 0, 2: 1, 3: 2, 4: 3 } as const;
    const lv = (r: { level: number }[]) => r.map((x) => x.level);
    expect(lv(rungsDue({ assigneeId: 'a', assigneeRole: null }, ['s', 'd'], 3, th))).toEqual([1, 2, 3, 4]);
    expect(lv(rungsDue({ assigneeId: 'a', assigneeRole: null }, ['s', 'd'], 1, th))).toEqual([1, 2]);
    expect(rungsDue({ assigneeId: 'a', assigneeRole: null }, ['s'], 2, th).map((x) => x.notify)).toEqual([
      { userId: 'a' },
      { userId: 's' },
      { role: 'privacy_officer' },
    ]);
    expect(lv(rungsDue({ assigneeId: 'a', assigneeRole: null }, [], 1, th))).toEqual([1, 4]);
    expect(rungsDue({ assigneeId: null, assigneeRole: 'support' }, [], 1, th).map((x) => x.notify)).toEqual([
      { role: 'support' },
      { role: 'privacy_officer' },
    ]);
    expect(lv(rungsDue({ assigneeId: null, assigneeRole: 'privacy_officer' }, [], 9, th))).toEqual([1]);
  });

  it('TIME-6: the legal-date notice is the tightest threshold reached, once; then "passed"', () => {
    expect(legalNoticeDue(6, false, [5, 1], new Set())).toBeNull();
    expect(legalNoticeDue(5, false, [5, 1], new Set())).toBe('5');
    expect(legalNoticeDue(3, false, [5, 1], new Set(['5']))).toBeNull();
    expect(legalNoticeDue(0, false, [5, 1], new Set())).toBe('1');
    expect(legalNoticeDue(1, false, [5, 1], new Set(['5']))).toBe('1');
    expect(legalNoticeDue(3, false, [5, 1], new Set(['1']))).toBeNull();
    expect(legalNoticeDue(-1, true, [5, 1], new Set(['5', '1']))).toBe('passed');
    expect(legalNoticeDue(-2, true, [5, 1], new Set(['passed']))).toBeNull();
  });
});

describe('the clock shape of an accounting of disclosures (for the accounting work)', () => {
  it('60 days from receipt, one extension of at most 30 days, before the date', () => {
    const clock = accountingClock(at('2026-11-02T17:00:00Z'), LA);
    expect(clock).toMatchObject({ rule: 'TIME-4', dueAt: at('2027-01-02T07:59:59.999Z') }); // end of Fri 1 Jan
    expect(checkExtension(clock, '2027-02-01', at('2026-12-01T17:00:00Z'), LA)).toMatchObject({
      ok: false,
      status: 400,
    });
    const ok = checkExtension(clock, '2027-01-31', at('2026-12-01T17:00:00Z'), LA);
    expect(ok).toEqual({ ok: true, newDueAt: at('2027-02-01T07:59:59.999Z'), from: clock.dueAt });
    const late = checkExtension(clock, '2027-01-31', at('2027-01-02T09:00:00Z'), LA);
    expect(late).toMatchObject({ ok: false, status: 409 });
    const twice = checkExtension(
      { ...clock, extendedAt: at('2026-12-01T17:00:00Z') },
      '2027-01-20',
      at('2026-12-02T17:00:00Z'),
      LA,
    );
    expect(twice).toMatchObject({ ok: false, status: 409, message: expect.stringContaining('TIME-4') });
  });
});
