// The escalation ladder's rungs climbed on requests' tasks (rule TIME-6), for the presenters.
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db/connect.js';
import { taskEscalations } from '../db/schema-rules.js';

export type EscalationRow = typeof taskEscalations.$inferSelect;

export async function loadEscalations(tx: Db, requestIds: readonly string[]): Promise<EscalationRow[]> {
  if (requestIds.length === 0) return [];
  return tx
    .select()
    .from(taskEscalations)
    .where(inArray(taskEscalations.requestId, [...requestIds]))
    .orderBy(asc(taskEscalations.createdAt), asc(taskEscalations.level));
}
