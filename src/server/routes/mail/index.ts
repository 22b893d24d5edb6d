// Mail (issue 5): whether mail is delivered (the banner), a request's delivery states, the outbox
// (emails kept when SMTP is not set up, and every email's state), reading a code out by phone
// (audited), and the triage queue of support. Thin routes: parse -> mail/views -> answer.
// The mail machinery (dispatcher, receiver, IMAP poller) starts when the server listens.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAIL_TEMPLATE_KEYS, mailTemplateSchema } from '../../../shared/schemas/practice-settings.js';
import { OUTBOUND_STATUSES } from '../../db/schema-mail.js';
import { requireActor, runAsActor } from '../../http/auth-context.js';
import { listTemplates, previewTemplate, saveTemplates } from '../../mail/templates.js';
import {
  attachTriage,
  dismissTriage,
  listOutbox,
  listTriage,
  mailStatus,
  readOutboxCode,
  requestDelivery,
  viewTriage,
} from '../../mail/views.js';

const TAG = 'mail';
const errorView = z.looseObject({ error: z.string(), message: z.string() });
const errors = { 400: errorView, 403: errorView, 404: errorView, 409: errorView };
const idParams = z.object({ id: z.uuid() });
const label = { status: z.string(), label: z.string() };

const statusView = z.object({
  delivering: z.boolean(),
  smtp: z.string().nullable(),
  from: z.string(),
  receiving: z.object({ smtpPort: z.number().int().nullable(), imap: z.string().nullable() }),
  outbox: z.number().int(),
  undelivered: z.number().int(),
  failed: z.number().int(),
  triage: z.number().int(),
});

const outboxItem = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  requestNumber: z.string(),
  thread: z.string(),
  kind: z.string(),
  messageId: z.string(),
  recipients: z.array(z.string()),
  subject: z.string(),
  text: z.string().nullable(),
  carriesCode: z.boolean(),
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  ...label,
});

const triageItem = z.object({
  id: z.uuid(),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  subject: z.string(),
  reason: z.string().nullable(),
  via: z.string(),
  requestId: z.uuid().nullable(),
  requestNumber: z.string().nullable(),
  thread: z.string().nullable(),
  receivedAt: z.string(),
  size: z.number().int(),
});

const templateText = z.object({ subject: z.string(), text: z.string() });
const templateView = z.object({
  key: z.enum(MAIL_TEMPLATE_KEYS),
  label: z.string(),
  placeholders: z.array(z.string()),
  default: templateText,
  custom: templateText.nullable(),
});
const templatesAnswer = z.object({ templates: z.array(templateView) });

export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/mail/templates',
    {
      schema: {
        tags: [TAG],
        summary: "The emails' words (instructions, requester notices): shipped, and the practice's own",
        description: 'Administrators. Each template lists the placeholders it may use.',
        response: { 200: templatesAnswer, 403: errorView },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ templates: await listTemplates(ctx) })),
  );

  app.put(
    '/api/mail/templates',
    {
      schema: {
        tags: [TAG],
        summary: "Set (or clear with null) the practice's words of some emails; the others are kept",
        description:
          'Administrators. An unknown placeholder is a 400 naming it (REL-2, SEC-5: the placeholders offered carry no health information).',
        body: z
          .strictObject(
            Object.fromEntries(
              MAIL_TEMPLATE_KEYS.map((k) => [k, mailTemplateSchema.nullable().optional()]),
            ) as Record<
              (typeof MAIL_TEMPLATE_KEYS)[number],
              z.ZodOptional<z.ZodNullable<typeof mailTemplateSchema>>
            >,
          )
          .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one template'),
        response: { 200: templatesAnswer, ...errors },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ templates: await saveTemplates(ctx, req.body) })),
  );

  app.post(
    '/api/mail/templates/preview',
    {
      schema: {
        tags: [TAG],
        summary: 'Render a template against a sample request (made-up facts, no client data)',
        description:
          "Administrators. Without subject or text, the practice's current words are rendered. An unknown placeholder is a 400 naming it.",
        body: z.object({
          key: z.enum(MAIL_TEMPLATE_KEYS),
          subject: z.string().max(300).optional(),
          text: z.string().max(8000).optional(),
        }),
        response: {
          200: z.object({ subject: z.string(), text: z.string(), sample: z.literal(true) }),
          ...errors,
        },
      },
    },
    async (req) => runAsActor(req, (ctx) => previewTemplate(ctx, req.body)),
  );

  app.get(
    '/api/mail/status',
    {
      schema: {
        tags: [TAG],
        summary: 'Whether email is delivered (the "mail is not being delivered" banner) and what waits',
        response: { 200: statusView, 401: errorView },
      },
    },
    async (req) => {
      requireActor(req);
      return runAsActor(req, (ctx) => mailStatus(ctx));
    },
  );

  app.get(
    '/api/requests/:id/mail',
    {
      schema: {
        tags: [TAG],
        summary: "The email delivery state of each of a request's thread messages",
        params: idParams,
        response: {
          200: z.object({
            emails: z.array(
              z.object({
                id: z.uuid(),
                threadMessageId: z.uuid().nullable(),
                thread: z.string(),
                kind: z.string(),
                recipients: z.number().int(),
                attempts: z.number().int(),
                sentAt: z.string().nullable(),
                ...label,
              }),
            ),
          }),
          404: errorView,
        },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ emails: await requestDelivery(ctx, req.params.id) })),
  );

  app.get(
    '/api/mail/outbox',
    {
      schema: {
        tags: [TAG],
        summary: 'The outbox: emails kept (no SMTP) and every email with its delivery state',
        description:
          'Support and the privacy officer. A confirmation code is never listed: read it with `POST …/read-code` (audited).',
        querystring: z.object({
          status: z.enum(OUTBOUND_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: { 200: z.object({ emails: z.array(outboxItem) }), 403: errorView },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ emails: await listOutbox(ctx, req.query) })),
  );

  app.post(
    '/api/mail/outbox/:id/read-code',
    {
      schema: {
        tags: [TAG],
        summary: 'Read a confirmation code out by phone when email is not set up (audited)',
        params: idParams,
        response: {
          200: z.object({ id: z.uuid(), recipients: z.array(z.string()), text: z.string() }),
          ...errors,
        },
      },
    },
    async (req) => runAsActor(req, (ctx) => readOutboxCode(ctx, req.params.id)),
  );

  app.get(
    '/api/mail/triage',
    {
      schema: {
        tags: [TAG],
        summary: 'Mail that matched no thread or came from someone not on it, waiting for support',
        response: { 200: z.object({ emails: z.array(triageItem) }), 403: errorView },
      },
    },
    async (req) => runAsActor(req, async (ctx) => ({ emails: await listTriage(ctx) })),
  );

  app.get(
    '/api/mail/triage/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Read a message waiting in triage (audited)',
        params: idParams,
        response: {
          200: z.object({
            id: z.uuid(),
            from: z.string().nullable(),
            subject: z.string(),
            reason: z.string().nullable(),
            status: z.string(),
            text: z.string(),
            attachments: z.array(z.object({ name: z.string(), size: z.number() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => runAsActor(req, (ctx) => viewTriage(ctx, req.params.id)),
  );

  app.post(
    '/api/mail/triage/:id/attach',
    {
      schema: {
        tags: [TAG],
        summary: "Attach a triaged message to a request's thread (its files become the request's files)",
        params: idParams,
        body: z.object({ requestId: z.uuid(), thread: z.enum(['internal', 'requester']) }),
        response: { 200: z.object({ threadMessageId: z.uuid() }), ...errors },
      },
    },
    async (req) => runAsActor(req, (ctx) => attachTriage(ctx, req.params.id, req.body)),
  );

  app.post(
    '/api/mail/triage/:id/dismiss',
    {
      schema: {
        tags: [TAG],
        summary: 'Set a triaged message aside (kept, with the reason)',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(300) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await runAsActor(req, (ctx) => dismissTriage(ctx, req.params.id, req.body.reason));
      return reply.code(204).send(null);
    },
  );
};

export default mailRoutes;
