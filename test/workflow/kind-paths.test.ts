// The other paths through the table: kinds that skip steps, narrowed and partial releases, denials
// and their review, and the ends that always tell the requester something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, intakeBody, openTasks, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

describe('paths through the workflow', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.otherSupervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  async function post(
    who: string,
    r: { id: string },
    path: string,
    body: unknown = {},
  ): Promise<RequestDetails> {
    const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async function toSupervisorReview(
    overrides: Record<string, unknown> = {},
    discussion: Record<string, unknown> = { outcome: 'go_ahead' },
  ) {
    const r = await createRequestAs(as.support!, clientId, overrides);
    await post('support', r, 'intake', { verification: { method: 'Photo ID by secure upload' } });
    return post('therapist', r, 'client-discussion', discussion);
  }

  it('KIND-8: a report required by law skips the client discussion and the invoice', async () => {
    let r = await createRequestAs(as.support!, clientId, {
      kind: 'other_legal',
      kindSubtype: 'health_oversight',
      requester: { name: 'State licensing board' },
      deliverable: 'letter_or_report',
    });
    expect(r.clocks.legal.basis).toBe('target');
    r = await post('support', r, 'intake', { verification: { method: 'Board letterhead and phone call' } });
    expect(openTasks(r).map((x) => x.type)).toEqual(['supervisor_review']);
    r = await post('supervisor', r, 'supervisor-review', {
      decision: 'release',
      consequences: 'None for the relationship',
    });
    expect(r.stage).toBe('preparation');
    // A letter is prepared by the request's therapist.
    expect(openTasks(r)[0]).toMatchObject({ type: 'preparation', assignee: { id: u.therapist!.id } });
  });

  it('TIME-5: a subpoena needs its return date, which becomes the due date', async () => {
    const missing = await as.support!.post(
      '/api/requests',
      intakeBody(clientId, { kind: 'subpoena', requester: { name: 'Counsel' } }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('documentDueDate');
    const r = await createRequestAs(as.support!, clientId, {
      kind: 'subpoena',
      requester: { name: 'Counsel' },
      documentDueDate: '2027-03-15',
    });
    expect(r.clocks.legal.basis).toBe('document');
  });

  it('REV-1, REV-2: the client narrows the request; the supervisor releases the narrowed scope, and the disclosure says so', async () => {
    let r = await toSupervisorReview(
      {},
      {
        outcome: 'narrow',
        need: 'Only the treatment plan',
        narrowedScope: { documentClasses: ['treatment_plans'] },
      },
    );
    r = await post('supervisor', r, 'supervisor-review', {
      decision: 'release_narrowed',
      consequences: 'None',
    });
    expect(r.approvedScope).toMatchObject({
      documentClasses: ['treatment_plans'],
      decision: 'release_narrowed',
    });
    r = await post('support', r, 'invoice', { mode: 'no_fee' });
    r = await post('clinical', r, 'preparation', {});
    r = await post('supervisor', r, 'preparation/approval', {});
    r = await post('support', r, 'release', {});
    expect(String(r.disclosure!.description)).toMatch(/^Treatment plans/);
  });

  it("REV-2: a narrowed release of a client's own records needs the client to have asked for it", async () => {
    const r = await toSupervisorReview();
    const res = await as.supervisor!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'release_narrowed',
      consequences: 'x',
      approvedScope: { documentClasses: ['treatment_plans'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('clientRequestedNarrowing');
  });

  it('REV-4, REV-5: a partial denial on a reviewable ground still releases what was not denied', async () => {
    let r = await toSupervisorReview();
    r = await post('supervisor', r, 'supervisor-review', {
      decision: 'deny_partial',
      consequences: "Notes about the client's sister could harm her",
      denialGround: 'harm_to_referenced_person',
      denialLetter: 'We are sending your records except the notes that mention another person...',
      approvedScope: { documentClasses: ['progress_notes'], dateFrom: '2026-01-01' },
    });
    expect(r.stage).toBe('invoice');
    expect(r.approvedScope).toMatchObject({
      decision: 'deny_partial',
      denialGround: 'harm_to_referenced_person',
    });
  });

  it('REV-2, REV-5, REV-4: a denial needs its letter, ends the request, and can be reopened for an independent review', async () => {
    let r = await toSupervisorReview();
    const noLetter = await as.supervisor!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
    });
    expect(noLetter.statusCode).toBe(400);
    expect(noLetter.body).toContain('REV-5');
    r = await post('supervisor', r, 'supervisor-review', {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: 'We cannot release these records because…; you may ask for a review by…',
    });
    expect(r.stage).toBe('denied');
    expect(r.end).toMatchObject({ reason: 'endanger_life_or_safety' });
    expect(openTasks(r)).toEqual([]);
    // The reviewer must have taken no part in the denial.
    const byDenier = await as.privacy!.post(`/api/requests/${r.id}/denial-review`, {
      reason: 'The client asked for a review',
      reviewerId: u.supervisor!.id,
    });
    expect(byDenier.statusCode).toBe(400);
    expect(byDenier.body).toContain('REV-4');
    const bySupport = await as.support!.post(`/api/requests/${r.id}/denial-review`, {
      reason: 'x',
      reviewerId: u.otherSupervisor!.id,
    });
    expect(bySupport.statusCode).toBe(403);
    r = await post('privacy', r, 'denial-review', {
      reason: 'The client asked for a review',
      reviewerId: u.otherSupervisor!.id,
    });
    expect(r.stage).toBe('client_review');
    expect(r.end).toBeNull();
    expect(openTasks(r)[0]).toMatchObject({
      type: 'supervisor_review',
      assignee: { id: u.otherSupervisor!.id },
    });
    // The independent reviewer overturns the denial.
    r = await post('otherSupervisor', r, 'supervisor-review', {
      decision: 'release',
      consequences: 'Offer to go through them together',
    });
    expect(r.stage).toBe('invoice');
  });

  it("KIND-1: only the privacy officer cancels a client's own request; the requester is told why", async () => {
    const r = await createRequestAs(as.support!, clientId);
    const bySupport = await as.support!.post(`/api/requests/${r.id}/cancellation`, {
      reason: 'Duplicate',
      messageToRequester: 'x',
    });
    expect(bySupport.statusCode).toBe(403);
    const done = await post('privacy', r, 'cancellation', {
      reason: 'Duplicate of R-2026-0001',
      messageToRequester: 'We already have your request R-2026-0001 and will answer it there.',
    });
    expect(done.stage).toBe('cancelled');
    // The staff's message (the requester notices of issue 5 go beside it: test/mail/requester-notices).
    const toRequester = done.thread.filter((m) => m.thread === 'requester' && m.kind === 'notice');
    expect(toRequester).toHaveLength(1);
    expect(toRequester[0]!.body).toContain('We already have your request');
    expect(openTasks(done)).toEqual([]);
  });

  it('KIND-3: support withdraws a third-party request with a message to the requester', async () => {
    let r = await createRequestAs(as.support!, clientId, {
      kind: 'authorization',
      requester: { name: 'Jordan Law LLP', email: 'j@law.test' },
    });
    r = await post('support', r, 'intake', { verification: { method: 'Signed authorization on file' } });
    r = await post('support', r, 'withdrawal', {
      reason: 'The attorney withdrew the request',
      messageToRequester: 'As you asked, we closed the request.',
    });
    expect(r.stage).toBe('withdrawn');
    expect(r.tasks.filter((x) => x.type === 'client_discussion')[0]!.state).toBe('cancelled');
  });

  it('REV-1: a client who withdraws in the discussion ends the request', async () => {
    const r = await toSupervisorReview({}, { outcome: 'client_withdraws', concerns: 'Changed their mind' });
    expect(r.stage).toBe('withdrawn');
    expect(openTasks(r)).toEqual([]);
  });

  it('REV-1: a client who cannot be reached does not stop an access request', async () => {
    const r = await toSupervisorReview({}, { outcome: 'not_reached', nextTryOn: '2026-12-01' });
    expect(openTasks(r)[0]!.type).toBe('supervisor_review');
  });

  it('REV-1: for a third-party request, "not reached" keeps the discussion open as a recorded attempt', async () => {
    const r = await toSupervisorReview(
      { kind: 'authorization', requester: { name: 'Insurer' } },
      { outcome: 'not_reached', nextTryOn: '2026-12-01' },
    );
    const discussion = openTasks(r).find((x) => x.type === 'client_discussion');
    expect(discussion?.result).toMatchObject({ outcome: 'not_reached', nextTryOn: '2026-12-01' });
  });

  it('REV-7: no records held ends with the written answer, also sent to the requester', async () => {
    const r = await createRequestAs(as.support!, clientId);
    const done = await post('support', r, 'no-records', {
      writtenAnswer: 'We hold no records for those dates; your previous clinic may.',
    });
    expect(done.stage).toBe('no_records');
    expect(done.end?.letter).toContain('previous clinic');
    expect(done.thread.some((m) => m.thread === 'requester' && m.body.includes('previous clinic'))).toBe(
      true,
    );
  });

  it('the supervisor asks for changes; preparation goes back to whoever prepared it; support can reassign it', async () => {
    let r = await toSupervisorReview();
    r = await post('supervisor', r, 'supervisor-review', { decision: 'release', consequences: 'None' });
    // FEE-3: the fee is quoted in advance and the client agrees before the invoice is sent.
    const line = { description: 'Copies, electronic', amountCents: 650 };
    const quoted = await as.support!.post(`/api/requests/${r.id}/fee-quote`, {
      basis: 'flat',
      lines: [{ code: 'flat_electronic', ...line }],
    });
    expect(quoted.statusCode, quoted.body).toBe(201);
    const accepted = await as.support!.post(`/api/requests/${r.id}/fee-quote/accept`, {
      quoteId: quoted.json().quote.id,
      note: 'Agreed by email',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    r = await post('support', r, 'invoice', { mode: 'sent', lines: [line] });
    expect(r.invoice).toMatchObject({ mode: 'sent', amountCents: 650 });
    r = await post('clinical', r, 'preparation', { notes: 'first pass' });
    r = await post('supervisor', r, 'preparation/changes', {
      reason: 'Remove the 2019 notes: outside the date range',
    });
    const back = openTasks(r)[0]!;
    expect(back).toMatchObject({ type: 'preparation', assignee: { id: u.clinical!.id } });
    r = await post('support', r, `tasks/${back.id}/reassign`, {
      assigneeId: u.therapist!.id,
      reason: 'Therapist knows the file',
    });
    expect(openTasks(r)[0]).toMatchObject({ type: 'preparation', assignee: { id: u.therapist!.id } });
    const wrongPerson = await as.support!.post(`/api/requests/${r.id}/tasks/${back.id}/reassign`, {
      assigneeId: u.support!.id,
    });
    expect(wrongPerson.statusCode).toBe(400);
    // FEE-6: payment is tracked alongside; recorded once.
    r = await post('support', r, 'payment', { method: 'check', reference: 'Check 1042' });
    expect(r.invoice).toMatchObject({ paymentReference: 'Check 1042' });
    expect(
      (await as.support!.post(`/api/requests/${r.id}/payment`, { method: 'check', reference: 'again' }))
        .statusCode,
    ).toBe(409);
  });
});
