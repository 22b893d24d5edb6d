// Text that no field of Release Desk can hold, refused at the edge for every route at once: a NUL
// character (PostgreSQL's text refuses it) and a lone UTF-16 surrogate (half of an emoji: jsonb
// refuses its escape, and elsewhere it would be stored as a replacement character). The issue 8
// fuzz run found both answered 500 from the database; now they are a 400 naming the field, before
// any handler runs, so nothing is half-written. A multipart body (an upload, the public request
// form) is streamed by its route, not parsed before the hook: its readers ask `unstorablePartText`
// of every part (field name, file name, value) and `findUnstorableText` of the form's JSON answers,
// and refuse with the same words (`unstorableTextError`).
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../errors.js';

/** A NUL, or a high surrogate not followed by a low one, or a low one without a high one before. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MAX_DEPTH = 32;

/** What the refusal says of the place it names. */
export const UNSTORABLE_TEXT = 'must not contain a NUL character or a broken Unicode character';

/** The first place (a dotted path) holding unstorable text, or null. */
export function findUnstorableText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    if (UNSTORABLE.test(k)) return `${path}.${k.replace(UNSTORABLE, '?')}`;
    const found = findUnstorableText(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The first unstorable text of one multipart part, as a path: its field name, its file name
 * (`body.<field>.filename`) or its value (`body.<field>`); null when all are storable.
 */
export function unstorablePartText(part: {
  fieldname: string;
  filename?: string;
  value?: unknown;
}): string | null {
  const { fieldname } = part;
  if (part.filename !== undefined)
    return findUnstorableText({ [fieldname]: { filename: part.filename } }, 'body');
  return findUnstorableText({ [fieldname]: part.value }, 'body');
}

/** The 400 for unstorable text at `where`, as the guard answers it (the handler's error view). */
export function unstorableTextError(where: string, shown = where): BadRequestError {
  return new BadRequestError(`Please check: ${shown} (${UNSTORABLE_TEXT})`, [
    { path: where, message: UNSTORABLE_TEXT },
  ]);
}

/** Register on the root instance, so it runs for every route before its schema. */
export function registerTextInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    const where =
      findUnstorableText(req.params, 'params') ??
      findUnstorableText(req.query, 'querystring') ??
      findUnstorableText(req.body, 'body');
    if (!where) return;
    return reply.code(400).send({
      error: 'bad_request',
      message: `Please check: ${where} (${UNSTORABLE_TEXT})`,
      fields: [{ path: where, message: UNSTORABLE_TEXT }],
    });
  });
}
