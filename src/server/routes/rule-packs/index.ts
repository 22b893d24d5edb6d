// Rule packs over HTTP (rule TIME-3): every staff member reads the versions the practice uses and
// the current one per jurisdiction; the privacy officer or an administrator adds a version. There
// is no way to edit or delete one: those methods answer 405 naming the rule.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type RulePack, rulePackDataSchema } from '../../../shared/rule-packs.js';
import { localDate } from '../../../shared/time.js';
import { addRulePackSchema, addRulePackVersion } from '../../commands/add-rule-pack-version.js';
import { practiceDurations } from '../../commands/support/tasks.js';
import { runAsActor } from '../../http/auth-context.js';
import { presentRulePack, rulePackViewSchema } from '../../presenters/rules.js';
import { practicePackRows, toRulePack } from '../../queries/rule-packs.js';
import { choosePack } from '../../rules/pack-resolution.js';

const TAG = 'rule packs';
const errorSchema = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const rulePackRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/rule-packs',
    {
      schema: {
        tags: [TAG],
        summary:
          'The rule pack versions the practice uses (shipped and its own), and the current one per jurisdiction',
        response: {
          200: z.object({
            current: z.array(z.object({ jurisdiction: z.string(), pack: rulePackViewSchema })),
            versions: z.array(rulePackViewSchema),
          }),
          ...errors,
        },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const practiceId = ctx.actor!.practiceId;
        const rows = await practicePackRows(ctx, practiceId);
        const packs: RulePack[] = rows.map(toRulePack);
        const { timeZone } = await practiceDurations(ctx.tx, practiceId);
        const today = localDate(ctx.now, timeZone);
        const current = [...new Set(rows.map((r) => r.jurisdiction))].flatMap((jurisdiction) => {
          const choice = choosePack(packs, jurisdiction, practiceId, today);
          const row = choice && rows.find((r) => r.id === choice.pack.id);
          return row ? [{ jurisdiction, pack: presentRulePack(row) }] : [];
        });
        return { current, versions: rows.map(presentRulePack) };
      }),
  );

  app.post(
    '/api/rule-packs',
    {
      schema: {
        tags: [TAG],
        summary: 'Add a rule pack version (privacy officer, admin): the next version number, never an edit',
        description:
          'Every value is `{ value, source, verified, note? }`. Of the federal and state values the more ' +
          'protective applies, verified or not (TIME-3); each unverified value applied or considered shows a ' +
          'warning to staff until a version with `verified: true` confirms it. A version replaces the previous ' +
          'one whole. ' +
          `Data keys: ${Object.keys(rulePackDataSchema.shape).join(', ')}.`,
        body: addRulePackSchema,
        response: { 201: z.object({ pack: rulePackViewSchema }), ...errors },
      },
    },
    async (req, reply) => {
      const row = await runAsActor(req, (ctx) => addRulePackVersion(ctx, req.body));
      return reply.code(201).send({ pack: presentRulePack(row) });
    },
  );

  // rule TIME-3: a version is never edited in place or removed; a change is a new version.
  for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/rule-packs/:packId',
      schema: { tags: [TAG], summary: 'Not allowed: rule pack versions are never edited (TIME-3)' },
      handler: async (_req, reply) =>
        reply.code(405).header('allow', '').send({
          error: 'method_not_allowed',
          message:
            'A rule pack version is never edited or deleted: add a new version with POST /api/rule-packs (TIME-3).',
          rule: 'TIME-3',
        }),
    });
  }
};
