// A client's disclosure log (rule REL-3) and the agencies' suspensions of the accounting (REL-4,
// 164.528(a)(2)). Entries are append-only: these routes add and read, and no route changes or
// removes one. Thin: parse -> command or query -> presenter.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  accountingSuspensionListView,
  accountingSuspensionSchema,
  accountingSuspensionView,
  disclosureListView,
  disclosureView,
  impermissibleDisclosureSchema,
} from '../../../shared/schemas/accounting.js';
import { localDate } from '../../../shared/time.js';
import { presentDisclosure, presentSuspension } from '../../accounting/present.js';
import {
  accountingPackRules,
  clientDisclosures,
  clientFor,
  clientSuspensions,
  practiceTimeZone,
} from '../../accounting/queries.js';
import { recordAccountingSuspension } from '../../accounting/record-suspension.js';
import { record } from '../../audit/record.js';
import { recordImpermissibleDisclosure } from '../../commands/record-impermissible-disclosure.js';
import { runAsActor } from '../../http/auth-context.js';
import { canManageSuspensions, canReadDisclosureLog } from '../../policies/accounting.js';
import { clientParams, errors, TAG } from './schema.js';

export const disclosureLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/clients/:clientId/disclosures/impermissible',
    {
      schema: {
        tags: [TAG],
        summary: 'Record an impermissible disclosure (privacy officer; REL-3)',
        description:
          'A disclosure that should not have happened (for example records sent to the wrong recipient) ' +
          'becomes an entry of the client’s disclosure log, flagged impermissible and always accountable ' +
          '(REL-4). Entries are append-only: no route changes or removes one.',
        security: [{ session: [], csrf: [] }],
        params: clientParams,
        body: impermissibleDisclosureSchema,
        response: { 201: disclosureView, ...errors },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const { disclosureId } = await recordImpermissibleDisclosure(ctx, req.params.clientId, req.body);
        const client = await clientFor(ctx, req.params.clientId, canReadDisclosureLog);
        const entry = (await clientDisclosures(ctx, client)).find((d) => d.row.id === disclosureId)!;
        return presentDisclosure(entry, accountingPackRules());
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/clients/:clientId/disclosures',
    {
      schema: {
        tags: [TAG],
        summary: 'The client’s disclosure log, newest first (support, privacy officer; audited)',
        description:
          'Every release in any form and every impermissible disclosure, with whether it is accountable ' +
          '(REL-4) and why.',
        security: [{ session: [] }],
        params: clientParams,
        response: { 200: disclosureListView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const client = await clientFor(ctx, req.params.clientId, canReadDisclosureLog);
        const entries = await clientDisclosures(ctx, client);
        // rule SEC-3: the log is health information; every read is recorded.
        record(ctx, {
          type: 'disclosure.listed',
          clientId: client.row.id,
          data: { count: entries.length },
        });
        const pack = accountingPackRules();
        return { disclosures: entries.map((e) => presentDisclosure(e, pack)) };
      }),
  );

  app.post(
    '/api/clients/:clientId/accounting-suspensions',
    {
      schema: {
        tags: [TAG],
        summary: 'Record an agency’s suspension of the accounting (privacy officer; REL-4)',
        description:
          'A health-oversight agency’s or law-enforcement official’s statement (164.528(a)(2)): while it ' +
          'lasts, the disclosures to that agency within its dates are left out of the client’s accounting. ' +
          'An oral statement suspends for 30 days at most.',
        security: [{ session: [], csrf: [] }],
        params: clientParams,
        body: accountingSuspensionSchema,
        response: { 201: accountingSuspensionView, ...errors },
      },
    },
    async (req, reply) => {
      const view = await runAsActor(req, async (ctx) => {
        const { suspensionId } = await recordAccountingSuspension(ctx, req.params.clientId, req.body);
        const client = await clientFor(ctx, req.params.clientId, canManageSuspensions);
        const today = localDate(ctx.now, await practiceTimeZone(ctx, client.row.practiceId));
        const row = (await clientSuspensions(ctx, client)).find((s) => s.row.id === suspensionId)!;
        return presentSuspension(row, today);
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/clients/:clientId/accounting-suspensions',
    {
      schema: {
        tags: [TAG],
        summary: 'The agencies’ suspensions of the client’s accounting (privacy officer; audited)',
        security: [{ session: [] }],
        params: clientParams,
        response: { 200: accountingSuspensionListView, ...errors },
      },
    },
    async (req) =>
      runAsActor(req, async (ctx) => {
        const client = await clientFor(ctx, req.params.clientId, canManageSuspensions);
        const today = localDate(ctx.now, await practiceTimeZone(ctx, client.row.practiceId));
        const rows = await clientSuspensions(ctx, client);
        record(ctx, {
          type: 'accounting.suspensions_listed',
          clientId: client.row.id,
          data: { count: rows.length },
        });
        return { suspensions: rows.map((s) => presentSuspension(s, today)) };
      }),
  );
};
