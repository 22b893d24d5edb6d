// Supervision links: each supervisee has one supervisor, and links form chains without cycles (the
// database enforces both: the primary key and a trigger). Access to requests follows these chains
// (SEC-2), so every change is audited.
import { and, eq } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { supervisionLinks } from '../db/schema.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { authorize, lockPracticeUser, pgCode, pgMessage, practiceOf, type UserRow } from './user-records.js';

const SUPERVISION_LOCK = 7_310_003;

export interface LinkInput {
  superviseeId: string;
  supervisorId: string;
}

export async function linkSupervisor(ctx: Ctx, input: LinkInput): Promise<void> {
  authorize(ctx, 'manage_users');
  if (input.superviseeId === input.supervisorId) {
    throw new BadRequestError('Nobody can supervise themself.', [
      { path: 'body.supervisorId', message: 'must differ from superviseeId' },
    ]);
  }
  // One change to a practice's chains at a time, so two concurrent links cannot close a cycle
  // that the trigger (which sees only committed rows) would miss.
  await ctx.client.query('select pg_advisory_xact_lock($1, hashtext($2))', [
    SUPERVISION_LOCK,
    practiceOf(ctx),
  ]);
  const [first, second] = [input.superviseeId, input.supervisorId].sort();
  const locked = new Map<string, UserRow>();
  for (const id of [first!, second!]) locked.set(id, await lockPracticeUser(ctx, id));
  const supervisee = locked.get(input.superviseeId)!;
  const supervisor = locked.get(input.supervisorId)!;
  if (!supervisor.active || !supervisee.active) {
    throw new ConflictError('Both people must have active accounts.');
  }
  if (!supervisor.roles.includes('supervisor')) {
    throw new BadRequestError(`${supervisor.name} does not hold the supervisor role.`, [
      { path: 'body.supervisorId', message: 'must be a user with the supervisor role' },
    ]);
  }
  const [existing] = await ctx.tx
    .select({ supervisorId: supervisionLinks.supervisorId })
    .from(supervisionLinks)
    .where(eq(supervisionLinks.superviseeId, supervisee.id));
  if (existing) throw alreadySupervised(supervisee.name, existing.supervisorId);
  try {
    // A refused row aborts the transaction; every branch below throws, so it rolls back whole.
    await ctx.tx.insert(supervisionLinks).values({
      practiceId: practiceOf(ctx),
      superviseeId: supervisee.id,
      supervisorId: supervisor.id,
      createdAt: ctx.now,
    });
  } catch (err) {
    const code = pgCode(err);
    if (code === '23505') throw alreadySupervised(supervisee.name, null);
    if (code === '23514' && /cycle/.test(pgMessage(err))) {
      throw new ConflictError(
        `${supervisor.name} is already supervised, directly or further up the chain, by ${supervisee.name}: ` +
          'supervision links may not form a cycle.',
        { superviseeId: supervisee.id, supervisorId: supervisor.id },
      );
    }
    throw err;
  }
  record(ctx, {
    type: 'supervision.linked',
    data: { superviseeId: supervisee.id, supervisorId: supervisor.id },
  });
}

function alreadySupervised(name: string, supervisorId: string | null): ConflictError {
  return new ConflictError(
    `${name} already has a supervisor; remove that link first (a supervisee has exactly one supervisor).`,
    supervisorId ? { supervisorId } : {},
  );
}

export async function unlinkSupervisor(ctx: Ctx, superviseeId: string): Promise<void> {
  authorize(ctx, 'manage_users');
  const removed = await ctx.tx
    .delete(supervisionLinks)
    .where(
      and(eq(supervisionLinks.superviseeId, superviseeId), eq(supervisionLinks.practiceId, practiceOf(ctx))),
    )
    .returning({ supervisorId: supervisionLinks.supervisorId });
  if (removed.length === 0) throw new NotFoundError('supervision link', { superviseeId });
  record(ctx, {
    type: 'supervision.unlinked',
    data: { superviseeId, supervisorId: removed[0]!.supervisorId },
  });
}
