// The release gate through the API: each blocker answers 409 naming its rule and what to do, the
// request details list it so the UI can explain a disabled Release button, and recording what is
// missing unblocks the release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyApprovals } from '../../src/server/db/schema-rules.js';
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

interface Blocker {
  rule: string;
  message: string;
}
type Details = RequestDetails & {
  releaseBlockers: Blocker[];
  verifications: { subject: string; method: string; verifiedBy: { id: string } | null }[];
  authorizations: { id: string; valid: boolean; failures: { element: string; rule: string }[] }[];
};

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

/** A complete authorization signed last week, valid until the end of the year. */
const validAuthorization = (extra: Record<string, unknown> = {}) => ({
  description: 'Progress notes and treatment plan, 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Jordan Law LLP',
  purpose: 'Personal injury claim',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Alex Client',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['progress_notes', 'treatment_plans'],
  ...extra,
});

describe('the release gate (AUTH-3, AUTH-4, AUTH-5, REP-1, VER-1, LEGAL-3)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
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
  const details = async (id: string): Promise<Details> =>
    (await as.support!.get(`/api/requests/${id}`)).json();

  /** Walk a request to its release task through the workflow routes. */
  async function toRelease(overrides: Record<string, unknown> = {}): Promise<Details> {
    const r = await createRequestAs(as.support!, clientId, {
      receivedAt: t.clock.now().toISOString(),
      ...overrides,
    });
    await post('support', r.id, 'intake', { verification: { method: 'Called back at the number on file' } });
    await post('therapist', r.id, 'client-discussion', { outcome: 'go_ahead' });
    await post('supervisor', r.id, 'supervisor-review', { decision: 'release', consequences: 'None' });
    await post('support', r.id, 'invoice', { mode: 'no_fee' });
    await post('clinical', r.id, 'preparation', {});
    const ready = await post('supervisor', r.id, 'preparation/approval', {});
    expect(openTasks(ready).map((x) => x.type)).toEqual(['release']);
    return ready;
  }
  const release = (id: string) =>
    as.support!.post(`/api/requests/${id}/release`, { method: 'secure_download' });
  const recordAuth = async (id: string, body: Record<string, unknown>) => {
    const res = await as.support!.post(`/api/requests/${id}/authorizations`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; valid: boolean; failures: { element: string; rule: string }[] };
  };

  it('AUTH-1, AUTH-3, KIND-3: a third-party release is blocked until a valid authorization is recorded', async () => {
    const r = await toRelease({
      kind: 'authorization',
      requester: { name: 'Jordan Law LLP', email: 'j@law.test' },
    });
    expect(r.releaseBlockers).toEqual([
      { rule: 'AUTH-1', message: expect.stringContaining('Record the client') },
    ]);
    let res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ rules: ['AUTH-1'] });
    expect(res.json().message).toContain(
      "Record the client's signed authorization (KIND-3) with all its elements (AUTH-1)",
    );

    // A defective form is recorded as received, and still blocks, naming what fails.
    const defective = await recordAuth(r.id, validAuthorization({ statementRedisclosure: false }));
    expect(defective.valid).toBe(false);
    res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ rules: ['AUTH-3'] });
    expect(res.json().message).toContain('statementRedisclosure');
    expect((await details(r.id)).stage).toBe('preparation');

    await recordAuth(r.id, validAuthorization());
    expect((await details(r.id)).releaseBlockers).toEqual([]);
    res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stage).toBe('released');
  });

  it("AUTH-1, KIND-2: a client-directed copy needs the client's signed written request, recorded as an authorization", async () => {
    const r = await toRelease({
      kind: 'client_directed',
      requester: { name: 'Dr. Next', email: 'next@clinic.test' },
    });
    expect(r.releaseBlockers.map((b) => b.rule)).toEqual(['AUTH-1']);
    expect(r.releaseBlockers[0]!.message).toContain('signed written request');
    expect((await release(r.id)).statusCode).toBe(409);
    await recordAuth(
      r.id,
      validAuthorization({ recipient: 'Dr. Next', purpose: 'At the request of the individual' }),
    );
    expect((await release(r.id)).statusCode).toBe(200);
  });

  it("AUTH-4: psychotherapy notes are released only with the privacy officer's recorded exception (others 403)", async () => {
    const r = await toRelease({ documentClasses: ['progress_notes', 'psychotherapy_notes'] });
    expect(r.releaseBlockers.map((b) => b.rule)).toEqual(['AUTH-4']);
    const res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('psychotherapy notes only');
    const body = {
      kind: 'psychotherapy_notes',
      exception: 'required_by_law',
      note: 'State statute compels them',
    };
    for (const who of ['support', 'supervisor', 'therapist']) {
      const refused = await as[who]!.post(`/api/requests/${r.id}/exceptions`, body);
      expect(refused.statusCode, who).toBe(403);
      expect(refused.json().message).toContain('AUTH-4');
    }
    const unknown = await as.privacy!.post(`/api/requests/${r.id}/exceptions`, {
      ...body,
      exception: 'curiosity',
    });
    expect(unknown.statusCode).toBe(400);
    const approved = await as.privacy!.post(`/api/requests/${r.id}/exceptions`, body);
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({
      kind: 'psychotherapy_notes',
      exception: 'required_by_law',
      label: expect.stringContaining('164.512(a)'),
      approvedBy: { id: u.privacy!.id },
    });
    const d = await details(r.id);
    expect(d.releaseBlockers).toEqual([]);
    expect((d as unknown as { exceptions: unknown[] }).exceptions).toHaveLength(1);
    expect((await release(r.id)).statusCode).toBe(200);
  });

  it('AUTH-4: a general authorization never releases psychotherapy notes; their own authorization does', async () => {
    const r = await toRelease({
      kind: 'authorization',
      requester: { name: 'Dr. Expert' },
      documentClasses: ['psychotherapy_notes'],
    });
    await recordAuth(r.id, validAuthorization({ documentClasses: ['progress_notes'] }));
    let res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().rules).toEqual(['AUTH-4']);
    // Combined with other information, a psychotherapy-notes form is itself defective.
    const combined = await recordAuth(
      r.id,
      validAuthorization({
        psychotherapyNotesOnly: true,
        documentClasses: ['psychotherapy_notes', 'assessments'],
      }),
    );
    expect(combined.failures).toEqual([
      expect.objectContaining({ element: 'psychotherapyNotes', rule: 'AUTH-4' }),
    ]);
    expect((await release(r.id)).statusCode).toBe(409);
    await recordAuth(
      r.id,
      validAuthorization({ psychotherapyNotesOnly: true, documentClasses: ['psychotherapy_notes'] }),
    );
    res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
  });

  it("REP-1: a representative's request is released only once their authority is recorded with its proof", async () => {
    const r = await toRelease({
      kind: 'representative',
      requester: { name: 'Pat Parent', relationship: 'Mother' },
    });
    expect(r.releaseBlockers.map((b) => b.rule)).toEqual(['REP-1']);
    let res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('custody order');
    const noProof = await as.support!.post(`/api/requests/${r.id}/verifications`, {
      subject: 'authority',
      method: 'She said she is the mother',
    });
    expect(noProof.statusCode).toBe(201);
    expect((await release(r.id)).json().rules).toEqual(['REP-1']);
    const withProof = await as.support!.post(`/api/requests/${r.id}/verifications`, {
      subject: 'authority',
      method: 'Custody order received by secure upload and checked against the client',
      proofKind: 'custody_order',
    });
    expect(withProof.statusCode).toBe(201);
    res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
  });

  it("VER-1: the intake's verification counts; without a recorded identity verification nothing is released", async () => {
    const r = await toRelease();
    expect(r.releaseBlockers).toEqual([]);
    expect(r.verifications).toEqual([
      expect.objectContaining({
        subject: 'identity',
        method: 'Called back at the number on file',
        verifiedBy: expect.objectContaining({ id: u.support!.id }),
      }),
    ]);
    // A request whose intake was checked before verifications were stored has none on record.
    await t.running.services.database.pool.query('delete from verifications where request_id = $1', [r.id]);
    expect((await details(r.id)).releaseBlockers.map((b) => b.rule)).toEqual(['VER-1']);
    let res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ rules: ['VER-1'], message: expect.stringContaining('identity') });
    const v = await as.support!.post(`/api/requests/${r.id}/verifications`, {
      subject: 'identity',
      method: 'Photo ID by secure upload',
    });
    expect(v.statusCode).toBe(201);
    res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
  });

  it("LEGAL-3: Part 2 records on a subpoena need a Part 2 court order or the client's Part 2 consent", async () => {
    const subpoena = {
      kind: 'subpoena',
      requester: { name: 'Counsel for plaintiff' },
      documentDueDate: '2027-04-30',
      documentClasses: ['part2', 'progress_notes'],
    };
    const legal3 = async (id: string) =>
      (await details(id)).releaseBlockers.some((b) => b.rule === 'LEGAL-3');
    const r = await toRelease(subpoena);
    expect(await legal3(r.id)).toBe(true);
    const res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().rules).toContain('LEGAL-3');
    expect(res.json().message).toContain('Part 2 court order');
    // The client's written Part 2 consent, as a valid authorization, unlocks it.
    await recordAuth(
      r.id,
      validAuthorization({ part2Consent: true, documentClasses: ['part2', 'progress_notes'] }),
    );
    expect(await legal3(r.id)).toBe(false);

    // A Part 2 court order (the privacy officer's approval of kind 'part2_court_order') does too.
    const other = await toRelease(subpoena);
    expect(await legal3(other.id)).toBe(true);
    await t.running.services.database.db.insert(privacyApprovals).values({
      practiceId: u.privacy!.practiceId,
      requestId: other.id,
      kind: 'part2_court_order',
      detail: { court: 'Superior Court', section: '42 CFR 2.64' },
      approvedBy: u.privacy!.id,
      approvedAt: t.clock.now(),
    });
    expect(await legal3(other.id)).toBe(false);
  });
});
