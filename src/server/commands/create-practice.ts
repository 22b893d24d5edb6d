// A practice is the tenant (convention 10). The operator creates it once with
// `release-desk practice create`; its name, state, time zone and privacy-officer contact are then
// settings an administrator edits (update-practice.ts). Field rules are shared by both and the CLI.
import { z } from 'zod';
import { isValidTimeZone } from '../../shared/time.js';
import { record } from '../audit/record.js';
import { cleanText, emailField } from '../auth/fields.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';

export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'PR',
  'GU',
  'VI',
  'AS',
  'MP',
] as const;

export const stateField = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(US_STATES, { error: 'must be a two-letter US state code such as CA or NY' }));

/** An IANA time zone, stored in its canonical spelling. */
export const timeZoneField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, 'must be an IANA time zone such as America/New_York')
  .transform((tz) => new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone);

export const phoneField = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9+().\-\s]*(?:\s*(?:x|ext\.?)\s*\d+)?$/i, 'must be a phone number');

export const privacyOfficerSchema = z.object({
  name: cleanText(200).nullable().optional(),
  email: emailField.nullable().optional(),
  phone: phoneField.nullable().optional(),
});

export const practiceInputSchema = z.object({
  name: cleanText(200),
  state: stateField,
  timeZone: timeZoneField,
  privacyOfficer: privacyOfficerSchema.optional(),
});
export type PracticeInput = z.infer<typeof practiceInputSchema>;

/** The operator's command (no actor): creates the practice and opens its audit chain. */
export async function createPractice(ctx: Ctx, input: PracticeInput): Promise<{ practiceId: string }> {
  if (ctx.actor !== null) throw new Error('practices are created from the command line');
  const [row] = await ctx.tx
    .insert(practices)
    .values({
      name: input.name,
      state: input.state,
      timeZone: input.timeZone,
      privacyOfficerName: input.privacyOfficer?.name ?? null,
      privacyOfficerEmail: input.privacyOfficer?.email ?? null,
      privacyOfficerPhone: input.privacyOfficer?.phone ?? null,
      createdAt: ctx.now,
    })
    .returning({ id: practices.id });
  const practiceId = row!.id;
  // The first event of the new practice's chain.
  ctx.practiceId = practiceId;
  record(ctx, {
    type: 'practice.created',
    data: { practiceId, name: input.name, state: input.state, timeZone: input.timeZone, via: 'cli' },
  });
  return { practiceId };
}
