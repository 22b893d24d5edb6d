// Client-side copies of request bodies whose zod schemas live in the server and not in src/shared
// (the web app imports only src/shared). Keep them equal to the originals named on each; the API
// checks again and its 400 is shown at the field it names.
import { z } from 'zod';
import { FEE_BASES } from '../../../../shared/rule-packs';

const localDate = z.iso.date();
const cents = z.number().int().min(0).max(10_000_000);

/** src/server/clocks/schema.ts, extensionSchema (TIME-2). */
export const extensionSchema = z.object({
  reason: z.string().trim().min(3, 'Say why more time is needed: the requester reads it.').max(2000),
  newDueDate: localDate,
});

/** src/server/commands/quote-fee.ts, feeQuoteSchema (FEE-1…FEE-5). */
export const feeQuoteSchema = z.object({
  basis: z.enum(FEE_BASES).nullish(),
  pages: z.number().int().min(1).max(100_000).nullish(),
  lines: z
    .array(
      z.object({
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

/** src/server/commands/quote-fee.ts, acceptFeeQuoteSchema (FEE-3). */
export const acceptFeeQuoteSchema = z.object({
  quoteId: z.uuid(),
  note: z.string().trim().max(2000).nullish(),
});

/** src/server/delivery/schemas.ts, createLinkSchema (REL-2). */
export const createLinkSchema = z.strictObject({
  recipientEmail: z.email('Enter an email address.').max(320).optional(),
  recipientName: z.string().trim().min(1).max(300).optional(),
  secondChannel: z.enum(['none', 'phone_code', 'date_of_birth']).optional(),
  expiresInDays: z.number().int().min(1, 'At least 1 day.').max(90, 'At most 90 days.').optional(),
  maxDownloads: z.number().int().min(1, 'At least 1.').max(20, 'At most 20.').optional(),
});

/** src/server/delivery/schemas.ts, revokeLinkSchema. */
export const revokeLinkSchema = z.strictObject({
  reason: z.string().trim().min(1, 'Say why: it is kept with the link.').max(1000),
});
