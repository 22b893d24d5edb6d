// The disclosure log and the accounting of disclosures as DTOs (rules REL-3, REL-4, TIME-4, FEE-7).
// The routes validate shape here; the accounting rules (server/accounting) check meaning and answer
// a 400 naming the rule.
import { z } from 'zod';
import { CHANNELS, DELIVERABLES, DELIVERY_FORMATS } from '../request-kinds.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: an address or a description may span lines
const CONTROL_BUT_NEWLINES = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

const text = (max: number, control: RegExp, rule: string) =>
  z
    .string({ error: `Required (${rule}).` })
    .max(max)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => !control.test(s), 'must not contain control characters')
    .refine((s) => s.length > 0, `must not be empty (${rule})`);

const optionalText = (max: number, control: RegExp = CONTROL) =>
  z
    .string()
    .max(max)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => !control.test(s), 'must not contain control characters')
    .transform((s) => (s.length === 0 ? null : s))
    .nullish();

const localDate = z.iso.date('must be a date (YYYY-MM-DD)');
const instant = z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' });

/** rule REL-3: the privacy officer records a disclosure that should not have happened. */
export const impermissibleDisclosureSchema = z.object({
  /** When it happened: a date and time, or a date alone (the start of that day in the practice's zone). */
  disclosedAt: z.union([instant, localDate], { error: 'must be a date (YYYY-MM-DD) or a date and time' }),
  recipientName: text(300, CONTROL, 'REL-3'),
  recipientAddress: optionalText(1000, CONTROL_BUT_NEWLINES),
  description: text(4000, CONTROL_BUT_NEWLINES, 'REL-3'),
  /** What happened, and the purpose the disclosure was made for. */
  purpose: text(4000, CONTROL_BUT_NEWLINES, 'REL-3'),
  deliverable: z.enum(DELIVERABLES).default('copy'),
  /** The request it happened on, when there was one (a request of the same client). */
  requestId: z.uuid().nullish(),
});
export type ImpermissibleDisclosureInput = z.infer<typeof impermissibleDisclosureSchema>;

export const accountabilityView = z.object({
  accountable: z.boolean(),
  rule: z.string(),
  basis: z.string(),
  /** Set when a rule pack decides (KIND-2): the default shown is the federal baseline's. */
  packDecides: z.boolean(),
});

export const disclosureView = z.object({
  id: z.uuid(),
  requestId: z.uuid().nullable(),
  kind: z.string(),
  disclosedAt: z.string(),
  recipientName: z.string(),
  recipientAddress: z.string().nullable(),
  description: z.string(),
  purpose: z.string(),
  deliverable: z.string(),
  releasedBy: z.object({ id: z.uuid(), name: z.string() }),
  packetSha256: z.string().nullable(),
  impermissible: z.boolean(),
  accounting: accountabilityView,
  createdAt: z.string(),
});
export type DisclosureView = z.infer<typeof disclosureView>;

export const disclosureListView = z.object({ disclosures: z.array(disclosureView) });

/** rule REL-4 (164.528(a)(2)): an agency's statement suspending the client's right, for a period. */
export const accountingSuspensionSchema = z.object({
  agency: text(300, CONTROL, 'REL-4'),
  reason: text(4000, CONTROL_BUT_NEWLINES, 'REL-4'),
  statement: z.enum(['written', 'oral']),
  /** The day the statement was made (default: today in the practice's zone). */
  startsOn: localDate.nullish(),
  until: localDate,
});
export type AccountingSuspensionInput = z.infer<typeof accountingSuspensionSchema>;

export const accountingSuspensionView = z.object({
  id: z.uuid(),
  agency: z.string(),
  reason: z.string(),
  statement: z.enum(['written', 'oral']),
  startsOn: z.string(),
  until: z.string(),
  inEffect: z.boolean(),
  recordedBy: z.object({ id: z.uuid(), name: z.string() }),
  recordedAt: z.string(),
});
export const accountingSuspensionListView = z.object({ suspensions: z.array(accountingSuspensionView) });

/** rule TIME-4, REL-4, FEE-7: a request for an accounting of disclosures. */
export const accountingRequestSchema = z.object({
  requester: z.object({
    name: text(300, CONTROL, 'TIME-4'),
    relationship: z.enum(['client', 'representative']).default('client'),
    contact: optionalText(1000, CONTROL_BUT_NEWLINES),
  }),
  /** When the request arrived (default: now); the 60-day clock starts there. */
  receivedAt: instant.nullish(),
  channel: z.enum(CHANNELS).default('email'),
  /** rule REL-4: a shorter period than the 6 years before the request, if asked for. */
  periodFrom: localDate.nullish(),
  periodTo: localDate.nullish(),
  /** rule FEE-7: a cost-based fee, only for a second accounting within 12 months. */
  feeCents: z.number().int().min(0).max(1_000_000).default(0),
  /** The client was told the fee in advance and agreed to it. */
  feeAgreed: z.boolean().default(false),
  notes: optionalText(4000, CONTROL_BUT_NEWLINES),
});
export type AccountingRequestInput = z.infer<typeof accountingRequestSchema>;

/** rule TIME-4: the one 30-day extension needs its written reason. */
export const accountingExtensionSchema = z.object({
  reason: text(2000, CONTROL_BUT_NEWLINES, 'TIME-4').refine(
    (s) => s.length >= 3,
    'Say why more time is needed: the client is told in writing (TIME-4).',
  ),
});
export type AccountingExtensionInput = z.infer<typeof accountingExtensionSchema>;

export const accountingFulfilmentSchema = z.object({
  method: z.enum(DELIVERY_FORMATS),
  /** The client agreed to the fee since the request was recorded (FEE-7). */
  feeAgreed: z.boolean().optional(),
  notes: optionalText(4000, CONTROL_BUT_NEWLINES),
});
export type AccountingFulfilmentInput = z.infer<typeof accountingFulfilmentSchema>;

/** One accountable disclosure, as the client receives it (164.528(b)(2)). */
export const accountingEntryView = z.object({
  disclosureId: z.uuid(),
  date: z.string(),
  recipient: z.string(),
  address: z.string(),
  description: z.string(),
  purpose: z.string(),
});
export type AccountingEntryView = z.infer<typeof accountingEntryView>;

export const accountingView = z.object({
  client: z.object({ id: z.uuid(), name: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  /** Live until the accounting is sent; then the accounting exactly as it was provided. */
  asProvided: z.boolean(),
  generatedAt: z.string(),
  entries: z.array(accountingEntryView),
});
export type AccountingView = z.infer<typeof accountingView>;

export const accountingRequestView = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  requester: z.object({
    name: z.string(),
    relationship: z.enum(['client', 'representative']),
    contact: z.string().nullable(),
  }),
  receivedAt: z.string(),
  channel: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  clock: z.object({
    rule: z.literal('TIME-4'),
    dueAt: z.string(),
    daysLeft: z.number(),
    overdue: z.boolean(),
    extension: z
      .object({
        from: z.string(),
        reason: z.string(),
        at: z.string(),
        /** The written notice to the client (the PDF comes with the documents work). */
        notice: z.string(),
      })
      .nullable(),
  }),
  fee: z.object({
    rule: z.literal('FEE-7'),
    free: z.boolean(),
    cents: z.number().int(),
    agreed: z.boolean(),
    note: z.string(),
  }),
  fulfilment: z
    .object({ at: z.string(), by: z.object({ id: z.uuid(), name: z.string() }), method: z.string() })
    .nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
});
export type AccountingRequestView = z.infer<typeof accountingRequestView>;

/** rule TIME-4: the list of accounting requests, the nearest 60-day deadline first. */
export const accountingRequestListQuery = z.object({
  /** 'open' (not yet sent, the default) or 'all'. */
  state: z.enum(['open', 'all']).default('open'),
});

export const accountingRequestListItem = accountingRequestView.extend({
  client: z.object({ id: z.uuid(), name: z.string() }),
});
export const accountingRequestListView = z.object({ requests: z.array(accountingRequestListItem) });

/** GET …/:id: the request, and (staff view) the accounting with what a suspension leaves out for now. */
export const accountingRequestDetailsView = z.object({
  request: accountingRequestView,
  accounting: accountingView,
  leftOutWhileSuspended: z.number().int(),
});
