// The demo seed: eight logins that sign in without a second factor, eight clients (one a minor),
// requests at every stage and of every kind, made through the real commands (tasks, thread, audit
// chain), documents on several requests with a packet ready to send and one released with its
// secure link (issue 6), and a second seed that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { seedDemo } from '../../src/server/demo/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { randomIp, sessionCookie } from '../support/session.js';

const COUNTS = `select
  (select count(*) from practices)::int as practices,
  (select count(*) from users)::int as users,
  (select count(*) from clients)::int as clients,
  (select count(*) from requests)::int as requests,
  (select count(*) from tasks)::int as tasks,
  (select count(*) from thread_messages)::int as messages,
  (select count(*) from files)::int as files,
  (select count(*) from packets)::int as packets,
  (select count(*) from delivery_links)::int as links,
  (select count(*) from audit_events)::int as audit`;

/** Kinds of the requests whose open step is past its due date at the app's clock. */
async function overdueKinds(t: TestApp): Promise<string[]> {
  const { rows } = await t.running.services.database.pool.query<{ kind: string }>(
    `select r.kind from tasks t join requests r on r.id = t.request_id
      where t.state = 'open' and t.due_at < $1 order by r.number`,
    [t.clock.now()],
  );
  return rows.map((r) => r.kind);
}

describe('the demo seed', () => {
  let t: TestApp;
  const q = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await t.running.services.database.pool.query<R>(sql, params)).rows;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds a demo practice with its people, clients and requests, once', async () => {
    const first = await seedDemo(t.running.services);
    expect(first).toMatchObject({ seeded: true, requests: 15 });
    expect(first.jobs).toBeGreaterThan(14);
    const [practice] = await q<{ is_demo: boolean; name: string }>('select is_demo, name from practices');
    expect(practice).toMatchObject({ is_demo: true });

    const users = await q<{ email: string; is_demo: boolean; roles: string[] }>(
      'select email, is_demo, roles from users order by email',
    );
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_LOGINS.map((l) => l.email).sort());
    expect(users.every((u) => u.is_demo)).toBe(true);
    const links = await q<{ supervisee: string; supervisor: string }>(
      `select a.email as supervisee, b.email as supervisor from supervision_links l
         join users a on a.id = l.supervisee_id join users b on b.id = l.supervisor_id order by 1`,
    );
    expect(links).toEqual([
      { supervisee: 'supervisor@demo.test', supervisor: 'director@demo.test' },
      { supervisee: 'therapist2@demo.test', supervisor: 'supervisor@demo.test' },
      { supervisee: 'therapist@demo.test', supervisor: 'supervisor@demo.test' },
    ]);

    const clients = await q<{ first_name: string; is_minor: boolean; therapist: string }>(
      'select first_name, is_minor, u.email as therapist from clients c join users u on u.id = c.therapist_id',
    );
    expect(clients).toHaveLength(8);
    expect(clients.filter((c) => c.is_minor)).toHaveLength(1);
    expect(clients.filter((c) => c.therapist === 'therapist@demo.test')).toHaveLength(4);
    expect(clients.map((c) => c.first_name)).toContain('Łukasz');

    const requests = await q<{ stage: string; kind: string; received_at: Date }>(
      'select stage, kind, received_at from requests',
    );
    expect(new Set(requests.map((r) => r.stage))).toEqual(
      new Set([
        'request_made',
        'client_review',
        'invoice',
        'preparation',
        'released',
        'denied',
        'no_records',
        'withdrawn',
      ]),
    );
    expect(new Set(requests.map((r) => r.kind)).size).toBe(8);
    const days = new Set(requests.map((r) => r.received_at.toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThan(8);
  });

  it('leaves each request where its story says: tasks, escalation, overdue step, letters, disclosures', async () => {
    const open = await q<{ kind: string; type: string; state: string; owner: string | null }>(
      `select r.number, r.kind, t.type, t.state, coalesce(u.email, t.assignee_role) as owner
         from tasks t join requests r on r.id = t.request_id left join users u on u.id = t.assignee_id
        where t.state in ('open', 'waiting_on_requester') order by r.number`,
    );
    const owners = open.map((o) => `${o.kind}:${o.type}:${o.owner}:${o.state}`);
    expect(owners).toEqual(
      expect.arrayContaining([
        'representative:client_discussion:therapist@demo.test:open',
        'subpoena:supervisor_review:director@demo.test:open',
        'other_legal:supervisor_review:supervisor@demo.test:open',
        'client_directed:invoice:support:open',
        'authorization:prepared_review:supervisor@demo.test:open',
        'court_order:preparation:clinical_services:open',
        'client_access:intake_check:support:open',
        'client_access:release:support:open',
        'authorization:intake_check:support:waiting_on_requester',
      ]),
    );
    expect(await overdueKinds(t)).toEqual(['representative']);

    const ends = await q<{ stage: string; end_letter: string | null }>(
      "select stage, end_letter from requests where stage in ('denied', 'no_records')",
    );
    expect(ends).toHaveLength(2);
    expect(ends.every((e) => (e.end_letter ?? '').length > 50)).toBe(true);
    const disclosures = await q<{ kind: string }>('select kind from disclosures order by kind');
    expect(disclosures.map((d) => d.kind)).toEqual(['client_access', 'provider_continuity']);
    const [invoices] = await q<{ sent: number; paid: number }>(
      "select count(*) filter (where mode = 'sent')::int as sent, count(paid_at)::int as paid from invoices",
    );
    expect(invoices).toEqual({ sent: 2, paid: 1 });

    // Every request's thread has its instructions; the audit chain verifies.
    const bare = await q(
      `select r.number from requests r where not exists
         (select 1 from thread_messages m where m.request_id = r.id and m.kind = 'instructions')`,
    );
    expect(bare).toEqual([]);
    const chain = await verifyChains(t.running.services.database.pool, t.config.auditKey);
    expect(chain.ok).toBe(true);
    const actors = await q<{ actor_name: string }>(
      "select distinct actor_name from audit_events where type like 'request.%' order by 1",
    );
    expect(actors.map((a) => a.actor_name)).toEqual(
      expect.arrayContaining(['Sam Ortiz', 'Dr. Maya Rivera', 'Dr. Helen Chen', 'Casey Nguyen']),
    );
  });

  it('issue 6, SCOPE-3, REL-2, REL-3, REL-5: documents on several requests, a packet ready to send and a released one with its link', async () => {
    const files = await q<{
      number: string;
      stage: string;
      name: string;
      purpose: string;
      cls: string | null;
    }>(
      `select r.number, r.stage, f.name, f.purpose, f.document_class as cls, f.content_type
         from files f join requests r on r.id = f.request_id where f.purpose = 'record' order by r.number, f.created_at`,
    );
    expect(new Set(files.map((f) => f.number)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(files.map((f) => f.cls))).toEqual(
      new Set(['progress_notes', 'treatment_plans', 'part2', 'psychotherapy_notes', 'letters_and_reports']),
    );
    const dated = await q<{ n: number }>(
      "select count(*)::int as n from files where purpose = 'record' and (date_from is null or date_to is null)",
    );
    expect(dated[0]!.n).toBe(0);

    const packets = await q<{
      id: string;
      request_id: string;
      stage: string;
      status: string;
      sha256: string;
      page_count: number;
      part2: boolean;
      file_id: string;
    }>(
      `select p.id, p.request_id, r.stage, p.status, p.sha256, p.page_count, p.part2, p.file_id
         from packets p join requests r on r.id = p.request_id order by p.status`,
    );
    expect(packets.map((p) => [p.stage, p.status])).toEqual([
      ['preparation', 'ready'],
      ['released', 'released'],
    ]);
    const [ready, released] = packets;
    expect(ready!.part2).toBe(true);
    expect(released!.page_count).toBeGreaterThan(2);
    // The released packet's hash is the one its disclosure entry holds (REL-3, REL-5).
    const [entry] = await q<{ packet_sha256: string }>(
      'select packet_sha256 from disclosures where request_id = $1',
      [released!.request_id],
    );
    expect(entry!.packet_sha256).toBe(released!.sha256);
    // Its secure link went to the client, with the link and the code as two thread messages (REL-2).
    const links = await q<{ packet_id: string; revoked_at: Date | null; expires_at: Date }>(
      'select packet_id, revoked_at, expires_at from delivery_links',
    );
    expect(links).toEqual([{ packet_id: released!.id, revoked_at: null, expires_at: expect.any(Date) }]);
    expect(links[0]!.expires_at.getTime()).toBeGreaterThan(t.clock.now().getTime());
    const sent = await q<{ kind: string }>(
      "select kind from thread_messages where request_id = $1 and kind like 'secure_link%' order by kind",
      [released!.request_id],
    );
    expect(sent.map((m) => m.kind)).toEqual(['secure_link', 'secure_link_code']);

    // Support opens the ready packet and a record through the API: real PDFs, made-up words.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: randomIp(),
      payload: { email: 'support@demo.test', password: DEMO_PASSWORD },
    });
    const cookie = sessionCookie(login)!;
    const packet = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ready!.request_id}/packets/${ready!.id}/file`,
      cookies: { rd_session: cookie },
    });
    expect(packet.statusCode, packet.body).toBe(200);
    await qpdfCheck(packet.rawPayload);
    const words = await pdfText(packet.rawPayload);
    expect(words).toContain('Made-up demo document');
    expect(words).toContain('42 CFR');
  });

  it('seeding again changes nothing', async () => {
    const [before] = await q(COUNTS);
    const again = await seedDemo(t.running.services);
    expect(again).toMatchObject({ seeded: false, requests: 0, jobs: 0 });
    expect((await q(COUNTS))[0]).toEqual(before);
  });

  it('every demo login signs in with the demo password and no second factor', async () => {
    for (const login of DEMO_LOGINS) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: randomIp(),
        payload: { email: login.email, password: DEMO_PASSWORD },
      });
      expect(res.statusCode, login.email).toBe(200);
      expect(Object.keys(res.json() as object)).toEqual(['csrfToken']);
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { rd_session: sessionCookie(res)! },
      });
      expect(me.statusCode, login.email).toBe(200);
    }
    const support = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: randomIp(),
      payload: { email: 'support@demo.test', password: DEMO_PASSWORD },
    });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/requests',
      cookies: { rd_session: sessionCookie(support)! },
    });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { total: number }).total).toBe(15);
  });
});

describe('the demo seed on any day of the week', () => {
  // Mon 23 Nov 2026 … Sun 29 Nov 2026, 07:30 in Los Angeles (the demo practice's time zone).
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(
    (day, i) => [day, new Date(Date.UTC(2026, 10, 23 + i, 15, 30))] as const,
  );

  it.each(days)('seeded on a %s: one request is overdue on its step, the clocks vary', async (_day, now) => {
    const t = await createTestApp({ demo: true });
    try {
      t.clock.set(now);
      await seedDemo(t.running.services);
      expect(await overdueKinds(t)).toEqual(['representative']);
      const { rows } = await t.running.services.database.pool.query<{ due: string }>(
        'select distinct legal_due_at::date::text as due from requests',
      );
      expect(rows.length).toBeGreaterThan(6);
      expect((await verifyChains(t.running.services.database.pool, t.config.auditKey)).ok).toBe(true);
    } finally {
      await t.close();
    }
  });
});
