// The zod schemas of the request-files routes (they also make the OpenAPI document).
import { z } from 'zod';
import { DOCUMENT_CLASSES } from '../../../shared/request-kinds.js';
import { uuidParam } from '../../auth/fields.js';
import {
  FILE_CONTENT_TYPES,
  FILE_PURPOSES,
  MAX_FILE_MB,
  UPLOAD_PURPOSES,
} from '../../documents/vocabulary.js';

export const TAG = 'files';

export const requestParams = z.object({ requestId: uuidParam });
export const fileParams = z.object({ requestId: uuidParam, fileId: uuidParam });

const uploadFields = z.object({
  purpose: z
    .enum(UPLOAD_PURPOSES)
    .describe('Why the file is on the request (a packet is written by Release Desk, never uploaded)'),
  documentClass: z
    .enum(DOCUMENT_CLASSES)
    .optional()
    .describe('The class of a record (SCOPE-3); required when purpose is "record"'),
  dateFrom: z.iso.date().optional().describe('The first date the document covers, YYYY-MM-DD (SCOPE-1)'),
  dateTo: z.iso.date().optional().describe('The last date the document covers, YYYY-MM-DD (SCOPE-1)'),
  password: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('The password of a protected PDF: used once to open it, never stored'),
});

/** The form fields beside the file part (checked in the handler: multipart is streamed). */
export const uploadFieldsSchema = uploadFields.refine(
  (f) => !f.dateFrom || !f.dateTo || f.dateFrom <= f.dateTo,
  {
    path: ['dateTo'],
    message: 'must not be before dateFrom',
  },
);

/** The multipart form as documented in OpenAPI: one file part and the fields above. */
export const uploadFormSchema = uploadFields.extend({
  file: z
    .file()
    .describe(
      `One PDF, JPEG or PNG file, at most ${MAX_FILE_MB} MB (checked by its content); an image is stored as a PDF page`,
    ),
});

export const fileView = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  name: z.string(),
  contentType: z.enum(FILE_CONTENT_TYPES),
  size: z.number().int(),
  sha256: z.string().describe('SHA-256 of the content, hex'),
  purpose: z.enum(FILE_PURPOSES),
  documentClass: z.enum(DOCUMENT_CLASSES).nullable(),
  dateFrom: z.iso.date().nullable(),
  dateTo: z.iso.date().nullable(),
  uploadedBy: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.iso.datetime(),
});

/** The upload's answer: the file stored (201), or the same file already there for the same purpose (200). */
export const uploadView = fileView.extend({
  duplicate: z
    .boolean()
    .describe('True when this very file (same SHA-256) was already on the request for this purpose'),
});

export const fileListView = z.object({
  files: z.array(fileView),
  abilities: z.array(z.enum(['upload_file', 'download_file'])),
});

/** Every refusal carries a code and a plain message (plus details such as the failing fields). */
export const errorView = z.looseObject({ error: z.string(), message: z.string() });

export const fileContent = z.file().describe('The file’s bytes');
