// rule REL-4 (164.528(a)(2)): the privacy officer records a health-oversight agency's or a
// law-enforcement official's statement suspending the client's right to an accounting of the
// disclosures to it, for a period (an oral one for 30 days at most). The row is append-only.
import type { AccountingSuspensionInput } from '../../shared/schemas/accounting.js';
import { localDate } from '../../shared/time.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { accountingSuspensions } from '../db/schema-accounting.js';
import { BadRequestError } from '../errors.js';
import { canManageSuspensions } from '../policies/accounting.js';
import { clientFor, practiceTimeZone } from './queries.js';
import { checkSuspension } from './rules.js';

export async function recordAccountingSuspension(
  ctx: Ctx,
  clientId: string,
  input: AccountingSuspensionInput,
): Promise<{ suspensionId: string }> {
  const client = await clientFor(ctx, clientId, canManageSuspensions);
  const timeZone = await practiceTimeZone(ctx, client.row.practiceId);
  const today = localDate(ctx.now, timeZone);
  const startsOn = input.startsOn ?? today;
  const check = checkSuspension({ statement: input.statement, startsOn, until: input.until }, today);
  if (!check.ok)
    throw new BadRequestError(check.message, [{ path: `body.${check.field}`, message: check.message }]);
  const [row] = await ctx.tx
    .insert(accountingSuspensions)
    .values({
      practiceId: client.row.practiceId,
      clientId: client.row.id,
      agency: input.agency,
      reason: input.reason,
      statement: input.statement,
      startsOn,
      until: input.until,
      recordedBy: ctx.actor!.id,
      recordedAt: ctx.now,
    })
    .returning({ id: accountingSuspensions.id });
  record(ctx, {
    type: 'accounting.suspension_recorded',
    clientId: client.row.id,
    data: { rule: 'REL-4', suspensionId: row!.id, statement: input.statement, startsOn, until: input.until },
  });
  return { suspensionId: row!.id };
}
