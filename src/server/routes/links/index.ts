// The recipient's side of a secure link (rule REL-2): public routes, no staff session, rate-limited
// per address on top of the per-link lock. The token is the only key; answers say only what the
// recipient needs (the practice's name, that a document waits), and 410 for a link that cannot be
// used any more, whatever the reason, with that reason in words (and the request's language, issue 7).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmLink, downloadViaLink, type Outcome, openLink } from '../../delivery/public.js';
import { confirmLinkSchema, downloadLinkSchema, tokenParams } from '../../delivery/schemas.js';
import { contentDisposition } from '../../documents/content.js';
import { requestMeta } from '../../http/meta.js';
import { staffLinkRoutes } from './staff.js';

const TAG = 'secure links';
/** Per client address (in memory, per instance); the link itself locks after 5 wrong codes. */
const LINK_RATE_LIMIT = { max: 20, timeWindow: 60_000 };
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 410: errorView, 429: errorView };

function refuse<T>(reply: FastifyReply, outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  // Issue 7: a gone link's refusal carries its request's language (nothing else), for the page's words.
  const language = outcome.language ? { language: outcome.language } : {};
  reply.code(outcome.status).send({ error: outcome.error, message: outcome.message, ...language });
  return undefined as T;
}

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
const meta = (req: FastifyRequest) => requestMeta(req);

export const linksRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(staffLinkRoutes);

  app.get(
    '/api/links/:token',
    {
      // A HEAD would open (and audit) the link for nobody; link scanners in mail systems send them.
      exposeHeadRoute: false,
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary:
          'Open a secure link: the practice’s name and contact, whether email is set up, that a document waits, and which codes to enter',
        params: tokenParams,
        response: {
          200: z.object({
            practiceName: z.string(),
            // Issue 5: how to reach the practice, and whether email is set up (the code may not come).
            practicePhone: z.string().nullable(),
            practiceEmail: z.string().nullable(),
            mailDelivered: z.boolean(),
            message: z.string(),
            needs: z.array(z.enum(['code', 'phoneCode', 'dateOfBirth'])),
            expiresAt: z.iso.datetime(),
            // Issue 7: the request's language, for the recipient page's words.
            language: z.enum(['en', 'es']),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const outcome = await openLink(app.services, meta(req), req.params.token);
      if (!outcome.ok) return refuse(reply, outcome);
      return outcome.value;
    },
  );

  app.post(
    '/api/links/:token/confirm',
    {
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Enter the confirmation code (and the second channel): answers a grant for one download',
        description:
          '403 for a wrong code, saying how many tries are left; the fifth wrong try locks the link (410).',
        params: tokenParams,
        body: confirmLinkSchema,
        response: {
          200: z.object({
            grant: z.string(),
            grantExpiresAt: z.iso.datetime(),
            downloadsLeft: z.number().int(),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const outcome = await confirmLink(app.services, meta(req), req.params.token, req.body);
      if (!outcome.ok) return refuse(reply, outcome);
      return outcome.value;
    },
  );

  app.post(
    '/api/links/:token/download',
    {
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Download the packet with the grant from /confirm (counts against the link’s limit)',
        params: tokenParams,
        body: downloadLinkSchema,
        response: {
          200: { description: 'The packet', content: { 'application/pdf': { schema: z.file() } } },
          ...errors,
          500: errorView,
        },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const outcome = await downloadViaLink(app.services, meta(req), req.params.token, req.body.grant);
      if (!outcome.ok) return refuse(reply, outcome);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(outcome.value.name))
        .header('x-content-sha256', outcome.value.sha256)
        .send(outcome.value.data as unknown as File);
    },
  );
};

export default linksRoutes;
