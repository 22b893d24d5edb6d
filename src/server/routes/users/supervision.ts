// Supervision links (admin): who supervises whom. One supervisor per supervisee, no cycles.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidParam } from '../../auth/fields.js';
import { linkSupervisor, unlinkSupervisor } from '../../commands/link-supervisor.js';
import { runAsActor } from '../../http/auth-context.js';
import { requireAbility } from './guard.js';
import { listSupervisionLinks } from './read.js';

const TAG = 'administration';
const linkView = z.object({ superviseeId: z.uuid(), supervisorId: z.uuid(), createdAt: z.iso.datetime() });

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/supervision-links',
    {
      schema: {
        tags: [TAG],
        summary: "The practice's supervision links (admin)",
        response: { 200: z.object({ links: z.array(linkView) }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      return { links: await listSupervisionLinks(app.services.database.db, actor.practiceId) };
    },
  );

  app.post(
    '/api/supervision-links',
    {
      schema: {
        tags: [TAG],
        summary: 'Make one staff member the supervisor of another (admin)',
        description: '409 when the supervisee already has a supervisor or when the link would close a cycle.',
        body: z.object({ superviseeId: uuidParam, supervisorId: uuidParam }),
        response: { 201: z.object({ links: z.array(linkView) }) },
      },
    },
    async (req, reply) => {
      const actor = requireAbility(req, 'manage_users');
      await runAsActor(req, (ctx) => linkSupervisor(ctx, req.body));
      return reply
        .code(201)
        .send({ links: await listSupervisionLinks(app.services.database.db, actor.practiceId) });
    },
  );

  app.delete(
    '/api/supervision-links/:superviseeId',
    {
      schema: {
        tags: [TAG],
        summary: "Remove a staff member's supervision link (admin)",
        params: z.object({ superviseeId: uuidParam }),
        response: { 200: z.object({ links: z.array(linkView) }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      await runAsActor(req, (ctx) => unlinkSupervisor(ctx, req.params.superviseeId));
      return { links: await listSupervisionLinks(app.services.database.db, actor.practiceId) };
    },
  );
};
