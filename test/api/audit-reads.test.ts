// Rule SEC-3 (issue 8): the audit rows of reads are chained in shared batches (audit/appender.ts),
// and a read is answered only once its row is committed. Writes keep their rows in their own
// transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAppender } from '../../src/server/audit/appender.js';
import { verifyChains } from '../../src/server/audit/chain.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

describe('audited reads are chained in batches (SEC-3)', () => {
  let t: TestApp;
  let practice: TestPractice;
  let therapist: TestUser;
  let support: Agent;
  let asTherapist: Agent;
  let requestId: string;
  let clientName: string;

  const pool = () => t.running.services.database.pool;
  const appender = () => auditAppender(pool(), t.config.auditKey);
  let clientId: string;
  const viewsOf = async (id: string) =>
    Number(
      (
        await pool().query<{ n: string }>(
          `select count(*) as n from audit_events where type = 'request.viewed' and request_id = $1`,
          [id],
        )
      ).rows[0]?.n,
    );
  /** A 'request.viewed' chain row by the therapist at `at`, handed to the appender directly. */
  const viewRow = (at: Date, data: Record<string, unknown>) => ({
    practiceId: practice.id,
    at,
    type: 'request.viewed',
    actorId: therapist.id,
    actorName: therapist.name,
    actorRole: 'therapist',
    ip: '10.0.0.1',
    userAgent: 'test',
    requestId,
    clientId: null,
    data,
  });
  const seqs = async () =>
    (
      await pool().query<{ seq: string }>(
        'select seq from audit_events where practice_id = $1 order by seq',
        [practice.id],
      )
    ).rows.map((r) => Number(r.seq));

  beforeAll(async () => {
    t = await createTestApp();
    practice = await createPractice(t);
    therapist = await createUser(t, practice, ['therapist']);
    const supportUser = await createUser(t, practice, ['support']);
    const client = await createClient(t, practice, therapist);
    clientName = client.lastName;
    clientId = client.id;
    support = await signIn(t, supportUser);
    asTherapist = await signIn(t, therapist);
    requestId = (await createRequestAs(support, client.id)).id;
  });

  afterAll(async () => {
    await pool().query('drop trigger if exists refuse_views on audit_events');
    await t?.close();
  });

  it('SEC-3: 40 reads at once are each answered and each recorded once; the chain has no gap and verifies', async () => {
    const before = await viewsOf(requestId);
    const batchesBefore = appender().stats.batches;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => asTherapist.get(`/api/requests/${requestId}`)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(40).fill(200));
    expect(await viewsOf(requestId)).toBe(before + 40);
    const all = await seqs();
    expect(all).toEqual(all.map((_, i) => i + 1));
    const verified = await verifyChains(pool(), t.config.auditKey);
    expect(verified.ok).toBe(true);
    const batches = appender().stats.batches - batchesBefore;
    // Printed, not asserted: how many reads share a batch depends on the machine's timing.
    console.log(`[audit-reads] 40 concurrent reads -> ${batches} batch transaction(s)`);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(40);
  });

  it('SEC-3: rows appended in the same turn share one transaction, chained in the order they came', async () => {
    const batchesBefore = appender().stats.batches;
    const at = new Date('2026-01-02T03:04:05Z');
    await Promise.all(Array.from({ length: 25 }, (_, n) => appender().append([viewRow(at, { n })])));
    expect(appender().stats.batches - batchesBefore).toBe(1);
    const { rows } = await pool().query<{ n: number }>(
      `select (data->>'n')::int as n from audit_events where practice_id = $1 and at = $2 order by seq`,
      [practice.id, at],
    );
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 25 }, (_, n) => n));
    expect((await verifyChains(pool(), t.config.auditKey)).ok).toBe(true);
  });

  it('SEC-3: one row the database refuses fails only its own read; the others in its batch are written', async () => {
    await pool().query(`
      create or replace function refuse_marked_view() returns trigger language plpgsql as $$
      begin
        if new.data->>'refuse' = 'yes' then raise exception 'refused by test' using errcode = '23514'; end if;
        return new;
      end $$;
      create trigger refuse_views before insert on audit_events for each row execute function refuse_marked_view();`);
    try {
      const at = new Date('2026-01-03T00:00:00Z');
      const outcomes = await Promise.allSettled([
        appender().append([viewRow(at, { n: 1 })]),
        appender().append([viewRow(at, { refuse: 'yes', n: 2 })]),
        appender().append([viewRow(at, { n: 3 })]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const { rows } = await pool().query<{ n: number }>(
        `select (data->>'n')::int as n from audit_events where practice_id = $1 and at = $2 order by seq`,
        [practice.id, at],
      );
      expect(rows.map((r) => r.n)).toEqual([1, 3]);
      expect((await verifyChains(pool(), t.config.auditKey)).ok).toBe(true);
    } finally {
      await pool().query('drop trigger refuse_views on audit_events');
    }
  });

  it('SEC-3: a read whose audit row cannot be written is not answered: 503, and nothing about the client is sent', async () => {
    // The database refusing the append as it does while it restarts (57P03 cannot_connect_now).
    await pool().query(`
      create or replace function refuse_views() returns trigger language plpgsql as $$
      begin
        if new.type = 'request.viewed' then raise exception 'starting up' using errcode = '57P03'; end if;
        return new;
      end $$;
      create trigger refuse_views before insert on audit_events for each row execute function refuse_views();`);
    const before = await viewsOf(requestId);
    try {
      const res = await asTherapist.get(`/api/requests/${requestId}`);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).not.toContain(clientName);
      expect(await viewsOf(requestId)).toBe(before);
    } finally {
      await pool().query('drop trigger refuse_views on audit_events');
    }
    const again = await asTherapist.get(`/api/requests/${requestId}`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(clientName);
    expect(await viewsOf(requestId)).toBe(before + 1);
  });

  it('SEC-3: a write keeps its audit rows in its own transaction (not batched)', async () => {
    const batchesBefore = appender().stats.batches;
    const created = await createRequestAs(support, clientId);
    const rows = await pool().query(
      `select 1 from audit_events where type = 'request.created' and request_id = $1`,
      [created.id],
    );
    expect(rows.rowCount).toBe(1);
    expect(appender().stats.batches).toBe(batchesBefore);
  });
});
