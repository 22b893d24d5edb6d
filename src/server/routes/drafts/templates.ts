// The practice's own templates for letters, reports and verbal-discussion notes, for an admin
// (issue 6, procedure step 4). Thin routes: parse -> command or query -> answer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DRAFT_TEMPLATE_PLACEHOLDERS,
  practiceTemplateSchema,
  practiceTemplateView,
} from '../../../shared/schemas/drafts.js';
import { saveDraftTemplate, TEMPLATES_REFUSED } from '../../commands/save-draft-template.js';
import { practiceTemplateRows, presentPracticeTemplates } from '../../drafts/practice-templates.js';
import { ForbiddenError } from '../../errors.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { canManageSettings } from '../../policies/practice.js';

const TAG = 'drafts';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView };
const base = '/api/drafts/templates';

export const draftTemplatesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    base,
    {
      schema: {
        tags: [TAG],
        summary: 'The practice’s own templates (active or not), and the placeholders they may use (admin)',
        response: {
          200: z.object({
            templates: z.array(practiceTemplateView),
            placeholders: z.array(z.enum(DRAFT_TEMPLATE_PLACEHOLDERS)),
          }),
          403: errorView,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return runAsActor(req, async (ctx) => {
        if (!canManageSettings(actor, actor.practiceId)) throw new ForbiddenError(TEMPLATES_REFUSED);
        return {
          templates: await presentPracticeTemplates(ctx, await practiceTemplateRows(ctx, actor.practiceId)),
          placeholders: [...DRAFT_TEMPLATE_PLACEHOLDERS],
        };
      });
    },
  );

  app.post(
    base,
    {
      schema: {
        tags: [TAG],
        summary: 'Add a template (admin); unknown {{placeholders}} answer 400 naming them',
        body: practiceTemplateSchema,
        response: { 201: practiceTemplateView, ...errors },
      },
    },
    async (req, reply) => {
      const template = await runAsActor(req, (ctx) => saveDraftTemplate(ctx, req.body));
      return reply.code(201).send(template);
    },
  );

  app.put(
    `${base}/:templateId`,
    {
      schema: {
        tags: [TAG],
        summary:
          'Change a template, or stop offering it (active: false); documents started from it keep its name',
        params: z.object({ templateId: z.uuid() }),
        body: practiceTemplateSchema,
        response: { 200: practiceTemplateView, ...errors },
      },
    },
    async (req) => runAsActor(req, (ctx) => saveDraftTemplate(ctx, req.body, req.params.templateId)),
  );
};
