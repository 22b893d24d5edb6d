import type { z } from 'zod';
import { DOCUMENT_CLASS_LABELS, type DocumentClass } from '../../shared/request-kinds.js';
import type { recordReleaseSchema } from '../../shared/schemas/request-actions.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { disclosures } from '../db/schema.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import { releasePacket } from '../packets/release.js';
import { loadCompliance } from '../queries/authorizations.js';
import type { LoadedRequest } from '../queries/visible-requests.js';
import { assertReleasable } from '../rules/release-gate.js';
import { runTransition } from './support/transition.js';

function describe(loaded: LoadedRequest): string {
  const scope = (loaded.row.approvedScope ?? {}) as {
    documentClasses?: DocumentClass[];
    dateFrom?: string;
    dateTo?: string;
  };
  const classes = (scope.documentClasses ?? (loaded.row.documentClasses as DocumentClass[])).map(
    (c) => DOCUMENT_CLASS_LABELS[c],
  );
  const from = scope.dateFrom ?? loaded.row.dateFrom;
  const to = scope.dateTo ?? loaded.row.dateTo;
  const range = from || to ? ` (${from ?? 'start'} to ${to ?? 'latest'})` : '';
  return `${classes.join(', ')}${range}, as ${loaded.row.deliverable.replaceAll('_', ' ')}`;
}

/**
 * The records are released. rule REL-3: every release, in any form, writes a disclosure entry
 * (date, recipient, description, purpose, who released it, the packet's SHA-256), append-only.
 */
export async function recordRelease(ctx: Ctx, requestId: string, input: z.infer<typeof recordReleaseSchema>) {
  const result = await runTransition(ctx, requestId, {
    action: 'record_release',
    taskResult: { method: input.method ?? null },
    // rule AUTH-3, AUTH-4, AUTH-5, REP-1, VER-1, LEGAL-3, SCOPE-1: the release gate, read at release time (409 naming each rule).
    check: async (loaded) =>
      assertReleasable(loaded.row.id, (await loadCompliance(ctx, loaded.row)).releaseBlockers),
  });
  const { row } = result.loaded;
  // rule REL-5: the packet sent is marked released (never changed again) and its hash logged.
  const packetSha256 = await releasePacket(ctx, row, input);
  const [entry] = await ctx.tx
    .insert(disclosures)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      clientId: row.clientId,
      kind: row.kind,
      disclosedAt: ctx.now,
      recipientName: input.recipientName ?? row.requesterName,
      recipientAddress: input.recipientAddress ?? row.requesterAddress ?? row.requesterEmail ?? null,
      description: input.description ?? describe(result.loaded),
      purpose: row.purpose ?? 'At the request of the individual',
      deliverable: row.deliverable,
      releasedBy: ctx.actor!.id,
      packetSha256,
      createdAt: ctx.now,
    })
    .returning({ id: disclosures.id });
  record(ctx, {
    type: 'disclosure.recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      disclosureId: entry!.id,
      kind: row.kind,
      method: input.method ?? row.deliveryFormat,
      packetSha256,
    },
  });
  // Issue 5, rule REL-2: the requester is told the records were released and how they come (never
  // what they contain).
  await postRequesterNotice(ctx, row, 'requester_ready', `released:${row.id}`, {
    method: input.method ?? null,
  });
  return result;
}
