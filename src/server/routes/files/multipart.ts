// Reads an upload's multipart body into memory, within limits, and reports what is wrong with it
// rather than throwing: the command answers body problems only after its access check.
//
// A file over the limit stops the reading there: busboy alone would truncate the file and then go
// on reading (and discarding) the rest of a 500 MB body. Its file stream is destroyed instead, which
// unpipes the request, so the server reads little more than 25 MB of it; the answer (413) then goes
// out with `Connection: close` (see `closeIfUnread`), so the rest is never read at all.
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UploadFileInput } from '../../commands/upload-file.js';
import { FileTooLargeError } from '../../documents/content.js';
import { MAX_FILE_BYTES } from '../../documents/vocabulary.js';
import { AppError, BadRequestError } from '../../errors.js';
import { unstorablePartText, unstorableTextError } from '../../http/text-input.js';
import { uploadFieldsSchema } from './schema.js';

/** One file and a few short fields (purpose, class, dates, a PDF's password); busboy stops at these, so a request can never grow past them. */
export const MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: 1024,
  fields: 6,
  fileSize: MAX_FILE_BYTES,
  files: 1,
  parts: 7,
  headerPairs: 20,
};

type Upload = UploadFileInput['upload'];

function bodyError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new FileTooLargeError();
  if (code === 'FST_FILES_LIMIT') {
    return new BadRequestError('Send one file per upload.', [
      { path: 'body.file', message: 'only one file' },
    ]);
  }
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new BadRequestError(
      'The form has too many fields: send the file, its purpose, its document class, its dates and (for a protected PDF) its password.',
    );
  }
  return new BadRequestError('The upload could not be read: the multipart body is incomplete or malformed.');
}

/** The file part's bytes, or FileTooLargeError as soon as it passes the limit (the rest is not read). */
async function readFilePart(part: MultipartFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    // busboy stops a file at exactly MAX_FILE_BYTES and marks it truncated.
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

/**
 * An answer given before the whole body arrived (a file over the limit, a refusal before reading)
 * closes the connection: the client stops sending, and the server never reads the rest (keeping
 * the connection open would oblige it to read and discard every remaining byte first).
 */
export function closeIfUnread(req: FastifyRequest, reply: FastifyReply): void {
  if (!req.raw.complete) reply.header('connection', 'close');
}

export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) {
    return {
      ok: false,
      error: new AppError(
        415,
        'unsupported_media_type',
        'Send the file as multipart/form-data, with the file part and the "purpose" field.',
      ),
    };
  }
  const fields = new Map<string, string>();
  let file: { name: string | undefined; data: Buffer } | null = null;
  let problem: AppError | null = null;
  const note = (err: unknown) => {
    problem ??= bodyError(err);
  };
  try {
    for await (const part of req.parts({ limits: MULTIPART_LIMITS })) {
      // A NUL or a broken Unicode character in a field's name or value or in the file's name is
      // refused as in a JSON body (http/text-input.ts). Nothing after it can change the answer: stop
      // reading there, as for a file over the limit (a file's stream destroyed, the rest unread).
      const unstorable = unstorablePartText(part);
      if (unstorable) {
        note(unstorableTextError(unstorable));
        if (part.type === 'file') part.file.destroy();
        break;
      }
      if (part.type === 'file') {
        try {
          file = { name: part.filename, data: await readFilePart(part) };
        } catch (err) {
          note(err);
          // Stop reading the body: nothing after a refused file can change the answer.
          if (bodyError(err) instanceof FileTooLargeError) break;
        }
      } else if (part.fieldnameTruncated || part.valueTruncated || typeof part.value !== 'string') {
        note(new BadRequestError(`The field "${part.fieldname.slice(0, 100)}" is too long or not text.`));
      } else if (fields.has(part.fieldname)) {
        note(new BadRequestError(`The field "${part.fieldname}" was sent twice.`));
      } else {
        fields.set(part.fieldname, part.value);
      }
    }
  } catch (err) {
    note(err);
  }
  if (problem) return { ok: false, error: problem };
  if (!file) {
    return {
      ok: false,
      error: new BadRequestError('Attach the file to upload.', [
        { path: 'body.file', message: 'is required' },
      ]),
    };
  }
  const parsed = uploadFieldsSchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) {
    const failing = parsed.error.issues.map((i) => ({
      path: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    return {
      ok: false,
      error: new BadRequestError(
        `Please check: ${failing.map((f) => `${f.path} (${f.message})`).join('; ')}`,
        failing,
      ),
    };
  }
  const { purpose, documentClass, dateFrom, dateTo, password } = parsed.data;
  return {
    ok: true,
    file,
    purpose,
    documentClass: documentClass ?? null,
    dateFrom: dateFrom ?? null,
    dateTo: dateTo ?? null,
    password: password ?? null,
  };
}
