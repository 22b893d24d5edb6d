// The practice's holidays (rule TIME-6): days it is closed, skipped by step clocks like weekends.
import { asc, eq } from 'drizzle-orm';
import type { Holidays, LocalDate } from '../../shared/time.js';
import type { Db } from '../db/connect.js';
import { practiceHolidays } from '../db/schema-rules.js';

export interface Holiday {
  date: LocalDate;
  name: string;
}

export async function listHolidays(tx: Db, practiceId: string): Promise<Holiday[]> {
  return tx
    .select({ date: practiceHolidays.date, name: practiceHolidays.name })
    .from(practiceHolidays)
    .where(eq(practiceHolidays.practiceId, practiceId))
    .orderBy(asc(practiceHolidays.date));
}

/** rule TIME-6: the set the business-day arithmetic in shared/time.ts skips. */
export async function loadHolidays(tx: Db, practiceId: string): Promise<Holidays> {
  return new Set((await listHolidays(tx, practiceId)).map((h) => h.date));
}
