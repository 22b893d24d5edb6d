// The client DTOs shared by the API and the web app. Text is NFC-normalised, trimmed and may not
// carry control characters (PostgreSQL rejects NUL), so odd input is a 400 naming the field.
import { z } from 'zod';

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: an address may span lines, nothing else
const CONTROL_BUT_NEWLINES = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

const text = (max: number, control: RegExp = CONTROL) =>
  z
    .string()
    .max(max)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => !control.test(s), 'must not contain control characters');

const requiredText = (max: number) => text(max).refine((s) => s.length > 0, 'must not be empty');

/** Optional contact details: an empty string clears the value (stored as null). */
const optionalText = (max: number, control: RegExp = CONTROL) =>
  text(max, control)
    .transform((s) => (s.length === 0 ? null : s))
    .nullish();

export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

const dateOfBirth = z.iso
  .date('must be a date (YYYY-MM-DD)')
  .refine((d) => d >= EARLIEST_DATE_OF_BIRTH, `must not be before ${EARLIEST_DATE_OF_BIRTH}`);

const isEmail = (s: string) => z.email().safeParse(s).success;

/** An email address, or '' / null for none. */
const email = z
  .string()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => s === '' || isEmail(s), 'must be an email address')
  .transform((s) => (s === '' ? null : s))
  .nullish();

const clientFields = {
  firstName: requiredText(100),
  lastName: requiredText(100),
  /** Not in the future (checked against today in the practice's time zone). */
  dateOfBirth,
  /** Derived from the date of birth and today in the practice's time zone unless given. */
  isMinor: z.boolean().optional(),
  /** An active therapist of the practice; a client may also have none yet. */
  therapistId: z.uuid('must be an id (UUID)').nullish(),
  email,
  phone: optionalText(50),
  address: optionalText(500, CONTROL_BUT_NEWLINES),
};

export const createClientSchema = z.strictObject(clientFields);
export type CreateClientInput = z.infer<typeof createClientSchema>;

export const updateClientSchema = z
  .strictObject({
    firstName: clientFields.firstName.optional(),
    lastName: clientFields.lastName.optional(),
    dateOfBirth: clientFields.dateOfBirth.optional(),
    isMinor: clientFields.isMinor,
    therapistId: clientFields.therapistId,
    email: clientFields.email,
    phone: clientFields.phone,
    address: clientFields.address,
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field to change');
export type UpdateClientInput = z.infer<typeof updateClientSchema>;

/** The fields a PATCH may change, in a fixed order (the audit event names them). */
export const CLIENT_FIELDS = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'isMinor',
  'therapistId',
  'email',
  'phone',
  'address',
] as const;
export type ClientField = (typeof CLIENT_FIELDS)[number];

export const listClientsQuerySchema = z.object({
  /** Part of a name, either order ("Rivera", "Alex Riv", "Rivera Alex"); case-insensitive. */
  q: text(100).optional(),
  therapistId: z.uuid('must be an id (UUID)').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListClientsQuery = z.infer<typeof listClientsQuerySchema>;

export const CLIENT_ABILITIES = ['update_client', 'create_request'] as const;
export type ClientAbility = (typeof CLIENT_ABILITIES)[number];

export const clientViewSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.iso.date(),
  isMinor: z.boolean(),
  therapist: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** What the caller may do with this client (the UI shows buttons from these). */
  abilities: z.array(z.enum(CLIENT_ABILITIES)),
});
export type ClientView = z.infer<typeof clientViewSchema>;

export const clientListSchema = z.object({
  clients: z.array(clientViewSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** The age of majority used for the minor flag ([policy]; a state pack may set another). */
export const AGE_OF_MAJORITY = 18;

/**
 * Is someone born on `dateOfBirth` a minor on the local date `today` (both 'YYYY-MM-DD')? A person
 * born on 29 February comes of age on 1 March in a common year.
 */
export function isMinorOn(dateOfBirth: string, today: string, ageOfMajority = AGE_OF_MAJORITY): boolean {
  const comesOfAge = `${String(Number(dateOfBirth.slice(0, 4)) + ageOfMajority).padStart(4, '0')}${dateOfBirth.slice(4)}`;
  return today < comesOfAge;
}
