// The procedure end to end: a client asks for her records; each person does their part through the
// API; the thread tells everyone what to do; the audit log and the disclosure entry tell what happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, openTasks, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

describe('a request walks from intake to release', () => {
  let t: TestApp;
  const users: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    users.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    users.therapist = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    users.supervisor = await createUser(t, practice, ['supervisor', 'therapist'], { name: 'Dr. Chen' });
    users.director = await createUser(t, practice, ['supervisor'], { name: 'Dr. Okafor' });
    users.clinical = await createUser(t, practice, ['clinical_services'], { name: 'Casey Clinical' });
    users.privacy = await createUser(t, practice, ['privacy_officer'], { name: 'Pat Privacy' });
    await linkSupervisor(t, users.therapist, users.supervisor);
    await linkSupervisor(t, users.supervisor, users.director);
    clientId = (await createClient(t, practice, users.therapist, { firstName: 'Maria', lastName: 'Lopez' }))
      .id;
    for (const [k, u] of Object.entries(users)) as[k] = await signIn(t, u);
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-2, REV-1, REV-2, TIME-6, REL-3, SEC-3: every step by the right person, with thread, audit and disclosure', async () => {
    // Step 1: the request is made. Support records it; the legal clock starts at receipt.
    let r: RequestDetails = await createRequestAs(as.support!, clientId, {
      receivedAt: '2026-11-02T16:30:00Z',
    });
    expect(r.number).toBe('R-2026-0001');
    expect(r.stage).toBe('request_made');
    // rule TIME-2: 30 calendar days from receipt, end of that day in the practice's time zone.
    expect(r.clocks.legal).toMatchObject({ basis: 'law', dueAt: '2026-12-03T07:59:59.999Z', daysLeft: 30 });
    expect(openTasks(r).map((x) => [x.type, x.assigneeRole])).toEqual([['intake_check', 'support']]);
    expect(await runJobs(t)).toBe(1);
    r = (await as.support!.get(`/api/requests/${r.id}`)).json();
    const first = r.thread.filter((m) => m.kind === 'instructions');
    expect(first).toHaveLength(1);
    expect(first[0]!.subject).toBe('Release of records R-2026-0001: your task');
    expect(first[0]!.subject).not.toContain('Lopez'); // no names in subjects (ux.md)
    expect(first[0]!.body).toContain('Support team (anyone on the team): Check that the request is complete');

    // Support checks the intake (VER-1); the therapist now holds Task #1.
    const tick = () => t.clock.advance(60_000); // a minute between steps
    tick();
    let res = await as.support!.post(`/api/requests/${r.id}/intake`, {
      verification: { method: 'Called the client back at the number on file' },
    });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(r.stage).toBe('client_review');
    const discussion = openTasks(r)[0]!;
    expect(discussion).toMatchObject({ type: 'client_discussion', assignee: { id: users.therapist!.id } });
    // The therapist sees the request and a button for it; the step is due in 3 business days.
    const seen = (await as.therapist!.get(`/api/requests/${r.id}`)).json() as RequestDetails;
    expect(seen.tasks.find((x) => x.id === discussion.id)!.abilities).toContain('submit_client_discussion');
    expect(discussion.dueAt).toBe('2026-11-06T07:59:59.999Z'); // end of Thu 5 Nov in Los Angeles

    // Task #1: need, when and concerns; "why" left out (REV-1: optional for access).
    tick();
    res = await as.therapist!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
      need: 'A copy for a new therapist after a move',
      when: 'Before 1 December',
      concerns: 'None',
    });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(openTasks(r)[0]).toMatchObject({
      type: 'supervisor_review',
      assignee: { id: users.supervisor!.id },
    });

    // The supervisor, unsure, asks her own supervisor.
    tick();
    res = await as.supervisor!.post(`/api/requests/${r.id}/escalation`, {
      question: 'Custody dispute mentioned last month: any risk?',
    });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(openTasks(r)[0]).toMatchObject({
      type: 'supervisor_review',
      assignee: { id: users.director!.id },
    });
    const escalation = r.history.find((h) => h.type === 'request.review_escalated');
    expect(escalation?.actorName).toBe('Dr. Chen');

    // The director decides: release in full.
    tick();
    res = await as.director!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'release',
      redFlags: ['Custody dispute mentioned'],
      consequences: 'Low risk; the therapist will offer to go through the records with the client.',
    });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(r.stage).toBe('invoice');

    // Support: no fee for the client's own records (FEE-2 default).
    tick();
    res = await as.support!.post(`/api/requests/${r.id}/invoice`, { mode: 'no_fee' });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(r.stage).toBe('preparation');
    expect(openTasks(r)[0]).toMatchObject({ type: 'preparation', assigneeRole: 'clinical_services' });

    // Clinical services prepares the copy; the therapist's supervisor reviews it; support releases.
    tick();
    res = await as.clinical!.post(`/api/requests/${r.id}/preparation`, {
      notes: 'Progress notes and plans, 2025-2026',
    });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(openTasks(r)[0]).toMatchObject({
      type: 'prepared_review',
      assignee: { id: users.supervisor!.id },
    });
    tick();
    res = await as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(openTasks(r)[0]).toMatchObject({ type: 'release', assigneeRole: 'support' });
    tick();
    res = await as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(res.statusCode).toBe(200);
    r = res.json();
    expect(r.stage).toBe('released');
    expect(openTasks(r)).toEqual([]);
    expect(r.status).toBe('Released: the records went to the requester.');

    // rule REL-3: the disclosure entry.
    expect(r.disclosure).toMatchObject({
      recipientName: 'Alex Client',
      recipientAddress: 'alex@example.test',
      purpose: 'Personal use',
      deliverable: 'copy',
    });
    expect(String(r.disclosure!.description)).toContain('Progress notes');

    // The thread got instructions at every step, each naming who does what.
    await runJobs(t);
    r = (await as.support!.get(`/api/requests/${r.id}`)).json();
    const instructions = r.thread.filter((m) => m.kind === 'instructions').map((m) => m.body);
    expect(instructions).toHaveLength(9);
    expect(instructions[1]).toContain('Dr. Rivera: Task #1: discuss the release with the client');
    expect(instructions[2]).toContain('Dr. Chen: Task #1: discuss the request with your supervisee');
    expect(instructions[2]).toContain('reach out to your supervisor (Dr. Okafor)');
    expect(instructions[8]).toContain('The records were released');

    // rule SEC-3: the audit trail holds every step, by the right person, and the chain verifies.
    const types = (await auditRows(t))
      .filter((a) => a.data && a.type.startsWith('request.'))
      .map((a) => a.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'request.created',
        'request.intake_completed',
        'request.client_discussion_submitted',
        'request.review_escalated',
        'request.supervisor_review_submitted',
        'request.invoice_recorded',
        'request.preparation_submitted',
        'request.preparation_approved',
        'request.released',
        'request.viewed',
      ]),
    );
    expect(await auditRows(t, 'disclosure.recorded')).toHaveLength(1);
    const verified = await verifyChains(t.running.services.database.pool, t.config.auditKey);
    expect(verified.ok).toBe(true);
  });
});
