// Client-side validation mirrors the API's zod schemas (the same shared schemas), and an API 4xx
// is shown next to the field it names; both give errors keyed by the form's field paths.
import type { z } from 'zod';
import type { ApiError } from '../api/client';

export type FieldErrors = Record<string, string>;

/** Errors of `schema` for `body`, keyed "requester.name" (empty when it parses). */
export function zodErrors(schema: z.ZodType, body: unknown): FieldErrors {
  const parsed = schema.safeParse(body);
  if (parsed.success) return {};
  const out: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    out[key] ??= friendly(issue.message);
  }
  return out;
}

/** zod's default wording, in plain words for a form. */
function friendly(message: string): string {
  if (/expected string, received (undefined|null)|Invalid input: expected string/.test(message))
    return 'Required.';
  if (/Too small: expected string to have >=1/.test(message)) return 'Required.';
  if (/expected array to have >=1/.test(message)) return 'Choose at least one.';
  if (/Invalid (ISO )?date/i.test(message)) return 'Enter a date.';
  if (/Invalid email/i.test(message)) return 'Enter an email address.';
  if (/Invalid UUID|Invalid option|expected one of/i.test(message)) return 'Choose one.';
  return message;
}

/** The API's field errors ("body.requester.name"), keyed like the form ("requester.name"). */
export function apiFieldErrors(error: ApiError, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const f of error.fields) {
    const key = f.path.replace(/^body\./, prefix);
    out[key] ??= f.message;
  }
  return out;
}

/** Blank strings become null, so optional fields are sent as "not given". */
export function blankToNull(value: string): string | null {
  const t = value.trim();
  return t === '' ? null : t;
}

/** "12.50" → 1250 cents; null when it is not an amount. */
export function toCents(value: string | number): number | null {
  const n = typeof value === 'number' ? value : Number(value.replace(/[$,\s]/g, ''));
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : null;
}
