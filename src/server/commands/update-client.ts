// Support or the privacy officer edits a client's details (rule SEC-2). The audit event names the
// fields that changed, never their values (rule SEC-5). A date of birth that changes re-derives the
// minor flag unless the flag is given too.
import { eq } from 'drizzle-orm';
import {
  CLIENT_FIELDS,
  type ClientField,
  isMinorOn,
  type UpdateClientInput,
} from '../../shared/schemas/clients.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { clients } from '../db/schema.js';
import { findVisibleClient } from '../queries/visible-clients.js';
import {
  assertActiveTherapist,
  assertBornByToday,
  authorizeManageClients,
  clientPractice,
  practiceToday,
} from './create-client.js';

type ClientChanges = Partial<Pick<typeof clients.$inferInsert, ClientField>>;

export async function updateClient(
  ctx: Ctx,
  clientId: string,
  input: UpdateClientInput,
): Promise<{ changed: ClientField[] }> {
  const practiceId = clientPractice(ctx);
  // 404 unless visible; then 403 unless the caller may edit (SEC-2).
  const { row } = await findVisibleClient(ctx, clientId, { forUpdate: true });
  authorizeManageClients(ctx, practiceId);

  const wanted: ClientChanges = {};
  for (const field of CLIENT_FIELDS) {
    const value = input[field];
    if (value !== undefined) Object.assign(wanted, { [field]: value });
  }
  if (input.dateOfBirth !== undefined) {
    const today = await practiceToday(ctx, practiceId);
    assertBornByToday(input.dateOfBirth, today);
    if (input.isMinor === undefined) wanted.isMinor = isMinorOn(input.dateOfBirth, today);
  }
  if (wanted.therapistId && wanted.therapistId !== row.therapistId) {
    await assertActiveTherapist(ctx, practiceId, wanted.therapistId);
  }

  const changes: ClientChanges = {};
  const changed: ClientField[] = [];
  for (const field of CLIENT_FIELDS) {
    if (!(field in wanted) || wanted[field] === row[field]) continue;
    Object.assign(changes, { [field]: wanted[field] });
    changed.push(field);
  }
  if (changed.length === 0) return { changed };
  await ctx.tx.update(clients).set(changes).where(eq(clients.id, row.id));
  record(ctx, { type: 'client.updated', clientId: row.id, data: { fields: changed } });
  return { changed };
}
