// REP-2, the story of sources.md §1.9 (the Mente case): a parent asks for a minor's therapy records.
// It goes through supervisor review and ends in a release, a release in part, or a reviewable
// denial with its letter: never in silence. Everything through the existing workflow routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReviewableDenialGround } from '../../src/shared/review-decisions.js';
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

type Details = RequestDetails & { releaseBlockers: { rule: string; message: string }[] };

/** REP-2: the only ends a parent's request for a minor's records may have. */
function endsProperly(r: Details): 'release' | 'partial_release' | 'reviewable_denial' {
  if (r.stage === 'released') {
    return r.approvedScope?.decision === 'deny_partial' ? 'partial_release' : 'release';
  }
  if (r.stage === 'denied' && r.end?.letter && isReviewableDenialGround(r.end.reason as never)) {
    return 'reviewable_denial';
  }
  throw new Error(`REP-2: the request ended silently or wrongly: ${r.stage} ${JSON.stringify(r.end)}`);
}

describe("REP-2: a parent's request for a minor's records is never left in silence", () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let minorId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2027-03-01T18:00:00Z');
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.reviewer = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    minorId = (await createClient(t, practice, u.therapist, { dateOfBirth: '2013-05-02', isMinor: true })).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  async function post(who: string, id: string, path: string, body: unknown = {}): Promise<Details> {
    const res = await as[who]!.post(`/api/requests/${id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  async function parentAsks(name: string): Promise<Details> {
    const r = await createRequestAs(as.support!, minorId, {
      kind: 'representative',
      requester: { name, relationship: 'Father', email: 'parent@example.test' },
      documentClasses: ['progress_notes', 'treatment_plans'],
      receivedAt: t.clock.now().toISOString(),
    });
    await post('support', r.id, 'intake', { verification: { method: 'Called back at the number on file' } });
    const reviewed = await post('therapist', r.id, 'client-discussion', {
      outcome: 'go_ahead',
      concerns: 'The teen asked that session content stay private',
    });
    // Supervisor review is where the request goes next: it cannot skip it.
    expect(openTasks(reviewed).map((x) => x.type)).toEqual(['supervisor_review']);
    return reviewed;
  }

  it('REP-2, REP-1, REV-4, REV-5: released in part after supervisor review, once the authority is proven', async () => {
    const r = await parentAsks('Sam Parent');
    await post('supervisor', r.id, 'supervisor-review', {
      decision: 'deny_partial',
      redFlags: ['Minor client', 'Custody context'],
      consequences: 'Session notes could harm the minor; the treatment plan can go',
      denialGround: 'representative_harm',
      denialLetter:
        'We are sending the treatment plan. We are not sending the session notes because… You may ask for a review by…',
      approvedScope: { documentClasses: ['treatment_plans'] },
    });
    await post('support', r.id, 'invoice', { mode: 'no_fee' });
    await post('clinical', r.id, 'preparation', {});
    let d = await post('supervisor', r.id, 'preparation/approval', {});
    // REP-1: the parent's authority is recorded with its proof before release.
    expect(d.releaseBlockers.map((b) => b.rule)).toEqual(['REP-1']);
    expect((await as.support!.post(`/api/requests/${r.id}/release`, {})).statusCode).toBe(409);
    const proof = await as.support!.post(`/api/requests/${r.id}/verifications`, {
      subject: 'authority',
      method: 'Birth certificate and custody order by secure upload',
      proofKind: 'custody_order',
    });
    expect(proof.statusCode).toBe(201);
    d = await post('support', r.id, 'release', { method: 'secure_download' });
    expect(endsProperly(d)).toBe('partial_release');
    expect(String(d.disclosure!.description)).toMatch(/^Treatment plans/);
  });

  it('REP-2, REV-4: where harm is believed, a reviewable denial with its letter, which another professional can review', async () => {
    const r = await parentAsks('Chris Parent');
    const d = await post('supervisor', r.id, 'supervisor-review', {
      decision: 'deny',
      redFlags: ['Minor client', 'Abuse reported by the minor'],
      consequences: 'Access by this parent is likely to cause substantial harm to the minor',
      denialGround: 'representative_harm',
      denialLetter:
        'We cannot release these records to you because a licensed professional judged that access would likely cause substantial harm. You may ask for a review by another licensed professional…',
    });
    expect(endsProperly(d)).toBe('reviewable_denial');
    expect(openTasks(d)).toEqual([]);
    // The denial is reviewable: the privacy officer reopens it for a professional who took no part.
    const reopened = await post('privacy', r.id, 'denial-review', {
      reason: 'The father asked for a review',
      reviewerId: u.reviewer!.id,
    });
    expect(openTasks(reopened)[0]).toMatchObject({
      type: 'supervisor_review',
      assignee: { id: u.reviewer!.id },
    });
  });

  it('REP-2: released in full when nothing stands in the way, never just closed', async () => {
    const r = await parentAsks('Jamie Parent');
    await post('supervisor', r.id, 'supervisor-review', {
      decision: 'release',
      consequences: 'Offer to go through them together',
    });
    await post('support', r.id, 'invoice', { mode: 'no_fee' });
    await post('clinical', r.id, 'preparation', {});
    await post('supervisor', r.id, 'preparation/approval', {});
    await as.support!.post(`/api/requests/${r.id}/verifications`, {
      subject: 'authority',
      method: 'Birth certificate by secure upload',
      proofKind: 'birth_certificate',
    });
    const d = await post('support', r.id, 'release', { method: 'secure_download' });
    expect(endsProperly(d)).toBe('release');
  });
});
