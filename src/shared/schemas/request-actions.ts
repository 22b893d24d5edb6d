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

export const RELEASE_METHODS = [
  'secure_download',
  'mail',
  'pickup',
  'inspection',
  'fax',
  'email',
  'verbal',
] as const;
export type ReleaseMethod = (typeof RELEASE_METHODS)[number];

const instant = z.iso.datetime({ offset: true });

// rule REL-1: what each form of delivery records (the release's `details`, checked against the
// form once it is known: the body's method, else the request's delivery format).
/** Mail: the print-ready packet (with its address sheet) was posted on a date, with a tracking number. */
export const mailDeliverySchema = z.object({
  postedOn: localDate,
  carrier: note(100).nullish(),
  trackingNumber: required(100),
});
/** Pick-up or inspection in person: when, who attended or collected, and how identity was checked. */
export const inPersonDeliverySchema = z.object({
  on: localDate,
  attendedBy: required(300),
  identityCheck: required(500),
  notes: note(2000).nullish(),
});
/** Fax: the number sent to and the confirmation (the transmission report). */
export const faxDeliverySchema = z.object({
  faxNumber: z
    .string()
    .trim()
    .regex(/^\+?[0-9(][0-9 ().-]{5,24}$/, 'A fax number: digits, spaces, ( ) . - and a leading +.'),
  confirmation: required(300),
  sentAt: instant.nullish(),
});
/**
 * Email with the packet attached: only when the client asks for it after a recorded warning that
 * unencrypted email can be read by others on the way.
 */
export const emailDeliverySchema = z.object({
  to: z.email(),
  riskWarning: z.object({
    warnedAt: instant,
    /** What the client was told about the risk. */
    warning: required(2000),
    /** When the client asked for email all the same (after the warning). */
    clientAskedAt: instant,
  }),
});
/** Verbal: what was discussed, with whom, when. This is the release (no packet leaves). */
export const verbalDeliverySchema = z.object({
  discussedAt: instant,
  withWhom: required(300),
  discussed: required(4000),
});

export const RELEASE_DETAILS_SCHEMAS = {
  secure_download: z.object({}),
  mail: mailDeliverySchema,
  pickup: inPersonDeliverySchema,
  inspection: inPersonDeliverySchema,
  fax: faxDeliverySchema,
  email: emailDeliverySchema,
  verbal: verbalDeliverySchema,
} as const satisfies Record<ReleaseMethod, z.ZodType>;

export type ReleaseDetails = {
  [M in ReleaseMethod]: z.infer<(typeof RELEASE_DETAILS_SCHEMAS)[M]>;
};

export const recordReleaseSchema = z.object({
  recipientName: required(300).nullish(),
  recipientAddress: note(1000).nullish(),
  description: required(2000).nullish(),
  method: z.enum(RELEASE_METHODS).nullish(),
  /** rule REL-1: the details of the form of delivery (see RELEASE_DETAILS_SCHEMAS). */
  details: z.record(z.string(), z.unknown()).nullish(),
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
