// The practice's own rules, kept as settings (compliance.md: [policy] rules are practice settings).
import { z } from 'zod';
import {
  DEFAULT_TASK_BUSINESS_DAYS,
  TASK_TYPES,
  type TaskDurations,
  type TaskType,
} from '../workflow-tasks.js';

const days = z.number().int().min(0).max(60);

export const practiceSettingsSchema = z.object({
  /** Step durations in business days (TIME-6); missing ones take the defaults. */
  stepBusinessDays: z.partialRecord(z.enum(TASK_TYPES), days).default({}),
  /** rule TIME-5: the practice target, in calendar days, for kinds without a legal date. */
  targetCalendarDays: z.number().int().min(1).max(365).default(30),
  /** How long a privacy officer's break-glass access lasts. */
  breakGlassMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
});

export type PracticeSettings = z.infer<typeof practiceSettingsSchema>;

export function parsePracticeSettings(raw: unknown): PracticeSettings {
  const parsed = practiceSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : practiceSettingsSchema.parse({});
}

export function taskDurations(settings: PracticeSettings): TaskDurations {
  const out = { ...DEFAULT_TASK_BUSINESS_DAYS } as Record<TaskType, number>;
  for (const type of TASK_TYPES) {
    const v = settings.stepBusinessDays[type];
    if (v !== undefined) out[type] = v;
  }
  return out;
}
