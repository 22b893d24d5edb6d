// Authorizations through the API: recorded as structured fields (AUTH-1…AUTH-4), listed with each
// failing element by name, impossible dates refused, and revocations (AUTH-5) that block every
// pending release relying on the form at once and tell everyone on the request.
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

const validAuthorization = (extra: Record<string, unknown> = {}) => ({
  description: 'Progress notes and treatment plan, 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Northwind Life Insurance',
  purpose: 'Life insurance underwriting',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Alex Client',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['progress_notes', 'treatment_plans'],
  ...extra,
});

interface AuthView {
  id: string;
  valid: boolean;
  failures: { element: string; rule: string; message: string }[];
  revocation: { receivedAt: string; by: { id: string } | null; note: string | null } | null;
  recordedBy: { id: string } | null;
}
type Details = RequestDetails & { authorizations: AuthView[]; releaseBlockers: { rule: string }[] };

/** A minimal PDF and the multipart body for the files route. */
function uploadPdf(t: TestApp, agent: Agent, requestId: string, purpose: string) {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="signed.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}

describe('authorizations (AUTH-1…AUTH-5)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;
  let otherClientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const elsewhere = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.outsider = await createUser(t, elsewhere, ['support']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    otherClientId = (await createClient(t, practice, u.therapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const thirdParty = (client = clientId) =>
    createRequestAs(as.support!, client, {
      kind: 'authorization',
      requester: { name: 'Northwind Life Insurance', email: 'claims@northwind.test' },
      receivedAt: t.clock.now().toISOString(),
    });
  async function post(who: string, id: string, path: string, body: unknown = {}): Promise<Details> {
    const res = await as[who]!.post(`/api/requests/${id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  async function toRelease(client = clientId): Promise<Details> {
    const r = await thirdParty(client);
    await post('support', r.id, 'intake', { verification: { method: 'Signed authorization by fax' } });
    await post('therapist', r.id, 'client-discussion', { outcome: 'go_ahead' });
    await post('supervisor', r.id, 'supervisor-review', { decision: 'release', consequences: 'None' });
    await post('support', r.id, 'invoice', { mode: 'no_fee' });
    await post('clinical', r.id, 'preparation', {});
    return post('supervisor', r.id, 'preparation/approval', {});
  }
  const record = (who: string, id: string, body: Record<string, unknown>) =>
    as[who]!.post(`/api/requests/${id}/authorizations`, body);
  const list = async (id: string) =>
    (await as.support!.get(`/api/requests/${id}/authorizations`)).json() as { items: AuthView[] };

  it('AUTH-1, AUTH-2, AUTH-3, AUTH-4: recorded with its fields; listed with validity and each failing element by name', async () => {
    const r = await thirdParty();
    const ok = await record('support', r.id, validAuthorization());
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({
      valid: true,
      failures: [],
      recipient: 'Northwind Life Insurance',
      recordedBy: { id: u.support!.id },
      revocation: null,
    });
    // An incomplete, expired form: recorded as received, every failing element named with its rule.
    t.clock.advance(1000);
    const bad = await record('support', r.id, {
      ...validAuthorization({ description: '', expiresOn: '2027-02-28', statementConditioning: false }),
      signedByRepresentative: true,
      conditionsTreatment: true,
    });
    expect(bad.statusCode).toBe(201);
    const { items } = await list(r.id);
    expect(items.map((a) => a.valid)).toEqual([true, false]);
    expect(items[1]!.failures.map((f) => [f.element, f.rule])).toEqual([
      ['description', 'AUTH-1'],
      ['representativeAuthority', 'AUTH-1'],
      ['statementConditioning', 'AUTH-2'],
      ['conditionsTreatment', 'AUTH-3'],
      ['expiration', 'AUTH-3'],
    ]);
    // The request details carry them too, with validity.
    const d: Details = (await as.support!.get(`/api/requests/${r.id}`)).json();
    expect(d.authorizations.map((a) => a.valid)).toEqual([true, false]);
    // One valid authorization is enough; the intake's identity check is still to come (VER-1).
    expect(d.releaseBlockers.map((b) => b.rule)).toEqual(['VER-1']);
    const audited = (await auditRows(t, 'authorization.recorded')).filter(
      (a) => a.data.authorizationId === items[1]!.id,
    );
    expect(audited[0]!.data).toMatchObject({
      valid: false,
      failingElements: expect.arrayContaining(['description']),
    });
    expect(JSON.stringify(audited)).not.toContain('Northwind');
    expect((await auditRows(t, 'authorization.listed')).length).toBeGreaterThan(0);
  });

  it.each([
    ['AUTH-1: an expiry before the signature', { expiresOn: '2027-02-21' }, 'body.expiresOn', 'AUTH-1'],
    ['AUTH-1: a signature in the future', { signedOn: '2027-03-02' }, 'body.signedOn', 'AUTH-1'],
    [
      'SCOPE-1: a reversed date range',
      { dateFrom: '2026-12-01', dateTo: '2026-01-01' },
      'body.dateTo',
      'SCOPE-1',
    ],
  ])(
    '%s is refused with 400 naming the field and the rule; nothing is recorded',
    async (_t, change, path, rule) => {
      const r = await thirdParty();
      const res = await record('support', r.id, validAuthorization(change));
      expect(res.statusCode).toBe(400);
      const field = (res.json().fields as { path: string; message: string }[]).find((f) => f.path === path);
      expect(field?.message).toContain(rule);
      expect((await list(r.id)).items).toEqual([]);
    },
  );

  it("AUTH-1: the scan must be an uploaded file of purpose 'authorization' on this request", async () => {
    const r = await thirdParty();
    const other = await thirdParty();
    const scan = (await uploadPdf(t, as.support!, r.id, 'authorization')).json() as { id: string };
    const letter = (await uploadPdf(t, as.support!, r.id, 'request')).json() as { id: string };
    const elsewhere = (await uploadPdf(t, as.support!, other.id, 'authorization')).json() as { id: string };
    for (const fileId of [letter.id, elsewhere.id]) {
      const res = await record('support', r.id, validAuthorization({ fileId }));
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0].path).toBe('body.fileId');
    }
    const res = await record('support', r.id, validAuthorization({ fileId: scan.id }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileId).toBe(scan.id);
  });

  it('AUTH-1, SEC-2: support, the privacy officer or an active task holder records; others 403; another practice 404', async () => {
    const r = await thirdParty();
    // Before the intake, the therapist holds no task on it.
    expect((await record('therapist', r.id, validAuthorization())).statusCode).toBe(403);
    expect((await record('outsider', r.id, validAuthorization())).statusCode).toBe(404);
    expect((await as.outsider!.get(`/api/requests/${r.id}/authorizations`)).statusCode).toBe(404);
    expect((await record('privacy', r.id, validAuthorization())).statusCode).toBe(201);
    const after = await post('support', r.id, 'intake', { verification: { method: 'Phone' } });
    expect(openTasks(after)[0]).toMatchObject({
      type: 'client_discussion',
      assignee: { id: u.therapist!.id },
    });
    expect((await record('therapist', r.id, validAuthorization())).statusCode).toBe(201);
    expect((await record('supervisor', r.id, validAuthorization())).statusCode).toBe(403);
  });

  it('AUTH-5: a revocation blocks at once every pending release relying on the form, and tells everyone on each request', async () => {
    const a = await toRelease();
    const b = await toRelease();
    const unrelated = await toRelease();
    const otherClient = await toRelease(otherClientId);
    const form = validAuthorization({ signedOn: '2027-02-20', recipient: 'Jordan Law LLP' });
    const onA = (await record('support', a.id, form)).json() as AuthView;
    await record('support', b.id, form);
    await record(
      'support',
      unrelated.id,
      validAuthorization({ signedOn: '2027-02-01', recipient: 'Other Insurer' }),
    );
    await record('support', otherClient.id, form);
    for (const r of [a, b, unrelated, otherClient]) {
      expect(((await as.support!.get(`/api/requests/${r.id}`)).json() as Details).releaseBlockers).toEqual(
        [],
      );
    }

    const receivedAt = new Date(t.clock.now().getTime() - 60 * 60_000).toISOString();
    const res = await as.support!.post(`/api/requests/${a.id}/authorizations/${onA.id}/revocation`, {
      receivedAt,
      note: 'Client letter revoking the authorization for Northwind',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().authorization).toMatchObject({
      valid: false,
      revocation: { receivedAt, by: { id: u.support!.id } },
      failures: [expect.objectContaining({ element: 'revocation', rule: 'AUTH-3' })],
    });
    expect((res.json().affectedRequests as { id: string }[]).map((x) => x.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );

    for (const r of [a, b]) {
      const blocked = await as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json()).toMatchObject({
        rules: ['AUTH-5'],
        message: expect.stringContaining('revoked'),
      });
      const d: Details = (await as.support!.get(`/api/requests/${r.id}`)).json();
      const notices = d.thread.filter(
        (m) => m.kind === 'notice' && m.subject.includes('authorization revoked'),
      );
      expect(notices.map((m) => m.thread).sort()).toEqual(['internal', 'requester']);
      expect(notices.find((m) => m.thread === 'requester')!.body).not.toContain('Alex');
    }
    const audited = await auditRows(t, 'authorization.revoked');
    expect(audited.map((x) => x.data.revokedOn)).toEqual([a.id, a.id]);
    // The other form, and the same form for another client, are untouched.
    for (const r of [unrelated, otherClient]) {
      expect(
        (await as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' })).statusCode,
      ).toBe(200);
    }
  });

  it('AUTH-5: an unknown authorization is 404, one already revoked 409 naming AUTH-5, a future receipt 400; nothing changes', async () => {
    const r = await thirdParty();
    const auth = (await record('support', r.id, validAuthorization())).json() as AuthView;
    const url = `/api/requests/${r.id}/authorizations/${auth.id}/revocation`;
    const body = { receivedAt: t.clock.now().toISOString(), note: 'Written revocation' };
    const future = await as.support!.post(url, { ...body, receivedAt: '2027-03-05T00:00:00Z' });
    expect(future.statusCode).toBe(400);
    expect(future.json().fields[0]).toMatchObject({
      path: 'body.receivedAt',
      message: expect.stringContaining('AUTH-5'),
    });
    const beforeSigned = await as.support!.post(url, { ...body, receivedAt: '2027-02-01T18:00:00Z' });
    expect(beforeSigned.statusCode).toBe(400);
    const unknown = await as.support!.post(
      `/api/requests/${r.id}/authorizations/00000000-0000-4000-8000-000000000000/revocation`,
      body,
    );
    expect(unknown.statusCode).toBe(404);
    expect((await as.support!.post(url, body)).statusCode).toBe(200);
    const messagesBefore = ((await as.support!.get(`/api/requests/${r.id}`)).json() as Details).thread.length;
    const eventsBefore = (await auditRows(t, 'authorization.revoked')).length;
    const again = await as.support!.post(url, { ...body, note: 'A second copy of the letter' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'AUTH-5', message: expect.stringContaining('AUTH-5') });
    const [after] = (await list(r.id)).items;
    expect(after!.revocation!.note).toBe('Written revocation');
    expect(((await as.support!.get(`/api/requests/${r.id}`)).json() as Details).thread.length).toBe(
      messagesBefore,
    );
    expect((await auditRows(t, 'authorization.revoked')).length).toBe(eventsBefore);
    // Revoking needs the same standing as recording.
    expect((await as.supervisor!.post(url, body)).statusCode).toBe(403);
  });
});
