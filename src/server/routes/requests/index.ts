import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REQUEST_KINDS } from '../../../shared/request-kinds.js';
import { createRequestSchema } from '../../../shared/schemas/requests.js';
import { STAGES } from '../../../shared/workflow.js';
import { record } from '../../audit/record.js';
import { createRequest } from '../../commands/create-request.js';
import { runAsActor } from '../../http/auth-context.js';
import { presentRequestSummary } from '../../presenters/request.js';
import { listContexts } from '../../queries/request-details.js';
import { listVisibleRequests } from '../../queries/visible-requests.js';
import { requestActionRoutes } from './actions.js';
import { authorizationRoutes } from './authorizations.js';
import { requestClockRoutes } from './clocks.js';
import { feeRoutes } from './fees.js';
import { legalRoutes } from './legal.js';
import { errorSchemas, requestDetailsSchema, requestIdParams, requestSummarySchema } from './schema.js';
import { showRequest } from './show.js';

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.array(z.enum(values)), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',').filter(Boolean)))
    .pipe(z.array(z.enum(values)).max(values.length))
    .optional();

const listQuery = z.object({
  stage: csv(STAGES),
  kind: csv(REQUEST_KINDS),
  therapistId: z.uuid().optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  escalated: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  awaitingPayment: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['legal_due', 'received', 'number']).default('legal_due'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const requestRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/requests',
    {
      schema: {
        tags: ['requests'],
        summary: 'Record a new request (step 1: the request is made)',
        body: createRequestSchema,
        response: { 201: requestDetailsSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const details = await runAsActor(req, async (ctx) => {
        const row = await createRequest(ctx, req.body);
        return showRequest(ctx, row.id, { recordView: false });
      });
      return reply.code(201).send(details);
    },
  );

  app.get(
    '/api/requests',
    {
      schema: {
        tags: ['requests'],
        summary: 'Requests the caller may see (SEC-2), filtered, searched and sorted by legal due date',
        querystring: listQuery,
        response: {
          200: z.object({ total: z.number(), items: z.array(requestSummarySchema) }),
          ...errorSchemas,
        },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const { rows, total } = await listVisibleRequests(ctx, req.query);
        const contexts = await listContexts(ctx, rows);
        if (rows.length > 0) {
          record(ctx, { type: 'request.listed', data: { count: rows.length, filters: { ...req.query } } });
        }
        return { total, items: contexts.map((c) => presentRequestSummary(ctx.actor!, c, ctx.now)) };
      }),
  );

  app.get(
    '/api/requests/:requestId',
    {
      schema: {
        tags: ['requests'],
        summary: "A request with its tasks, both clocks, thread, files, history and the caller's abilities",
        params: requestIdParams,
        response: { 200: requestDetailsSchema, ...errorSchemas },
      },
    },
    async (req) => runAsActor(req, (ctx) => showRequest(ctx, req.params.requestId, { recordView: true })),
  );

  await app.register(requestActionRoutes);
  await app.register(feeRoutes);
  await app.register(authorizationRoutes);
  await app.register(requestClockRoutes);
  await app.register(legalRoutes);
};
