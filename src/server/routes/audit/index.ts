// The audit log (rule SEC-3): the privacy officer and administrators list and filter their
// practice's events, and check the chain. Reading the log is itself an audited event.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditPageSchema, auditQuerySchema, auditVerifySchema } from '../../../shared/schemas/audit.js';
import { record } from '../../audit/record.js';
import { runAsActor } from '../../http/auth-context.js';
import { presentAuditEvent } from '../../presenters/audit-event.js';
import { listAuditEvents, verifyPracticeChain } from '../../queries/audit-log.js';

const TAG = 'audit';
const errorSchema = z.object({ error: z.string(), message: z.string() }).loose();
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit-events',
    {
      schema: {
        tags: [TAG],
        summary: 'The practice’s audit log, newest first (privacy officer, admin)',
        description:
          'Filter by type, request, client, actor and period; page with `before` (the previous ' +
          'page’s `nextBefore`). Reading the log is recorded as `audit.viewed`.',
        security: [{ session: [] }],
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const page = await listAuditEvents(ctx, req.query);
        const filters = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== undefined));
        record(ctx, { type: 'audit.viewed', data: { filters, returned: page.rows.length } });
        return { events: page.rows.map(presentAuditEvent), nextBefore: page.nextBefore };
      }),
  );

  app.get(
    '/api/audit-events/verify',
    {
      schema: {
        tags: [TAG],
        summary: 'Check the audit chain’s HMACs (privacy officer, admin)',
        description:
          'Walks the tamper-evident chain. Details of a broken row are given only when it is in the ' +
          'caller’s practice.',
        security: [{ session: [] }],
        response: { 200: auditVerifySchema, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const result = await verifyPracticeChain(ctx);
        record(ctx, { type: 'audit.viewed', data: { verify: true, ok: result.ok } });
        return result;
      }),
  );
};
