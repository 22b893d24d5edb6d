// Bodies of the workflow actions. The route validates shape here; the transition table and the
// rules check meaning (e.g. REV-2's allowed decisions per kind).
import { z } from 'zod';
import { MANUAL_RED_FLAG_CODES } from '../red-flags.js';
import { DOCUMENT_CLASSES } from '../request-kinds.js';
import {
  CLIENT_DISCUSSION_OUTCOMES,
  DENIAL_GROUNDS,
  INVOICE_MODES,
  SUPERVISOR_DECISIONS,
} from '../review-decisions.js';

const note = (max = 4000) => z.string().trim().max(max);
const required = (max = 4000) => z.string().trim().min(1, 'Required.').max(max);
const localDate = z.iso.date();

export const scopeSchema = z.object({
  documentClasses: z.array(z.enum(DOCUMENT_CLASSES)).min(1).max(DOCUMENT_CLASSES.length),
  dateFrom: localDate.nullish(),
  dateTo: localDate.nullish(),
});

export const completeIntakeSchema = z.object({
  /** rule VER-1: how identity (and authority) were verified, by whom and when is recorded. */
  verification: z.object({
    method: required(500),
    notes: note(2000).nullish(),
  }),
  notes: note().nullish(),
});

export const clientDiscussionSchema = z.object({
  outcome: z.enum(CLIENT_DISCUSSION_OUTCOMES),
  need: note().nullish(),
  /** rule REV-1: optional; a client asking for their own records need not give a reason. */
  why: note().nullish(),
  when: note(500).nullish(),
  concerns: note().nullish(),
  nextTryOn: localDate.nullish(),
  /** What the client asked to narrow the release to (outcome "narrow"). */
  narrowedScope: scopeSchema.nullish(),
  /** The client agreed in advance to a summary and its fee (outcome "summary_agreed"; REV-2). */
  summaryFeeCents: z.number().int().min(0).max(1_000_000).nullish(),
});

export const supervisorReviewSchema = z.object({
  decision: z.enum(SUPERVISOR_DECISIONS),
  redFlags: z.array(required(300)).max(30).default([]),
  consequences: required(),
  notes: note().nullish(),
  denialGround: z.enum(DENIAL_GROUNDS).nullish(),
  denialLetter: note(20_000).nullish(),
  /** What may be released after a narrowed release or a partial denial. */
  approvedScope: scopeSchema.nullish(),
});

export const escalateReviewSchema = z.object({
  question: required(),
});

export const recordInvoiceSchema = z.object({
  mode: z.enum(INVOICE_MODES),
  lines: z
    .array(z.object({ description: required(300), amountCents: z.number().int().min(0).max(10_000_000) }))
    .max(50)
    .default([]),
});

export const recordPaymentSchema = z.object({
  method: z.enum(['check', 'card_by_phone', 'cash', 'online', 'other']),
  reference: required(200),
  paidAt: z.iso.datetime({ offset: true }).nullish(),
});

export const submitPreparationSchema = z.object({ notes: note().nullish() });
export const approvePreparationSchema = z.object({ notes: note().nullish() });
export const requestChangesSchema = z.object({ reason: required() });

export const recordReleaseSchema = z.object({
  recipientName: required(300).nullish(),
  recipientAddress: note(1000).nullish(),
  description: required(2000).nullish(),
  method: z.enum(['secure_download', 'mail', 'pickup', 'inspection', 'fax', 'email', 'verbal']).nullish(),
  packetSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullish(),
});

export const noRecordsSchema = z.object({
  /** rule REV-7: the written answer, and where to ask instead when known. */
  writtenAnswer: required(20_000),
  /** rule REV-7: who may hold the records instead (a clinic, a former provider), when known. */
  whereToAsk: note(2000).nullish(),
});

export const endRequestSchema = z.object({
  reason: required(2000),
  messageToRequester: required(20_000),
});

export const reopenAfterDenialSchema = z.object({
  reason: required(2000),
  /** rule REV-4: a licensed professional who took no part in the denial. */
  reviewerId: z.uuid(),
});

export const waitOnRequesterSchema = z.object({ reason: required(2000) });
export const reassignTaskSchema = z.object({ assigneeId: z.uuid(), reason: note(2000).nullish() });
export const breakGlassSchema = z.object({
  reason: z.string().trim().min(20, 'Write at least a sentence: why is emergency access needed?').max(2000),
});
export const postMessageSchema = z.object({
  thread: z.enum(['internal', 'requester']),
  body: required(20_000),
});

/** rule REV-6: a red flag added by hand, with what the person saw. */
export const addRedFlagSchema = z.object({
  code: z.enum(MANUAL_RED_FLAG_CODES),
  note: required(2000),
});

/** rule REV-6: fold a second request for the same records into the earlier one. */
export const mergeDuplicateSchema = z.object({ intoRequestId: z.uuid() });
