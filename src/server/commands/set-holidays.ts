// rule TIME-6: an administrator sets the days the practice is closed. Step due dates computed from
// now on skip them like weekends, and the escalation ladder does not climb on them.
import { eq } from 'drizzle-orm';
import { record } from '../audit/record.js';
import { type Holiday, listHolidays } from '../clocks/holidays.js';
import type { HolidaysInput } from '../clocks/schema.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { practiceHolidays } from '../db/schema-rules.js';
import { NotFoundError } from '../errors.js';
import { authorize, practiceOf } from './user-records.js';

export async function setHolidays(ctx: Ctx, input: HolidaysInput): Promise<Holiday[]> {
  authorize(ctx, 'manage_settings');
  const practiceId = practiceOf(ctx);
  // One change at a time per practice: the practice row is the lock.
  const [practice] = await ctx.tx
    .select({ id: practices.id })
    .from(practices)
    .where(eq(practices.id, practiceId))
    .for('update');
  if (!practice) throw new NotFoundError('practice', { practiceId });
  const before = await listHolidays(ctx.tx, practiceId);
  const next = [...input.holidays].sort((a, b) => a.date.localeCompare(b.date));
  const key = (h: Holiday) => `${h.date}\u0000${h.name}`;
  const beforeKeys = new Set(before.map(key));
  const nextKeys = new Set(next.map(key));
  const added = next.filter((h) => !beforeKeys.has(key(h)));
  const removed = before.filter((h) => !nextKeys.has(key(h)));
  if (added.length === 0 && removed.length === 0) return before;
  await ctx.tx.delete(practiceHolidays).where(eq(practiceHolidays.practiceId, practiceId));
  if (next.length > 0) {
    await ctx.tx
      .insert(practiceHolidays)
      .values(next.map((h) => ({ practiceId, date: h.date, name: h.name })));
  }
  record(ctx, {
    type: 'practice.holidays_updated',
    data: { rule: 'TIME-6', added, removed, count: next.length },
  });
  return next;
}
