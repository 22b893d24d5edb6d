// The legal-process records of a subpoena over HTTP (rule LEGAL-2): the satisfactory-assurance
// checklist (support or the privacy officer) and how privilege was addressed (the privacy officer).
// Each write runs one command in one transaction; the release gate requires both.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  legalRecordViewSchema,
  recordAssuranceSchema,
  recordPrivilegeSchema,
} from '../../../shared/schemas/legal.js';
import { recordPrivilegeDecision } from '../../commands/record-privilege-decision.js';
import { recordSatisfactoryAssurance } from '../../commands/record-satisfactory-assurance.js';
import { runAsActor } from '../../http/auth-context.js';
import { presentLegalRecord } from '../../presenters/legal.js';
import { errorSchemas, requestIdParams } from './schema.js';

const tags = ['compliance'];

export const legalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/requests/:requestId/satisfactory-assurance',
    {
      schema: {
        tags,
        summary:
          "A subpoena's satisfactory assurance: notice to the client whose time to object has passed, or a qualified protective order (LEGAL-2)",
        params: requestIdParams,
        body: recordAssuranceSchema,
        response: { 201: legalRecordViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const row = await recordSatisfactoryAssurance(ctx, req.params.requestId, req.body);
        return presentLegalRecord(row, new Map([[ctx.actor!.id, ctx.actor!.name]]));
      });
      return reply.code(201).send(view);
    },
  );

  app.post(
    '/api/requests/:requestId/privilege',
    {
      schema: {
        tags,
        summary:
          "The privacy officer's record of how psychotherapist-patient privilege was addressed on a subpoena (LEGAL-2)",
        params: requestIdParams,
        body: recordPrivilegeSchema,
        response: { 201: legalRecordViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const row = await recordPrivilegeDecision(ctx, req.params.requestId, req.body);
        return presentLegalRecord(row, new Map([[ctx.actor!.id, ctx.actor!.name]]));
      });
      return reply.code(201).send(view);
    },
  );
};
