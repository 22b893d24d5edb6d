// GET /api/me: who is signed in, their practice, and what they may do in general.
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../shared/roles.js';
import { abilitiesFor } from '../../auth/abilities.js';
import { practices } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';
import { requireActor } from '../../http/auth-context.js';

export const meSchema = z.object({
  user: z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.enum(ROLES)),
    practiceId: z.uuid(),
  }),
  practice: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string(), state: z.string() }),
  abilities: z.array(z.string()),
});

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in staff member, their practice, roles and abilities',
        security: [{ session: [] }],
        response: { 200: meSchema },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const [practice] = await app.services.database.db
        .select({
          id: practices.id,
          name: practices.name,
          timeZone: practices.timeZone,
          state: practices.state,
        })
        .from(practices)
        .where(eq(practices.id, actor.practiceId));
      if (!practice) throw new NotFoundError('practice');
      return {
        user: {
          id: actor.id,
          name: actor.name,
          email: actor.email,
          roles: actor.roles,
          practiceId: actor.practiceId,
        },
        practice,
        abilities: abilitiesFor(actor.roles),
      };
    },
  );
};
