// Rule packs through the HTTP API (rule TIME-3): each request is decided under the packs in force
// at receipt — the federal baseline and its practice's state — with the shorter access deadline;
// the privacy officer or an admin adds versions, never edits one, and history never changes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentRequestRules } from '../../src/server/presenters/rules.js';
import { resolveRules } from '../../src/server/rules/pack-resolution.js';
import { FEDERAL_PACK_V1 } from '../../src/server/rules/packs/federal.js';
import { seedShippedRulePacks } from '../../src/server/rules/packs/seed.js';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

interface RulesView {
  packs: { id: string; jurisdiction: string; version: number; practiceSpecific: boolean }[];
  accessDeadlineDays: number | null;
  accessDeadline: { days: number; unit: string; jurisdiction: string; verified: boolean } | null;
  releaseMayWaitOnPayment: { value: boolean; jurisdiction: string };
  denialGrounds: { code: string; usable: boolean }[];
  warnings: { rule: string; message: string }[];
}

const MONDAY = '2026-11-02T17:00:00Z'; // 11:00 in Chicago, 12:00 in New York, 09:00 in Seattle

/** Counsel confirmed the Texas deadline and the payment rule: a new version, values verified. */
const TX_V2 = {
  jurisdiction: 'TX',
  effectiveFrom: '2026-11-01',
  notes: 'Counsel reviewed §611.008 on 30 October 2026 and confirmed both values.',
  data: {
    title: 'Texas, confirmed by counsel',
    accessDeadline: {
      value: { days: 15, unit: 'calendar' },
      source: 'Tex. Health & Safety Code §611.008, confirmed by counsel (memo of 30 Oct 2026)',
      verified: true,
    },
    releaseMayWaitOnPayment: {
      value: true,
      source: 'Tex. Health & Safety Code §611.008(b), confirmed by counsel (memo of 30 Oct 2026)',
      verified: true,
    },
  },
};

describe('rule packs', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  const client: Record<string, string> = {};
  let pool: pg.Pool;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(MONDAY);
    pool = t.running.services.database.pool;
    const tx = await createPractice(t, { state: 'TX', timeZone: 'America/Chicago' });
    const wa = await createPractice(t, { state: 'WA', timeZone: 'America/Los_Angeles' });
    const ny = await createPractice(t, { state: 'NY', timeZone: 'America/New_York' });
    const ca = await createPractice(t, { state: 'CA', timeZone: 'America/Los_Angeles' });
    for (const [key, practice] of [
      ['tx', tx],
      ['wa', wa],
      ['ny', ny],
      ['ca', ca],
    ] as const) {
      u[`${key}Support`] = await createUser(t, practice, ['support']);
      const therapist = await createUser(t, practice, ['therapist']);
      client[key] = (await createClient(t, practice, therapist)).id;
    }
    u.txTherapist = await createUser(t, tx, ['therapist']);
    u.txPrivacy = await createUser(t, tx, ['privacy_officer']);
    u.txAdmin = await createUser(t, tx, ['admin']);
    u.nyPrivacy = await createUser(t, ny, ['privacy_officer']);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (who: string, key: string, overrides: Record<string, unknown> = {}) =>
    createRequestAs(as[who]!, client[key]!, { receivedAt: MONDAY, ...overrides });
  async function rulesOf(who: string, r: { id: string }): Promise<RulesView> {
    const res = await as[who]!.get(`/api/requests/${r.id}/rules`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rules;
  }
  const count = async (sql: string, params: unknown[] = []) =>
    (await pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0]!.n;

  let txFirst: RequestDetails;

  it('TIME-3: a Texas access request is decided under US v1 and TX v1 — the pack ids stored; TX’s shorter 15 days applies before counsel confirms it, with a warning naming §611.008', async () => {
    txFirst = await create('txSupport', 'tx');
    // Received Monday 2 November (Chicago): Texas's 15 calendar days → the end of Tuesday 17 November.
    expect(txFirst.clocks.legal).toMatchObject({ basis: 'law', dueAt: '2026-11-18T05:59:59.999Z' });
    const rules = await rulesOf('txSupport', txFirst);
    expect(rules.packs.map((p) => `${p.jurisdiction} v${p.version}`)).toEqual(['US v1', 'TX v1']);
    expect(rules.accessDeadlineDays).toBe(15);
    expect(rules.accessDeadline).toMatchObject({ days: 15, jurisdiction: 'TX', verified: false });
    const deadlineWarnings = rules.warnings.filter((w) => w.message.includes('(deadline for access)'));
    expect(deadlineWarnings).toEqual([
      {
        rule: 'TIME-3',
        message: expect.stringMatching(
          /^Applied: Texas’s 15 calendar days \(deadline for access\), not yet confirmed by counsel \(TX pack v1; Tex\. Health & Safety Code §611\.008/,
        ),
      },
    ]);
    const { rows } = await pool.query(
      `select f.jurisdiction as fj, s.jurisdiction as sj from requests r
         join rule_packs f on f.id = r.federal_pack_id join rule_packs s on s.id = r.state_pack_id where r.id = $1`,
      [txFirst.id],
    );
    expect(rows).toEqual([{ fj: 'US', sj: 'TX' }]);
    expect(txFirst.history.find((h) => h.type === 'request.created')?.data.rulePacks).toEqual([
      'US v1',
      'TX v1',
    ]);
  });

  it('TIME-3: a California access request’s details carry its rules — due in 15 days, with the warning naming §123110', async () => {
    const created = await create('caSupport', 'ca');
    // Received Monday 2 November, 09:00 in Los Angeles: 15 calendar days → the end of Tuesday 17 November.
    expect(created.clocks.legal).toMatchObject({ basis: 'law', dueAt: '2026-11-18T07:59:59.999Z' });
    const res = await as.caSupport!.get(`/api/requests/${created.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const { rules } = res.json() as { rules: RulesView };
    expect(rules.packs.map((p) => `${p.jurisdiction} v${p.version}`)).toEqual(['US v1', 'CA v1']);
    expect(rules.accessDeadlineDays).toBe(15);
    expect(rules.accessDeadline).toMatchObject({ days: 15, jurisdiction: 'CA', verified: false });
    expect(rules.warnings).toEqual(
      expect.arrayContaining([
        {
          rule: 'TIME-3',
          message: expect.stringMatching(
            /^Applied: California’s 15 calendar days \(deadline for access\), not yet confirmed by counsel \(CA pack v1; Cal\. Health & Safety Code §123110/,
          ),
        },
      ]),
    );
    // The same block as GET /api/requests/:id/rules, and already in the answer to POST /api/requests.
    expect(rules).toEqual(await rulesOf('caSupport', created));
    expect((created as unknown as { rules: RulesView }).rules.accessDeadlineDays).toBe(15);
  });

  it('TIME-3: a Texas ground broader than HIPAA’s is stored but flagged unusable for access', async () => {
    const rules = await rulesOf('txSupport', txFirst);
    expect(rules.denialGrounds).toEqual([
      expect.objectContaining({ code: 'tx_harmful_to_patient', usable: false }),
    ]);
  });

  it('TIME-2, TIME-3: a practice in a state with no pack keeps HIPAA’s 30 days and is told so', async () => {
    const r = await create('waSupport', 'wa');
    expect(r.clocks.legal.dueAt).toBe('2026-12-03T07:59:59.999Z'); // Wed 2 Dec, end of day in Seattle
    const rules = await rulesOf('waSupport', r);
    expect(rules.packs.map((p) => p.jurisdiction)).toEqual(['US']);
    expect(rules.accessDeadline).toMatchObject({ days: 30, jurisdiction: 'US', verified: true });
    expect(rules.warnings).toEqual([
      expect.objectContaining({ rule: 'TIME-3', message: expect.stringContaining('WA') }),
    ]);
  });

  it('TIME-3: New York — an inspection is due in 10 days, with a warning until counsel confirms it; a copy keeps HIPAA’s 30', async () => {
    const before = await create('nySupport', 'ny', { deliveryFormat: 'inspection' });
    expect(before.clocks.legal.dueAt).toBe('2026-11-13T04:59:59.999Z'); // Thu 12 Nov, New York
    const unconfirmed = await rulesOf('nySupport', before);
    expect(unconfirmed.accessDeadline).toMatchObject({ days: 10, jurisdiction: 'NY', verified: false });
    expect(unconfirmed.warnings).toEqual(
      expect.arrayContaining([
        {
          rule: 'TIME-3',
          message: expect.stringMatching(
            /^Applied: New York’s 10 calendar days \(deadline for inspection\), not yet confirmed by counsel.*Public Health Law §18/,
          ),
        },
      ]),
    );
    const added = await as.nyPrivacy!.post('/api/rule-packs', {
      jurisdiction: 'NY',
      effectiveFrom: '2026-01-01',
      notes: 'Counsel confirmed PHL §18 inspection deadline.',
      data: {
        title: 'New York, confirmed',
        inspectionDeadline: {
          value: { days: 10, unit: 'calendar' },
          source: 'N.Y. Public Health Law §18, confirmed by counsel',
          verified: true,
        },
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().pack).toMatchObject({ jurisdiction: 'NY', version: 2 });
    const inspect = await create('nySupport', 'ny', { deliveryFormat: 'inspection' });
    expect(inspect.clocks.legal.dueAt).toBe('2026-11-13T04:59:59.999Z'); // Thu 12 Nov, New York
    const confirmed = await rulesOf('nySupport', inspect);
    expect(confirmed.accessDeadline).toMatchObject({ days: 10, jurisdiction: 'NY', verified: true });
    expect(confirmed.warnings.some((w) => w.message.includes('(deadline for inspection)'))).toBe(false);
    const copy = await create('nySupport', 'ny');
    expect(copy.clocks.legal.dueAt).toBe('2026-12-03T04:59:59.999Z'); // Wed 2 Dec, New York
    expect((await rulesOf('nySupport', copy)).accessDeadlineDays).toBe(30);
    // Decided under NY v1: the same 10 days, still with the warning.
    const kept = await rulesOf('nySupport', before);
    expect(kept.packs.map((p) => `${p.jurisdiction} v${p.version}`)).toEqual(['US v1', 'NY v1']);
    expect(kept.accessDeadline).toMatchObject({ days: 10, jurisdiction: 'NY', verified: false });
  });

  it('TIME-3, TIME-5: a third-party request stores its packs but has no access deadline', async () => {
    const r = await create('txSupport', 'tx', { kind: 'authorization', requester: { name: 'Insurer' } });
    expect(r.clocks.legal.basis).toBe('target');
    const rules = await rulesOf('txSupport', r);
    expect(rules.packs.map((p) => p.jurisdiction)).toEqual(['US', 'TX']);
    expect(rules.accessDeadlineDays).toBeNull();
    expect(rules.denialGrounds).toEqual([expect.objectContaining({ usable: true })]);
  });

  it.each([
    ['txSupport', 403],
    ['txTherapist', 403],
  ])('TIME-3: %s cannot add a rule pack version (%s), and nothing is added', async (who, status) => {
    const before = await count('rule_packs');
    const res = await as[who]!.post('/api/rule-packs', TX_V2);
    expect(res.statusCode).toBe(status);
    expect(res.json().message).toMatch(/privacy officer or an administrator/);
    expect(await count('rule_packs')).toBe(before);
  });

  it.each([
    [
      'an impossible deadline',
      {
        ...TX_V2,
        data: {
          ...TX_V2.data,
          accessDeadline: { ...TX_V2.data.accessDeadline, value: { days: 0, unit: 'calendar' } },
        },
      },
      'body.data.accessDeadline.value.days',
    ],
    [
      'a value without its source',
      {
        ...TX_V2,
        data: { title: 'x Texas', accessDeadline: { value: { days: 10, unit: 'calendar' }, verified: true } },
      },
      'body.data.accessDeadline.source',
    ],
    [
      'a value without its verified flag',
      { ...TX_V2, data: { title: 'Texas', releaseMayWaitOnPayment: { value: true, source: '§611.008(b)' } } },
      'body.data.releaseMayWaitOnPayment.verified',
    ],
    ['an unknown key', { ...TX_V2, data: { ...TX_V2.data, treatmentBalance: 1 } }, 'body.data'],
    ['an unknown jurisdiction', { ...TX_V2, jurisdiction: 'XX' }, 'body.jurisdiction'],
    ['an impossible date', { ...TX_V2, effectiveFrom: '2026-02-30' }, 'body.effectiveFrom'],
    [
      'a federal version without the 2.32 notice',
      { ...TX_V2, jurisdiction: 'US', data: { ...FEDERAL_PACK_V1, part2NoticeLong: undefined } },
      'body.data.part2NoticeLong',
    ],
  ])('TIME-3: %s answers 400 naming the field, and nothing is added', async (_what, body, field) => {
    const before = await count('rule_packs');
    const res = await as.txPrivacy!.post('/api/rule-packs', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(await count('rule_packs')).toBe(before);
  });

  let txV2: { id: string; version: number };

  it('TIME-3: the privacy officer adds version 2 (counsel confirmed); new requests use it without the warning, the existing request keeps its pack, date and warning', async () => {
    const res = await as.txPrivacy!.post('/api/rule-packs', TX_V2);
    expect(res.statusCode, res.body).toBe(201);
    txV2 = res.json().pack;
    expect(res.json().pack).toMatchObject({
      jurisdiction: 'TX',
      version: 2,
      practiceSpecific: true,
      // Both given values are confirmed; v1's denial ground, carried over, still awaits counsel.
      unverified: ['denialGrounds'],
    });
    const audited = await pool.query(
      "select data from audit_events where type = 'rule_pack.version_added' and data->>'jurisdiction' = 'TX'",
    );
    expect(audited.rows).toEqual([{ data: expect.objectContaining({ version: 2, rule: 'TIME-3' }) }]);

    const next = await create('txSupport', 'tx');
    expect(next.clocks.legal.dueAt).toBe('2026-11-18T05:59:59.999Z'); // 15 days: Tue 17 Nov, Chicago
    const rules = await rulesOf('txSupport', next);
    expect(rules.packs.map((p) => [p.jurisdiction, p.version, p.practiceSpecific])).toEqual([
      ['US', 1, false],
      ['TX', 2, true],
    ]);
    expect(rules.accessDeadline).toMatchObject({ days: 15, jurisdiction: 'TX', verified: true });
    expect(rules.warnings.some((w) => w.message.includes('(deadline for access)'))).toBe(false);
    // rule FEE-6: Texas, now confirmed, lets the release wait on payment.
    expect(rules.releaseMayWaitOnPayment).toMatchObject({ value: true, jurisdiction: 'TX' });

    const old = (await as.txSupport!.get(`/api/requests/${txFirst.id}`)).json() as RequestDetails;
    expect(old.clocks.legal.dueAt).toBe('2026-11-18T05:59:59.999Z');
    const oldRules = await rulesOf('txSupport', old);
    expect(oldRules.packs.map((p) => `${p.jurisdiction} v${p.version}`)).toEqual(['US v1', 'TX v1']);
    expect(oldRules.accessDeadline).toMatchObject({ days: 15, jurisdiction: 'TX', verified: false });
    expect(oldRules.warnings.some((w) => w.message.startsWith('Applied: Texas’s 15 calendar days'))).toBe(
      true,
    );
    expect(oldRules.releaseMayWaitOnPayment).toMatchObject({ value: false, jurisdiction: 'US' });
  });

  it('TIME-3: a version given only some values keeps the earlier version’s others (a partial confirmation drops nothing)', async () => {
    // Counsel confirmed two Texas values; v2 names only those, and still carries v1's denial ground.
    const stored = await pool.query('select data from rule_packs where id = $1', [txV2.id]);
    expect(Object.keys(stored.rows[0].data).sort()).toEqual([
      'accessDeadline',
      'denialGrounds',
      'releaseMayWaitOnPayment',
      'title',
    ]);
    expect(stored.rows[0].data).toMatchObject({
      title: 'Texas, confirmed by counsel',
      accessDeadline: { verified: true },
      denialGrounds: { verified: false, source: expect.stringContaining('§611.0045') },
    });
    const next = await create('txSupport', 'tx');
    const rules = await rulesOf('txSupport', next);
    expect(rules.packs.map((p) => `${p.jurisdiction} v${p.version}`)).toEqual(['US v1', 'TX v2']);
    expect(rules.denialGrounds).toEqual([
      expect.objectContaining({ code: 'tx_harmful_to_patient', usable: false }),
    ]);
    const audited = await pool.query(
      "select data from audit_events where type = 'rule_pack.version_added' and data->>'packId' = $1",
      [txV2.id],
    );
    expect(audited.rows[0].data).toMatchObject({
      carriedOver: ['denialGrounds'],
      unverified: ['denialGrounds'],
    });
  });

  it('TIME-3: an admin may add a version too; the number follows the previous one', async () => {
    const res = await as.txAdmin!.post('/api/rule-packs', { ...TX_V2, effectiveFrom: '2027-01-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().pack.version).toBe(3);
  });

  it('TIME-3: the list shows shipped and own versions and the current one per jurisdiction; another practice never sees them', async () => {
    const mine = (await as.txTherapist!.get('/api/rule-packs')).json();
    expect(
      mine.versions.map((v: { jurisdiction: string; version: number }) => `${v.jurisdiction} v${v.version}`),
    ).toEqual(['CA v1', 'NY v1', 'TX v1', 'TX v2', 'TX v3', 'US v1']);
    const current = Object.fromEntries(
      mine.current.map((c: { jurisdiction: string; pack: { version: number } }) => [
        c.jurisdiction,
        c.pack.version,
      ]),
    );
    expect(current).toEqual({ CA: 1, NY: 1, TX: 2, US: 1 }); // v3 is effective only from 2027
    const shippedCa = mine.versions.find((v: { jurisdiction: string }) => v.jurisdiction === 'CA');
    expect(shippedCa.unverified).toEqual(expect.arrayContaining(['accessDeadline', 'accessPerPageCapCents']));
    const theirs = (await as.nyPrivacy!.get('/api/rule-packs')).json();
    expect(theirs.versions.some((v: { id: string }) => v.id === txV2.id)).toBe(false);
  });

  it('TIME-3: the request details’ presenter spreads the rules block once its context carries the resolved rules', () => {
    expect(presentRequestRules({ thread: [] })).toEqual({});
    const us = {
      id: 'us',
      practiceId: null,
      jurisdiction: 'US',
      version: 1,
      effectiveFrom: '2024-04-16',
      data: FEDERAL_PACK_V1,
    };
    expect(presentRequestRules({ rules: resolveRules([us], 'client_access') })).toEqual({
      rules: expect.objectContaining({
        packs: [expect.objectContaining({ jurisdiction: 'US', version: 1 })],
        accessDeadlineDays: 30,
        releaseMayWaitOnPayment: expect.objectContaining({ value: false }),
        warnings: [],
      }),
    });
  });

  it('TIME-3: /api/openapi.json lists the rule pack routes (their own area of the API)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    expect(Object.keys(doc.paths['/api/rule-packs'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(doc.paths['/api/rule-packs']!.post!.tags).toEqual(['rule packs']);
    expect(Object.keys(doc.paths['/api/rule-packs/{packId}'] ?? {}).sort()).toEqual([
      'delete',
      'patch',
      'put',
    ]);
  });

  it.each(['PATCH', 'PUT', 'DELETE'] as const)(
    'TIME-3: %s of a version through the API answers 405 naming the rule, and nothing changes',
    async (method) => {
      const before = await pool.query('select * from rule_packs where id = $1', [txV2.id]);
      const res = await as.txPrivacy!.request(method, `/api/rule-packs/${txV2.id}`, { data: TX_V2.data });
      expect(res.statusCode).toBe(405);
      expect(res.json()).toMatchObject({ rule: 'TIME-3' });
      expect((await pool.query('select * from rule_packs where id = $1', [txV2.id])).rows).toEqual(
        before.rows,
      );
    },
  );

  it.each([['update rule_packs set effective_from = $$2020-01-01$$'], ['delete from rule_packs']])(
    'TIME-3: the database itself rejects "%s"',
    async (sql) => {
      const before = await pool.query('select * from rule_packs order by id');
      await expect(pool.query(sql)).rejects.toThrow(/append-only/);
      expect((await pool.query('select * from rule_packs order by id')).rows).toEqual(before.rows);
    },
  );

  it('TIME-3: seeding is idempotent and safe with several instances at once; an empty database stays empty for a restore', async () => {
    const empty = await createTestDatabase();
    const instances = [0, 1, 2].map(() => new pg.Pool({ connectionString: empty }));
    try {
      // Boot leaves a database without practices alone, so a backup can be restored into it.
      expect(await seedShippedRulePacks(instances[0]!, { onlyIfInUse: true })).toBe(0);
      expect((await instances[0]!.query('select count(*)::int as n from rule_packs')).rows[0].n).toBe(0);
      // When first needed, every shipped version goes in once, whichever instance gets there first.
      const inserted = await Promise.all(instances.map((p) => seedShippedRulePacks(p)));
      expect(inserted.reduce((a, b) => a + b, 0)).toBe(4);
      const { rows } = await instances[0]!.query(
        'select jurisdiction, version from rule_packs where practice_id is null order by jurisdiction',
      );
      expect(rows.map((r) => `${r.jurisdiction} v${r.version}`)).toEqual([
        'CA v1',
        'NY v1',
        'TX v1',
        'US v1',
      ]);
    } finally {
      await Promise.all(instances.map((p) => p.end()));
    }
    // This app's database: seeding again adds nothing.
    const again = new pg.Pool({ connectionString: t.databaseUrl });
    expect(await seedShippedRulePacks(again).finally(() => again.end())).toBe(0);
    expect(await count('rule_packs where practice_id is null')).toBe(4);
  });
});
