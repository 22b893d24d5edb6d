// The practice's staff directory for everyone signed in (not only the administrator): who can be
// given a request, named as its therapist or asked a question. Names and roles of colleagues only —
// no email, no sign-in details, no health information — and only active accounts, so the system
// accounts behind the online form (inactive, no password) never appear.
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRole, ROLES } from '../../../shared/roles.js';
import { users } from '../../db/schema.js';
import { requireActor } from '../../http/auth-context.js';

export const staffMemberView = z.object({
  id: z.uuid(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
});

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/staff',
    {
      schema: {
        tags: ['administration'],
        summary: "The practice's active staff: names and roles (any signed-in staff member)",
        querystring: z.object({ role: z.enum(ROLES).optional() }),
        response: { 200: z.object({ staff: z.array(staffMemberView) }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const rows = await app.services.database.db
        .select({ id: users.id, name: users.name, roles: users.roles })
        .from(users)
        .where(and(eq(users.practiceId, actor.practiceId), eq(users.active, true)))
        .orderBy(asc(users.name), asc(users.id));
      const role = req.query.role;
      return {
        staff: rows
          .map((r) => ({ id: r.id, name: r.name, roles: r.roles.filter(isRole) }))
          .filter((r) => !role || r.roles.includes(role)),
      };
    },
  );
};
