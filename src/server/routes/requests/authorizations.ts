// The compliance records of a request over HTTP: authorizations and their revocation (AUTH-1…
// AUTH-5), the practice's own authorization form and the signer's copy (AUTH-7), verifications
// (VER-1, REP-1), and the privacy officer's psychotherapy-notes exceptions (AUTH-4). Each write runs
// one command in one transaction.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  authorizationFormViewSchema,
  authorizationViewSchema,
  exceptionViewSchema,
  prepareAuthorizationFormSchema,
  recordAuthorizationSchema,
  recordExceptionSchema,
  recordRevocationSchema,
  recordSignerCopySchema,
  recordVerificationSchema,
  releaseBlockerSchema,
  verificationViewSchema,
} from '../../../shared/schemas/authorizations.js';
import { record } from '../../audit/record.js';
import { approveException } from '../../commands/approve-exception.js';
import { prepareAuthorizationForm } from '../../commands/prepare-authorization-form.js';
import { recordAuthorization } from '../../commands/record-authorization.js';
import { recordSignerCopy } from '../../commands/record-signer-copy.js';
import { recordVerification } from '../../commands/record-verification.js';
import { revokeAuthorization } from '../../commands/revoke-authorization.js';
import { runAsActor } from '../../http/auth-context.js';
import {
  presentAuthorization,
  presentException,
  presentVerification,
} from '../../presenters/authorizations.js';
import { loadCompliance } from '../../queries/authorizations.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';
import { errorSchemas, requestIdParams } from './schema.js';

const revocationParams = z.object({ requestId: z.uuid(), authorizationId: z.uuid() });
const tags = ['compliance'];

export const authorizationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/requests/:requestId/authorizations',
    {
      schema: {
        tags,
        summary:
          'The authorizations on a request, each with its validation (AUTH-1…AUTH-4), and the release blockers',
        params: requestIdParams,
        response: {
          200: z.object({
            items: z.array(authorizationViewSchema),
            releaseBlockers: z.array(releaseBlockerSchema),
          }),
          ...errorSchemas,
        },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const loaded = await findVisibleRequest(ctx, req.params.requestId);
        const compliance = await loadCompliance(ctx, loaded.row);
        // rule SEC-3: reading the forms is a view of health information.
        record(ctx, {
          type: 'authorization.listed',
          requestId: loaded.row.id,
          clientId: loaded.row.clientId,
          data: { count: compliance.authorizations.length },
        });
        return {
          items: compliance.authorizations.map((a) => presentAuthorization(a, compliance.people)),
          releaseBlockers: compliance.releaseBlockers,
        };
      }),
  );

  app.post(
    '/api/requests/:requestId/authorizations',
    {
      schema: {
        tags,
        summary: "Record the client's authorization as structured fields (AUTH-1…AUTH-4)",
        params: requestIdParams,
        body: recordAuthorizationSchema,
        response: { 201: authorizationViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const recorded = await recordAuthorization(ctx, req.params.requestId, req.body);
        return presentAuthorization(recorded, new Map([[ctx.actor!.id, ctx.actor!.name]]));
      });
      return reply.code(201).send(view);
    },
  );

  app.post(
    '/api/requests/:requestId/authorizations/:authorizationId/revocation',
    {
      schema: {
        tags,
        summary:
          'Record a written revocation: effective from receipt, it blocks every pending release on it (AUTH-5)',
        params: revocationParams,
        body: recordRevocationSchema,
        response: {
          200: z.object({
            authorization: authorizationViewSchema,
            affectedRequests: z.array(z.object({ id: z.string(), number: z.string() })),
          }),
          ...errorSchemas,
        },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const done = await revokeAuthorization(
          ctx,
          req.params.requestId,
          req.params.authorizationId,
          req.body,
        );
        return {
          authorization: presentAuthorization(done.authorization, done.people),
          affectedRequests: done.affectedRequests,
        };
      }),
  );

  app.post(
    '/api/requests/:requestId/authorization-form',
    {
      schema: {
        tags,
        summary: "Prepare the practice's plain-language authorization form for the client to sign (AUTH-7)",
        description:
          'A PDF pre-filled from the request: who shares, who gets the records, which records and dates, why, ' +
          'when the permission ends (a date, an event, or by default a year after signing), the three ' +
          'statements of 164.508(c)(2) in plain words, the promise of a copy, and lines for the signature, ' +
          "the date and a representative's authority. Psychotherapy notes get a form of their own (AUTH-4). " +
          "Stored encrypted as a file of purpose 'authorization'; download it from the files route. Support, " +
          "the privacy officer and the request's therapist may prepare it.",
        params: requestIdParams,
        body: prepareAuthorizationFormSchema,
        response: { 201: authorizationFormViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const { file, prefill } = await prepareAuthorizationForm(ctx, req.params.requestId, req.body);
        return {
          file: {
            id: file.id,
            name: file.name,
            purpose: 'authorization' as const,
            contentType: 'application/pdf' as const,
            size: file.size,
            sha256: file.sha256,
            createdAt: file.createdAt.toISOString(),
          },
          downloadUrl: `/api/requests/${file.requestId}/files/${file.id}`,
          prefill,
        };
      });
      return reply.code(201).header('location', view.downloadUrl).send(view);
    },
  );

  app.post(
    '/api/requests/:requestId/authorizations/:authorizationId/signer-copy',
    {
      schema: {
        tags,
        summary: "Record how and when the signer was given a copy of the practice's form (AUTH-7)",
        description:
          'Once only (a second time is a 409 naming AUTH-7). The day may not be before the signature nor in ' +
          "the future. Until it is recorded, an authorization signed on the practice's form blocks release.",
        params: revocationParams,
        body: recordSignerCopySchema,
        response: { 200: authorizationViewSchema, ...errorSchemas },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const done = await recordSignerCopy(ctx, req.params.requestId, req.params.authorizationId, req.body);
        return presentAuthorization(done.authorization, done.people);
      }),
  );

  app.post(
    '/api/requests/:requestId/verifications',
    {
      schema: {
        tags,
        summary:
          "Record how the requester's identity or a representative's authority was verified (VER-1, REP-1)",
        params: requestIdParams,
        body: recordVerificationSchema,
        response: { 201: verificationViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const row = await recordVerification(ctx, req.params.requestId, req.body);
        return presentVerification(row, new Map([[ctx.actor!.id, ctx.actor!.name]]));
      });
      return reply.code(201).send(view);
    },
  );

  app.post(
    '/api/requests/:requestId/exceptions',
    {
      schema: {
        tags,
        summary:
          "The privacy officer's approval naming a 164.508(a)(2) exception for psychotherapy notes (AUTH-4)",
        params: requestIdParams,
        body: recordExceptionSchema,
        response: { 201: exceptionViewSchema, ...errorSchemas },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const row = await approveException(ctx, req.params.requestId, req.body);
        return presentException(row, new Map([[ctx.actor!.id, ctx.actor!.name]]));
      });
      return reply.code(201).send(view);
    },
  );
};
