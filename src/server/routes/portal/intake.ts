// The public request form's API (issue 7): no account and no session. Which practice the form is
// for, a proof-of-work challenge, the emailed code, and the submission (multipart: the answers as
// JSON and up to five documents). Rate-limited per address on top of the per-address and per-IP
// hourly code limits kept in the database.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  intakeCodeRequestSchema,
  intakePracticeSchema,
  intakeReceiptSchema,
  powChallengeSchema,
} from '../../../shared/schemas/portal-intake.js';
import { requestMeta } from '../../http/meta.js';
import { INTAKE_MULTIPART_LIMITS, readIntakeBody } from '../../portal/intake/body.js';
import { issueChallenge } from '../../portal/intake/pow.js';
import { intakePractice } from '../../portal/intake/practice.js';
import { NO_FORM_MESSAGE, requestIntakeCode } from '../../portal/intake/request-code.js';
import { submitIntake } from '../../portal/intake/submit.js';
import { closeIfUnread } from '../files/multipart.js';

const TAG = 'request form';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = {
  400: errorView,
  404: errorView,
  413: errorView,
  415: errorView,
  422: errorView,
  429: errorView,
  503: errorView,
};
/** Per client address, in memory: on top of the hourly limits the database keeps for codes. */
const FORM_RATE_LIMIT = { max: 30, timeWindow: 60_000 };
const SUBMIT_RATE_LIMIT = { max: 10, timeWindow: 3_600_000 };

export const intakeRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(multipart, { limits: INTAKE_MULTIPART_LIMITS, throwFileSizeLimit: true });

  app.get(
    '/api/portal/intake/practice',
    {
      config: { public: true, rateLimit: FORM_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary:
          'The practice the form is for (the one named, or the server’s only practice), and whether email codes can be sent',
        querystring: z.object({ practice: z.uuid().optional() }),
        response: { 200: intakePracticeSchema, ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const practice = await intakePractice(app.services, req.query.practice ?? null);
      if (!practice) return reply.code(404).send({ error: 'not_found', message: NO_FORM_MESSAGE });
      return practice;
    },
  );

  app.post(
    '/api/portal/intake/challenge',
    {
      config: { public: true, rateLimit: FORM_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'A proof-of-work challenge (signed, good for 10 minutes, once)',
        response: { 200: powChallengeSchema, 429: errorView },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return issueChallenge(app.services.config.masterKey, app.services.now());
    },
  );

  app.post(
    '/api/portal/intake/code',
    {
      config: { public: true, rateLimit: FORM_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Email a 6-digit code to the address given (needs a solved challenge)',
        body: intakeCodeRequestSchema,
        response: { 202: z.object({ expiresInMinutes: z.number() }), ...errors },
      },
    },
    async (req, reply) => {
      const sent = await requestIntakeCode(app.services, requestMeta(req), req.body);
      return reply.code(202).send(sent);
    },
  );

  app.post(
    '/api/portal/intake',
    {
      config: { public: true, rateLimit: SUBMIT_RATE_LIMIT },
      schema: {
        tags: [TAG],
        summary: 'Send the request: multipart with a `submission` field (JSON) and up to five documents',
        description:
          'Document fields: authorization, legal_document, id_document, other (PDF, JPEG or PNG, 25 MB each). The answers need the emailed code and a solved challenge.',
        consumes: ['multipart/form-data'],
        response: { 201: intakeReceiptSchema, ...errors },
      },
    },
    async (req, reply) => {
      try {
        const body = await readIntakeBody(req);
        const receipt = await submitIntake(app.services, requestMeta(req), body);
        return reply.code(201).header('cache-control', 'no-store').send(receipt);
      } catch (err) {
        closeIfUnread(req, reply);
        throw err;
      }
    },
  );
};

export default intakeRoutes;
