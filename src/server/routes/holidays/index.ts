// The practice's holidays (rule TIME-6): every signed-in staff member reads them (the UI shows due
// dates around them); only an administrator replaces the list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listHolidays } from '../../clocks/holidays.js';
import { holidaysSchema, holidaysView } from '../../clocks/schema.js';
import { setHolidays } from '../../commands/set-holidays.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { errorSchemas } from '../requests/schema.js';
import { requireAbility } from '../users/guard.js';

export const holidaysRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/practice/holidays',
    {
      schema: {
        tags: ['administration'],
        summary: 'The days the practice is closed: step clocks skip them like weekends (TIME-6)',
        response: { 200: holidaysView, ...errorSchemas },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return { holidays: await listHolidays(app.services.database.db, actor.practiceId) };
    },
  );

  app.put(
    '/api/practice/holidays',
    {
      schema: {
        tags: ['administration'],
        summary: "Replace the practice's holidays (admin; TIME-6)",
        description:
          'Send the whole list. Step due dates computed from now on skip these days; due dates already set do not move.',
        body: holidaysSchema,
        response: { 200: holidaysView, ...errorSchemas },
      },
    },
    async (req) => {
      requireAbility(req, 'manage_settings');
      return { holidays: await runAsActor(req, (ctx) => setHolidays(ctx, req.body)) };
    },
  );
};
