// A request's packets, for staff (issue 6 "Packet"; rules SCOPE-1, PART2-1, REL-5). Thin routes:
// parse -> command or query -> answer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assemblePacket } from '../../commands/assemble-packet.js';
import { PACKET_STATUSES } from '../../db/schema-packets.js';
import { assemblePacketSchema } from '../../delivery/schemas.js';
import { contentDisposition } from '../../documents/content.js';
import { enforceFileDecision, readFile } from '../../documents/storage.js';
import { ConflictError } from '../../errors.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { addressSheet } from '../../packets/address-sheet.js';
import { packetOf, packetsOf, presentPackets } from '../../packets/queries.js';
import { decidePacketView, packetAbilities } from '../../policies/packets.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';

const TAG = 'packets';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView };
const requestParams = z.object({ requestId: z.uuid() });
const packetParams = z.object({ requestId: z.uuid(), packetId: z.uuid() });
const person = z.object({ id: z.uuid(), name: z.string() });

export const packetView = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  version: z.number().int(),
  status: z.enum(PACKET_STATUSES),
  sourceFileIds: z.array(z.uuid()),
  fileId: z.uuid().nullable(),
  sha256: z.string().nullable().describe('SHA-256 of the packet PDF, hex (REL-3, REL-5)'),
  pageCount: z.number().int().nullable(),
  size: z.number().int().nullable(),
  part2: z.boolean(),
  problem: z.string().nullable().describe('Why assembly was blocked (SCOPE-1 names the document)'),
  requestedBy: person,
  requestedAt: z.iso.datetime(),
  assembledAt: z.iso.datetime().nullable(),
  releasedAt: z.iso.datetime().nullable(),
});

export const packetsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/requests/:requestId/packets',
    {
      schema: {
        tags: [TAG],
        summary:
          'Assemble the next version of the packet (a job): cover letter, the approved records, stamps',
        description:
          'Support, the privacy officer or the holder of the release task, once what was prepared is approved. ' +
          '409 naming each document outside the authorized scope (SCOPE-1), after release (REL-5), or while a ' +
          'version is still being assembled. Answers 202 with the queued packet; GET the list to see it ready.',
        params: requestParams,
        body: assemblePacketSchema,
        response: { 202: packetView, ...errors },
      },
    },
    async (req, reply) => {
      const packet = await runAsActor(req, (ctx) => assemblePacket(ctx, req.params.requestId, req.body));
      return reply.code(202).send(packet);
    },
  );

  app.get(
    '/api/requests/:requestId/packets',
    {
      schema: {
        tags: [TAG],
        summary:
          'The packets of a request (newest version first), its secure links, and what the caller may do',
        params: requestParams,
        response: {
          200: z.object({
            packets: z.array(packetView),
            abilities: z.array(z.enum(['assemble_packet', 'download_packet', 'send_link', 'revoke_link'])),
          }),
          404: errorView,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return runAsActor(req, async (ctx) => {
        const loaded = await findVisibleRequest(ctx, req.params.requestId);
        enforceFileDecision(decidePacketView(actor, loaded.facts), loaded.row.id);
        return {
          packets: await presentPackets(ctx, await packetsOf(ctx, loaded.row)),
          abilities: packetAbilities(actor, loaded.facts),
        };
      });
    },
  );

  app.get(
    '/api/requests/:requestId/packets/:packetId/file',
    {
      exposeHeadRoute: false,
      schema: {
        tags: [TAG],
        summary: 'Download a packet PDF (audited, through the one read path of files)',
        params: packetParams,
        response: {
          200: { description: 'The packet', content: { 'application/pdf': { schema: z.file() } } },
          ...errors,
          500: errorView,
        },
      },
    },
    async (req, reply) => {
      const { requestId, packetId } = req.params;
      const file = await runAsActor(req, async (ctx) => {
        const loaded = await findVisibleRequest(ctx, requestId);
        const packet = await packetOf(ctx, loaded.row, packetId);
        if (!packet.fileId) {
          throw new ConflictError(
            `Version ${packet.version} of the packet is ${packet.status}: there is no file to download.`,
            {
              requestId,
              packetId,
            },
          );
        }
        return readFile(ctx, requestId, packet.fileId);
      });
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.name))
        .header('cache-control', 'no-store')
        .send(file.data as unknown as File);
    },
  );

  app.get(
    '/api/requests/:requestId/packets/:packetId/address-sheet',
    {
      exposeHeadRoute: false,
      schema: {
        tags: [TAG],
        summary: 'The address sheet to print with a packet going by mail (REL-1; audited)',
        description:
          "The requester's name and postal address for a window envelope, the request number, the packet's version, pages and SHA-256, and lines for the date posted and the tracking number. 409 when no postal address is recorded or the packet is not ready.",
        params: packetParams,
        response: {
          200: { description: 'The address sheet', content: { 'application/pdf': { schema: z.file() } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { requestId, packetId } = req.params;
      const actor = requireActor(req);
      const pdf = await runAsActor(req, async (ctx) => {
        const loaded = await findVisibleRequest(ctx, requestId);
        // The same policy as the packet itself (who may see the prepared records).
        enforceFileDecision(decidePacketView(actor, loaded.facts), loaded.row.id);
        const packet = await packetOf(ctx, loaded.row, packetId);
        return addressSheet(ctx, loaded.row, packet);
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`address-sheet-${packetId.slice(0, 8)}.pdf`))
        .header('cache-control', 'no-store')
        .send(pdf as unknown as File);
    },
  );
};

export default packetsRoutes;
