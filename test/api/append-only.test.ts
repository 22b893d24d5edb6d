// rule SEC-3 and REL-3: the audit log and the disclosure log are append-only in the database itself,
// whatever the application does: UPDATE, DELETE and TRUNCATE are rejected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { signIn } from '../support/session.js';

describe('append-only tables', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const support = await createUser(t, practice, ['support']);
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    const as = await signIn(t, support);
    const r = await createRequestAs(as, client.id, { kind: 'client_directed' });
    // A disclosure row to try to change.
    await t.running.services.database.pool.query(
      `insert into disclosures (practice_id, request_id, client_id, kind, disclosed_at, recipient_name, description, purpose, deliverable, released_by)
       values ($1, $2, $3, 'client_directed', now(), 'Dr. Next', 'Progress notes', 'Continuity', 'copy', $4)`,
      [practice.id, r.id, client.id, support.id],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const attempts = [
    ['audit_events', 'update audit_events set type = $$x$$'],
    ['audit_events', 'delete from audit_events'],
    ['audit_events', 'truncate audit_events'],
    ['disclosures', 'update disclosures set recipient_name = $$Someone else$$'],
    ['disclosures', 'delete from disclosures'],
    ['disclosures', 'truncate disclosures'],
  ] as const;

  it.each(attempts)('SEC-3, REL-3: %s rejects "%s"', async (table, sql) => {
    const pool = t.running.services.database.pool;
    const before = await pool.query(
      `select count(*)::int as n, md5(string_agg(t::text, '' order by t::text)) as h from ${table} t`,
    );
    expect(before.rows[0].n).toBeGreaterThan(0);
    await expect(pool.query(sql)).rejects.toThrow(/append-only|permission denied/);
    const after = await pool.query(
      `select count(*)::int as n, md5(string_agg(t::text, '' order by t::text)) as h from ${table} t`,
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});
