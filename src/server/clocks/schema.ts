// The clocks' edges as zod: the extension and holiday bodies, and the `clocks` part of every
// request the API answers with (both clocks, the client's needed-by date and the ladder; TIME-1).
import { z } from 'zod';
import { isLocalDate } from '../../shared/time.js';

const localDateField = z.string().trim().refine(isLocalDate, 'A real calendar date, written YYYY-MM-DD.');

// rule TIME-2: the extension's body is shared with the web app.
export { type ExtensionInput, extensionSchema } from '../../shared/schemas/request-extras.js';

/** rule TIME-6: the days the practice is closed; the whole list is replaced. */
export const holidaysSchema = z.object({
  holidays: z
    .array(z.object({ date: localDateField, name: z.string().trim().min(1).max(100) }))
    .max(400)
    .refine((list) => new Set(list.map((h) => h.date)).size === list.length, 'Each date only once.'),
});
export type HolidaysInput = z.infer<typeof holidaysSchema>;

export const holidaysView = z.object({
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
});

const rungView = z.object({
  taskId: z.string(),
  taskLabel: z.string(),
  level: z.number().int(),
  label: z.string(),
  notified: z.string(),
  at: z.string(),
});

export const clocksView = z.object({
  legal: z.object({
    dueAt: z.string(),
    basis: z.enum(['law', 'document', 'target']),
    label: z.string(),
    due: z.string(),
    daysLeft: z.number().nullable(),
    overdue: z.boolean(),
    extended: z
      .object({ from: z.string(), fromDue: z.string(), reason: z.string(), at: z.string() })
      .nullable(),
  }),
  step: z
    .object({
      taskId: z.string(),
      label: z.string(),
      dueAt: z.string(),
      due: z.string(),
      daysLeft: z.number(),
      overdue: z.boolean(),
      paused: z.boolean(),
    })
    .nullable(),
  neededBy: z
    .object({
      date: z.string(),
      due: z.string(),
      daysLeft: z.number().nullable(),
      missed: z.boolean(),
      warning: z.string().nullable(),
    })
    .nullable(),
  ladder: z.object({
    rungs: z.array(rungView),
    reached: z.string().nullable(),
  }),
});
