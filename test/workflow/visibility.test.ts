// rule SEC-2, "the list and the policy agree": for every staff member, the requests GET /api/requests
// returns are exactly those GET /api/requests/:id answers 200 for, and both match the set written
// here by hand from SEC-2. Plus the list's filters, search, sorting and pagination, and (SEC-3) one
// 'access.refused' row for every 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, openTasks, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

const DAY = 86_400_000;

interface Summary {
  id: string;
  number: string;
  stage: string;
  kind: string;
  receivedAt: string;
  client: { name: string };
  clocks: { legal: { dueAt: string; overdue: boolean } };
}

describe('SEC-2: the request list and the request policy agree for every relationship', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  /** r1…r9 in the practice, rX in another practice. */
  const r: Record<string, RequestDetails> = {};

  const tick = () => t.clock.advance(1_000);
  const daysAgo = (n: number) => new Date(t.clock.now().getTime() - n * DAY).toISOString();

  async function post(who: string, req: { id: string }, path: string, body: unknown = {}) {
    tick();
    const res = await as[who]!.post(`/api/requests/${req.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json() as RequestDetails;
  }

  /** Every page of the list (small pages, so pagination is exercised for everyone). */
  async function listAll(who: string, query = ''): Promise<Summary[]> {
    const items: Summary[] = [];
    let total: number | null = null;
    for (let offset = 0; total === null || offset < total; offset += 3) {
      const res = await as[who]!.get(`/api/requests?limit=3&offset=${offset}${query ? `&${query}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { total: number; items: Summary[] };
      if (total !== null) expect(page.total).toBe(total);
      total = page.total;
      expect(page.items.length).toBe(Math.min(3, total - offset));
      items.push(...page.items);
      if (total === 0) break;
    }
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    return items;
  }

  const names = (ids: string[]) =>
    ids.map((id) => Object.entries(r).find(([, v]) => v.id === id)?.[0] ?? id).sort();
  const listed = async (who: string, query = '') => names((await listAll(who, query)).map((i) => i.id));

  async function refusalRows(): Promise<
    { actorId: string; requestId: string | null; data: { status: number; method: string } }[]
  > {
    const { rows } = await t.running.services.database.pool.query(
      `select actor_id as "actorId", request_id as "requestId", data
         from audit_events where type = 'access.refused' order by id`,
    );
    return rows;
  }

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const other = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.admin = await createUser(t, practice, ['admin']);
    u.adminSupport = await createUser(t, practice, ['admin', 'support']);
    u.A = await createUser(t, practice, ['therapist'], { name: 'Dr. A' });
    u.B = await createUser(t, practice, ['therapist'], { name: 'Dr. B' });
    u.S = await createUser(t, practice, ['supervisor', 'therapist'], { name: 'Dr. S' });
    u.D = await createUser(t, practice, ['supervisor'], { name: 'Dr. D' });
    u.C = await createUser(t, practice, ['clinical_services'], { name: 'Casey C' });
    u.I = await createUser(t, practice, ['therapist'], { name: 'Dr. I (leaving)' });
    u.otherSupport = await createUser(t, other, ['support']);
    const otherTherapist = await createUser(t, other, ['therapist']);
    await linkSupervisor(t, u.A, u.S);
    await linkSupervisor(t, u.S, u.D);
    await linkSupervisor(t, u.I, u.S);
    const cA = await createClient(t, practice, u.A, { firstName: 'Maria', lastName: 'Lopez' });
    const cB = await createClient(t, practice, u.B, { firstName: 'Jonah', lastName: 'Park' });
    const cI = await createClient(t, practice, u.I, { firstName: 'Ruth', lastName: 'Ng' });
    // Same name in the other practice: a search must never reach across practices.
    const cX = await createClient(t, other, otherTherapist, { firstName: 'Maria', lastName: 'Lopez' });
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);

    const create = (clientId: string, days: number, extra: Record<string, unknown> = {}) => {
      tick();
      return createRequestAs(as.support!, clientId, { receivedAt: daysAgo(days), ...extra });
    };
    const intake = (req: { id: string }) =>
      post('support', req, 'intake', { verification: { method: 'Phone' } });
    const release = { decision: 'release', consequences: 'Low risk' };

    // r1: A's client, all the way to release; clinical services prepared the copy.
    r.r1 = await create(cA.id, 20);
    await intake(r.r1);
    await post('A', r.r1, 'client-discussion', { outcome: 'go_ahead' });
    await post('S', r.r1, 'supervisor-review', release);
    await post('support', r.r1, 'invoice', { mode: 'no_fee' });
    await post('C', r.r1, 'preparation', { notes: 'Copies made' });
    await post('S', r.r1, 'preparation/approval', {});
    r.r1 = await post('support', r.r1, 'release', { method: 'secure_download' });
    expect(r.r1.stage).toBe('released');

    // r2: A's client; S escalates, D takes the escalated review and decides.
    r.r2 = await create(cA.id, 18);
    await intake(r.r2);
    await post('A', r.r2, 'client-discussion', { outcome: 'go_ahead' });
    const escalated = await post('S', r.r2, 'escalation', { question: 'Any risk?' });
    expect(openTasks(escalated)[0]).toMatchObject({ type: 'supervisor_review', assignee: { id: u.D!.id } });
    r.r2 = await post('D', r.r2, 'supervisor-review', release);
    expect(r.r2.stage).toBe('invoice');

    // r3: B's client (B has no supervisor): the review sits in the privacy officer's queue; support
    // hands it to D, who is not above B; a letter, so B prepares it.
    r.r3 = await create(cB.id, 16, {
      kind: 'provider_continuity',
      deliverable: 'letter_or_report',
      requester: { name: 'Dr. Ames', organization: 'Valley Clinic' },
    });
    await intake(r.r3);
    const r3Review = await post('B', r.r3, 'client-discussion', { outcome: 'go_ahead' });
    const review3 = openTasks(r3Review)[0]!;
    expect(review3).toMatchObject({
      type: 'supervisor_review',
      assignee: null,
      assigneeRole: 'privacy_officer',
    });
    await post('support', r.r3, `tasks/${review3.id}/reassign`, { assigneeId: u.D!.id, reason: 'Cover' });
    await post('D', r.r3, 'supervisor-review', release);
    r.r3 = await post('support', r.r3, 'invoice', { mode: 'no_fee' });
    expect(openTasks(r.r3)[0]).toMatchObject({ type: 'preparation', assignee: { id: u.B!.id } });

    // r4: B's client, a copy waiting in the clinical-services queue.
    const toPreparation = async (req: RequestDetails) => {
      await intake(req);
      await post('B', req, 'client-discussion', { outcome: 'go_ahead' });
      await post('privacy', req, 'supervisor-review', release);
      return post('support', req, 'invoice', { mode: 'no_fee' });
    };
    r.r4 = await toPreparation(await create(cB.id, 14));
    expect(openTasks(r.r4)[0]).toMatchObject({
      type: 'preparation',
      assignee: null,
      assigneeRole: 'clinical_services',
    });

    // r5: the same, but support hands the preparation to therapist A (not B's supervisor chain).
    r.r5 = await toPreparation(await create(cB.id, 12));
    r.r5 = await post('support', r.r5, `tasks/${openTasks(r.r5)[0]!.id}/reassign`, { assigneeId: u.A!.id });
    expect(openTasks(r.r5)[0]).toMatchObject({ type: 'preparation', assignee: { id: u.A!.id } });

    // r6: an attorney's request for A's client, still at intake (same legal due date as r5).
    r.r6 = await create(cA.id, 12, {
      kind: 'authorization',
      requester: { name: 'J. Counsel', organization: 'Counsel LLP' },
    });

    // r7: the leaving therapist's client; once I is deactivated, the discussion goes to S.
    r.r7 = await create(cI.id, 8);
    await intake(r.r7);
    tick();
    const deactivated = await as.admin!.post(`/api/users/${u.I!.id}/deactivate`);
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    r.r7 = (await as.support!.get(`/api/requests/${r.r7.id}`)).json();
    expect(openTasks(r.r7)[0]).toMatchObject({ type: 'client_discussion', assignee: { id: u.S!.id } });

    // r8: A's client, withdrawn at intake.
    r.r8 = await create(cA.id, 6);
    r.r8 = await post('support', r.r8, 'withdrawal', {
      reason: 'Duplicate',
      messageToRequester: 'Withdrawn.',
    });
    expect(r.r8.stage).toBe('withdrawn');

    // r9: B's client, received 35 days ago and still at intake: past its legal due date.
    r.r9 = await create(cB.id, 35, { kind: 'representative', requester: { name: 'P. Park' } });

    // rX: the other practice.
    tick();
    r.rX = await createRequestAs(as.otherSupport!, cX.id, { receivedAt: daysAgo(1) });
  });
  afterAll(async () => {
    await t.close();
  });

  const ALL = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'];
  // Written by hand from SEC-2.
  const EXPECTED: [who: string, why: string, visible: string[]][] = [
    ['support', 'support: all of the practice', ALL],
    ['privacy', 'privacy officer: all of the practice', ALL],
    ['adminSupport', 'admin who is also support: all of the practice', ALL],
    ['admin', 'admin only: users and settings, no request content', []],
    ['A', 'therapist: own (r1 r2 r6 r8) and the task handed to them (r5)', ['r1', 'r2', 'r5', 'r6', 'r8']],
    ['B', 'therapist: own', ['r3', 'r4', 'r5', 'r9']],
    [
      'S',
      "supervisor: A's and I's requests (not B's, even where A holds a task)",
      ['r1', 'r2', 'r6', 'r7', 'r8'],
    ],
    [
      'D',
      'director: the chain below at any depth, and the review handed to them (r3)',
      ['r1', 'r2', 'r3', 'r6', 'r7', 'r8'],
    ],
    ['C', 'clinical services: prepared (r1) and in their queue (r4); not r5 once handed away', ['r1', 'r4']],
    ['otherSupport', "another practice's support: only their own practice", ['rX']],
  ];

  it.each(EXPECTED)(
    'SEC-2: %s (%s) — list ids = ids answering 200 = the expected set',
    async (who, _why, visible) => {
      const list = await listed(who);
      const answered: string[] = [];
      for (const [name, req] of Object.entries(r)) {
        const before = (await refusalRows()).length;
        const res = await as[who]!.get(`/api/requests/${req.id}`);
        expect([200, 404], `${who} GET ${name}`).toContain(res.statusCode);
        const after = await refusalRows();
        if (res.statusCode === 200) {
          answered.push(name);
          expect(after.length, `${who} GET ${name}: no refusal for a 200`).toBe(before);
        } else {
          // rule SEC-3: exactly one refusal row per 404, naming who and what.
          expect(after.length, `${who} GET ${name}: one refusal`).toBe(before + 1);
          expect(after.at(-1)).toMatchObject({
            actorId: u[who]!.id,
            requestId: req.id,
            data: { status: 404, method: 'GET' },
          });
        }
      }
      expect(list).toEqual([...visible].sort());
      expect(answered.sort()).toEqual([...visible].sort());
    },
  );

  it('SEC-2: a deactivated therapist is signed out: the list and the details answer 401', async () => {
    expect((await as.I!.get('/api/requests')).statusCode).toBe(401);
    expect((await as.I!.get(`/api/requests/${r.r7!.id}`)).statusCode).toBe(401);
    await expect(signIn(t, u.I!)).rejects.toThrow(/401/);
  });

  it('SEC-2: filters by stage (list or repeated), kind, therapist and overdue stay within what the caller sees', async () => {
    expect(await listed('support', 'stage=preparation')).toEqual(['r3', 'r4', 'r5']);
    expect(await listed('support', 'stage=invoice,preparation')).toEqual(['r2', 'r3', 'r4', 'r5']);
    expect(await listed('support', 'stage=invoice&stage=released')).toEqual(['r1', 'r2']);
    expect(await listed('support', 'stage=request_made')).toEqual(['r6', 'r9']);
    expect(await listed('support', 'stage=withdrawn')).toEqual(['r8']);
    expect(await listed('C', 'stage=preparation')).toEqual(['r4']);
    expect(await listed('S', 'stage=preparation')).toEqual([]);
    expect(await listed('support', 'kind=provider_continuity,authorization')).toEqual(['r3', 'r6']);
    expect(await listed('A', 'kind=client_access')).toEqual(['r1', 'r2', 'r5', 'r8']);
    expect(await listed('support', `therapistId=${u.B!.id}`)).toEqual(['r3', 'r4', 'r5', 'r9']);
    expect(await listed('A', `therapistId=${u.B!.id}`)).toEqual(['r5']);
    expect(await listed('support', 'overdue=true')).toEqual(['r9']);
    expect(await listed('B', 'overdue=true')).toEqual(['r9']);
    expect(await listed('A', 'overdue=true')).toEqual([]);
    const overdue = (await listAll('support', 'overdue=true'))[0]!;
    expect(overdue.clocks.legal.overdue).toBe(true);
    expect((await as.support!.get('/api/requests?stage=nonsense')).statusCode).toBe(400);
  });

  it('SEC-2: q searches the client name and the number, case-insensitively, never across practices', async () => {
    expect(await listed('support', 'q=lopez')).toEqual(['r1', 'r2', 'r6', 'r8']);
    expect(await listed('support', `q=${encodeURIComponent('Jonah Park')}`)).toEqual([
      'r3',
      'r4',
      'r5',
      'r9',
    ]);
    expect(await listed('A', 'q=PARK')).toEqual(['r5']);
    expect(await listed('otherSupport', 'q=lopez')).toEqual(['rX']);
    expect(await listed('support', `q=${r.r4!.number}`)).toEqual(['r4']);
    expect(await listed('support', `q=${r.r4!.number.slice(-4)}`)).toEqual(['r4']);
    // Both practices have an R-2026-0001: the search finds only the caller's own.
    expect(r.rX!.number).toBe(r.r1!.number);
    expect(await listed('support', `q=${r.r1!.number.toLowerCase()}`)).toEqual(['r1']);
    expect(await listed('C', `q=${r.r2!.number}`)).toEqual([]);
    // LIKE wildcards are searched for literally.
    expect(await listed('support', 'q=%25')).toEqual([]);
    expect(await listed('support', 'q=_')).toEqual([]);
    expect(await listed('support', 'q=%20%20')).toEqual(ALL);
  });

  it('SEC-2: sorted by legal due date (then number) by default; by number or receipt on request', async () => {
    const byDue = await listAll('support');
    expect(names(byDue.map((i) => i.id))).toEqual([...ALL].sort());
    const order = byDue.map((i) => Object.entries(r).find(([, v]) => v.id === i.id)![0]);
    // r9 is past due; r5 and r6 share a due date, so the number breaks the tie.
    expect(order).toEqual(['r9', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
    const dues = byDue.map((i) => i.clocks.legal.dueAt);
    expect([...dues].sort()).toEqual(dues);
    expect(r.r5!.clocks.legal.dueAt).toBe(r.r6!.clocks.legal.dueAt);

    const byNumber = (await listAll('support', 'sort=number')).map((i) => i.number);
    expect(byNumber).toEqual([...byNumber].sort().reverse());
    const byReceived = (await listAll('support', 'sort=received')).map((i) => i.receivedAt);
    expect(byReceived).toEqual([...byReceived].sort().reverse());
  });

  it('SEC-2: pagination reports the same total on every page and never repeats or skips', async () => {
    const pages: string[] = [];
    for (const offset of [0, 4, 8]) {
      const res = await as.support!.get(`/api/requests?limit=4&offset=${offset}`);
      const body = res.json() as { total: number; items: Summary[] };
      expect(body.total).toBe(9);
      expect(body.items).toHaveLength(offset === 8 ? 1 : 4);
      pages.push(...body.items.map((i) => i.id));
    }
    expect(names(pages)).toEqual([...ALL].sort());
    const beyond = (await as.support!.get('/api/requests?limit=4&offset=40')).json();
    expect(beyond).toEqual({ total: 9, items: [] });
    const filtered = (await as.support!.get('/api/requests?limit=1&stage=preparation')).json();
    expect(filtered.total).toBe(3);
    expect(filtered.items).toHaveLength(1);
    const admin = (await as.admin!.get('/api/requests')).json();
    expect(admin).toEqual({ total: 0, items: [] });
    expect((await as.support!.get('/api/requests?limit=0')).statusCode).toBe(400);
    expect((await as.support!.get('/api/requests?limit=201')).statusCode).toBe(400);
  });

  it('SEC-3: listing writes no refusal, and a 404 on another practice’s request writes exactly one', async () => {
    const before = (await refusalRows()).length;
    await listAll('C');
    await listAll('admin');
    expect((await refusalRows()).length).toBe(before);
    const res = await as.support!.get(`/api/requests/${r.rX!.id}`);
    expect(res.statusCode).toBe(404);
    const rows = await refusalRows();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ actorId: u.support!.id, requestId: r.rX!.id });
  });
});
