// rule LEGAL-2 through the API: a subpoena without a court order goes out only once satisfactory
// assurance (notice to the client whose time to object is over, or a qualified protective order) and
// the privacy officer's record of how psychotherapist-patient privilege was addressed are both on file.
import { randomBytes } from 'node:crypto';
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

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

interface Blocker {
  rule: string;
  message: string;
}
type Details = RequestDetails & {
  releaseBlockers: Blocker[];
  redFlags: { code: string }[];
  exceptions: {
    kind: string;
    label: string | null;
    note: string | null;
    approvedBy: { id: string } | null;
  }[];
};

const subpoena = {
  kind: 'subpoena',
  requester: { name: 'Counsel for plaintiff', organization: 'Hart & Lowe LLP' },
  documentDueDate: '2027-04-30',
  documentClasses: ['progress_notes'],
  purpose: 'Subpoena duces tecum in Lopez v. Acme',
};

/** Notice sent a month ago; the client's time to object ended ten days ago with no objection. */
const notice = {
  basis: 'notice_to_client',
  noticeSentOn: '2027-02-01',
  objectionDeadline: '2027-02-19',
  objections: 'none_filed',
  note: "Counsel's written statement with a copy of the notice mailed to the client; docket shows no objection.",
};

const validAuthorization = (extra: Record<string, unknown> = {}) => ({
  description: 'Progress notes, 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Hart & Lowe LLP',
  purpose: 'Lopez v. Acme',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Alex Client',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['progress_notes'],
  ...extra,
});

describe('LEGAL-2: a subpoena without a court order', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const elsewhere = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.outsider = await createUser(t, elsewhere, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    await signInAll();
  });
  afterAll(async () => {
    await t.close();
  });

  async function signInAll() {
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  }
  async function post(who: string, id: string, path: string, body: unknown = {}): Promise<Details> {
    const res = await as[who]!.post(`/api/requests/${id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  const details = async (id: string): Promise<Details> =>
    (await as.support!.get(`/api/requests/${id}`)).json();
  async function toRelease(overrides: Record<string, unknown> = subpoena): Promise<Details> {
    const r = await createRequestAs(as.support!, clientId, {
      receivedAt: t.clock.now().toISOString(),
      ...overrides,
    });
    await post('support', r.id, 'intake', {
      verification: { method: 'Called counsel back at the bar number' },
    });
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
  const assurance = (who: string, id: string, body: unknown) =>
    as[who]!.post(`/api/requests/${id}/satisfactory-assurance`, body);
  const privilege = (who: string, id: string, body: unknown) =>
    as[who]!.post(`/api/requests/${id}/privilege`, body);
  const counsel = {
    addressedBy: 'counsel_advice',
    note: 'Counsel advises the privilege was waived by suit.',
  };
  const approvals = async (id: string) =>
    (
      await t.running.services.database.pool.query(
        'select kind, detail from privacy_approvals where request_id = $1 order by approved_at, id',
        [id],
      )
    ).rows as { kind: string; detail: Record<string, unknown> }[];
  const legal2 = async (id: string) =>
    (await details(id)).releaseBlockers.filter((b) => b.rule === 'LEGAL-2');
  const flagged = async (id: string) =>
    (await details(id)).redFlags.some((f) => f.code === 'subpoena_without_assurance');

  function upload(id: string, purpose: string) {
    const boundary = `----rd${randomBytes(8).toString('hex')}`;
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
      'latin1',
    );
    const a = as.support!;
    return t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/files`,
      remoteAddress: a.ip,
      cookies: { rd_session: a.cookie },
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': a.csrfToken },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="order.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
  }

  it('LEGAL-2: release is blocked, naming LEGAL-2, until satisfactory assurance and the privilege record are both on file', async () => {
    const r = await toRelease();
    expect(r.releaseBlockers).toEqual([
      {
        rule: 'LEGAL-2',
        message: expect.stringMatching(
          /satisfactory assurance .* and the privacy officer's record .*Record both/,
        ),
      },
    ]);
    expect(await flagged(r.id)).toBe(true);
    let res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ rules: ['LEGAL-2'] });
    expect(res.json().message).toContain('qualified protective order');

    // The checklist alone does not unlock it, nor clear the red flag.
    const checklist = await assurance('support', r.id, notice);
    expect(checklist.statusCode, checklist.body).toBe(201);
    expect(checklist.json()).toMatchObject({
      kind: 'satisfactory_assurance',
      label: expect.stringContaining('time to object ended 2027-02-19, no objection was filed'),
      detail: { basis: 'notice_to_client', noticeSentOn: '2027-02-01', objectionDeadline: '2027-02-19' },
      recordedBy: { id: u.support!.id },
    });
    const [blocker] = await legal2(r.id);
    expect(blocker!.message).toContain('how psychotherapist-patient privilege was addressed');
    expect(blocker!.message).not.toContain('qualified protective order');
    expect(await flagged(r.id)).toBe(true);
    res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().rules).toEqual(['LEGAL-2']);

    const decided = await privilege('privacy', r.id, counsel);
    expect(decided.statusCode, decided.body).toBe(201);
    const d = await details(r.id);
    expect(d.releaseBlockers).toEqual([]);
    expect(await flagged(r.id)).toBe(false);
    // Both shown in the request details, with the privacy officer's other approvals.
    // (Recorded at the same instant here, so listed in either order.)
    const byKind = [...d.exceptions].sort((a, b) => b.kind.localeCompare(a.kind));
    expect(byKind).toEqual([
      expect.objectContaining({
        kind: 'satisfactory_assurance',
        approvedBy: expect.objectContaining({ id: u.support!.id }),
      }),
      expect.objectContaining({
        kind: 'privilege_addressed',
        label: "Psychotherapist-patient privilege addressed by counsel's advice",
        note: counsel.note,
        approvedBy: expect.objectContaining({ id: u.privacy!.id }),
      }),
    ]);
    res = await release(r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stage).toBe('released');

    // Once released, nothing more is added to it.
    const late = await privilege('privacy', r.id, counsel);
    expect(late.statusCode).toBe(409);
  });

  it('LEGAL-2: a subpoena with a court order is a court order, not held by LEGAL-2, and takes no checklist', async () => {
    const r = await toRelease({ ...subpoena, kind: 'court_order', requester: { name: 'Superior Court' } });
    expect(r.releaseBlockers).toEqual([]);
    const res = await assurance('support', r.id, notice);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain("kind 'court_order' (LEGAL-2)");
    expect(await approvals(r.id)).toEqual([]);
  });

  it("LEGAL-2: while the client's time to object is not over (in the practice's time zone), the checklist is refused and nothing is stored", async () => {
    const r = await toRelease();
    const before = (await auditRows(t, 'privacy.assurance_recorded')).length;
    // The deadline is today: the client may still object until the end of the day.
    let res = await assurance('support', r.id, { ...notice, objectionDeadline: '2027-03-01' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', rule: 'LEGAL-2', field: 'objectionDeadline' });
    expect(res.json().message).toContain('until the end of 2027-03-01');
    expect(res.json().message).toContain('from 2027-03-02');
    res = await assurance('privacy', r.id, { ...notice, objectionDeadline: '2027-03-12' });
    expect(res.statusCode).toBe(409);
    // Impossible dates are 400s naming the field and the rule.
    res = await assurance('support', r.id, {
      ...notice,
      noticeSentOn: '2027-02-10',
      objectionDeadline: '2027-02-09',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('LEGAL-2');
    expect(res.json().fields).toEqual([expect.objectContaining({ path: 'body.objectionDeadline' })]);
    res = await assurance('support', r.id, { ...notice, noticeSentOn: '2027-03-02' });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ path: 'body.noticeSentOn' })]);
    res = await assurance('support', r.id, { ...notice, objections: 'pending' });
    expect(res.statusCode).toBe(400);
    expect(await approvals(r.id)).toEqual([]);
    expect((await auditRows(t, 'privacy.assurance_recorded')).length).toBe(before);
    expect((await legal2(r.id)).length).toBe(1);
  });

  it('LEGAL-2, SEC-2: only the privacy officer records privilege (a therapist 403); support or the privacy officer the checklist; another practice 404', async () => {
    const r = await toRelease();
    for (const who of ['therapist', 'support', 'supervisor']) {
      const res = await privilege(who, r.id, counsel);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toBe(
        'Only the privacy officer can record how psychotherapist-patient privilege was addressed (LEGAL-2).',
      );
    }
    const refused = await assurance('therapist', r.id, notice);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('LEGAL-2');
    expect((await privilege('outsider', r.id, counsel)).statusCode).toBe(404);
    expect((await assurance('outsider', r.id, notice)).statusCode).toBe(404);
    expect(await approvals(r.id)).toEqual([]);
    // The refusals are audited.
    const refusals = await t.running.services.database.pool.query(
      `select count(*)::int as n from audit_events where type = 'access.refused' and request_id = $1`,
      [r.id],
    );
    expect(refusals.rows[0].n).toBeGreaterThanOrEqual(4);

    expect((await assurance('privacy', r.id, notice)).statusCode).toBe(201);
    expect((await privilege('privacy', r.id, counsel)).statusCode).toBe(201);
    expect(await legal2(r.id)).toEqual([]);
  });

  it("LEGAL-2: a qualified protective order satisfies the checklist; privilege on the client's authorization holds only while it is valid and unrevoked", async () => {
    const r = await toRelease();
    // Privilege first: the client's authorization must be one recorded on this request, valid, unrevoked.
    let res = await privilege('privacy', r.id, {
      addressedBy: 'client_authorization',
      authorizationId: '00000000-0000-4000-8000-000000000000',
      note: 'Client waived',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ path: 'body.authorizationId' })]);
    res = await privilege('privacy', r.id, { addressedBy: 'client_authorization', note: 'No id' });
    expect(res.statusCode).toBe(400);
    const defective = await as.support!.post(
      `/api/requests/${r.id}/authorizations`,
      validAuthorization({ statementRedisclosure: false }),
    );
    expect(defective.statusCode).toBe(201);
    res = await privilege('privacy', r.id, {
      addressedBy: 'client_authorization',
      authorizationId: defective.json().id,
      note: 'Client waived',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('statementRedisclosure');
    expect(res.json().message).toContain('LEGAL-2');
    const signed = await as.support!.post(`/api/requests/${r.id}/authorizations`, validAuthorization());
    expect(signed.statusCode).toBe(201);
    const authorizationId = signed.json().id as string;
    res = await privilege('privacy', r.id, {
      addressedBy: 'client_authorization',
      authorizationId,
      note: 'The client signed a release to her own counsel.',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().detail).toMatchObject({ addressedBy: 'client_authorization', authorizationId });
    expect((await legal2(r.id))[0]!.message).toContain('satisfactory assurance');
    expect((await legal2(r.id))[0]!.message).not.toContain('privilege');

    // The order must be a legal document uploaded on this request.
    const letter = (await upload(r.id, 'request')).json() as { id: string };
    const order = (await upload(r.id, 'legal_document')).json() as { id: string };
    const qpo = {
      basis: 'qualified_protective_order',
      orderDate: '2027-02-15',
      note: 'Stipulated protective order limiting use to the litigation, return or destroy at the end.',
    };
    res = await assurance('support', r.id, { ...qpo, fileId: letter.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ path: 'body.fileId' })]);
    res = await assurance('support', r.id, { ...qpo, orderDate: '2027-03-05' });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ path: 'body.orderDate' })]);
    res = await assurance('support', r.id, { ...qpo, fileId: order.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      label: expect.stringContaining('qualified protective order'),
      detail: { basis: 'qualified_protective_order', orderDate: '2027-02-15', fileId: order.id },
    });
    expect(await legal2(r.id)).toEqual([]);

    // The client revokes the authorization the privilege record rests on: release is blocked again.
    const revoked = await as.support!.post(
      `/api/requests/${r.id}/authorizations/${authorizationId}/revocation`,
      {
        receivedAt: t.clock.now().toISOString(),
        note: 'Letter from the client',
      },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    const [blocker] = await legal2(r.id);
    expect(blocker!.message).toContain('the authorization it relied on is revoked or no longer valid');
    expect(await flagged(r.id)).toBe(true);
    expect((await release(r.id)).json().rules).toEqual(['LEGAL-2']);
    res = await privilege('privacy', r.id, {
      addressedBy: 'client_authorization',
      authorizationId,
      note: 'x',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('AUTH-5');
    // A court order on the privilege question unlocks it again.
    res = await privilege('privacy', r.id, {
      addressedBy: 'court_order',
      note: 'Order overruling the privilege objection',
    });
    expect(res.statusCode).toBe(201);
    expect(await legal2(r.id)).toEqual([]);
    expect((await release(r.id)).statusCode).toBe(200);
  });

  it('LEGAL-2: each record leaves an audit row naming who, the request and what was recorded (never the note)', async () => {
    const r = await toRelease();
    const checklist = (await assurance('support', r.id, notice)).json() as { id: string };
    const decided = (await privilege('privacy', r.id, counsel)).json() as { id: string };
    const recorded = (await auditRows(t, 'privacy.assurance_recorded')).filter(
      (a) => a.data.approvalId === checklist.id,
    );
    expect(recorded).toEqual([
      expect.objectContaining({
        actorId: u.support!.id,
        data: {
          approvalId: checklist.id,
          basis: 'notice_to_client',
          noticeSentOn: '2027-02-01',
          objectionDeadline: '2027-02-19',
          objections: 'none_filed',
          checkedOn: '2027-03-01',
        },
      }),
    ]);
    const privileged = (await auditRows(t, 'privacy.privilege_recorded')).filter(
      (a) => a.data.approvalId === decided.id,
    );
    expect(privileged).toEqual([
      expect.objectContaining({
        actorId: u.privacy!.id,
        data: { approvalId: decided.id, addressedBy: 'counsel_advice' },
      }),
    ]);
    const { rows } = await t.running.services.database.pool.query(
      `select count(*)::int as n from audit_events
        where request_id = $1 and type in ('privacy.assurance_recorded', 'privacy.privilege_recorded')`,
      [r.id],
    );
    expect(rows[0].n).toBe(2);
  });

  // Last: it moves the clock forward (the TOTP sign-in never goes back in time).
  it("LEGAL-2, TIME-1: the time to object ends at the end of the deadline day in the practice's time zone, not UTC's", async () => {
    const r = await toRelease();
    // 23:30 on 1 March in Los Angeles is already 2 March in UTC: still refused.
    t.clock.set('2027-03-02T07:30:00Z');
    await signInAll();
    let res = await assurance('support', r.id, { ...notice, objectionDeadline: '2027-03-01' });
    expect(res.statusCode).toBe(409);
    // Half past midnight on 2 March in Los Angeles: the window is over.
    t.clock.set('2027-03-02T08:30:00Z');
    await signInAll();
    res = await assurance('support', r.id, { ...notice, objectionDeadline: '2027-03-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().detail).toMatchObject({ objectionDeadline: '2027-03-01', checkedOn: '2027-03-02' });
  });
});
