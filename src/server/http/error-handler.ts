import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseFailure, failureCode } from '../db/failures.js';
import {
  AppError,
  InsufficientStorageError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from '../errors.js';
import { recordRefusal } from './refusals.js';

/**
 * Every failure becomes a precise 4xx with a message a person can act on; only a real bug is a
 * 500, and its details stay in the log, never in the answer.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.` });
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        path: [String(err.validationContext ?? 'body'), ...v.instancePath.split('/').filter(Boolean)].join(
          '.',
        ),
        message: v.message ?? 'is not valid',
      }));
      return reply.code(400).send({
        error: 'bad_request',
        message: `Please check: ${fields.map((f) => `${f.path} (${f.message})`).join('; ')}`,
        fields,
      });
    }
    if (err instanceof AppError) {
      if (err.statusCode === 403 || err.statusCode === 404) await recordRefusal(app, req, err);
      if (err instanceof TooManyRequestsError || err instanceof ServiceUnavailableError)
        reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...err.details });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'payload_too_large', message: 'The request is too large.' });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply
        .code(400)
        .send({ error: 'bad_request', message: 'The body is not valid JSON.', fields: [] });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send({ error: 'unsupported_media_type', message: 'Send JSON (application/json).' });
    }
    if (status === 429) {
      return reply
        .code(429)
        .send({ error: 'too_many_requests', message: 'Too many attempts. Try again later.' });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: err.message });
    }
    // Issue 8: the database restarting, unreachable, out of disk, or a conflict that survived its
    // retry (db/tx.ts): a plain answer saying nothing was saved, never a 500.
    const failure = databaseFailure(err);
    if (failure === 'disk_full') {
      req.log.error({ code: failureCode(err) }, 'database disk full');
      const full = new InsufficientStorageError();
      return reply.code(full.statusCode).send({ error: full.code, message: full.message });
    }
    if (failure) {
      const unavailable =
        failure === 'conflict'
          ? new ServiceUnavailableError(
              'Another change to the same records got in the way. Nothing was saved. Try again in a moment.',
              1,
            )
          : new ServiceUnavailableError();
      req.log.warn({ code: failureCode(err), failure }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(unavailable.retryAfterSeconds))
        .send({ error: unavailable.code, message: unavailable.message });
    }
    // A Drizzle error's message and stack quote the query's parameters (SEC-5): log its cause instead.
    const logged = err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;
    req.log.error(
      { err: { message: logged.message, code: failureCode(err), stack: logged.stack } },
      'unhandled error',
    );
    return reply
      .code(500)
      .send({ error: 'internal', message: 'Something went wrong on our side. Nothing was changed.' });
  });
}
