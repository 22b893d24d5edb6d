// Payments of a release's invoice over HTTP (issue 7): support reads the payment, opens the online
// payment page for the requester, refunds, voids and downloads the receipt; Stripe calls the webhook
// (webhook.ts beside this file, with its own raw-body parser). FEE-4: only this invoice's amounts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refundPaymentSchema, voidInvoiceSchema } from '../../../shared/schemas/payments.js';
import { runAsActor } from '../../http/auth-context.js';
import { startCheckout } from '../../payments/checkout.js';
import { receiptPdf } from '../../payments/receipt.js';
import { refundPayment } from '../../payments/refund.js';
import { paymentSummary, paymentSummarySchema } from '../../payments/summary.js';
import { voidInvoice } from '../../payments/void.js';
import { errorSchemas, requestIdParams } from '../requests/schema.js';
import { stripeWebhookRoutes } from './webhook.js';

const TAG = 'payments';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { ...errorSchemas, 502: errorView, 503: errorView };
const BASE = '/api/requests/:requestId/payments';

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(stripeWebhookRoutes);

  app.get(
    BASE,
    {
      schema: {
        tags: [TAG],
        summary:
          'The invoice with each line, whether and how it is paid, refunds, a void, online payment pages',
        description:
          'Without Stripe keys, `payDirectly` says how the requester pays the practice directly. `abilities` lists what the caller may do now.',
        params: requestIdParams,
        response: { 200: paymentSummarySchema, ...errorSchemas },
      },
    },
    async (req) => runAsActor(req, (ctx) => paymentSummary(ctx, req.params.requestId)),
  );

  app.post(
    `${BASE}/checkout`,
    {
      schema: {
        tags: [TAG],
        summary: 'Open the Stripe Checkout page for the unpaid invoice (one page per invoice at a time)',
        description:
          'Answers the open page again if there is one (a double click makes one). 409 without Stripe keys, for a voided, ' +
          'paid or absent invoice; 502/503 when Stripe refuses or cannot be reached (nothing is written).',
        params: requestIdParams,
        response: {
          200: z.object({
            id: z.uuid(),
            url: z.string().nullable(),
            amountCents: z.number().int(),
            currency: z.string(),
            expiresAt: z.iso.datetime(),
            status: z.string(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const s = await runAsActor(req, (ctx) => startCheckout(ctx, req.params.requestId));
      return {
        id: s.id,
        url: s.url,
        amountCents: s.amountCents,
        currency: s.currency,
        expiresAt: s.expiresAt.toISOString(),
        status: s.status,
      };
    },
  );

  app.post(
    `${BASE}/refund`,
    {
      schema: {
        tags: [TAG],
        summary: 'Refund a paid invoice, in full or in part, with a reason',
        description:
          'An online payment is refunded through Stripe; a payment made directly is refunded outside and recorded with its reference.',
        params: requestIdParams,
        body: refundPaymentSchema,
        response: {
          201: z.object({
            id: z.uuid(),
            source: z.string(),
            amountCents: z.number().int(),
            reference: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const r = await runAsActor(req, (ctx) => refundPayment(ctx, req.params.requestId, req.body));
      return reply
        .code(201)
        .send({ id: r.id, source: r.source, amountCents: r.amountCents, reference: r.reference });
    },
  );

  app.post(
    `${BASE}/void`,
    {
      schema: {
        tags: [TAG],
        summary:
          'Void an unpaid invoice with its reason (the invoice stays as sent; an open payment page is closed)',
        params: requestIdParams,
        body: voidInvoiceSchema,
        response: { 201: z.object({ reason: z.string(), voidedAt: z.iso.datetime() }), ...errors },
      },
    },
    async (req, reply) => {
      const v = await runAsActor(req, (ctx) => voidInvoice(ctx, req.params.requestId, req.body));
      return reply.code(201).send({ reason: v.reason, voidedAt: v.voidedAt.toISOString() });
    },
  );

  app.get(
    `${BASE}/receipt.pdf`,
    {
      schema: {
        tags: [TAG],
        summary: 'The receipt of a paid invoice as a PDF (audited)',
        params: requestIdParams,
        response: {
          200: { description: 'The receipt', content: { 'application/pdf': { schema: z.file() } } },
          ...errorSchemas,
        },
      },
    },
    async (req, reply) => {
      const { name, data } = await runAsActor(req, (ctx) => receiptPdf(ctx, req.params.requestId));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(data as unknown as File);
    },
  );
};

export default paymentRoutes;
