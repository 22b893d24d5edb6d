// A request's secure links, for staff (rules REL-2, AUTH-5): send one to a ready packet, list them
// with their state and counters, revoke one. Thin routes: parse -> command or query -> answer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createDeliveryLink } from '../../commands/create-delivery-link.js';
import { revokeDeliveryLink } from '../../commands/revoke-delivery-link.js';
import { SECOND_CHANNELS } from '../../db/schema-packets.js';
import { presentLinks } from '../../delivery/present.js';
import { createLinkSchema, revokeLinkSchema } from '../../delivery/schemas.js';
import { enforceFileDecision } from '../../documents/storage.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { decidePacketView } from '../../policies/packets.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';

const TAG = 'secure links';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView };
const requestParams = z.object({ requestId: z.uuid() });
const packetParams = z.object({ requestId: z.uuid(), packetId: z.uuid() });
const linkParams = z.object({ requestId: z.uuid(), linkId: z.uuid() });
const person = z.object({ id: z.uuid(), name: z.string() });

export const linkView = z.object({
  id: z.uuid(),
  packetId: z.uuid(),
  packetVersion: z.number().int(),
  recipientName: z.string(),
  recipientEmail: z.string(),
  secondChannel: z.enum(SECOND_CHANNELS),
  state: z.enum(['active', 'expired', 'revoked', 'locked', 'used_up']),
  attempts: z.number().int(),
  downloads: z.number().int(),
  maxDownloads: z.number().int(),
  expiresAt: z.iso.datetime(),
  lockedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  revokedBy: person.nullable(),
  revokeReason: z.string().nullable(),
  authorizationId: z.uuid().nullable(),
  createdBy: person,
  createdAt: z.iso.datetime(),
});

export const staffLinkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/requests/:requestId/links',
    {
      schema: {
        tags: [TAG],
        summary: 'The secure links of a request: state, attempts, downloads (never the token or codes)',
        params: requestParams,
        response: { 200: z.object({ links: z.array(linkView) }), 404: errorView },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return runAsActor(req, async (ctx) => {
        const loaded = await findVisibleRequest(ctx, req.params.requestId);
        enforceFileDecision(decidePacketView(actor, loaded.facts), loaded.row.id);
        return { links: await presentLinks(ctx, loaded.row) };
      });
    },
  );

  app.post(
    '/api/requests/:requestId/packets/:packetId/links',
    {
      schema: {
        tags: [TAG],
        summary:
          'Send a secure link to a packet (REL-2): the link and a code go to the recipient as two messages',
        description:
          'Only hashes of the token and codes are stored. A third-party recipient also passes a second channel: ' +
          '`phoneCode` in this answer is the code to read out by phone, shown once. 409 while anything blocks ' +
          'release (e.g. a revoked authorization, AUTH-5) or when the packet is not ready.',
        params: packetParams,
        body: createLinkSchema,
        response: { 201: z.object({ link: linkView, phoneCode: z.string().nullable() }), ...errors },
      },
    },
    async (req, reply) => {
      const created = await runAsActor(req, (ctx) =>
        createDeliveryLink(ctx, req.params.requestId, req.params.packetId, req.body),
      );
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/requests/:requestId/links/:linkId/revoke',
    {
      schema: {
        tags: [TAG],
        summary: 'Revoke a secure link, with the reason',
        params: linkParams,
        body: revokeLinkSchema,
        response: { 200: linkView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, (ctx) => revokeDeliveryLink(ctx, req.params.requestId, req.params.linkId, req.body)),
  );
};
