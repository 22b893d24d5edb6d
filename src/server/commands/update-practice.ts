// An administrator edits the practice settings: name, state, time zone, the privacy officer's
// contact details, and the [policy] rules kept in practices.settings — step durations and the
// escalation ladder (TIME-6), the practice target (TIME-5), the legal-date notices, break-glass
// minutes. Every change is audited with the keys it changed, from and to.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type PracticeSettings,
  type PracticeSettingsChange,
  parsePracticeSettings,
  practiceSettingsSchema,
  taskDurations,
} from '../../shared/schemas/practice-settings.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { privacyOfficerSchema, stateField, timeZoneField } from './create-practice.js';
import { authorize, practiceOf } from './user-records.js';

export interface UpdatePracticeInput {
  name?: string | undefined;
  state?: z.infer<typeof stateField> | undefined;
  timeZone?: z.infer<typeof timeZoneField> | undefined;
  privacyOfficer?: z.infer<typeof privacyOfficerSchema> | undefined;
  /** Only the settings given change (step durations and ladder rungs one by one). */
  settings?: PracticeSettingsChange | undefined;
}

/** Settings keys whose values are maps, merged key by key with the stored ones. */
const MERGED_MAPS = ['stepBusinessDays', 'ladderBusinessDays'] as const;

/** The stored settings with the change laid over them (undefined leaves a key alone). */
function mergeSettings(
  stored: Record<string, unknown>,
  change: PracticeSettingsChange,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    const before = stored[key];
    merged[key] =
      (MERGED_MAPS as readonly string[]).includes(key) && before && typeof before === 'object'
        ? { ...(before as Record<string, unknown>), ...(value as Record<string, unknown>) }
        : value;
  }
  return merged;
}

/** The settings in force, every step's duration included (a missing one takes its default). */
function effective(settings: PracticeSettings): Record<string, unknown> {
  return { ...settings, stepBusinessDays: taskDurations(settings) };
}

/** The settings whose effective value changed, one key per step, rung or setting. */
function settingsChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[key];
    const to = after[key];
    if ((MERGED_MAPS as readonly string[]).includes(key)) {
      Object.assign(
        changes,
        Object.fromEntries(
          Object.entries(
            settingsChanges((from ?? {}) as Record<string, unknown>, (to ?? {}) as Record<string, unknown>),
          ).map(([k, v]) => [`${key}.${k}`, v]),
        ),
      );
    } else if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[key] = { from: from ?? null, to: to ?? null };
    }
  }
  return changes;
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
  let settings = current.settings;
  if (input.settings) {
    // The merged settings must satisfy the whole schema (so the clocks never fall back to defaults).
    const merged = mergeSettings(current.settings ?? {}, input.settings);
    const parsed = practiceSettingsSchema.safeParse(merged);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        path: ['body', 'settings', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      throw new BadRequestError(
        `Please check: ${fields.map((f) => `${f.path} (${f.message})`).join('; ')}`,
        fields,
      );
    }
    const before = effective(parsePracticeSettings(current.settings));
    for (const [key, change] of Object.entries(settingsChanges(before, effective(parsed.data)))) {
      changes[`settings.${key}`] = change;
    }
    settings = merged;
  }
  if (Object.keys(changes).length === 0) return;
  await ctx.tx
    .update(practices)
    .set({ ...next, settings })
    .where(eq(practices.id, practiceId));
  record(ctx, {
    type: 'practice.updated',
    data: {
      changes,
      ...(input.settings
        ? {
            settingsChanged: Object.keys(changes)
              .filter((k) => k.startsWith('settings.'))
              .map((k) => k.slice('settings.'.length)),
          }
        : {}),
    },
  });
}

/** undefined keeps the current value; null (or an empty string) clears it. */
function pick(given: string | null | undefined, current: string | null): string | null {
  if (given === undefined) return current;
  return given === null || given === '' ? null : given;
}
