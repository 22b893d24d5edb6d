import type { FastifyInstance, FastifyRequest } from 'fastify';
import { record } from '../audit/record.js';
import { inTransaction } from '../db/tx.js';
import type { AppError } from '../errors.js';
import { requestMeta } from './meta.js';

/**
 * rule SEC-3: a refused attempt is recorded in its own transaction, after the refused command has
 * rolled back. Only signed-in callers are recorded here (failed sign-ins have their own events).
 */
export async function recordRefusal(app: FastifyInstance, req: FastifyRequest, err: AppError): Promise<void> {
  const actor = req.actor;
  if (!actor) return;
  const requestId = typeof err.details.requestId === 'string' ? err.details.requestId : null;
  try {
    await inTransaction(app.services, requestMeta(req), actor, async (ctx) => {
      record(ctx, {
        type: 'access.refused',
        requestId,
        data: {
          status: err.statusCode,
          method: req.method,
          route: req.routeOptions.url ?? req.url,
          reason: err.message,
        },
      });
    });
  } catch (e) {
    req.log.error({ err: { message: (e as Error).message } }, 'could not record a refusal');
  }
}
