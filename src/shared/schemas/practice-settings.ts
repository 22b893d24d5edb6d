// The practice's own rules, kept as settings (compliance.md: [policy] rules are practice settings).
import { z } from 'zod';
import {
  DEFAULT_TASK_BUSINESS_DAYS,
  TASK_TYPES,
  type TaskDurations,
  type TaskType,
} from '../workflow-tasks.js';

const days = z.number().int().min(0).max(60);
const targetDays = z.number().int().min(1).max(365);
const noticeDays = z.array(z.number().int().min(0).max(60)).max(5);
const breakGlassMinutes = z
  .number()
  .int()
  .min(5)
  .max(24 * 60);

/**
 * The practice's "Important notices" (the procedure ends with that heading; its text is the
 * practice's own). Admins write them; they show on every request page and in the instructions
 * posted to each request's thread. None are shipped.
 */
export const importantNoticeSchema = z.object({
  title: z.string().trim().min(1, 'give the notice a title').max(120),
  body: z.string().trim().min(1, 'write the notice').max(4000),
});
export type ImportantNotice = z.infer<typeof importantNoticeSchema>;
const importantNotices = z.array(importantNoticeSchema).max(20, 'at most 20 notices');

/**
 * Issue 5: the emails' words an admin overrode (instructions, requester notices), by template key,
 * each a subject and a text with {{placeholders}}. Stored as written; the placeholders are checked
 * when an admin saves (src/server/mail/templates.ts: an unknown one is a 400 naming it), and a key
 * left out takes the shipped words.
 */
export const MAIL_TEMPLATE_KEYS = [
  'instructions',
  'requester_acknowledgement',
  'requester_fee_quote',
  'requester_status',
  'requester_ready',
] as const;
export const mailTemplateSchema = z.object({
  subject: z.string().trim().min(1, 'write a subject').max(300),
  text: z.string().trim().min(1, 'write the text').max(8000),
});
const mailTemplates = z.partialRecord(z.enum(MAIL_TEMPLATE_KEYS), mailTemplateSchema);

export const practiceSettingsSchema = z.object({
  /** Step durations in business days (TIME-6); missing ones take the defaults. */
  stepBusinessDays: z.partialRecord(z.enum(TASK_TYPES), days).default({}),
  /** rule TIME-5: the practice target, in calendar days, for kinds without a legal date. */
  targetCalendarDays: targetDays.default(30),
  /**
   * rule TIME-6: the escalation ladder, in business days overdue (0 = as soon as the step is late):
   * the assignee is reminded, then their supervisor, the supervisor's supervisor and the privacy
   * officer are told. A rung set lower than the one before it is climbed with that one.
   */
  ladderBusinessDays: z
    .object({
      assignee: days.default(0),
      supervisor: days.default(1),
      secondSupervisor: days.default(2),
      privacyOfficer: days.default(3),
    })
    .prefault({}),
  /** rule TIME-6: the privacy officer is told when a legal due date is this many days away (and when it passes). */
  legalNoticeDays: noticeDays.default([5, 1]),
  /** How long a privacy officer's break-glass access lasts. */
  breakGlassMinutes: breakGlassMinutes.default(60),
  /** The practice's important notices, in the order written (the whole list is replaced on change). */
  importantNotices: importantNotices.default([]),
  /** Issue 5: the emails' words an admin overrode (PUT /api/mail/templates). */
  mailTemplates: mailTemplates.default({}),
});

/**
 * A change to the settings (PATCH /api/practice, admin): only the keys given change, the step
 * durations and the ladder's rungs one by one; the rest keep their stored values (or defaults).
 * The same bounds as practiceSettingsSchema, which also checks the merged result; unknown keys are
 * refused rather than dropped, so a typo is a 400 naming the field.
 */
export const practiceSettingsChangeSchema = z
  .strictObject({
    stepBusinessDays: z.partialRecord(z.enum(TASK_TYPES), days).optional(),
    targetCalendarDays: targetDays.optional(),
    ladderBusinessDays: z
      .strictObject({
        assignee: days.optional(),
        supervisor: days.optional(),
        secondSupervisor: days.optional(),
        privacyOfficer: days.optional(),
      })
      .optional(),
    legalNoticeDays: noticeDays.optional(),
    breakGlassMinutes: breakGlassMinutes.optional(),
    importantNotices: importantNotices.optional(),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'give at least one setting to change');

export type PracticeSettingsChange = z.infer<typeof practiceSettingsChangeSchema>;

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
