// The audit-log DTOs (rule SEC-3): filters for GET /api/audit-events and the rows it answers.
import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../audit-events.js';

/** An instant with its offset, or a whole local day in the practice's time zone. */
const instantOrDay = z.union([
  z.iso.datetime({ offset: true, message: 'must be a date-time with offset or a date (YYYY-MM-DD)' }),
  z.iso.date('must be a date-time with offset or a date (YYYY-MM-DD)'),
]);

export const auditQuerySchema = z.object({
  type: z.enum(AUDIT_EVENT_TYPES).optional(),
  requestId: z.uuid('must be an id (UUID)').optional(),
  clientId: z.uuid('must be an id (UUID)').optional(),
  actorId: z.uuid('must be an id (UUID)').optional(),
  /** From this instant, or from the start of this day in the practice's time zone. */
  from: instantOrDay.optional(),
  /** Up to this instant, or to the end of this day in the practice's time zone. */
  to: instantOrDay.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Keyset pagination: only rows with a smaller seq (pass the previous page's nextBefore). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventViewSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  at: z.iso.datetime(),
  type: z.string(),
  /** Copied onto the row when it was written (null for Release Desk's own jobs). */
  actor: z
    .object({ id: z.uuid().nullable(), name: z.string().nullable(), role: z.string().nullable() })
    .nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.uuid().nullable(),
  clientId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

export const auditPageSchema = z.object({
  events: z.array(auditEventViewSchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  /** Rows whose link and HMAC were checked (present when the whole log verified). */
  rowsChecked: z.number().int().optional(),
  /** The first row of the caller's practice that does not verify. */
  firstBroken: z.object({ seq: z.number().int(), id: z.number().int(), reason: z.string() }).optional(),
  message: z.string(),
});
export type AuditVerifyView = z.infer<typeof auditVerifySchema>;
