// A request's files: upload (multipart), list (metadata), download (audited). Thin routes: parse ->
// command or query -> presenter. Multipart parsing is registered here only, with tight limits.
import multipart from '@fastify/multipart';
import type { FastifySchemaCompiler } from 'fastify';
import { type FastifyPluginAsyncZod, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { uploadFile } from '../../commands/upload-file.js';
import { contentDisposition } from '../../documents/content.js';
import { fileAbilities, presentFile } from '../../documents/presenter.js';
import { listFiles, readFile } from '../../documents/storage.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { closeIfUnread, MULTIPART_LIMITS, readUpload } from './multipart.js';
import {
  errorView,
  fileContent,
  fileListView,
  fileParams,
  requestParams,
  TAG,
  uploadFormSchema,
  uploadView,
} from './schema.js';

/**
 * The upload's body is a stream read by the handler (readUpload checks it with the same zod
 * schema); its zod schema is there for the OpenAPI document, so only the params are validated here.
 */
type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];
function paramsOnly<S>(route: RouteSchemaDef<S>) {
  // (Fastify types a route's compiler over its whole schema object; it is called once per part.)
  return route.httpPart === 'body'
    ? () => true
    : validatorCompiler(route as unknown as RouteSchemaDef<ZodType>);
}

export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });

  app.post(
    '/api/requests/:requestId/files',
    {
      schema: {
        tags: [TAG],
        summary: 'Add a file to a request (PDF, JPEG or PNG, at most 25 MB), encrypted at rest',
        description:
          'multipart/form-data with one file part and the fields `purpose` and, for a record, `documentClass` ' +
          'and the optional `dateFrom`/`dateTo` it covers (YYYY-MM-DD, checked against the authorized range before release), ' +
          'and `password` for a password-protected PDF (used once to open it with qpdf, never stored or logged). ' +
          'The type is decided by the content; a JPEG or PNG is stored as a PDF page sized to the image as displayed ' +
          '(a photo turned upright by its EXIF orientation). ' +
          'Support, the privacy officer, or someone holding an open task ' +
          'on the request may upload (403 for others who can see it, 404 for those who cannot). ' +
          '201 with the stored file; 200 with the file already there when the same file (SHA-256) was uploaded ' +
          'for the same purpose before (`duplicate: true`, nothing new is stored). ' +
          '413 over 25 MB (the reading stops there and the connection is closed: the rest of a larger body is never read), 415 for another type, 422 for a protected PDF without its password (`encrypted_pdf`) ' +
          'or with a wrong one (`wrong_pdf_password`), a protected PDF on a server without qpdf ' +
          '(`encrypted_pdf_unsupported`), a damaged PDF (`damaged_pdf`) or image (`damaged_image`), an image too ' +
          'large to convert (`image_too_large`).',
        consumes: ['multipart/form-data'],
        params: requestParams,
        body: uploadFormSchema,
        response: {
          200: uploadView,
          201: uploadView,
          400: errorView,
          403: errorView,
          404: errorView,
          413: errorView,
          415: errorView,
          422: errorView,
        },
      },
      validatorCompiler: paramsOnly,
      // Every answer of this route, refusals included: an unread body closes the connection.
      onSend: async (req, reply, payload) => {
        closeIfUnread(req, reply);
        return payload;
      },
    },
    async (req, reply) => {
      requireActor(req);
      const upload = await readUpload(req);
      const { file, duplicate } = await runAsActor(req, (ctx) =>
        uploadFile(ctx, { requestId: req.params.requestId, upload }),
      );
      return reply.code(duplicate ? 200 : 201).send({ ...presentFile(file), duplicate });
    },
  );

  app.get(
    '/api/requests/:requestId/files',
    {
      schema: {
        tags: [TAG],
        summary: 'The files of a request (metadata only) and what the caller may do with them',
        params: requestParams,
        response: { 200: fileListView, 404: errorView },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { loaded, files } = await runAsActor(req, (ctx) => listFiles(ctx, req.params.requestId));
      return { files: files.map(presentFile), abilities: fileAbilities(actor, loaded.facts) };
    },
  );

  app.get(
    '/api/requests/:requestId/files/:fileId',
    {
      // A HEAD would decrypt and audit a download that delivers nothing.
      exposeHeadRoute: false,
      schema: {
        tags: [TAG],
        summary: 'Download a file of a request (audited)',
        description:
          'Answers the decrypted bytes as an attachment, never cached. Every download is in the audit log; ' +
          'a file that fails its integrity check answers 500 `file_integrity` and is reported there too.',
        params: fileParams,
        response: {
          200: {
            description: 'The file',
            content: {
              'application/pdf': { schema: fileContent },
              'image/jpeg': { schema: fileContent },
              'image/png': { schema: fileContent },
            },
          },
          404: errorView,
          500: errorView,
        },
      },
    },
    async (req, reply) => {
      const { requestId, fileId } = req.params;
      const file = await runAsActor(req, (ctx) => readFile(ctx, requestId, fileId));
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-disposition', contentDisposition(file.name))
          .header('cache-control', 'no-store')
          // Bytes go out as they are (no serializer); the z.file() schema above documents them.
          .send(file.data as unknown as File)
      );
    },
  );
};
