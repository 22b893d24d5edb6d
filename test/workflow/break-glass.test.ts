// rule SEC-2 (164.312(a)(2)(ii) emergency access): the privacy officer sees every request of the
// practice but may act on a task held by someone else only after breaking the glass, with a written
// reason, for the practice's configured minutes; audited and flagged (SEC-3).
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
import { type Agent, auditRows, signIn } from '../support/session.js';

const MINUTE = 60_000;
const REASON = 'Therapist on emergency leave; the client needs the records for a hospital admission';

describe('SEC-2: break-glass', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { settings: { breakGlassMinutes: 30 } });
    const other = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.admin = await createUser(t, practice, ['admin']);
    u.privacy = await createUser(t, practice, ['privacy_officer'], { name: 'Pat Privacy' });
    u.privacy2 = await createUser(t, practice, ['privacy_officer'], { name: 'Second Officer' });
    u.otherPrivacy = await createUser(t, other, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    await signInAll();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sessions end after 15 idle minutes: sign everyone in again after moving the clock. */
  async function signInAll() {
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  }

  async function atClientReview(): Promise<RequestDetails> {
    const r = await createRequestAs(as.support!, clientId, { receivedAt: t.clock.now().toISOString() });
    const res = await as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method: 'Phone' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  async function count(type: string, requestId: string): Promise<number> {
    const { rows } = await t.running.services.database.pool.query(
      'select count(*)::int as n from audit_events where type = $1 and request_id = $2',
      [type, requestId],
    );
    return rows[0].n;
  }

  async function glassRows(requestId: string): Promise<number> {
    const { rows } = await t.running.services.database.pool.query(
      'select count(*)::int as n from break_glass where request_id = $1',
      [requestId],
    );
    return rows[0].n;
  }

  it('SEC-2, SEC-3: the privacy officer acts for the therapist only after breaking the glass, until it expires', async () => {
    const r = await atClientReview();
    const discussion = openTasks(r)[0]!;
    expect(discussion).toMatchObject({ type: 'client_discussion', assignee: { id: u.therapist!.id } });

    // Visible (the whole practice), but the task is not theirs: 403 with a reason, one refusal.
    const seen = await as.privacy!.get(`/api/requests/${r.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().abilities).toContain('break_glass');
    expect(seen.json().abilities).not.toContain('submit_client_discussion');
    expect(seen.json().breakGlassUntil).toBeNull();
    const refused = await as.privacy!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('Only the assigned therapist can record the client discussion.');
    expect(await count('access.refused', r.id)).toBe(1);
    const wait = await as.privacy!.post(`/api/requests/${r.id}/tasks/${discussion.id}/wait`, {
      reason: 'Waiting on the signed form',
    });
    expect(wait.statusCode).toBe(403);

    // A reason of fewer than 20 characters (after trimming) is a 400 naming the field.
    for (const reason of ['Emergency', `   ${'x'.repeat(19)}   `]) {
      const short = await as.privacy!.post(`/api/requests/${r.id}/break-glass`, { reason });
      expect(short.statusCode).toBe(400);
      expect(short.json().fields.map((f: { path: string }) => f.path)).toContain('body.reason');
    }
    expect((await as.privacy!.post(`/api/requests/${r.id}/break-glass`, {})).statusCode).toBe(400);
    expect(await glassRows(r.id)).toBe(0);

    // Break the glass: for the practice's configured 30 minutes.
    t.clock.advance(MINUTE);
    const glassAt = t.clock.now().getTime();
    const broken = await as.privacy!.post(`/api/requests/${r.id}/break-glass`, { reason: REASON });
    expect(broken.statusCode, broken.body).toBe(200);
    const expiresAt = new Date(glassAt + 30 * MINUTE).toISOString();
    expect(broken.json().breakGlassUntil).toBe(expiresAt);
    const [flag] = (await auditRows(t, 'access.break_glass')).filter((a) => a.actorId === u.privacy!.id);
    expect(flag?.data).toMatchObject({ reason: REASON, expiresAt, flagged: true });
    // The privacy officer finds it through the audit-log API.
    const listedEvents = await as.privacy!.get(`/api/audit-events?type=access.break_glass&requestId=${r.id}`);
    expect(listedEvents.statusCode, listedEvents.body).toBe(200);
    expect(listedEvents.json().events).toEqual([
      expect.objectContaining({
        type: 'access.break_glass',
        actor: expect.objectContaining({ id: u.privacy!.id }),
        data: expect.objectContaining({ flagged: true, reason: REASON }),
      }),
    ]);
    // The glass is broken for this officer only, not for a second privacy officer.
    const second = await as.privacy2!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(second.statusCode).toBe(403);

    const details = (await as.privacy!.get(`/api/requests/${r.id}`)).json();
    expect(details.breakGlassUntil).toBe(expiresAt);
    expect(details.tasks.find((x: { id: string }) => x.id === discussion.id).abilities).toContain(
      'submit_client_discussion',
    );
    const views = (await auditRows(t, 'request.viewed')).filter((a) => a.actorId === u.privacy!.id);
    expect(views.at(-1)?.data).toMatchObject({ viaBreakGlass: true });
    // Only for the privacy officer: the therapist's own view is not via break-glass.
    expect((await as.therapist!.get(`/api/requests/${r.id}`)).json().breakGlassUntil).toBeNull();

    // On the therapist's behalf: recorded, completed by the privacy officer, flagged in the audit.
    t.clock.advance(MINUTE);
    const done = await as.privacy!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
      need: 'Records for a hospital admission',
    });
    expect(done.statusCode, done.body).toBe(200);
    const after = done.json() as RequestDetails & {
      tasks: { id: string; completedBy: { id: string } | null }[];
    };
    expect(after.tasks.find((x) => x.id === discussion.id)).toMatchObject({
      state: 'done',
      completedBy: { id: u.privacy!.id },
    });
    const review = openTasks(after)[0]!;
    expect(review).toMatchObject({ type: 'supervisor_review', assignee: { id: u.supervisor!.id } });
    const [event] = (await auditRows(t, 'request.client_discussion_submitted')).filter(
      (a) => a.actorId === u.privacy!.id,
    );
    expect(event?.data).toMatchObject({ viaBreakGlass: true, outcome: 'go_ahead', taskId: discussion.id });

    // After the configured 30 minutes the access is gone (sign in again: 15-minute idle timeout).
    t.clock.set(new Date(glassAt + 30 * MINUTE + 1_000));
    await signInAll();
    const gone = await as.privacy!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'release',
      consequences: 'None',
    });
    expect(gone.statusCode).toBe(403);
    expect(gone.json().message).toBe('Only the assigned reviewer can record the review decision.');
    const expired = (await as.privacy!.get(`/api/requests/${r.id}`)).json();
    expect(expired.breakGlassUntil).toBeNull();
    expect(expired.stage).toBe('client_review');
    expect(openTasks(expired)).toEqual([expect.objectContaining({ id: review.id, state: 'open' })]);
  });

  it('SEC-2: within the window the access holds; one minute before expiry it still works', async () => {
    const r = await atClientReview();
    const glassAt = t.clock.now().getTime();
    expect((await as.privacy!.post(`/api/requests/${r.id}/break-glass`, { reason: REASON })).statusCode).toBe(
      200,
    );
    t.clock.set(new Date(glassAt + 29 * MINUTE));
    await signInAll();
    const res = await as.privacy!.post(`/api/requests/${r.id}/client-discussion`, { outcome: 'go_ahead' });
    expect(res.statusCode, res.body).toBe(200);
    // Break-glass covers this request only.
    const another = await atClientReview();
    const no = await as.privacy!.post(`/api/requests/${another.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(no.statusCode).toBe(403);
  });

  it.each([
    ['support', 403],
    ['therapist', 403],
    ['supervisor', 403],
    ['admin', 404],
    ['clinical', 404],
    ['otherPrivacy', 404],
  ] as const)(
    'SEC-2, SEC-3: %s cannot break the glass (%i), nothing is recorded but one refusal',
    async (who, status) => {
      const r = await atClientReview();
      const res = await as[who]!.post(`/api/requests/${r.id}/break-glass`, { reason: REASON });
      expect(res.statusCode).toBe(status);
      if (status === 403)
        expect(res.json().message).toBe('Only the privacy officer can use emergency access.');
      expect(await glassRows(r.id)).toBe(0);
      expect(await count('access.break_glass', r.id)).toBe(0);
      expect(await count('access.refused', r.id)).toBe(1);
    },
  );
});
