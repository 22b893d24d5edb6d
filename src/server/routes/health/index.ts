import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']) });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Is the server up and can it reach its database?',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_req, reply) => {
      try {
        await app.services.database.pool.query('select 1');
        return { status: 'ok' as const, database: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'degraded' as const, database: 'down' as const });
      }
    },
  );
};
