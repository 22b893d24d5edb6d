// Fees and rules of one request over HTTP: support quotes the fee in advance and records the
// client's agreement (FEE-1…FEE-5); anyone who sees the request reads the rules it is decided under
// (TIME-3, FEE-6) and its quotes. The rule pack routes (/api/rule-packs) are their own area
// (routes/rule-packs, registered in routes/index.ts).
import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptFeeQuote, acceptFeeQuoteSchema, feeQuoteSchema, quoteFee } from '../../commands/quote-fee.js';
import { practiceDurations } from '../../commands/support/tasks.js';
import { feeQuotes } from '../../db/schema-rules.js';
import { runAsActor } from '../../http/auth-context.js';
import {
  feeQuoteViewSchema,
  presentFeeQuote,
  presentRules,
  rulesViewSchema,
} from '../../presenters/rules.js';
import { rulesForRequest } from '../../queries/rule-packs.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';
import { errorSchemas, requestIdParams } from './schema.js';

const quoteAnswer = z.object({ quote: feeQuoteViewSchema, rules: rulesViewSchema });

export const feeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/requests/:requestId/fee-quote',
    {
      schema: {
        tags: ['requests'],
        summary: 'Support quotes the fee in advance, by kind and rule pack (FEE-1, FEE-2, FEE-3, FEE-5)',
        description:
          'Access (KIND-1, KIND-6) defaults to no fee; lines only for copying labour, supplies, postage or an agreed ' +
          'summary (FEE-1); a flat fee for electronic copies up to the pack’s cap (FEE-2). Third parties within the ' +
          'state statute’s cap (FEE-5). Codes outside the fee vocabulary are refused (FEE-4).',
        params: requestIdParams,
        body: feeQuoteSchema,
        response: { 201: quoteAnswer, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const { quote, rules } = await runAsActor(req, (ctx) => quoteFee(ctx, req.params.requestId, req.body));
      return reply.code(201).send({ quote: presentFeeQuote(quote), rules: presentRules(rules) });
    },
  );

  app.post(
    '/api/requests/:requestId/fee-quote/accept',
    {
      schema: {
        tags: ['requests'],
        summary: 'Support records the client’s agreement to the latest quote (FEE-3)',
        params: requestIdParams,
        body: acceptFeeQuoteSchema,
        response: { 200: quoteAnswer, ...errorSchemas },
      },
    },
    async (req) => {
      const { quote, rules } = await runAsActor(req, (ctx) =>
        acceptFeeQuote(ctx, req.params.requestId, req.body),
      );
      return { quote: presentFeeQuote(quote), rules: presentRules(rules) };
    },
  );

  app.get(
    '/api/requests/:requestId/rules',
    {
      schema: {
        tags: ['requests'],
        summary: 'The rules the request is decided under (TIME-3, FEE-6), with warnings, and its fee quotes',
        params: requestIdParams,
        response: {
          200: z.object({ rules: rulesViewSchema, feeQuotes: z.array(feeQuoteViewSchema) }),
          ...errorSchemas,
        },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const { row } = await findVisibleRequest(ctx, req.params.requestId);
        const { timeZone } = await practiceDurations(ctx.tx, row.practiceId);
        const quotes = await ctx.tx
          .select()
          .from(feeQuotes)
          .where(eq(feeQuotes.requestId, row.id))
          .orderBy(desc(feeQuotes.quotedAt));
        return {
          rules: presentRules(await rulesForRequest(ctx, row, timeZone)),
          feeQuotes: quotes.map(presentFeeQuote),
        };
      }),
  );
};
