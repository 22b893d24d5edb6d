// The practice's own authorization form through the API (AUTH-7): prepared as a plain-language PDF
// pre-filled from the request, stored on the request and downloaded from the files route; a form
// signed on it blocks release until the signer's copy is recorded, once, on a possible day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

interface FormView {
  file: { id: string; name: string; purpose: string; size: number; sha256: string };
  downloadUrl: string;
  prefill: Record<string, unknown> & { formFileId: string; documentClasses: string[] };
}
interface AuthView {
  id: string;
  valid: boolean;
  preparedByPractice: boolean;
  formFileId: string | null;
  signerCopy: { method: string; givenOn: string } | null;
  failures: { element: string; rule: string; message: string }[];
}
type Details = RequestDetails & {
  authorizations: AuthView[];
  releaseBlockers: { rule: string; message: string }[];
  complianceAbilities: string[];
};

describe("the practice's authorization form (AUTH-7)", () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'privacy@riverbend.test',
      privacyOfficerPhone: '(555) 010-2000',
    });
    const elsewhere = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.otherTherapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.outsider = await createUser(t, elsewhere, ['support']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (
      await createClient(t, practice, u.therapist, {
        firstName: 'Jordan',
        lastName: 'Rivera',
        address: '12 Elm Street\nSpringfield, WA 98000',
      })
    ).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const thirdParty = (overrides: Record<string, unknown> = {}) =>
    createRequestAs(as.support!, clientId, {
      kind: 'authorization',
      requester: {
        name: 'Morgan Price',
        organization: 'Northwind Life Insurance',
        email: 'claims@northwind.test',
        address: '400 Harbor Way\nSeattle, WA 98101',
      },
      documentClasses: ['progress_notes', 'treatment_plans'],
      dateFrom: '2025-01-01',
      dateTo: '2026-06-30',
      purpose: 'Life insurance underwriting',
      receivedAt: t.clock.now().toISOString(),
      ...overrides,
    });
  async function post(who: string, id: string, path: string, body: unknown = {}): Promise<Details> {
    const res = await as[who]!.post(`/api/requests/${id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  async function toRelease(): Promise<Details> {
    const r = await thirdParty();
    await post('support', r.id, 'intake', { verification: { method: 'Signed authorization by fax' } });
    await post('therapist', r.id, 'client-discussion', { outcome: 'go_ahead' });
    await post('supervisor', r.id, 'supervisor-review', { decision: 'release', consequences: 'None' });
    await post('support', r.id, 'invoice', { mode: 'no_fee' });
    await post('clinical', r.id, 'preparation', {});
    return post('supervisor', r.id, 'preparation/approval', {});
  }
  const prepare = (who: string, id: string, body: Record<string, unknown> = {}) =>
    as[who]!.post(`/api/requests/${id}/authorization-form`, body);
  async function prepared(id: string, body: Record<string, unknown> = {}): Promise<FormView> {
    const res = await prepare('support', id, body);
    if (res.statusCode !== 201) throw new Error(`prepare: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  /** The form, signed by the client on 2027-02-26, recorded from the prefill. */
  async function signed(id: string, form: FormView): Promise<AuthView> {
    const res = await as.support!.post(`/api/requests/${id}/authorizations`, {
      ...form.prefill,
      signerName: 'Jordan Rivera',
      signedOn: '2027-02-26',
    });
    if (res.statusCode !== 201) throw new Error(`record: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  const copyUrl = (id: string, authId: string) => `/api/requests/${id}/authorizations/${authId}/signer-copy`;
  const details = async (id: string): Promise<Details> =>
    (await as.support!.get(`/api/requests/${id}`)).json();

  it('AUTH-7: the form downloads from the files route, passes qpdf, and reads the statements and the pre-filled facts', async () => {
    const r = await thirdParty({
      documentClasses: ['progress_notes', 'treatment_plans', 'psychotherapy_notes'],
    });
    const res = await prepare('support', r.id, { expiresOn: '2027-12-31' });
    expect(res.statusCode, res.body).toBe(201);
    const form = res.json() as FormView;
    expect(res.headers.location).toBe(form.downloadUrl);
    expect(form.file).toMatchObject({ purpose: 'authorization', name: `authorization-form-${r.number}.pdf` });
    // AUTH-4: the general form leaves psychotherapy notes out.
    expect(form.prefill).toMatchObject({
      discloser: 'Riverbend Counseling',
      recipient: 'Morgan Price, Northwind Life Insurance',
      purpose: 'Life insurance underwriting.',
      expiresOn: '2027-12-31',
      expiryEvent: null,
      documentClasses: ['progress_notes', 'treatment_plans'],
      psychotherapyNotesOnly: false,
      preparedByPractice: true,
      formFileId: form.file.id,
    });

    const listed = (await as.support!.get(`/api/requests/${r.id}/files`)).json() as {
      files: { id: string; purpose: string }[];
    };
    expect(listed.files).toEqual([expect.objectContaining({ id: form.file.id, purpose: 'authorization' })]);
    const download = await as.support!.get(form.downloadUrl);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const pdf = download.rawPayload;
    await expect(qpdfCheck(pdf)).resolves.toContain('No syntax or stream encoding errors');
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const expected of [
      'Your permission to share your records',
      r.number,
      'Jordan Rivera',
      // AUTH-1: who shares, who gets them, which records and dates, why, until when.
      'Riverbend Counseling will share them.',
      'Morgan Price',
      'Northwind Life Insurance',
      '400 Harbor Way, Seattle, WA 98101',
      'Progress notes: notes from your visits',
      'Treatment plans: your goals and the plan for your care',
      'Records from 1 January 2025 to 30 June 2026.',
      'The reason: Life insurance underwriting.',
      'This permission ends on 31 December 2027.',
      'This form does not cover psychotherapy notes.',
      // AUTH-2: the three statements, and how to revoke.
      'You can take back (cancel) this permission at any time.',
      'Mail it or bring it to Dana Cho at Riverbend Counseling.',
      'We will still treat you if you do not sign.',
      'federal privacy law may no longer protect them.',
      // AUTH-7 and AUTH-1: the copy, the signature, the date and a representative's authority.
      'You will get a copy of this form after you sign it.',
      'Signature of client or representative',
      'Date signed',
      'If not the client: how you may sign for them',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Psychotherapy notes:');
    const audited = (await auditRows(t, 'authorization.form_prepared')).find(
      (a) => a.data.fileId === form.file.id,
    );
    expect(audited?.data).toMatchObject({ psychotherapyNotesOnly: false, leftOut: ['psychotherapy_notes'] });
    expect(JSON.stringify(audited)).not.toContain('Northwind');

    // AUTH-4: the separate form for psychotherapy notes only.
    const notes = await prepared(r.id, { psychotherapyNotesOnly: true });
    expect(notes.prefill.documentClasses).toEqual(['psychotherapy_notes']);
    const notesText = (await pdfText((await as.support!.get(notes.downloadUrl)).rawPayload)).replace(
      /\s+/g,
      ' ',
    );
    expect(notesText).toContain('Your permission to share psychotherapy notes');
    expect(notesText).toContain('This permission ends one year after the date you sign this form.');
  });

  it("AUTH-7, SEC-2: support, the privacy officer and the request's therapist prepare it; others 403; another practice 404", async () => {
    const r = await thirdParty();
    for (const who of ['support', 'privacy', 'therapist']) {
      expect((await prepare(who, r.id)).statusCode).toBe(201);
    }
    const refused = await prepare('supervisor', r.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('AUTH-7');
    expect((await prepare('otherTherapist', r.id)).statusCode).toBe(404);
    expect((await prepare('outsider', r.id)).statusCode).toBe(404);
    const ability = (await as.therapist!.get(`/api/requests/${r.id}`)).json() as Details;
    expect(ability.complianceAbilities).toContain('prepare_authorization_form');
  });

  it('AUTH-7, AUTH-1: an expiry date already past, or both a date and an event, is refused 400; nothing is stored', async () => {
    const r = await thirdParty();
    const past = await prepare('support', r.id, { expiresOn: '2027-03-01' });
    expect(past.statusCode).toBe(400);
    expect(past.json().fields[0]).toMatchObject({
      path: 'body.expiresOn',
      message: expect.stringContaining('AUTH-1'),
    });
    const both = await prepare('support', r.id, {
      expiresOn: '2027-12-31',
      expiryEvent: 'When the claim closes',
    });
    expect(both.statusCode).toBe(400);
    const notes = await prepare('support', r.id, { psychotherapyNotesOnly: true });
    expect(notes.statusCode).toBe(400);
    expect(notes.json().fields[0].path).toBe('body.psychotherapyNotesOnly');
    const listed = (await as.support!.get(`/api/requests/${r.id}/files`)).json() as { files: unknown[] };
    expect(listed.files).toEqual([]);
  });

  it("AUTH-7: release is blocked until the signer's copy is recorded", async () => {
    const r = await toRelease();
    const form = await prepared(r.id);
    const auth = await signed(r.id, form);
    expect(auth).toMatchObject({
      preparedByPractice: true,
      formFileId: form.file.id,
      signerCopy: null,
      valid: false,
    });
    expect(auth.failures).toEqual([expect.objectContaining({ element: 'signerCopy', rule: 'AUTH-7' })]);

    const before = await details(r.id);
    expect(before.releaseBlockers).toEqual([
      { rule: 'AUTH-7', message: expect.stringContaining('give the signer a copy and record how and when') },
    ]);
    const blocked = await as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ rules: ['AUTH-7'] });

    const res = await as.support!.post(copyUrl(r.id, auth.id), {
      method: 'in_person',
      givenOn: '2027-02-26',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      failures: [],
      signerCopy: { method: 'in_person', givenOn: '2027-02-26' },
    });
    expect((await details(r.id)).releaseBlockers).toEqual([]);
    const audited = (await auditRows(t, 'authorization.signer_copy_recorded')).find(
      (a) => a.data.authorizationId === auth.id,
    );
    expect(audited?.data).toMatchObject({ method: 'in_person', givenOn: '2027-02-26', valid: true });
    const released = await as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
  });

  it('AUTH-7: a copy dated before the signature or in the future is refused 400 naming the field and the rule; nothing changes', async () => {
    const r = await thirdParty();
    const auth = await signed(r.id, await prepared(r.id));
    const eventsBefore = (await auditRows(t, 'authorization.signer_copy_recorded')).length;
    for (const givenOn of ['2027-02-25', '2027-03-02']) {
      const res = await as.support!.post(copyUrl(r.id, auth.id), { method: 'mail', givenOn });
      expect(res.statusCode).toBe(400);
      expect(res.json().fields[0]).toMatchObject({
        path: 'body.givenOn',
        message: expect.stringContaining('AUTH-7'),
      });
    }
    const bad = await as.support!.post(copyUrl(r.id, auth.id), { method: 'pigeon', givenOn: '2027-02-27' });
    expect(bad.statusCode).toBe(400);
    const [after] = (await details(r.id)).authorizations;
    expect(after).toMatchObject({ signerCopy: null, valid: false });
    expect((await auditRows(t, 'authorization.signer_copy_recorded')).length).toBe(eventsBefore);
    // The same standing as recording the authorization; an unknown one is 404.
    expect(
      (await as.supervisor!.post(copyUrl(r.id, auth.id), { method: 'mail', givenOn: '2027-02-27' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await as.support!.post(copyUrl(r.id, '00000000-0000-4000-8000-000000000000'), {
          method: 'mail',
          givenOn: '2027-02-27',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('AUTH-7: a second record of the copy is refused 409 naming AUTH-7; the first is kept', async () => {
    const r = await thirdParty();
    const auth = await signed(r.id, await prepared(r.id));
    const first = await as.support!.post(copyUrl(r.id, auth.id), { method: 'email', givenOn: '2027-02-27' });
    expect(first.statusCode).toBe(200);
    const again = await as.privacy!.post(copyUrl(r.id, auth.id), { method: 'portal', givenOn: '2027-02-28' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'AUTH-7', message: expect.stringContaining('AUTH-7') });
    const [kept] = (await details(r.id)).authorizations;
    expect(kept!.signerCopy).toEqual({ method: 'email', givenOn: '2027-02-27' });
  });

  it("AUTH-7: formFileId names a file of purpose 'authorization' on this request, and needs preparedByPractice", async () => {
    const r = await thirdParty();
    const other = await thirdParty();
    const form = await prepared(r.id);
    const elsewhere = await prepared(other.id);
    const base = { ...form.prefill, signerName: 'Jordan Rivera', signedOn: '2027-02-26' };
    const wrongRequest = await as.support!.post(`/api/requests/${r.id}/authorizations`, {
      ...base,
      formFileId: elsewhere.file.id,
    });
    expect(wrongRequest.statusCode).toBe(400);
    expect(wrongRequest.json().fields[0].path).toBe('body.formFileId');
    const notPrepared = await as.support!.post(`/api/requests/${r.id}/authorizations`, {
      ...base,
      preparedByPractice: false,
    });
    expect(notPrepared.statusCode).toBe(400);
    expect(notPrepared.json().fields[0]).toMatchObject({
      path: 'body.preparedByPractice',
      message: expect.stringContaining('AUTH-7'),
    });
    expect((await details(r.id)).authorizations).toEqual([]);
  });
});
