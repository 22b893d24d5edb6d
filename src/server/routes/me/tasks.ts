// GET /api/me/tasks: the home page's "My tasks" (ux.md): the caller's open tasks, overdue first,
// then by step due date, each with its request, client, requester and both clocks; for a supervisor
// also a "Letter to review" card (type draft_review, taskId the version's id) per version awaiting them.
// GET /api/me/supervisor: whom "Ask my supervisor" reaches (the escalation button's name).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { record } from '../../audit/record.js';
import { runAsActor } from '../../http/auth-context.js';
import { listMyTasks, listSuperviseeTasks, mySupervisor } from '../../queries/my-tasks.js';

const errorSchema = z.looseObject({ error: z.string(), message: z.string() });

export const myTaskSchema = z.object({
  taskId: z.string(),
  type: z.string(),
  label: z.string(),
  state: z.string(),
  holder: z.enum(['me', 'queue']),
  queueRole: z.string().nullable(),
  /** A "Letter to review" card (type draft_review) has the preparation clock's date, or null. */
  dueAt: z.string().nullable(),
  due: z.string().nullable(),
  daysLeft: z.number().nullable(),
  overdue: z.boolean(),
  paused: z.boolean(),
  request: z.object({
    id: z.string(),
    number: z.string(),
    kindLabel: z.string(),
    stageLabel: z.string(),
    status: z.string(),
    client: z.object({ name: z.string(), isMinor: z.boolean(), unmatched: z.boolean() }),
    requester: z.object({ name: z.string(), organization: z.string().nullable() }),
    legal: z.object({
      label: z.string(),
      dueAt: z.string(),
      due: z.string(),
      daysLeft: z.number().nullable(),
      overdue: z.boolean(),
    }),
  }),
});

export const superviseeTaskSchema = myTaskSchema
  .omit({ holder: true, queueRole: true })
  .extend({ assignee: z.object({ id: z.string(), name: z.string() }) });

export const myTasksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/supervisees/tasks',
    {
      schema: {
        tags: ['requests'],
        summary:
          'The supervisor’s board: open tasks held by the people I supervise (at any depth), overdue first',
        description:
          'Empty for someone who supervises nobody. Only requests the caller may open are listed (SEC-2).',
        security: [{ session: [] }],
        response: { 200: z.object({ tasks: z.array(superviseeTaskSchema) }), 401: errorSchema },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const tasks = await listSuperviseeTasks(ctx);
        // rule SEC-3: the board shows client names: who saw which requests is recorded.
        if (tasks.length > 0) {
          record(ctx, {
            type: 'request.listed',
            data: {
              count: new Set(tasks.map((t) => t.request.id)).size,
              filters: { superviseeTasks: true },
            },
          });
        }
        return { tasks };
      }),
  );

  app.get(
    '/api/me/tasks',
    {
      schema: {
        tags: ['requests'],
        summary:
          'My tasks: assigned to me or open in my roles’ queues, and letters waiting for my review; overdue first, then by due date',
        security: [{ session: [] }],
        response: { 200: z.object({ tasks: z.array(myTaskSchema) }), 401: errorSchema },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const tasks = await listMyTasks(ctx);
        // rule SEC-3: the cards show client names: who saw which requests is recorded.
        if (tasks.length > 0) {
          record(ctx, {
            type: 'request.listed',
            data: {
              count: new Set(tasks.map((t) => t.request.id)).size,
              filters: { myTasks: true },
            },
          });
        }
        return { tasks };
      }),
  );

  app.get(
    '/api/me/supervisor',
    {
      schema: {
        tags: ['requests'],
        summary: 'My nearest supervisor (whom an escalation reaches), or null at the top of the chain',
        security: [{ session: [] }],
        response: {
          200: z.object({ supervisor: z.object({ id: z.string(), name: z.string() }).nullable() }),
          401: errorSchema,
        },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ supervisor: await mySupervisor(ctx) })),
  );
};
