// Request bodies the web app validates before sending and the server validates again at the edge:
// the deadline extension (TIME-2), the fee quote and its acceptance (FEE-1…5), the packet's record
// order (REL-5) and the secure link (REL-2). One definition, so the two can never drift.
import { z } from 'zod';
import { FEE_BASES } from '../rule-packs.js';
import { isLocalDate } from '../time.js';

const localDateField = z.string().trim().refine(isLocalDate, 'A real calendar date, written YYYY-MM-DD.');
const cents = z.number().int().min(0).max(10_000_000);

/** rule TIME-2: the one extension of an access request's deadline. */
export const extensionSchema = z.object({
  reason: z.string().trim().min(3, 'Say why more time is needed: the requester reads it.').max(2000),
  newDueDate: localDateField,
});
export type ExtensionInput = z.infer<typeof extensionSchema>;

/** rules FEE-1…FEE-5: the fee quoted to the client in advance. */
export const feeQuoteSchema = z.object({
  basis: z.enum(FEE_BASES).nullish(),
  pages: z.number().int().min(1).max(100_000).nullish(),
  lines: z
    .array(
      z.object({
        /** Checked by the calculator, so an unknown code is refused naming FEE-4. */
        code: z.string().trim().min(1, 'Choose one.').max(60),
        description: z.string().trim().min(1, 'Required.').max(300),
        quantity: z.number().int().min(1).max(100_000).nullish(),
        unitCents: cents.nullish(),
        amountCents: cents.nullish(),
      }),
    )
    .max(50)
    .default([]),
});

/** rule FEE-3: the client's agreement to the quote, recorded before any invoice. */
export const acceptFeeQuoteSchema = z.object({
  quoteId: z.uuid(),
  /** How the client agreed (by phone, by email…), kept in the audit trail. */
  note: z.string().trim().max(2000).nullish(),
});

/** rule REL-2: how a third-party recipient proves it is them besides the emailed code. */
export const SECOND_CHANNELS = ['none', 'phone_code', 'date_of_birth'] as const;
export type SecondChannel = (typeof SECOND_CHANNELS)[number];

export const createLinkSchema = z.strictObject({
  recipientEmail: z
    .email('Enter an email address.')
    .max(320)
    .optional()
    .describe('Where the link goes; the requester’s email when absent'),
  recipientName: z.string().trim().min(1).max(300).optional(),
  secondChannel: z
    .enum(SECOND_CHANNELS)
    .optional()
    .describe(
      'REL-2: a third-party recipient also passes a phone code (the default) or the client’s date of birth',
    ),
  expiresInDays: z
    .number()
    .int()
    .min(1, 'At least 1 day.')
    .max(90, 'At most 90 days.')
    .optional()
    .describe('30 when absent'),
  maxDownloads: z
    .number()
    .int()
    .min(1, 'At least 1.')
    .max(20, 'At most 20.')
    .optional()
    .describe('5 when absent'),
});

export const revokeLinkSchema = z.strictObject({
  reason: z.string().trim().min(1, 'Say why: it is kept with the link.').max(1000),
});

export const assemblePacketSchema = z.strictObject({
  fileIds: z
    .array(z.uuid())
    .max(500)
    .optional()
    .describe('Every record file of the request once, in packet order; upload order when absent'),
});
