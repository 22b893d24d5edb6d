// Authorization signing in the requester portal (issue 7; rules AUTH-1, AUTH-2, AUTH-7, VER-1). Public
// to the staff session hook; each route proves the requester through the portal session
// (`requirePortalAccess`: a plain 404 without one or for another request). Answers are never cached
// and send no Referer. Nothing but the hash seen, the signature and the consents is taken from the
// client: the date and time come from the server's clock, the IP from the connection (TRUST_PROXY).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { portalNumberParams } from '../../../shared/schemas/portal.js';
import {
  portalSignBodySchema,
  portalSignedSchema,
  portalSignViewSchema,
} from '../../../shared/schemas/portal-sign.js';
import { contentDisposition } from '../../documents/content.js';
import { inPortal, requirePortalAccess } from '../../portal/access.js';
import {
  authorizationPdf,
  authorizationView,
  signAuthorization,
  signedCopy,
} from '../../portal/sign/sign.js';
import { drawnSignaturePdf } from '../../portal/sign/signed-pdf.js';

const TAG = 'requester portal';
const PAGE_RATE_LIMIT = { max: 120, timeWindow: 60_000 };
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView, 429: errorView };
const pdf = { description: 'A PDF', content: { 'application/pdf': { schema: z.file() } } };

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');

export const portalSignRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/portal/requests/:number/authorization',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The authorization form to sign: its sections as text, the PDF’s address and SHA-256',
        description:
          'With ?summary=1 only the state (for the status page: no form rendered, nothing read, nothing audited).',
        params: portalNumberParams,
        querystring: z.object({ summary: z.literal('1').optional() }),
        response: { 200: portalSignViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number });
      const summary = req.query.summary === '1';
      return inPortal(req, access, (ctx) => authorizationView(ctx, access, { summary }));
    },
  );

  app.get(
    '/api/portal/requests/:number/authorization.pdf',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The exact PDF to sign (its SHA-256 in x-content-sha256)',
        params: portalNumberParams,
        response: { 200: pdf, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number });
      const file = await inPortal(req, access, (ctx) => authorizationPdf(ctx, access));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(file.name))
        .header('x-content-sha256', file.sha256)
        .send(file.data as unknown as File);
    },
  );

  app.post(
    '/api/portal/requests/:number/authorization/sign',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      bodyLimit: 512 * 1024,
      schema: {
        tags: [TAG],
        summary: 'Sign the form (typed name or drawn PNG), with the SHA-256 of the form seen',
        description:
          '409 when the form changed since (another SHA-256) or was already signed; 400 for a drawing that is not a bounded PNG.',
        params: portalNumberParams,
        body: portalSignBodySchema,
        response: { 201: portalSignedSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number, write: true });
      const { signature } = req.body;
      // Decoded (bounded) before the transaction opens, so a bad drawing changes nothing.
      const drawn =
        signature.method === 'drawn' ? await drawnSignaturePdf(signature.image, access.language) : null;
      const signed = await inPortal(req, access, (ctx) => signAuthorization(ctx, access, req.body, drawn));
      return reply.code(201).send(signed);
    },
  );

  app.get(
    '/api/portal/requests/:number/authorization/signed.pdf',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The signer’s copy of the signed form (AUTH-7; audited)',
        params: portalNumberParams,
        response: { 200: pdf, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number });
      const file = await inPortal(req, access, (ctx) => signedCopy(ctx, access));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(file.name))
        .send(file.data as unknown as File);
    },
  );
};

export default portalSignRoutes;
