// Requests for an accounting of disclosures (rules REL-4, TIME-4, FEE-7): recorded by the support
// team or the privacy officer, on their own 60-day clock, and listed nearest deadline first; the
// accounting itself as JSON, CSV (formulas neutralised) and the PDF letter to the client. Every read
// of the accounting is audited: it is health information (SEC-3).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountingExtensionSchema,
  accountingFulfilmentSchema,
  accountingRequestDetailsView,
  accountingRequestListQuery,
  accountingRequestListView,
  accountingRequestSchema,
  accountingRequestView,
  accountingView,
} from '../../../shared/schemas/accounting.js';
import { accountingCsv } from '../../accounting/compile.js';
import { accountingLetter } from '../../accounting/letter.js';
import { presentAccounting, presentAccountingRequest } from '../../accounting/present.js';
import {
  type AccountingRequestRow,
  clientFor,
  findAccountingRequest,
  listAccountingRequests,
  liveAccounting,
  practiceLetterhead,
  practiceTimeZone,
  userName,
} from '../../accounting/queries.js';
import { record } from '../../audit/record.js';
import { fulfilAccounting } from '../../commands/fulfil-accounting.js';
import { extendAccounting, requestAccounting } from '../../commands/request-accounting.js';
import type { Ctx } from '../../context.js';
import { ForbiddenError } from '../../errors.js';
import { runAsActor } from '../../http/auth-context.js';
import { renderLetter } from '../../pdf/letter.js';
import { canHandleAccounting } from '../../policies/accounting.js';
import type { LoadedClient } from '../../queries/visible-clients.js';
import { accountingRequestParams, clientParams, errors, TAG } from './schema.js';

const one = z.object({ request: accountingRequestView });
const BASE = '/api/clients/:clientId/accounting-requests';

async function view(ctx: Ctx, row: AccountingRequestRow) {
  return presentAccountingRequest(row, {
    now: ctx.now,
    timeZone: await practiceTimeZone(ctx, row.practiceId),
    fulfilledByName: await userName(ctx, row.fulfilledBy),
  });
}

async function reload(ctx: Ctx, clientId: string, id: string) {
  const client = await clientFor(ctx, clientId, canHandleAccounting);
  return { request: await view(ctx, await findAccountingRequest(ctx, client, id)) };
}

type Format = 'details' | 'json' | 'csv' | 'pdf';

/** rule REL-4: the accounting, read through the scoped query; rule SEC-3: every read recorded. */
async function readAccounting(ctx: Ctx, clientId: string, id: string, format: Format) {
  const client: LoadedClient = await clientFor(ctx, clientId, canHandleAccounting);
  const row = await findAccountingRequest(ctx, client, id);
  const timeZone = await practiceTimeZone(ctx, row.practiceId);
  const live = await liveAccounting(ctx, client, row, timeZone);
  const accounting = presentAccounting(client, row, live.entries, ctx.now);
  record(ctx, {
    type: 'accounting.viewed',
    clientId: client.row.id,
    data: {
      accountingRequestId: row.id,
      format,
      asProvided: accounting.asProvided,
      entries: accounting.entries.length,
    },
  });
  return {
    client,
    row,
    timeZone,
    accounting,
    leftOut: accounting.asProvided ? 0 : live.leftOutWhileSuspended,
  };
}

/** rule REL-4: the accounting as the letter the client receives (PDF). */
async function accountingPdf(ctx: Ctx, clientId: string, id: string): Promise<Buffer> {
  const { client, row, timeZone, accounting } = await readAccounting(ctx, clientId, id, 'pdf');
  const letter = accountingLetter({
    practice: await practiceLetterhead(ctx, row.practiceId),
    client: {
      name: `${client.row.firstName} ${client.row.lastName}`,
      dateOfBirth: client.row.dateOfBirth,
      address: client.row.address,
    },
    requester: {
      name: row.requesterName,
      relationship: row.requesterRelationship as 'client' | 'representative',
      contact: row.requesterContact,
    },
    accountingRequestId: row.id,
    receivedAt: row.receivedAt,
    fee: { free: row.feeFree, cents: row.feeCents },
    accounting,
    timeZone,
  });
  return renderLetter(letter);
}

function download(reply: FastifyReply, id: string, ext: 'csv' | 'json' | 'pdf', contentType: string) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="accounting-of-disclosures-${id}.${ext}"`)
    .header('cache-control', 'no-store');
}

/** The list answer, the practice's or one client's: each accounting request with its clock and client. */
function presentListed(
  listed: Awaited<ReturnType<typeof listAccountingRequests>>,
  now: Date,
  timeZone: string,
) {
  return listed.map((l) => ({
    ...presentAccountingRequest(l.row, { now, timeZone, fulfilledByName: l.fulfilledByName }),
    client: { id: l.row.clientId, name: l.clientName },
  }));
}

export const accountingRequestRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/accounting-requests',
    {
      schema: {
        tags: [TAG],
        summary: "The practice's accounting requests, nearest 60-day deadline first (TIME-4; audited)",
        description:
          'For the privacy officer (and the support team): each request with its client, its TIME-4 clock ' +
          '(due date, days left, overdue, the extension) and its FEE-7 fee. `state=open` (the default) lists ' +
          'those not yet sent; `state=all` every one.',
        security: [{ session: [] }],
        querystring: accountingRequestListQuery,
        response: { 200: accountingRequestListView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const actor = ctx.actor!;
        const decision = canHandleAccounting(actor, actor.practiceId);
        if (!decision.allowed) throw new ForbiddenError(decision.reason);
        const timeZone = await practiceTimeZone(ctx, actor.practiceId);
        const listed = await listAccountingRequests(ctx, actor.practiceId, { state: req.query.state });
        // rule SEC-3: who asked for an accounting is about the practice's clients; the read is recorded.
        record(ctx, {
          type: 'accounting.requests_listed',
          data: { state: req.query.state, count: listed.length },
        });
        return { requests: presentListed(listed, ctx.now, timeZone) };
      }),
  );

  app.get(
    BASE,
    {
      schema: {
        tags: [TAG],
        summary: "A client's accounting requests, nearest 60-day deadline first (TIME-4; audited)",
        security: [{ session: [] }],
        params: clientParams,
        querystring: accountingRequestListQuery,
        response: { 200: accountingRequestListView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const client = await clientFor(ctx, req.params.clientId, canHandleAccounting);
        const timeZone = await practiceTimeZone(ctx, client.row.practiceId);
        const listed = await listAccountingRequests(ctx, client.row.practiceId, {
          state: req.query.state,
          clientId: client.row.id,
        });
        record(ctx, {
          type: 'accounting.requests_listed',
          clientId: client.row.id,
          data: { state: req.query.state, count: listed.length },
        });
        return { requests: presentListed(listed, ctx.now, timeZone) };
      }),
  );

  app.post(
    BASE,
    {
      schema: {
        tags: [TAG],
        summary: 'Record a request for an accounting of disclosures (support, privacy officer)',
        description:
          'Due 60 calendar days after receipt, at the end of that day in the practice’s time zone (TIME-4). ' +
          'The period is the 6 years before the request, or a shorter one asked for (REL-4). The first ' +
          'accounting in any 12 months is free; a later one may carry a cost-based fee told in advance (FEE-7).',
        security: [{ session: [], csrf: [] }],
        params: clientParams,
        body: accountingRequestSchema,
        response: { 201: one, ...errors },
      },
    },
    async (req, reply) => {
      const body = await runAsActor(req, async (ctx) => {
        const { accountingRequestId } = await requestAccounting(ctx, req.params.clientId, req.body);
        return reload(ctx, req.params.clientId, accountingRequestId);
      });
      return reply.code(201).send(body);
    },
  );

  app.post(
    `${BASE}/:id/extension`,
    {
      schema: {
        tags: [TAG],
        summary: 'Take the one 30-day extension, with its written reason (TIME-4)',
        description:
          'Only before the deadline, and only once (else 409 naming TIME-4). The answer carries the notice ' +
          'to send the client.',
        security: [{ session: [], csrf: [] }],
        params: accountingRequestParams,
        body: accountingExtensionSchema,
        response: { 200: one, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        await extendAccounting(ctx, req.params.clientId, req.params.id, req.body);
        return reload(ctx, req.params.clientId, req.params.id);
      }),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags: [TAG],
        summary: 'An accounting request with its accounting (audited)',
        description:
          'The accounting lists the accountable disclosures in the period (REL-4), as of now until it is ' +
          'sent, then exactly as it was sent. `leftOutWhileSuspended` counts, for staff only, the entries ' +
          'an agency’s suspension leaves out for now.',
        security: [{ session: [] }],
        params: accountingRequestParams,
        response: { 200: accountingRequestDetailsView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const { row, accounting, leftOut } = await readAccounting(
          ctx,
          req.params.clientId,
          req.params.id,
          'details',
        );
        return { request: await view(ctx, row), accounting, leftOutWhileSuspended: leftOut };
      }),
  );

  app.get(
    `${BASE}/:id/accounting.json`,
    {
      schema: {
        tags: [TAG],
        summary: 'The accounting as JSON, as the client receives it (audited)',
        security: [{ session: [] }],
        params: accountingRequestParams,
        response: { 200: accountingView, ...errors },
      },
    },
    async (req, reply) => {
      const { accounting } = await runAsActor(req, (ctx) =>
        readAccounting(ctx, req.params.clientId, req.params.id, 'json'),
      );
      return download(reply, req.params.id, 'json', 'application/json; charset=utf-8').send(accounting);
    },
  );

  app.get(
    `${BASE}/:id/accounting.csv`,
    {
      schema: {
        tags: [TAG],
        summary: 'The accounting as CSV (RFC 4180), one row per accountable disclosure (audited)',
        description:
          'Columns: date, recipient, address, description, purpose; a header row first; CRLF line ends.',
        security: [{ session: [] }],
        params: accountingRequestParams,
        response: {
          200: { description: 'The accounting', content: { 'text/csv': { schema: z.string() } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { accounting } = await runAsActor(req, (ctx) =>
        readAccounting(ctx, req.params.clientId, req.params.id, 'csv'),
      );
      return download(reply, req.params.id, 'csv', 'text/csv; charset=utf-8').send(
        accountingCsv(accounting.entries),
      );
    },
  );

  app.get(
    `${BASE}/:id/accounting.pdf`,
    {
      // A HEAD would render and audit a read that delivers nothing.
      exposeHeadRoute: false,
      schema: {
        tags: [TAG],
        summary: 'The accounting as the PDF letter to the client (audited)',
        description:
          'A letter listing each accountable disclosure (date, recipient and address, what was disclosed, ' +
          'purpose) for the period covered, with a plain line when there were none; every page numbered ' +
          '"Page N of M". As of now until it is sent, then exactly as it was provided (the same bytes).',
        security: [{ session: [] }],
        params: accountingRequestParams,
        response: {
          200: { description: 'The accounting', content: { 'application/pdf': { schema: z.file() } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const pdf = await runAsActor(req, (ctx) => accountingPdf(ctx, req.params.clientId, req.params.id));
      // Bytes go out as they are (no serializer); the z.file() schema above documents them.
      return download(reply, req.params.id, 'pdf', 'application/pdf').send(pdf as unknown as File);
    },
  );

  app.post(
    `${BASE}/:id/fulfilment`,
    {
      schema: {
        tags: [TAG],
        summary: 'Mark the accounting sent (audited; the accounting as sent is kept)',
        description:
          'A fee the client was not told in advance and did not agree to blocks it (409 naming FEE-7); a ' +
          'second fulfilment is a 409.',
        security: [{ session: [], csrf: [] }],
        params: accountingRequestParams,
        body: accountingFulfilmentSchema,
        response: { 200: one, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        await fulfilAccounting(ctx, req.params.clientId, req.params.id, req.body);
        return reload(ctx, req.params.clientId, req.params.id);
      }),
  );
};
