// An administrator edits the practice settings: name, state, time zone and the privacy officer's
// contact details. (Step durations and rule settings live in practices.settings, edited elsewhere.)
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import type { privacyOfficerSchema, stateField, timeZoneField } from './create-practice.js';
import { authorize, practiceOf } from './user-records.js';

export interface UpdatePracticeInput {
  name?: string | undefined;
  state?: z.infer<typeof stateField> | undefined;
  timeZone?: z.infer<typeof timeZoneField> | undefined;
  privacyOfficer?: z.infer<typeof privacyOfficerSchema> | undefined;
}

export async function updatePractice(ctx: Ctx, input: UpdatePracticeInput): Promise<void> {
  authorize(ctx, 'manage_settings');
  const practiceId = practiceOf(ctx);
  const [current] = await ctx.tx.select().from(practices).where(eq(practices.id, practiceId)).for('update');
  if (!current) throw new NotFoundError('practice', { practiceId });
  const next = {
    name: input.name ?? current.name,
    state: input.state ?? current.state,
    timeZone: input.timeZone ?? current.timeZone,
    privacyOfficerName: pick(input.privacyOfficer?.name, current.privacyOfficerName),
    privacyOfficerEmail: pick(input.privacyOfficer?.email, current.privacyOfficerEmail),
    privacyOfficerPhone: pick(input.privacyOfficer?.phone, current.privacyOfficerPhone),
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(next) as (keyof typeof next)[]) {
    if (next[key] !== current[key]) changes[key] = { from: current[key], to: next[key] };
  }
  if (Object.keys(changes).length === 0) return;
  await ctx.tx.update(practices).set(next).where(eq(practices.id, practiceId));
  record(ctx, { type: 'practice.updated', data: { changes } });
}

/** undefined keeps the current value; null (or an empty string) clears it. */
function pick(given: string | null | undefined, current: string | null): string | null {
  if (given === undefined) return current;
  return given === null || given === '' ? null : given;
}
