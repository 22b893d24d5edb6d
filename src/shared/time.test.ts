import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  calendarDaysBetween,
  daysLeft,
  endOfLocalDay,
  formatDue,
  formatLocalDate,
  isBusinessDay,
  isLocalDate,
  isValidTimeZone,
  legalDue,
  localDate,
  NO_HOLIDAYS,
  resumedStepDueAt,
  startOfLocalDay,
  stepDueAt,
} from './time.js';

const LA = 'America/Los_Angeles';
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('local dates', () => {
  it.each([
    ['2026-10-16T06:30:00Z', LA, '2026-10-15'], // 23:30 PDT
    ['2026-10-16T07:00:00Z', LA, '2026-10-16'], // 00:00 PDT
    ['2026-10-16T03:30:00Z', NY, '2026-10-15'], // 23:30 EDT
    ['2026-10-16T04:00:00Z', NY, '2026-10-16'],
    ['2026-03-08T09:59:59Z', LA, '2026-03-08'], // 01:59:59 PST, just before spring-forward
    ['2026-03-08T10:00:00Z', LA, '2026-03-08'], // 03:00 PDT
    ['2026-11-01T08:30:00Z', LA, '2026-11-01'], // 01:30 PDT (first pass)
    ['2026-11-01T09:30:00Z', LA, '2026-11-01'], // 01:30 PST (second pass)
    ['2026-12-31T23:59:59Z', 'UTC', '2026-12-31'],
    ['2026-06-30T18:30:00Z', 'Asia/Kolkata', '2026-07-01'],
  ])('TIME-1: %s in %s is local date %s', (iso, tz, expected) => {
    expect(localDate(at(iso), tz)).toBe(expected);
  });

  it.each([
    ['2026-03-08', LA, '2026-03-08T08:00:00.000Z', '2026-03-09T06:59:59.999Z', 23],
    ['2026-11-01', LA, '2026-11-01T07:00:00.000Z', '2026-11-02T07:59:59.999Z', 25],
    ['2026-03-08', NY, '2026-03-08T05:00:00.000Z', '2026-03-09T03:59:59.999Z', 23],
    ['2026-11-01', NY, '2026-11-01T04:00:00.000Z', '2026-11-02T04:59:59.999Z', 25],
    ['2026-11-14', LA, '2026-11-14T08:00:00.000Z', '2026-11-15T07:59:59.999Z', 24],
    ['2026-07-04', 'UTC', '2026-07-04T00:00:00.000Z', '2026-07-04T23:59:59.999Z', 24],
    // midnight itself is skipped or repeated in these zones
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-07T02:59:59.999Z', 23],
    ['2026-04-04', 'America/Santiago', '2026-04-04T03:00:00.000Z', '2026-04-05T03:59:59.999Z', 25],
  ])('TIME-1: %s in %s runs from %s to %s (%i hours)', (date, tz, start, end, hours) => {
    expect(startOfLocalDay(date, tz).toISOString()).toBe(start);
    expect(endOfLocalDay(date, tz).toISOString()).toBe(end);
    expect((endOfLocalDay(date, tz).getTime() + 1 - startOfLocalDay(date, tz).getTime()) / 3_600_000).toBe(
      hours,
    );
  });

  it.each([LA, NY, 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'])(
    'TIME-1: every day of 2026 in %s ends on its own date, the next millisecond on the next',
    (tz) => {
      for (let d = '2026-01-01'; d <= '2026-12-31'; d = addCalendarDays(d, 1)) {
        const end = endOfLocalDay(d, tz);
        expect(localDate(end, tz)).toBe(d);
        expect(localDate(new Date(end.getTime() + 1), tz)).toBe(addCalendarDays(d, 1));
      }
    },
  );

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-07', 2, '2026-03-09'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-10-15', 30, '2026-11-14'],
    ['2026-10-15', 0, '2026-10-15'],
  ])('addCalendarDays(%s, %i) is %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
    expect(calendarDaysBetween(date, expected)).toBe(n);
  });

  it.each([
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['26-01-01', false],
    ['2028-02-29', true],
    ['2026-10-15', true],
    ['2026-10-15T00:00', false],
  ])('isLocalDate(%s) is %s', (value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });

  it('rejects impossible dates, fractional days and unknown zones', () => {
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-02-01', 1.5)).toThrow(RangeError);
    expect(() => localDate(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDate(new Date(Number.NaN), LA)).toThrow(RangeError);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone(LA)).toBe(true);
  });
});

describe('business days', () => {
  it.each([
    ['2026-10-12', true], // Mon
    ['2026-10-16', true], // Fri
    ['2026-10-17', false], // Sat
    ['2026-10-18', false], // Sun
    ['2026-03-08', false], // Sun, spring-forward
  ])('isBusinessDay(%s) is %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['2026-10-16', '2026-10-19', 1], // Fri -> Mon
    ['2026-10-12', '2026-10-16', 4],
    ['2026-10-15', '2026-11-14', 21],
    ['2026-10-15', '2026-10-15', 0],
    ['2026-10-20', '2026-10-15', 0],
    ['2026-10-17', '2026-10-18', 0],
  ])('businessDaysBetween(%s, %s) is %i', (from, to, expected) => {
    expect(businessDaysBetween(from, to)).toBe(expected);
  });

  it.each([
    ['Thu 10:00 PDT, 1 day', '2026-10-15T17:00:00Z', 1, LA, '2026-10-17T06:59:59.999Z'],
    ['Thu 10:00 PDT, 2 days over the weekend', '2026-10-15T17:00:00Z', 2, LA, '2026-10-20T06:59:59.999Z'],
    ['Thu 23:30 PDT counts as Thursday', '2026-10-16T06:30:00Z', 1, LA, '2026-10-17T06:59:59.999Z'],
    [
      'Fri noon PDT, 1 day lands after fall-back (PST)',
      '2026-10-30T19:00:00Z',
      1,
      LA,
      '2026-11-03T07:59:59.999Z',
    ],
    [
      'Fri noon EST, 1 day lands after spring-forward (EDT)',
      '2026-03-06T17:00:00Z',
      1,
      NY,
      '2026-03-10T03:59:59.999Z',
    ],
    ['Saturday, 1 day is Monday', '2026-10-17T17:00:00Z', 1, LA, '2026-10-20T06:59:59.999Z'],
    ['0 days is the end of the same local day', '2026-10-17T17:00:00Z', 0, LA, '2026-10-18T06:59:59.999Z'],
    ['Mon, 5 days is next Mon', '2026-10-12T17:00:00Z', 5, LA, '2026-10-20T06:59:59.999Z'],
  ])('TIME-1: addBusinessDays — %s', (_title, from, n, tz, expected) => {
    expect(addBusinessDays(at(from), n, tz).toISOString()).toBe(expected);
  });

  it('refuses a negative or fractional number of business days', () => {
    expect(() => addBusinessDays(at('2026-10-15T17:00:00Z'), -1, LA)).toThrow(RangeError);
    expect(() => addBusinessDays(at('2026-10-15T17:00:00Z'), 0.5, LA)).toThrow(RangeError);
  });
});

describe('legal due date', () => {
  const options = { practiceTargetDays: 14 };

  it.each([
    ['client_access', '2026-10-15T17:00:00Z', LA, '2026-11-15T07:59:59.999Z'],
    ['client_access', '2026-10-16T06:30:00Z', LA, '2026-11-15T07:59:59.999Z'], // 23:30 local on the 15th
    ['client_access', '2026-10-16T07:30:00Z', LA, '2026-11-16T07:59:59.999Z'], // 00:30 local on the 16th
    ['client_directed', '2026-10-15T17:00:00Z', NY, '2026-11-15T04:59:59.999Z'],
    ['representative', '2026-02-06T20:00:00Z', LA, '2026-03-09T06:59:59.999Z'], // due on the spring-forward day
    ['representative', '2026-02-06T20:00:00Z', NY, '2026-03-09T03:59:59.999Z'],
    ['client_access', '2026-10-02T20:00:00Z', NY, '2026-11-02T04:59:59.999Z'], // due on the fall-back day
  ] as const)(
    'TIME-2: %s received %s in %s is due %s (30 calendar days, end of day)',
    (kind, received, tz, due) => {
      expect(legalDue(kind, at(received), tz, options)).toEqual({
        ok: true,
        dueAt: at(due),
        basis: 'law',
        rule: 'TIME-2',
      });
    },
  );

  it('TIME-2: the access deadline is 30 days unless a rule pack shortens it (TIME-3)', () => {
    const result = legalDue('client_access', at('2026-10-15T17:00:00Z'), LA, {
      ...options,
      accessCalendarDays: 15,
    });
    expect(result).toMatchObject({ ok: true, dueAt: at('2026-10-31T06:59:59.999Z'), basis: 'law' });
  });

  it.each(['subpoena', 'court_order'] as const)(
    'TIME-5: %s is due at the end of the entered date',
    (kind) => {
      const result = legalDue(kind, at('2026-10-15T17:00:00Z'), LA, {
        ...options,
        returnOrComplianceDate: '2026-11-20',
      });
      expect(result).toEqual({
        ok: true,
        dueAt: at('2026-11-21T07:59:59.999Z'),
        basis: 'document',
        rule: 'TIME-5',
      });
    },
  );

  it.each([
    ['subpoena', undefined, 'Enter the return or compliance date from the subpoena or order.'],
    ['court_order', null, 'Enter the return or compliance date from the subpoena or order.'],
    ['subpoena', '', 'Enter the return or compliance date from the subpoena or order.'],
    ['court_order', '2026-02-30', 'The return or compliance date must be a date (YYYY-MM-DD).'],
  ] as const)('TIME-5: %s without a valid date (%j) is an error result', (kind, date, message) => {
    expect(
      legalDue(kind, at('2026-10-15T17:00:00Z'), LA, { ...options, returnOrComplianceDate: date }),
    ).toEqual({ ok: false, rule: 'TIME-5', field: 'returnOrComplianceDate', message });
  });

  it.each(['authorization', 'provider_continuity', 'other_legal'] as const)(
    'TIME-5: %s gets the practice target, labelled as a target',
    (kind) => {
      expect(legalDue(kind, at('2026-10-16T06:30:00Z'), LA, options)).toEqual({
        ok: true,
        dueAt: at('2026-10-30T06:59:59.999Z'),
        basis: 'target',
        rule: 'TIME-5',
      });
    },
  );

  it('TIME-5: a negative practice target is a programming error', () => {
    expect(() =>
      legalDue('authorization', at('2026-10-15T17:00:00Z'), LA, { practiceTargetDays: -1 }),
    ).toThrow(RangeError);
  });
});

describe('step due dates', () => {
  const now = at('2026-10-15T17:00:00Z'); // Thu 10:00 PDT
  const legal = at('2026-11-15T07:59:59.999Z'); // end of Sat 14 Nov PST: 21 business days away

  it.each([
    ['plenty of time: the full step', 3, 14, legal, '2026-10-21T06:59:59.999Z'],
    ['no legal date: the full step', 3, 14, null, '2026-10-21T06:59:59.999Z'],
    [
      'window 5 of 14 planned: 3 days become 1',
      3,
      14,
      at('2026-10-23T06:59:59.999Z'),
      '2026-10-17T06:59:59.999Z',
    ],
    [
      'window 5 of 10 planned: 5 days become 2',
      5,
      10,
      at('2026-10-23T06:59:59.999Z'),
      '2026-10-20T06:59:59.999Z',
    ],
    [
      'window 1 of 14: compressed to the same day',
      3,
      14,
      at('2026-10-17T06:59:59.999Z'),
      '2026-10-16T06:59:59.999Z',
    ],
    ['due today: the same day', 2, 4, at('2026-10-16T06:59:59.999Z'), '2026-10-16T06:59:59.999Z'],
    [
      'legal date already passed: the legal date',
      2,
      4,
      at('2026-10-10T06:59:59.999Z'),
      '2026-10-10T06:59:59.999Z',
    ],
    ['legal date mid-day: never after it', 1, 1, at('2026-10-16T19:00:00Z'), '2026-10-16T19:00:00.000Z'],
    [
      'window equals the plan: no compression',
      2,
      5,
      at('2026-10-23T06:59:59.999Z'),
      '2026-10-20T06:59:59.999Z',
    ],
    ['remaining smaller than the step is read as the step', 3, 1, legal, '2026-10-21T06:59:59.999Z'],
  ] as const)('TIME-6: %s', (_title, step, remaining, legalDueAt, expected) => {
    const due = stepDueAt(now, step, remaining, legalDueAt, LA);
    expect(due.toISOString()).toBe(expected);
    if (legalDueAt) expect(due.getTime()).toBeLessThanOrEqual(legalDueAt.getTime());
  });

  it('TIME-6: a step across the fall-back change ends at local midnight (PST)', () => {
    const fri = at('2026-10-30T19:00:00Z');
    expect(stepDueAt(fri, 1, 7, at('2026-12-01T07:59:59.999Z'), LA).toISOString()).toBe(
      '2026-11-03T07:59:59.999Z',
    );
  });

  it.each([
    [
      'two business days waiting move the due date by two',
      '2026-10-15T17:00:00Z',
      '2026-10-19T17:00:00Z',
      null,
      '2026-10-23T06:59:59.999Z',
    ],
    [
      'waiting within one day moves nothing',
      '2026-10-15T17:00:00Z',
      '2026-10-15T22:00:00Z',
      null,
      '2026-10-21T06:59:59.999Z',
    ],
    [
      'a weekend of waiting moves nothing',
      '2026-10-16T23:00:00Z',
      '2026-10-18T17:00:00Z',
      null,
      '2026-10-21T06:59:59.999Z',
    ],
    [
      'never past the legal date',
      '2026-10-15T17:00:00Z',
      '2026-10-19T17:00:00Z',
      at('2026-10-22T06:59:59.999Z'),
      '2026-10-22T06:59:59.999Z',
    ],
  ] as const)('TIME-1: resuming a paused step — %s', (_title, since, resumed, legalDueAt, expected) => {
    const stepDue = at('2026-10-21T06:59:59.999Z'); // end of Tue 20 Oct
    expect(resumedStepDueAt(stepDue, at(since), at(resumed), legalDueAt, LA).toISOString()).toBe(expected);
  });
});

describe('showing due dates', () => {
  const due = at('2026-11-15T07:59:59.999Z'); // end of Sat 14 Nov, LA

  it.each([
    ['2026-11-11T17:00:00Z', 3],
    ['2026-11-15T07:59:00Z', 0], // 23:59 on the due day
    ['2026-11-15T08:30:00Z', -1], // 00:30 the next day
    ['2026-10-15T17:00:00Z', 30],
    ['2026-11-21T17:00:00Z', -7],
  ])('TIME-1: from %s there are %i days left', (now, expected) => {
    expect(daysLeft(at(now), due, LA)).toBe(expected);
  });

  it('TIME-1: days left follow the zone, not UTC', () => {
    const now = at('2026-11-15T06:00:00Z'); // 22:00 Sat in LA, 01:00 Sun in NY
    expect(daysLeft(now, due, LA)).toBe(0);
    expect(daysLeft(now, at('2026-11-15T04:59:59.999Z'), NY)).toBe(-1);
  });

  it.each([
    ['2026-11-28T20:00:00Z', '2026-12-02T07:59:59.999Z', 'Tue 1 Dec (in 3 days)'],
    ['2026-12-01T20:00:00Z', '2026-12-02T07:59:59.999Z', 'Tue 1 Dec (today)'],
    ['2026-11-30T20:00:00Z', '2026-12-02T07:59:59.999Z', 'Tue 1 Dec (tomorrow)'],
    ['2026-12-02T20:00:00Z', '2026-12-02T07:59:59.999Z', 'Tue 1 Dec (1 day overdue)'],
    ['2026-12-04T20:00:00Z', '2026-12-02T07:59:59.999Z', 'Tue 1 Dec (3 days overdue)'],
    ['2026-12-20T20:00:00Z', '2027-01-20T07:59:59.999Z', 'Tue 19 Jan 2027 (in 30 days)'],
  ])('formatDue from %s to %s reads "%s"', (now, dueAt, expected) => {
    expect(formatDue(at(now), at(dueAt), LA)).toBe(expected);
  });

  it('formats a local date with the year only when asked for a different one', () => {
    expect(formatLocalDate('2026-03-08')).toBe('Sun 8 Mar');
    expect(formatLocalDate('2026-03-08', 2026)).toBe('Sun 8 Mar');
    expect(formatLocalDate('2026-03-08', 2025)).toBe('Sun 8 Mar 2026');
  });
});

describe("the practice's holidays", () => {
  // Thanksgiving 2026 is Thu 26 Nov; the practice also closes Fri 27 Nov.
  const holidays = new Set(['2026-11-26', '2026-11-27']);

  it('TIME-6: a holiday is not a business day; without holidays nothing changes', () => {
    expect(isBusinessDay('2026-11-26', holidays)).toBe(false);
    expect(isBusinessDay('2026-11-25', holidays)).toBe(true);
    expect(isBusinessDay('2026-11-26')).toBe(true);
    expect(isBusinessDay('2026-11-26', NO_HOLIDAYS)).toBe(true);
    expect(businessDaysBetween('2026-11-25', '2026-11-30', holidays)).toBe(1);
    expect(businessDaysBetween('2026-11-25', '2026-11-30')).toBe(3);
  });

  it.each([
    ['Wed 10:00, 1 day skips Thu/Fri and the weekend', '2026-11-25T18:00:00Z', 1, '2026-12-01T07:59:59.999Z'],
    ['Wed 10:00, 2 days', '2026-11-25T18:00:00Z', 2, '2026-12-02T07:59:59.999Z'],
    [
      'on the holiday itself, 0 days is the end of that day',
      '2026-11-26T18:00:00Z',
      0,
      '2026-11-27T07:59:59.999Z',
    ],
    ['on the holiday, 1 day is Monday', '2026-11-26T18:00:00Z', 1, '2026-12-01T07:59:59.999Z'],
  ])('TIME-6: addBusinessDays with holidays — %s', (_title, from, n, expected) => {
    expect(addBusinessDays(at(from), n, LA, holidays).toISOString()).toBe(expected);
  });

  it('TIME-6: step due dates skip holidays like weekends, still never after the legal date', () => {
    const wed = at('2026-11-25T18:00:00Z');
    expect(stepDueAt(wed, 3, 14, null, LA, holidays).toISOString()).toBe('2026-12-03T07:59:59.999Z');
    expect(stepDueAt(wed, 3, 14, null, LA).toISOString()).toBe('2026-12-01T07:59:59.999Z');
    // Legal date Tue 1 Dec: 2 business days left with the holidays (4 without), of 14 planned.
    const legal = at('2026-12-02T07:59:59.999Z');
    expect(stepDueAt(wed, 3, 14, legal, LA, holidays).toISOString()).toBe('2026-11-26T07:59:59.999Z');
  });

  it('TIME-1: a pause over holidays moves the step by business days only', () => {
    const stepDue = at('2026-11-26T07:59:59.999Z'); // end of Wed 25 Nov
    const resumed = resumedStepDueAt(
      stepDue,
      at('2026-11-25T18:00:00Z'),
      at('2026-11-30T18:00:00Z'),
      null,
      LA,
      holidays,
    );
    expect(resumed.toISOString()).toBe('2026-12-01T07:59:59.999Z'); // one business day: Mon 30 Nov
  });
});
