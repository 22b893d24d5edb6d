// Administration (admin role only; SEC-2): staff accounts, supervision links and practice settings.
// Everything is scoped to the admin's own practice: another practice's user is not found (404).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cleanText, emailField, rolesField, uuidParam } from '../../auth/fields.js';
import { createUser, issueSignInLink } from '../../commands/create-user.js';
import { deactivateUser } from '../../commands/deactivate-user.js';
import { updateUser } from '../../commands/update-user.js';
import { runAsActor } from '../../http/auth-context.js';
import { requireAbility } from './guard.js';
import { practiceRoutes } from './practice.js';
import { getUser, listUsers, userView } from './read.js';
import { staffRoutes } from './staff.js';
import { supervisionRoutes } from './supervision.js';

const TAG = 'administration';
const userParams = z.object({ userId: uuidParam });
const signInLinkView = z.object({
  url: z.string().describe('Give this to the person; it works once, within 24 hours.'),
  expiresAt: z.iso.datetime(),
});

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.services.database.db;

  app.get(
    '/api/users',
    {
      schema: {
        tags: [TAG],
        summary: "The practice's staff accounts (admin)",
        response: { 200: z.object({ users: z.array(userView) }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      return { users: await listUsers(db(), actor.practiceId) };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: [TAG],
        summary: 'Add a staff member (admin); answers a one-time sign-in link',
        description:
          'The account has no password: the person opens the link (valid 24 hours, usable once), sets a ' +
          'password with POST /api/auth/token-login, and enrols the second factor.',
        body: z.object({ email: emailField, name: cleanText(200), roles: rolesField }),
        response: { 201: z.object({ user: userView, signInLink: signInLinkView }) },
      },
    },
    async (req, reply) => {
      const actor = requireAbility(req, 'manage_users');
      const made = await runAsActor(req, (ctx) => createUser(ctx, req.body));
      const user = await getUser(db(), actor.practiceId, made.userId);
      return reply.code(201).send({
        user,
        signInLink: { url: made.signInLink.url, expiresAt: made.signInLink.expiresAt.toISOString() },
      });
    },
  );

  app.get(
    '/api/users/:userId',
    {
      schema: {
        tags: [TAG],
        summary: 'One staff account (admin)',
        params: userParams,
        response: { 200: z.object({ user: userView }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      return { user: await getUser(db(), actor.practiceId, req.params.userId) };
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      schema: {
        tags: [TAG],
        summary: 'Rename a staff member or change their roles (admin)',
        params: userParams,
        body: z
          .object({ name: cleanText(200).optional(), roles: rolesField.optional() })
          .refine((b) => b.name !== undefined || b.roles !== undefined, 'give a name or roles to change'),
        response: { 200: z.object({ user: userView }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      await runAsActor(req, (ctx) => updateUser(ctx, req.params.userId, req.body));
      return { user: await getUser(db(), actor.practiceId, req.params.userId) };
    },
  );

  app.post(
    '/api/users/:userId/deactivate',
    {
      schema: {
        tags: [TAG],
        summary:
          'Deactivate a staff member (admin): every session ends at once; open tasks go to their supervisor',
        params: userParams,
        response: {
          200: z.object({
            user: userView,
            sessionsEnded: z.number().int(),
            tasksReassigned: z.number().int(),
          }),
        },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_users');
      const done = await runAsActor(req, (ctx) => deactivateUser(ctx, req.params.userId));
      return { user: await getUser(db(), actor.practiceId, req.params.userId), ...done };
    },
  );

  app.post(
    '/api/users/:userId/sign-in-link',
    {
      schema: {
        tags: [TAG],
        summary: 'A new one-time sign-in link for a staff member, e.g. a forgotten password (admin)',
        description: 'Earlier unused links stop working. The second factor is still required.',
        params: userParams,
        response: { 200: z.object({ signInLink: signInLinkView }) },
      },
    },
    async (req) => {
      requireAbility(req, 'manage_users');
      const link = await runAsActor(req, (ctx) => issueSignInLink(ctx, req.params.userId));
      return { signInLink: { url: link.url, expiresAt: link.expiresAt.toISOString() } };
    },
  );

  await app.register(supervisionRoutes);
  await app.register(practiceRoutes);
  await app.register(staffRoutes);
};
