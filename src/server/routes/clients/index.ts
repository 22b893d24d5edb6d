// The practice's clients (rule SEC-2): support and the privacy officer add and edit them; everyone
// else sees only the clients their relationship gives them, and a client outside it is not found.
// Thin: parse -> command or query -> presenter (architecture.md, convention 1).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clientListSchema,
  clientViewSchema,
  createClientSchema,
  listClientsQuerySchema,
  updateClientSchema,
} from '../../../shared/schemas/clients.js';
import { record } from '../../audit/record.js';
import { createClient } from '../../commands/create-client.js';
import { updateClient } from '../../commands/update-client.js';
import { runAsActor } from '../../http/auth-context.js';
import { presentClient } from '../../presenters/client.js';
import { findVisibleClient, listVisibleClients } from '../../queries/visible-clients.js';

const TAG = 'clients';
const clientParams = z.object({ id: z.uuid('must be an id (UUID)') });
const errorSchema = z.object({ error: z.string(), message: z.string() }).loose();
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const one = z.object({ client: clientViewSchema });

export const clientsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/clients',
    {
      schema: {
        tags: [TAG],
        summary: 'The clients the caller may see, by name',
        description:
          'Support and the privacy officer see every client of the practice; a therapist their own; a ' +
          'supervisor those of everyone below them (and their own); clinical services none. An ' +
          'administrator without another role is refused (403).',
        security: [{ session: [] }],
        querystring: listClientsQuerySchema,
        response: { 200: clientListSchema, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const page = await listVisibleClients(ctx, req.query);
        // rule SEC-3: who looked at which clients (ids only; the search text is not kept).
        record(ctx, {
          type: 'client.listed',
          data: {
            clientIds: page.clients.map((c) => c.row.id),
            total: page.total,
            therapistId: req.query.therapistId ?? null,
            searched: req.query.q !== undefined && req.query.q.length > 0,
            limit: req.query.limit,
            offset: req.query.offset,
          },
        });
        return {
          clients: page.clients.map((c) => presentClient(ctx.actor!, c)),
          total: page.total,
          limit: req.query.limit,
          offset: req.query.offset,
        };
      }),
  );

  app.post(
    '/api/clients',
    {
      schema: {
        tags: [TAG],
        summary: 'Add a client (support, privacy officer)',
        description:
          'The minor flag follows the date of birth and today in the practice’s time zone unless given. ' +
          'The therapist must be an active therapist of this practice.',
        security: [{ session: [], csrf: [] }],
        body: createClientSchema,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const client = await runAsActor(req, async (ctx) => {
        const { clientId } = await createClient(ctx, req.body);
        return presentClient(ctx.actor!, await findVisibleClient(ctx, clientId));
      });
      return reply.code(201).send({ client });
    },
  );

  app.get(
    '/api/clients/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'One client, if the caller may see them (else 404); the view is audited',
        security: [{ session: [] }],
        params: clientParams,
        response: { 200: one, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const client = await findVisibleClient(ctx, req.params.id);
        // rule SEC-3: every view of a client's details is recorded.
        record(ctx, { type: 'client.viewed', clientId: client.row.id });
        return { client: presentClient(ctx.actor!, client) };
      }),
  );

  app.patch(
    '/api/clients/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Edit a client’s details (support, privacy officer)',
        description: 'Send only the fields to change; null or an empty string clears a contact detail.',
        security: [{ session: [], csrf: [] }],
        params: clientParams,
        body: updateClientSchema,
        response: { 200: one, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        await updateClient(ctx, req.params.id, req.body);
        return { client: presentClient(ctx.actor!, await findVisibleClient(ctx, req.params.id)) };
      }),
  );
};
