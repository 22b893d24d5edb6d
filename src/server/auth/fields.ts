// Zod building blocks for the account routes and the CLI. Text is NFC-normalised and may not carry
// control characters (PostgreSQL rejects NUL, and nobody's name contains a tab), so odd input is a
// 400 naming the field, never a 500.
import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export const cleanText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => s.length > 0, 'must not be empty');

export const emailField = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an email address'))
  .transform((s) => s.toLowerCase());

/** The login form's email: any text up to 254 characters (a wrong one is a 401, not a 400). */
export const loginEmailField = z
  .string()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/** Passwords are checked as given (no trimming); the cap keeps hashing cheap. */
export const passwordField = z.string().min(1).max(1024);

export const newPasswordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const codeField = z.string().trim().min(1).max(64);

export const roleField = z.enum(ROLES);
export const rolesField = z
  .array(roleField)
  .min(1, 'give at least one role')
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'must not repeat a role');

export const uuidParam = z.uuid('must be an id (UUID)');
