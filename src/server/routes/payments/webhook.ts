// POST /api/payments/stripe/webhook: Stripe's events, public (no session, no CSRF: the signature is
// the credential). The body is kept raw in this plugin only, because the signature is over the exact
// bytes Stripe sent; everything else of the app keeps parsing JSON.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../http/meta.js';
import { receiveStripeWebhook } from '../../payments/webhook.js';

const errorView = z.looseObject({ error: z.string(), message: z.string() });

export const stripeWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/api/payments/stripe/webhook',
    {
      config: { public: true, rateLimit: { max: 300, timeWindow: 60_000 } },
      schema: {
        tags: ['payments'],
        summary: 'Stripe’s webhook: checkout.session.completed, checkout.session.expired, charge.refunded',
        description:
          'Verified by the Stripe-Signature header (400 when missing, forged or older than 5 minutes, audited without the payload). ' +
          'Each event id is applied once: a replay answers 200 and changes nothing. Other event types: 200, ignored.',
        response: {
          200: z.object({ received: z.literal(true), outcome: z.string() }),
          400: errorView,
          404: errorView,
        },
      },
    },
    async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers['stripe-signature'];
      const answer = await receiveStripeWebhook(
        app.services,
        requestMeta(req),
        raw,
        Array.isArray(header) ? header[0] : header,
      );
      return reply.code(answer.status).send(answer.body);
    },
  );
};
