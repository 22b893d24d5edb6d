// rule REL-3: the privacy officer records an impermissible disclosure (for example records sent to
// the wrong recipient) as an entry of the client's disclosure log, append-only like every other.
// It is accountable (REL-4) whatever the kind of the request it happened on.
import { and, eq } from 'drizzle-orm';
import type { ImpermissibleDisclosureInput } from '../../shared/schemas/accounting.js';
import { isLocalDate, startOfLocalDay } from '../../shared/time.js';
import { clientFor, practiceTimeZone } from '../accounting/queries.js';
import { NO_REQUEST_KIND } from '../accounting/rules.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { disclosures, requests } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { canRecordImpermissible } from '../policies/accounting.js';

export async function recordImpermissibleDisclosure(
  ctx: Ctx,
  clientId: string,
  input: ImpermissibleDisclosureInput,
): Promise<{ disclosureId: string }> {
  const client = await clientFor(ctx, clientId, canRecordImpermissible);
  const { practiceId } = client.row;
  const timeZone = await practiceTimeZone(ctx, practiceId);
  const disclosedAt = isLocalDate(input.disclosedAt)
    ? startOfLocalDay(input.disclosedAt, timeZone)
    : new Date(input.disclosedAt);
  // rule REL-3: an entry records what happened; a date in the future is a typing mistake.
  if (disclosedAt.getTime() > ctx.now.getTime() + 60_000) {
    const message = 'The disclosure cannot have happened in the future (REL-3).';
    throw new BadRequestError(message, [{ path: 'body.disclosedAt', message }]);
  }
  let kind = NO_REQUEST_KIND;
  if (input.requestId) {
    const [request] = await ctx.tx
      .select({ kind: requests.kind })
      .from(requests)
      .where(
        and(
          eq(requests.id, input.requestId),
          eq(requests.clientId, client.row.id),
          eq(requests.practiceId, practiceId),
        ),
      );
    if (!request) {
      const message = "The request must be one of this client's requests (REL-3).";
      throw new BadRequestError(message, [{ path: 'body.requestId', message }]);
    }
    kind = request.kind;
  }
  // rule REL-3: the entry is written once and never changed (the table's trigger rejects UPDATE
  // and DELETE; the API has no route that would try).
  const [entry] = await ctx.tx
    .insert(disclosures)
    .values({
      practiceId,
      requestId: input.requestId ?? null,
      clientId: client.row.id,
      kind,
      disclosedAt,
      recipientName: input.recipientName,
      recipientAddress: input.recipientAddress ?? null,
      description: input.description,
      purpose: input.purpose,
      deliverable: input.deliverable,
      releasedBy: ctx.actor!.id,
      packetSha256: null,
      impermissible: true,
      createdAt: ctx.now,
    })
    .returning({ id: disclosures.id });
  record(ctx, {
    type: 'disclosure.impermissible_recorded',
    clientId: client.row.id,
    requestId: input.requestId ?? null,
    data: { disclosureId: entry!.id, disclosedAt: disclosedAt.toISOString(), kind },
  });
  return { disclosureId: entry!.id };
}
