// The demo's calendar: every seeded step happens on a business day some days back from today (or
// earlier today), at a local time in the practice's time zone, so the clocks show varied days left
// when the demo opens.
import {
  addCalendarDays,
  isBusinessDay,
  type LocalDate,
  localDate,
  startOfLocalDay,
} from '../../shared/time.js';

/** `bd` business days before today (1 = the last business day before today; 0 = today), at hh:mm local time. */
export interface When {
  bd: number;
  h: number;
  m?: number;
}

export const when = (bd: number, h: number, m = 0): When => ({ bd, h, m });

export interface Calendar {
  today: LocalDate;
  year: number;
  timeZone: string;
  /** The instant of a step. */
  at(w: When): Date;
  /** A local date `days` calendar days from today (negative: before). */
  date(days: number): LocalDate;
}

export function businessDaysBack(today: LocalDate, n: number): LocalDate {
  let date = today;
  for (let left = n; left > 0; ) {
    date = addCalendarDays(date, -1);
    if (isBusinessDay(date)) left -= 1;
  }
  return date;
}

export function calendar(now: Date, timeZone: string): Calendar {
  const today = localDate(now, timeZone);
  return {
    today,
    year: Number(today.slice(0, 4)),
    timeZone,
    at: (w) => {
      const day = startOfLocalDay(businessDaysBack(today, w.bd), timeZone);
      const instant = new Date(day.getTime() + (w.h * 60 + (w.m ?? 0)) * 60_000);
      // Nothing is seeded in the future, whatever the hour the demo is first started.
      return instant.getTime() < now.getTime() ? instant : new Date(now.getTime() - 60_000);
    },
    date: (days) => addCalendarDays(today, days),
  };
}
