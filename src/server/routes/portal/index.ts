// The requester portal's status link, code and status page (issue 7). Public to the staff session
// hook (`config.public`): each route proves the requester itself, by the link's token and code, or
// by the portal session through `requirePortalAccess` (src/server/portal/access.ts). Answers are
// never cached and send no Referer; the token lives only in the path (log-safe.ts hides it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  portalCodeSchema,
  portalLinkViewSchema,
  portalMessageSchema,
  portalNumberParams,
  portalSessionViewSchema,
  portalStatusSchema,
  portalTokenParams,
} from '../../../shared/schemas/portal.js';
import { record } from '../../audit/record.js';
import { contentDisposition } from '../../documents/content.js';
import { requestMeta } from '../../http/meta.js';
import { inPortal, portalLanguage, requirePortalAccess } from '../../portal/access.js';
import { portalCheckout, portalDownload, portalReceipt, postPortalMessage } from '../../portal/actions.js';
import { confirmStatusCode, type Outcome, openStatusLink, sendStatusCode } from '../../portal/links.js';
import { clearPortalCookie, revokePortalSession, setPortalCookie } from '../../portal/session.js';
import { portalStatus } from '../../portal/status.js';

const TAG = 'requester portal';
/** Per client address (in memory); the link itself locks after 5 wrong codes and sends 5 codes an hour. */
const LINK_RATE_LIMIT = { max: 20, timeWindow: 60_000 };
const PAGE_RATE_LIMIT = { max: 120, timeWindow: 60_000 };
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = {
  400: errorView,
  403: errorView,
  404: errorView,
  409: errorView,
  410: errorView,
  429: errorView,
};
const pdf = { description: 'A PDF', content: { 'application/pdf': { schema: z.file() } } };

function refuse<T>(reply: FastifyReply, outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  reply.code(outcome.status).send({ error: outcome.error, message: outcome.message });
  return undefined as T;
}

const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
const meta = (req: FastifyRequest) => requestMeta(req);

export const portalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/portal/links/:token',
    {
      // A HEAD would open (and audit) the link for nobody; mail scanners send them.
      exposeHeadRoute: false,
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Open a status link: the practice, where the code goes, and the request’s language',
        params: portalTokenParams,
        response: { 200: portalLinkViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      return refuse(
        reply,
        await openStatusLink(app.services, meta(req), req.params.token, portalLanguage(req)),
      );
    },
  );

  app.post(
    '/api/portal/links/:token/code',
    {
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Email a 6-digit code to the address the link was sent to (5 an hour)',
        params: portalTokenParams,
        response: { 200: z.object({ sentTo: z.string(), expiresAt: z.iso.datetime() }), ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      return refuse(
        reply,
        await sendStatusCode(app.services, meta(req), req.params.token, portalLanguage(req)),
      );
    },
  );

  app.post(
    '/api/portal/links/:token/confirm',
    {
      config: { public: true, rateLimit: LINK_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Enter the emailed code: opens a portal session for this request (cookie rd_portal)',
        description:
          '403 for a wrong code, saying how many tries are left; the fifth wrong try locks the link (410).',
        params: portalTokenParams,
        body: portalCodeSchema,
        response: { 200: portalSessionViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const outcome = await confirmStatusCode(
        app.services,
        meta(req),
        req.params.token,
        req.body.code,
        portalLanguage(req),
      );
      if (!outcome.ok) return refuse(reply, outcome);
      setPortalCookie(req, reply, outcome.value.session.token);
      return {
        requestNumber: outcome.value.requestNumber,
        csrfToken: outcome.value.session.csrfToken,
        language: outcome.value.language,
      };
    },
  );

  app.get(
    '/api/portal/session',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The portal session’s request and CSRF token (404 without a live session)',
        response: { 200: portalSessionViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req);
      return { requestNumber: access.requestNumber, csrfToken: access.csrfToken, language: access.language };
    },
  );

  app.post(
    '/api/portal/session/end',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: { tags: [TAG], summary: 'Close the portal session', response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { write: true });
      await revokePortalSession(app.services.database.db, access.sessionTokenHash, app.services.now());
      await inPortal(req, access, async (ctx) => {
        record(ctx, {
          type: 'portal.session_ended',
          requestId: access.requestId,
          data: { by: 'requester', requesterEmail: access.requesterEmail, reason: 'closed' },
        });
      });
      clearPortalCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/portal/requests/:number',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The status page: stage, dates, contact, the requester thread, the invoice, the download',
        params: portalNumberParams,
        response: { 200: portalStatusSchema, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number });
      return inPortal(req, access, (ctx) => portalStatus(ctx, access));
    },
  );

  app.post(
    '/api/portal/requests/:number/messages',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags: [TAG],
        summary: 'Send a message to the practice (plain text, on the requester thread)',
        params: portalNumberParams,
        body: portalMessageSchema,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number, write: true });
      const posted = await inPortal(req, access, (ctx) => postPortalMessage(ctx, access, req.body.body));
      return reply.code(201).send(posted);
    },
  );

  app.post(
    '/api/portal/requests/:number/checkout',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: [TAG],
        summary: 'Open the online payment page for the unpaid invoice (Stripe Checkout): its address',
        params: portalNumberParams,
        response: { 200: z.object({ url: z.string() }), ...errors, 502: errorView, 503: errorView },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number, write: true });
      return inPortal(req, access, (ctx) => portalCheckout(ctx, access));
    },
  );

  app.get(
    '/api/portal/requests/:number/receipt',
    {
      config: { public: true, rateLimit: PAGE_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'The receipt of the paid invoice (PDF)',
        params: portalNumberParams,
        response: { 200: pdf, ...errors },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number });
      const file = await inPortal(req, access, (ctx) => portalReceipt(ctx, access));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(file.name))
        .send(file.data as unknown as File);
    },
  );

  app.post(
    '/api/portal/requests/:number/download',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: [TAG],
        summary: 'Download the released records (the secure link’s rules: counted, audited; REL-2)',
        params: portalNumberParams,
        response: { 200: pdf, ...errors, 500: errorView },
      },
    },
    async (req, reply) => {
      noStore(reply);
      const access = await requirePortalAccess(req, { requestNumber: req.params.number, write: true });
      const file = await inPortal(req, access, (ctx) => portalDownload(ctx, access));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(file.name))
        .header('x-content-sha256', file.sha256)
        .send(file.data as unknown as File);
    },
  );
};

export default portalRoutes;
