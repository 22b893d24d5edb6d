// What staff see of the disclosure log and of an accounting request: whitelisted fields, the
// accountability of each entry (REL-4), the TIME-4 clock and the FEE-7 fee.
import type {
  AccountingEntryView,
  AccountingRequestView,
  AccountingView,
  DisclosureView,
} from '../../shared/schemas/accounting.js';
import { daysLeft, formatLocalDate, localDate } from '../../shared/time.js';
import type { LoadedClient } from '../queries/visible-clients.js';
import type { AccountingRequestRow, LoadedDisclosure, LoadedSuspension } from './queries.js';
import { type AccountingPackRules, accountability } from './rules.js';

export function presentDisclosure(
  { row, releasedByName }: LoadedDisclosure,
  pack: AccountingPackRules,
): DisclosureView {
  return {
    id: row.id,
    requestId: row.requestId,
    kind: row.kind,
    disclosedAt: row.disclosedAt.toISOString(),
    recipientName: row.recipientName,
    recipientAddress: row.recipientAddress,
    description: row.description,
    purpose: row.purpose,
    deliverable: row.deliverable,
    releasedBy: { id: row.releasedBy, name: releasedByName },
    packetSha256: row.packetSha256,
    impermissible: row.impermissible,
    accounting: accountability(row.kind, row.impermissible, pack),
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentSuspension({ row, recordedByName }: LoadedSuspension, today: string) {
  return {
    id: row.id,
    agency: row.agency,
    reason: row.reason,
    statement: row.statement as 'written' | 'oral',
    startsOn: row.startsOn,
    until: row.until,
    inEffect: today <= row.until,
    recordedBy: { id: row.recordedBy, name: recordedByName },
    recordedAt: row.recordedAt.toISOString(),
  };
}

/** rule TIME-4: the written notice of the one extension, in plain words. */
export function extensionNotice(row: AccountingRequestRow, timeZone: string): string {
  // A year no date has, so both dates are written with theirs.
  const day = (d: Date) => formatLocalDate(localDate(d, timeZone), 0);
  return (
    `We need more time to prepare the accounting of disclosures you asked for on ${day(row.receivedAt)}. ` +
    `The reason: ${row.extensionReason ?? ''} You will have it by ${day(row.dueAt)}.`
  );
}

/** rule FEE-7: what the fee on this request rests on. */
export function feeNote(row: AccountingRequestRow): string {
  if (row.feeFree) return 'The first accounting in 12 months is free (FEE-7).';
  if (row.feeCents === 0)
    return 'A later accounting within 12 months; the practice charges no fee for it (FEE-7).';
  const amount = `$${(row.feeCents / 100).toFixed(2)}`;
  return row.feeAgreed
    ? `A later accounting within 12 months: the client was told the fee of ${amount} in advance and agreed (FEE-7).`
    : `A later accounting within 12 months: tell the client the fee of ${amount} in advance; they may withdraw or narrow the request (FEE-7).`;
}

export function presentAccountingRequest(
  row: AccountingRequestRow,
  ctx: { now: Date; timeZone: string; fulfilledByName: string },
): AccountingRequestView {
  return {
    id: row.id,
    clientId: row.clientId,
    requester: {
      name: row.requesterName,
      relationship: row.requesterRelationship as 'client' | 'representative',
      contact: row.requesterContact,
    },
    receivedAt: row.receivedAt.toISOString(),
    channel: row.channel,
    period: { from: row.periodFrom, to: row.periodTo },
    clock: {
      rule: 'TIME-4',
      dueAt: row.dueAt.toISOString(),
      daysLeft: daysLeft(ctx.now, row.dueAt, ctx.timeZone),
      overdue: !row.fulfilledAt && ctx.now.getTime() > row.dueAt.getTime(),
      extension:
        row.extendedAt && row.originalDueAt
          ? {
              from: row.originalDueAt.toISOString(),
              reason: row.extensionReason ?? '',
              at: row.extendedAt.toISOString(),
              notice: extensionNotice(row, ctx.timeZone),
            }
          : null,
    },
    fee: {
      rule: 'FEE-7',
      free: row.feeFree,
      cents: row.feeCents,
      agreed: row.feeAgreed,
      note: feeNote(row),
    },
    fulfilment:
      row.fulfilledAt && row.fulfilledBy
        ? {
            at: row.fulfilledAt.toISOString(),
            by: { id: row.fulfilledBy, name: ctx.fulfilledByName },
            method: row.fulfilmentMethod ?? '',
          }
        : null,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The accounting as the client receives it: as provided once sent (164.528(d)), else as of now. */
export function presentAccounting(
  client: LoadedClient,
  row: AccountingRequestRow,
  live: readonly AccountingEntryView[],
  now: Date,
): AccountingView {
  return {
    client: { id: client.row.id, name: `${client.row.firstName} ${client.row.lastName}` },
    period: { from: row.periodFrom, to: row.periodTo },
    asProvided: row.providedEntries !== null,
    generatedAt: (row.fulfilledAt ?? now).toISOString(),
    entries: row.providedEntries ? [...row.providedEntries] : [...live],
  };
}
