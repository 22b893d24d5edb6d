// The one extension a legal clock may take, with its written notice: access requests (rule TIME-2:
// 30 days, one extension of up to 30 more, decided before the first date passes) and accounting
// requests (rule TIME-4: 60 days, one 30-day extension). Pure checks; the commands apply them.
import { isAccessKind, type RequestKind } from '../../shared/request-kinds.js';
import {
  addCalendarDays,
  calendarDaysBetween,
  endOfLocalDay,
  type LocalDate,
  localDate,
} from '../../shared/time.js';

/** rule TIME-2, TIME-4: at most 30 days past the original date. */
export const EXTENSION_MAX_DAYS = 30;
/** rule TIME-4: an accounting of disclosures is due 60 days after the request. */
export const ACCOUNTING_CALENDAR_DAYS = 60;

/** rule TIME-2: only access requests (KIND-1, KIND-2, KIND-6) have the extension. */
export function isExtendable(kind: RequestKind): boolean {
  return isAccessKind(kind);
}

/** The shape of an extendable legal clock. */
export interface ExtendableClock {
  rule: 'TIME-2' | 'TIME-4';
  /** The current due date (the end of a local day). */
  dueAt: Date;
  /** The first due date, kept once extended. */
  originalDueAt: Date | null;
  extendedAt: Date | null;
}

/** rule TIME-4: the accounting clock, 60 calendar days from receipt, end of day in the practice's zone. */
export function accountingClock(receivedAt: Date, timeZone: string): ExtendableClock {
  const due = addCalendarDays(localDate(receivedAt, timeZone), ACCOUNTING_CALENDAR_DAYS);
  return { rule: 'TIME-4', dueAt: endOfLocalDay(due, timeZone), originalDueAt: null, extendedAt: null };
}

export type ExtensionCheck =
  | { ok: true; newDueAt: Date; from: Date }
  | { ok: false; status: 409 | 400; message: string };

/**
 * May this clock be extended to the end of `newDueDate`? Once only (409), only while the current
 * date has not passed (409), to a later date (400) at most 30 days after the original one (400).
 */
export function checkExtension(
  clock: ExtendableClock,
  newDueDate: LocalDate,
  now: Date,
  timeZone: string,
): ExtensionCheck {
  const rule = clock.rule;
  if (clock.extendedAt) {
    return {
      ok: false,
      status: 409,
      message: `This deadline was already extended once; the law allows one extension only (${rule}).`,
    };
  }
  if (now.getTime() > clock.dueAt.getTime()) {
    return {
      ok: false,
      status: 409,
      message: `The deadline has passed: an extension must be decided and sent before it (${rule}).`,
    };
  }
  const original = localDate(clock.originalDueAt ?? clock.dueAt, timeZone);
  const current = localDate(clock.dueAt, timeZone);
  if (newDueDate <= current) {
    return {
      ok: false,
      status: 400,
      message: `The new date must be after the current due date, ${current}.`,
    };
  }
  if (calendarDaysBetween(original, newDueDate) > EXTENSION_MAX_DAYS) {
    return {
      ok: false,
      status: 400,
      message: `The new date can be at most ${EXTENSION_MAX_DAYS} days after the original due date (${addCalendarDays(original, EXTENSION_MAX_DAYS)}) (${rule}).`,
    };
  }
  return { ok: true, newDueAt: endOfLocalDay(newDueDate, timeZone), from: clock.dueAt };
}
