// Time-zone and business-day arithmetic for the two clocks of a request (rules TIME-1, TIME-2,
// TIME-5, TIME-6). No dependency: time zones come from Intl.DateTimeFormat, so daylight-saving
// changes follow the IANA database the runtime ships. A "local date" is 'YYYY-MM-DD' in the
// practice's time zone; a due date means the end of that local day (TIME-1).
import { isAccessKind, isLegalProcessKind, type RequestKind } from './request-kinds.js';

export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? Number.NaN,
    month: parts.month ?? Number.NaN,
    day: parts.day ?? Number.NaN,
    hour: parts.hour ?? Number.NaN,
    minute: parts.minute ?? Number.NaN,
    second: parts.second ?? Number.NaN,
  };
}

function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
function offsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  return utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second) - Math.floor(instantMs / 1000) * 1000;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYmd(year: number, month: number, day: number): LocalDate {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function assertInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid instant');
  return ms;
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(utcMs(year, month, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Midnight UTC of a local date: a day number for calendar arithmetic, never an instant. */
function dayNumber(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return utcMs(year, month, day);
}

function fromDayNumber(ms: number): LocalDate {
  const d = new Date(ms);
  return formatYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The calendar date of an instant in the time zone ('YYYY-MM-DD'). */
export function localDate(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(assertInstant(instant), timeZone);
  return formatYmd(w.year, w.month, w.day);
}

export function addCalendarDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`Whole days only: ${n}`);
  return fromDayNumber(dayNumber(date) + n * DAY_MS);
}

/** Whole calendar days from one date to another (negative when `to` is earlier). */
export function calendarDaysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((dayNumber(to) - dayNumber(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(dayNumber(date)).getUTCDay();
}

/** Days the practice is closed ('YYYY-MM-DD'): step clocks skip them like weekends (TIME-6). */
export type Holidays = ReadonlySet<LocalDate>;

export const NO_HOLIDAYS: Holidays = new Set<LocalDate>();

/** Monday to Friday, except the practice's holidays (rule TIME-6). */
export function isBusinessDay(date: LocalDate, holidays: Holidays = NO_HOLIDAYS): boolean {
  const dow = dayOfWeek(date);
  return dow >= 1 && dow <= 5 && !holidays.has(date);
}

/** The first instant of a local day (at the moment of the change when midnight is skipped). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const guess = dayNumber(date);
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((delta) => offsetMs(guess + delta, timeZone)));
  const candidates = [...offsets].map((offset) => guess - offset);
  const onDate = candidates.filter((t) => localDate(new Date(t), timeZone) === date);
  return new Date(onDate.length > 0 ? Math.min(...onDate) : guess - offsetMs(guess, timeZone));
}

/** The last millisecond of a local day: 23:59:59.999 local, whatever the day's length. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(startOfLocalDay(addCalendarDays(date, 1), timeZone).getTime() - 1);
}

/** Business days d with from < d <= to (0 when `to` is not after `from`). */
export function businessDaysBetween(
  from: LocalDate,
  to: LocalDate,
  holidays: Holidays = NO_HOLIDAYS,
): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (isBusinessDay(d, holidays)) count++;
  }
  return count;
}

function assertDays(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A whole, non-negative number of days: ${n}`);
}

/**
 * The end of the nth business day after the local date of `from` (n = 0: the end of that same
 * local day, used when a step is compressed to "today").
 */
export function addBusinessDays(
  from: Date,
  n: number,
  timeZone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  assertDays(n);
  let date = localDate(from, timeZone);
  for (let left = n; left > 0; ) {
    date = addCalendarDays(date, 1);
    if (isBusinessDay(date, holidays)) left--;
  }
  return endOfLocalDay(date, timeZone);
}

export type DueBasis = 'law' | 'document' | 'target';

export interface LegalDueOptions {
  /** The return or compliance date entered from a subpoena or order (KIND-4, KIND-5). */
  returnOrComplianceDate?: LocalDate | null;
  /** The practice's target for kinds without a legal date, in calendar days. */
  practiceTargetDays: number;
  /** The access deadline in calendar days; 30 under HIPAA, shorter in some state packs (TIME-3). */
  accessCalendarDays?: number;
}

export type LegalDueResult =
  | { ok: true; dueAt: Date; basis: DueBasis; rule: 'TIME-2' | 'TIME-5' }
  | { ok: false; rule: 'TIME-5'; field: 'returnOrComplianceDate'; message: string };

export const HIPAA_ACCESS_CALENDAR_DAYS = 30;

/** The request's legal clock: it starts at receipt and never pauses (TIME-1). */
export function legalDue(
  kind: RequestKind,
  receivedAt: Date,
  timeZone: string,
  options: LegalDueOptions,
): LegalDueResult {
  const received = localDate(receivedAt, timeZone);
  if (isAccessKind(kind)) {
    // rule TIME-2: act within 30 calendar days of receipt, end of day in the practice's zone.
    const days = options.accessCalendarDays ?? HIPAA_ACCESS_CALENDAR_DAYS;
    assertDays(days);
    return {
      ok: true,
      dueAt: endOfLocalDay(addCalendarDays(received, days), timeZone),
      basis: 'law',
      rule: 'TIME-2',
    };
  }
  if (isLegalProcessKind(kind)) {
    // rule TIME-5: a subpoena or order carries its own return or compliance date.
    const date = options.returnOrComplianceDate;
    if (!date || !isLocalDate(date)) {
      return {
        ok: false,
        rule: 'TIME-5',
        field: 'returnOrComplianceDate',
        message: date
          ? 'The return or compliance date must be a date (YYYY-MM-DD).'
          : 'Enter the return or compliance date from the subpoena or order.',
      };
    }
    return { ok: true, dueAt: endOfLocalDay(date, timeZone), basis: 'document', rule: 'TIME-5' };
  }
  // rule TIME-5: other kinds get a practice target, labelled as a target, not a legal date.
  assertDays(options.practiceTargetDays);
  return {
    ok: true,
    dueAt: endOfLocalDay(addCalendarDays(received, options.practiceTargetDays), timeZone),
    basis: 'target',
    rule: 'TIME-5',
  };
}

/**
 * A step's due date (TIME-6): `stepBusinessDays` from now, never after the legal due date. When the
 * business days left before the legal date are fewer than the days still planned (this step and
 * the ones after it), every step is compressed in proportion, down to "by the end of today".
 */
export function stepDueAt(
  now: Date,
  stepBusinessDays: number,
  remainingPlannedBusinessDays: number,
  legalDueAt: Date | null,
  timeZone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  assertDays(stepBusinessDays);
  assertDays(remainingPlannedBusinessDays);
  if (!legalDueAt) return addBusinessDays(now, stepBusinessDays, timeZone, holidays);
  const window = businessDaysBetween(localDate(now, timeZone), localDate(legalDueAt, timeZone), holidays);
  const planned = Math.max(remainingPlannedBusinessDays, stepBusinessDays);
  const days = window >= planned ? stepBusinessDays : Math.floor((stepBusinessDays * window) / planned);
  const due = addBusinessDays(now, days, timeZone, holidays);
  return due.getTime() > legalDueAt.getTime() ? new Date(legalDueAt.getTime()) : due;
}

/**
 * The step clock pauses while a task waits on the requester (TIME-1): on resuming, the step's due
 * date moves by the business days spent waiting, still never past the legal due date.
 */
export function resumedStepDueAt(
  stepDueAt: Date,
  waitingSince: Date,
  resumedAt: Date,
  legalDueAt: Date | null,
  timeZone: string,
  holidays: Holidays = NO_HOLIDAYS,
): Date {
  const paused = businessDaysBetween(
    localDate(waitingSince, timeZone),
    localDate(resumedAt, timeZone),
    holidays,
  );
  const due =
    paused === 0 ? new Date(stepDueAt.getTime()) : addBusinessDays(stepDueAt, paused, timeZone, holidays);
  return legalDueAt && due.getTime() > legalDueAt.getTime() ? new Date(legalDueAt.getTime()) : due;
}

/** Calendar days from today to the due date, in the zone (0 = due today, negative = overdue). */
export function daysLeft(now: Date, dueAt: Date, timeZone: string): number {
  return calendarDaysBetween(localDate(now, timeZone), localDate(dueAt, timeZone));
}

/** "Tue 1 Dec", with the year when it is not `currentYear`. */
export function formatLocalDate(date: LocalDate, currentYear?: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const text = `${WEEKDAYS[dayOfWeek(date)]} ${day} ${MONTHS[month - 1]}`;
  return currentYear === undefined || currentYear === year ? text : `${text} ${year}`;
}

function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days > 1) return `in ${days} days`;
  return days === -1 ? '1 day overdue' : `${-days} days overdue`;
}

/** "Tue 1 Dec (in 3 days)", in the practice's time zone (ux.md). */
export function formatDue(now: Date, dueAt: Date, timeZone: string): string {
  const today = localDate(now, timeZone);
  const due = localDate(dueAt, timeZone);
  return `${formatLocalDate(due, Number(today.slice(0, 4)))} (${relativeDays(calendarDaysBetween(today, due))})`;
}
