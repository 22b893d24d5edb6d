// The clocks' routes on a request: the one extension of an access request's deadline (TIME-2),
// answered with the request as the caller now sees it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { extensionSchema } from '../../clocks/schema.js';
import { extendDeadline } from '../../commands/extend-deadline.js';
import { runAsActor } from '../../http/auth-context.js';
import { errorSchemas, requestDetailsSchema, requestIdParams } from './schema.js';
import { showRequest } from './show.js';

export const requestClockRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/requests/:requestId/extension',
    {
      schema: {
        tags: ['workflow'],
        summary:
          "Extend an access request's deadline once, with the written notice to the requester (TIME-2)",
        description:
          'Support or the privacy officer; access kinds only (KIND-1, 2, 6); before the current due date; at most 30 days after the original one. The notice (reason and new date) is posted on the requester thread.',
        params: requestIdParams,
        body: extensionSchema,
        response: { 200: requestDetailsSchema, ...errorSchemas },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        await extendDeadline(ctx, req.params.requestId, req.body);
        return showRequest(ctx, req.params.requestId, { recordView: false });
      }),
  );
};
