// Issue 8: two transactions storing the same two new files in opposite orders deadlock (each waits
// on the other's new blob row under the unique (practice, sha256) key). PostgreSQL cancels one
// (40P01); the transaction runner runs it once more, so both uploads succeed with one blob per file
// content; a conflict that happens again answers 503, never a 500.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/server/auth/accounts.js';
import { type Actor, type Ctx, SYSTEM_META } from '../../src/server/context.js';
import { users } from '../../src/server/db/schema.js';
import { CONFLICT_ATTEMPTS, inTransaction } from '../../src/server/db/tx.js';
import { storeFile } from '../../src/server/documents/storage.js';
import { ServiceUnavailableError } from '../../src/server/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { signIn } from '../support/session.js';
import { paddedPdf } from './support/seed.js';

let t: TestApp;
let actor: Actor;
let requestId: string;

beforeAll(async () => {
  t = await createTestApp();
  const practice = await createPractice(t);
  const user = await createUser(t, practice, ['support']);
  const therapist = await createUser(t, practice, ['therapist']);
  const client = await createClient(t, practice, therapist);
  requestId = (await createRequestAs(await signIn(t, user), client.id)).id;
  const [row] = await t.running.services.database.db.select().from(users).where(eq(users.id, user.id));
  actor = toActor(row!);
});
afterAll(async () => {
  await t?.close();
});

/** Resolves once `n` parties have arrived: both transactions hold their first blob before either takes its second. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived >= n) open();
    await opened;
  };
}

const store = (ctx: Ctx, data: Buffer, name: string) =>
  storeFile(ctx, { requestId, purpose: 'record', name, contentType: 'application/pdf', data });

/** Two transactions: one stores x then y, the other y then x, meeting at a barrier in between. */
async function crossedUploads(retryOnConflict: boolean) {
  const [x, y] = [await paddedPdf('Record x'), await paddedPdf('Record y')];
  const meet = barrier(2);
  const attempts = { ab: 0, ba: 0 };
  const run = (first: Buffer, second: Buffer, key: 'ab' | 'ba') =>
    inTransaction(
      t.running.services,
      SYSTEM_META,
      actor,
      async (ctx) => {
        attempts[key] += 1;
        const a = await store(ctx, first, `${key}-1.pdf`);
        await meet(); // a second run passes straight through: the barrier is already open
        const b = await store(ctx, second, `${key}-2.pdf`);
        return [a.id, b.id];
      },
      { retryOnConflict },
    );
  const results = await Promise.allSettled([run(x, y, 'ab'), run(y, x, 'ba')]);
  const blobs = await t.running.services.database.pool.query<{ n: number }>(
    'select count(*)::int as n from file_blobs where sha256 = any($1)',
    [[x, y].map((d) => createHash('sha256').update(d).digest('hex'))],
  );
  return { results, attempts, blobs: blobs.rows[0]!.n };
}

describe('deadlocks and serialization failures (issue 8)', () => {
  it('two uploads of the same two new files in opposite orders do deadlock without the retry (40P01)', async () => {
    const { results } = await crossedUploads(false);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const err = (rejected[0] as PromiseRejectedResult).reason as { code?: string; cause?: { code?: string } };
    expect(err.code ?? err.cause?.code).toBe('40P01');
  });

  it('with the retry both succeed: the cancelled one runs once more and meets the other on the same two blobs', async () => {
    const { results, attempts, blobs } = await crossedUploads(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(attempts.ab + attempts.ba).toBe(3);
    expect(blobs).toBe(2);
    console.log(`[faults deadlock] attempts ${JSON.stringify(attempts)}: one transaction retried once`);
  });

  it('a conflict that keeps happening answers 503 with a plain message, after exactly CONFLICT_ATTEMPTS runs', async () => {
    let runs = 0;
    const err = await inTransaction(t.running.services, SYSTEM_META, actor, async () => {
      runs += 1;
      throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    }).catch((e: unknown) => e);
    expect(runs).toBe(CONFLICT_ATTEMPTS);
    expect(CONFLICT_ATTEMPTS).toBe(3);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).statusCode).toBe(503);
    expect((err as Error).message).toMatch(/Nothing was saved/);
  });
});
