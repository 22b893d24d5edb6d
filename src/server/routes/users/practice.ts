// Practice settings: every signed-in staff member may read them (the UI needs the time zone and
// the privacy officer's contact); only an administrator changes them, including the [policy]
// settings (step durations, ladder thresholds, practice target, notices, break-glass minutes).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { practiceSettingsChangeSchema } from '../../../shared/schemas/practice-settings.js';
import { cleanText } from '../../auth/fields.js';
import { privacyOfficerSchema, stateField, timeZoneField } from '../../commands/create-practice.js';
import { updatePractice } from '../../commands/update-practice.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { requireAbility } from './guard.js';
import { getPractice, practiceView } from './read.js';

export const practiceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/practice',
    {
      schema: {
        tags: ['administration'],
        summary:
          'The practice settings: name, state, time zone, privacy officer, and the policy settings in force',
        response: { 200: z.object({ practice: practiceView }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return { practice: await getPractice(app.services.database.db, actor.practiceId) };
    },
  );

  app.patch(
    '/api/practice',
    {
      schema: {
        tags: ['administration'],
        summary: 'Change the practice settings (admin)',
        description:
          'Send only the fields to change; null clears a privacy-officer field. `settings` changes only the ' +
          'keys given (step durations and ladder rungs one by one), merged with the stored settings; each ' +
          'change is audited with the keys it changed.',
        body: z
          .object({
            name: cleanText(200).optional(),
            state: stateField.optional(),
            timeZone: timeZoneField.optional(),
            privacyOfficer: privacyOfficerSchema.optional(),
            settings: practiceSettingsChangeSchema.optional(),
          })
          .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field to change'),
        response: { 200: z.object({ practice: practiceView }) },
      },
    },
    async (req) => {
      const actor = requireAbility(req, 'manage_settings');
      await runAsActor(req, (ctx) => updatePractice(ctx, req.body));
      return { practice: await getPractice(app.services.database.db, actor.practiceId) };
    },
  );
};
