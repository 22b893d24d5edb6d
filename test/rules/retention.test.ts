// rule AUTH-6 in the database itself (migration 0004): signed authorizations, revocations, requests,
// the privacy officer's approvals and the kept files (signed forms, letters, legal papers) stay at
// least six years after they were last in effect, whoever asks; a signed authorization is kept as
// received, and only its revocation (AUTH-5) is added, once. Rows are made through the routes, then
// attacked with raw SQL, like test/api/append-only.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

const authorization = (extra: Record<string, unknown> = {}) => ({
  description: 'Progress notes, 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Northwind Life Insurance',
  purpose: 'Life insurance underwriting',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Alex Client',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['progress_notes'],
  ...extra,
});

function upload(t: TestApp, agent: Agent, requestId: string, purpose: string) {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': agent.csrfToken },
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${purpose}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
}

interface Made {
  requestId: string;
  authorizationId: string;
  approvalId: string;
  files: Record<string, string>;
}

/** A request with an authorization, a privacy approval and files, all through the routes. */
async function makeRecords(
  t: TestApp,
  as: Record<string, Agent>,
  clientId: string,
  auth: Record<string, unknown>,
): Promise<Made> {
  const r = await createRequestAs(as.support!, clientId, {
    kind: 'authorization',
    receivedAt: t.clock.now().toISOString(),
    requester: { name: 'Northwind Life Insurance' },
  });
  const a = await as.support!.post(`/api/requests/${r.id}/authorizations`, auth);
  expect(a.statusCode, a.body).toBe(201);
  const approval = await as.privacy!.post(`/api/requests/${r.id}/exceptions`, {
    kind: 'psychotherapy_notes',
    exception: 'required_by_law',
    note: 'State statute compels them',
  });
  expect(approval.statusCode, approval.body).toBe(201);
  const files: Record<string, string> = {};
  for (const purpose of ['authorization', 'legal_document']) {
    const f = await upload(t, as.support!, r.id, purpose);
    expect(f.statusCode, f.body).toBe(201);
    files[purpose] = f.json().id;
  }
  return { requestId: r.id, authorizationId: a.json().id, approvalId: approval.json().id, files };
}

async function setUp(now: string) {
  const t = await createTestApp();
  t.clock.set(now);
  const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
  const u: Record<string, TestUser> = {
    support: await createUser(t, practice, ['support']),
    therapist: await createUser(t, practice, ['therapist']),
    privacy: await createUser(t, practice, ['privacy_officer']),
  };
  const clientId = (await createClient(t, practice, u.therapist!)).id;
  const as: Record<string, Agent> = {};
  for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  return { t, as, clientId };
}

/** The row as text, to prove an attempt changed nothing. */
async function snapshot(t: TestApp, table: string, id: string): Promise<string | null> {
  const { rows } = await t.running.services.database.pool.query(
    `select md5(x::text) as h from ${table} x where id = $1`,
    [id],
  );
  return rows[0]?.h ?? null;
}

describe('AUTH-6: kept six years, in the database', () => {
  let t: TestApp;
  let as: Record<string, Agent>;
  let made: Made;

  beforeAll(async () => {
    const s = await setUp('2027-03-01T18:00:00Z');
    t = s.t;
    as = s.as;
    made = await makeRecords(t, as, s.clientId, authorization());
  });
  afterAll(async () => {
    await t.close();
  });

  it('AUTH-6: recent authorizations, requests, approvals and kept files cannot be deleted, and are unchanged after the attempt', async () => {
    const pool = t.running.services.database.pool;
    const targets = [
      ['authorizations', made.authorizationId],
      ['privacy_approvals', made.approvalId],
      ['files', made.files.authorization!],
      ['files', made.files.legal_document!],
      ['requests', made.requestId],
    ] as const;
    for (const [table, id] of targets) {
      const before = await snapshot(t, table, id);
      expect(before, table).not.toBeNull();
      await expect(pool.query(`delete from ${table} where id = $1`, [id]), table).rejects.toThrow(
        new RegExp(`rule AUTH-6: ${table} are kept at least 6 years after they were last in effect`),
      );
      expect(await snapshot(t, table, id), table).toBe(before);
    }
    // The authorization is kept until six years after it was last in effect: its expiry date.
    await expect(
      pool.query('delete from authorizations where id = $1', [made.authorizationId]),
    ).rejects.toThrow('(this one until 2033-12-31)');
  });

  it('AUTH-6: TRUNCATE is refused on every kept table, even with CASCADE', async () => {
    const pool = t.running.services.database.pool;
    for (const table of ['authorizations', 'requests', 'privacy_approvals', 'files']) {
      const { rows: before } = await pool.query(`select count(*)::int as n from ${table}`);
      // CASCADE gets past the foreign keys, so it is the table's own trigger that refuses.
      await expect(pool.query(`truncate ${table} cascade`), table).rejects.toThrow(
        `the table ${table} is append-only: TRUNCATE is not allowed`,
      );
      await expect(pool.query(`truncate ${table}`), table).rejects.toThrow();
      const { rows: after } = await pool.query(`select count(*)::int as n from ${table}`);
      expect(after[0].n, table).toBe(before[0].n);
      expect(before[0].n, table).toBeGreaterThan(0);
    }
  });

  it("AUTH-6: a signed authorization's fields cannot be edited", async () => {
    const pool = t.running.services.database.pool;
    const before = await snapshot(t, 'authorizations', made.authorizationId);
    for (const set of [
      `recipient = 'Someone else'`,
      `expires_on = '2030-12-31'`,
      'statement_redisclosure = false',
      `document_classes = '{progress_notes,psychotherapy_notes}'`,
      'created_at = now()',
    ]) {
      await expect(
        pool.query(`update authorizations set ${set} where id = $1`, [made.authorizationId]),
        set,
      ).rejects.toThrow('rule AUTH-6: a signed authorization is kept as received');
    }
    expect(await snapshot(t, 'authorizations', made.authorizationId)).toBe(before);
  });

  it('AUTH-5, AUTH-6: revoking through the route still works; a recorded revocation is never changed or withdrawn', async () => {
    const pool = t.running.services.database.pool;
    const res = await as.support!.post(
      `/api/requests/${made.requestId}/authorizations/${made.authorizationId}/revocation`,
      { receivedAt: '2027-03-01T17:00:00Z', note: 'Letter from the client' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().authorization.revocation).toMatchObject({ receivedAt: '2027-03-01T17:00:00.000Z' });
    const before = await snapshot(t, 'authorizations', made.authorizationId);
    for (const set of [
      'revocation_received_at = null, revoked_by = null, revocation_note = null',
      `revocation_note = 'Changed my mind'`,
      `revocation_received_at = '2027-02-01T00:00:00Z'`,
    ]) {
      await expect(
        pool.query(`update authorizations set ${set} where id = $1`, [made.authorizationId]),
        set,
      ).rejects.toThrow('rule AUTH-5: a recorded revocation is never changed or withdrawn');
    }
    expect(await snapshot(t, 'authorizations', made.authorizationId)).toBe(before);
    await expect(
      pool.query('delete from authorizations where id = $1', [made.authorizationId]),
    ).rejects.toThrow('rule AUTH-6');
  });
});

describe('AUTH-6: six years is a floor, not forever', () => {
  let t: TestApp;
  let made: Made;
  let stillKept: string;

  beforeAll(async () => {
    // Recorded in June 2019; the authorization expired on 31 May 2020, more than six years ago.
    const s = await setUp('2019-06-03T17:00:00Z');
    t = s.t;
    made = await makeRecords(
      t,
      s.as,
      s.clientId,
      authorization({ signedOn: '2019-05-28', expiresOn: '2020-05-31' }),
    );
    // Signed the same day, but in effect until the end of 2021: kept until the end of 2027.
    const longer = await s.as.support!.post(
      `/api/requests/${made.requestId}/authorizations`,
      authorization({ signedOn: '2019-05-28', expiresOn: '2021-12-31' }),
    );
    expect(longer.statusCode, longer.body).toBe(201);
    stillKept = longer.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('AUTH-6: rows last in effect more than six years ago can be deleted; one in effect later is still kept', async () => {
    const pool = t.running.services.database.pool;
    await expect(pool.query('delete from authorizations where id = $1', [stillKept])).rejects.toThrow(
      '(this one until 2027-12-31)',
    );
    expect(await snapshot(t, 'authorizations', stillKept)).not.toBeNull();
    for (const [table, id] of [
      ['authorizations', made.authorizationId],
      ['privacy_approvals', made.approvalId],
      ['files', made.files.legal_document!],
    ] as const) {
      const res = await pool.query(`delete from ${table} where id = $1`, [id]);
      expect(res.rowCount, table).toBe(1);
      expect(await snapshot(t, table, id), table).toBeNull();
    }
  });
});
