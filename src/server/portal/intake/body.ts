// Reads the form's multipart body: one `submission` field (the answers as JSON) and up to
// MAX_INTAKE_FILES files named by what they are (authorization, legal_document, id_document, other),
// each within the staff uploads' 25 MB. A file over the limit stops the reading there (as the staff
// upload route does), so an oversized body is never read to its end.
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  INTAKE_FILE_FIELDS,
  type IntakeFileField,
  type IntakeSubmission,
  intakeSubmissionSchema,
  MAX_INTAKE_FILES,
} from '../../../shared/schemas/portal-intake.js';
import { FileTooLargeError } from '../../documents/content.js';
import { MAX_FILE_BYTES } from '../../documents/vocabulary.js';
import { AppError, BadRequestError } from '../../errors.js';
import { findUnstorableText, unstorablePartText, unstorableTextError } from '../../http/text-input.js';

export interface IntakeFile {
  field: IntakeFileField;
  name: string | undefined;
  data: Buffer;
}

export interface IntakeBody {
  submission: IntakeSubmission;
  files: IntakeFile[];
}

export const INTAKE_MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: 20_000,
  fields: 1,
  fileSize: MAX_FILE_BYTES,
  files: MAX_INTAKE_FILES,
  // One more than the answers and the files, so a sixth file meets the files limit (its own message).
  parts: MAX_INTAKE_FILES + 2,
  headerPairs: 20,
};

const isFileField = (name: string): name is IntakeFileField =>
  (INTAKE_FILE_FIELDS as readonly string[]).includes(name);

function bodyError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new FileTooLargeError();
  if (code === 'FST_FILES_LIMIT') {
    return new BadRequestError(`Send at most ${MAX_INTAKE_FILES} documents with one request.`, [
      { path: 'body.files', message: `at most ${MAX_INTAKE_FILES}` },
    ]);
  }
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new BadRequestError('The form has too many parts: send your answers and at most five documents.');
  }
  return new BadRequestError('The form could not be read: it arrived incomplete. Please send it again.');
}

async function readFilePart(part: MultipartFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (part.file.truncated || size > MAX_FILE_BYTES) {
      chunks.length = 0;
      part.file.destroy();
      throw new FileTooLargeError();
    }
    chunks.push(chunk);
  }
  if (part.file.truncated) throw new FileTooLargeError();
  return Buffer.concat(chunks, size);
}

/** The answers and files, or the precise refusal (400 malformed or invalid, 413 too large, 415 not multipart). */
export async function readIntakeBody(req: FastifyRequest): Promise<IntakeBody> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'Send the form as multipart/form-data.');
  }
  let raw: string | null = null;
  const files: IntakeFile[] = [];
  try {
    for await (const part of req.parts({ limits: INTAKE_MULTIPART_LIMITS })) {
      // A NUL or a broken Unicode character in a part's name or a document's file name: refused as
      // in a JSON body (http/text-input.ts); the answers are checked once parsed, below.
      const unstorable = unstorablePartText(part.type === 'file' ? part : { fieldname: part.fieldname });
      if (unstorable) {
        if (part.type === 'file') part.file.resume();
        throw unstorableTextError(unstorable);
      }
      if (part.type === 'file') {
        if (!isFileField(part.fieldname)) {
          part.file.resume();
          throw new BadRequestError(`A document must be one of: ${INTAKE_FILE_FIELDS.join(', ')}.`, [
            { path: `body.${part.fieldname.slice(0, 40)}`, message: 'unknown document field' },
          ]);
        }
        files.push({ field: part.fieldname, name: part.filename, data: await readFilePart(part) });
      } else if (part.fieldname !== 'submission') {
        throw new BadRequestError('Unknown form field.', [
          { path: `body.${part.fieldname.slice(0, 40)}`, message: 'unknown field' },
        ]);
      } else if (part.valueTruncated || typeof part.value !== 'string') {
        throw new BadRequestError('The answers are too long.', [
          { path: 'body.submission', message: 'too long' },
        ]);
      } else {
        raw = part.value;
      }
    }
  } catch (err) {
    throw bodyError(err);
  }
  if (raw === null) {
    throw new BadRequestError('The answers are missing.', [
      { path: 'body.submission', message: 'is required' },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new BadRequestError('The answers could not be read.', [
      { path: 'body.submission', message: 'not JSON' },
    ]);
  }
  // JSON escapes make a NUL or a lone surrogate out of plain ASCII: PostgreSQL refuses the one in
  // text (a 500 before this check) and stores the other as a replacement character.
  const unstorable = findUnstorableText(json, 'body');
  if (unstorable) throw unstorableTextError(unstorable, unstorable.slice(5));
  const parsed = intakeSubmissionSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      path: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new BadRequestError(
      `Please check: ${fields.map((f) => `${f.path.slice(5)} (${f.message})`).join('; ')}`,
      fields,
    );
  }
  return { submission: parsed.data, files };
}
