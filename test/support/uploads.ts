// Uploading a file through the real route in integration tests: a multipart/form-data body built
// by hand (so a test controls every byte: a disguised type, a cut-off file) sent with the agent's
// session and CSRF token through app.inject.
import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';
import type { Agent, Response } from './session.js';

export interface UploadPart {
  filename: string;
  /** The type the client declares (never trusted: the server reads the bytes). */
  contentType?: string;
  data: Buffer;
}

/** The form's fields and its one file part, as a browser sends them. */
export function multipartBody(
  fields: Record<string, string>,
  file: UploadPart | null,
): { payload: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/requests/:id/files as `agent`. */
export function uploadTo(
  t: TestApp,
  agent: Agent,
  requestId: string,
  file: UploadPart | null,
  fields: Record<string, string> = { purpose: 'record', documentClass: 'progress_notes' },
): Promise<Response> {
  const { payload, contentType } = multipartBody(fields, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': contentType, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}
