// Authorization signing in the requester portal (issue 7) through the HTTP API: the client who directs
// a copy to someone (KIND-2) reads the practice's form, signs it typed or drawn, and downloads the
// signed copy; the release gate sees the authorization; refusals change nothing.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../src/server/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestPractice } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { pdfPageCount, pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { portalRequester, type Requester, signaturePng } from './sign-helpers.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles
const RECIPIENT = 'Bright Path Disability Advocates, 500 K Street, Sacramento, CA 95814';

interface SignView {
  state: string;
  title: string | null;
  sections: {
    heading: string;
    blocks: (
      | { type: 'paragraph'; text: string }
      | { type: 'list'; items: string[] }
      | { type: 'fields'; rows: { label: string; value: string }[] }
    )[];
  }[];
  sha256: string | null;
  pdfUrl: string | null;
  signerName: string | null;
  signed: { signedAt: string; signerName: string; formSha256: string; downloadUrl: string } | null;
}
type Details = RequestDetails & {
  authorizations: {
    id: string;
    valid: boolean;
    preparedByPractice: boolean;
    signerName: string | null;
    recipient: string | null;
    signerCopy: { method: string; givenOn: string } | null;
    fileId: string | null;
    formFileId: string | null;
  }[];
  releaseBlockers: { rule: string; message: string }[];
};

describe('signing the authorization in the portal (AUTH-1, AUTH-2, AUTH-7, VER-1)', () => {
  let t: TestApp;
  let practice: TestPractice;
  let support: Agent;
  let clientId: string;
  let clientName: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'privacy@riverbend.test',
      privacyOfficerPhone: '(555) 010-2000',
    });
    const therapist = await createUser(t, practice, ['therapist']);
    support = await signIn(t, await createUser(t, practice, ['support']));
    const client = await createClient(t, practice, therapist, { firstName: 'Aisha', lastName: 'Rahman' });
    clientId = client.id;
    clientName = 'Aisha Rahman';
  });
  afterAll(() => t?.close());

  /** A copy the client directs to someone (KIND-2), asked through the portal, and the client in the portal. */
  async function directed(overrides: Record<string, unknown> = {}) {
    n += 1;
    const email = `aisha${n}@example.test`;
    const r = await createRequestAs(support, clientId, {
      kind: 'client_directed',
      requester: { name: clientName, relationship: 'client', email },
      purpose: 'Disability benefits application',
      channel: 'portal',
      // rule KIND-2: the recipient the client named, in the request's own fields.
      recipient: { name: 'Bright Path Disability Advocates', address: '500 K Street, Sacramento, CA 95814' },
      ...overrides,
    });
    const who = await portalRequester(t, { practiceId: practice.id, requestId: r.id, email });
    return { r, who, base: `/api/portal/requests/${r.number}/authorization` };
  }

  const details = async (id: string) => (await support.get(`/api/requests/${id}`)).json() as Details;
  const view = async (who: Requester, base: string) => {
    const res = await who.get(base);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SignView;
  };
  const consent = { readAndAgree: true, electronicSignature: true };
  const typed = (sha256: string, typedName = clientName) => ({
    sha256,
    signature: { method: 'typed', typedName },
    consent,
  });

  it('AUTH-1, AUTH-2, AUTH-7: the client reads the form, signs by typing, and downloads a sound signed PDF with signer, date, IP and hash', async () => {
    const { r, who, base } = await directed();
    const before = await details(r.id);
    expect(before.releaseBlockers.map((b) => b.rule)).toContain('AUTH-1');

    // The status page's summary: the state only, no form rendered.
    expect(await view(who, `${base}?summary=1`)).toMatchObject({
      state: 'to_sign',
      sections: [],
      sha256: null,
    });
    const shown = await view(who, base);
    expect(shown).toMatchObject({ state: 'to_sign', signerName: clientName, signed: null });
    const headings = shown.sections.map((s) => s.heading);
    expect(headings).toContain('2. Who will get your records');
    const recipient = shown.sections.find((s) => s.heading === '2. Who will get your records');
    expect(recipient?.blocks).toEqual([
      {
        type: 'fields',
        rows: [
          { label: 'Name', value: 'Bright Path Disability Advocates' },
          { label: 'Address', value: '500 K Street, Sacramento, CA 95814' },
        ],
      },
    ]);
    const rights = JSON.stringify(shown.sections.find((s) => s.heading === 'Your rights')!.blocks);
    expect(rights).toContain('You can take back (cancel) this permission');
    expect(rights).toContain('We will still treat you if you do not sign');
    expect(rights).toContain('may no longer protect them');

    const pdf = await who.get(shown.pdfUrl!);
    expect(pdf.statusCode).toBe(200);
    const sha = createHash('sha256').update(pdf.rawPayload).digest('hex');
    expect(sha).toBe(shown.sha256);
    expect(pdf.headers['x-content-sha256']).toBe(sha);

    const res = await who.post(`${base}/sign`, typed(sha));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ signerName: clientName, formSha256: sha });

    const copy = await who.get(`${base}/signed.pdf`);
    expect(copy.statusCode).toBe(200);
    expect(await qpdfCheck(copy.rawPayload)).toContain('No syntax or stream encoding errors');
    expect(await pdfPageCount(copy.rawPayload)).toBe((await pdfPageCount(pdf.rawPayload)) + 1);
    const text = (await pdfText(copy.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain('Electronic signature');
    expect(text).toContain(`Signed by ${clientName}`);
    expect(text).toContain('March 1, 2027 at 10:00:00 AM PST');
    expect(text).toContain(who.ip);
    expect(text).toContain(sha);
    expect(text).toContain('Bright Path Disability Advocates');

    // The release gate: the authorization is recorded whole, the signer's copy given in the portal.
    const after = await details(r.id);
    expect(after.releaseBlockers.filter((b) => b.rule.startsWith('AUTH'))).toEqual([]);
    expect(after.authorizations).toEqual([
      expect.objectContaining({
        valid: true,
        preparedByPractice: true,
        signerName: clientName,
        recipient: RECIPIENT,
        signerCopy: { method: 'portal', givenOn: '2027-03-01' },
      }),
    ]);
    // VER-1: the portal proved the address only; identity still waits for support.
    expect(after.releaseBlockers.map((b) => b.rule)).toContain('VER-1');
    const staffNote = after.thread.find((m) => m.thread === 'internal' && m.kind === 'portal_signed');
    expect(staffNote?.body).toContain('Identity is NOT verified by this');
    expect(staffNote?.body).toContain('(VER-1)');
    expect(after.thread.some((m) => m.thread === 'requester' && m.kind === 'portal_signed')).toBe(true);

    // AUTH-7 by email, REL-2/SEC-5: the client's email is a notice with her status link, never the form.
    const emails = await outboxEmails(
      t,
      "request_id = $1 and thread = 'requester' and kind = 'portal_signed'",
      [r.id],
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]!.recipients.join(' ')).toContain(`aisha${n}@example.test`);
    expect(emails[0]!.text).toMatch(/\/portal\/(links|requests)\//);
    expect(emails[0]!.text).not.toMatch(/Bright Path|Progress notes|Rahman|1990/);

    const signedEvent = (await auditRows(t, 'portal.authorization_signed')).find(
      (e) => e.data.formSha256 === sha,
    );
    expect(signedEvent).toMatchObject({ actorId: null, data: { by: 'requester', method: 'typed' } });
    const downloaded = await auditRows(t, 'portal.signed_copy_downloaded');
    expect(downloaded.some((e) => e.data.authorizationId === after.authorizations[0]!.id)).toBe(true);

    // The page now offers the copy, and a second signature is refused plainly.
    expect(await view(who, base)).toMatchObject({ state: 'signed', signed: { formSha256: sha } });
    const again = await who.post(`${base}/sign`, typed(sha));
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('You already signed this form');
    expect((await details(r.id)).authorizations).toHaveLength(1);

    // AUTH-5: once support records her written revocation, she may sign a new form here.
    const revoked = await support.post(
      `/api/requests/${r.id}/authorizations/${after.authorizations[0]!.id}/revocation`,
      { receivedAt: NOW, note: 'The client wrote to cancel it.' },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await view(who, base)).toMatchObject({ state: 'to_sign', signed: null });
  });

  it('AUTH-1: a drawn signature (a PNG from the canvas) is drawn on the signature page', async () => {
    const { who, base } = await directed();
    const { sha256 } = await view(who, base);
    const image = `data:image/png;base64,${signaturePng().toString('base64')}`;
    const res = await who.post(`${base}/sign`, { sha256, signature: { method: 'drawn', image }, consent });
    expect(res.statusCode, res.body).toBe(201);
    const copy = await who.get(`${base}/signed.pdf`);
    expect(await qpdfCheck(copy.rawPayload)).toContain('No syntax or stream encoding errors');
    const text = await pdfText(copy.rawPayload);
    expect(text).toContain('(drawn by the signer)');
    expect(text).toContain(sha256!);
  });

  it('AUTH-5, AUTH-7: two signatures at once make one authorization; the Spanish client is told in Spanish', async () => {
    const { r, who, base } = await directed();
    await t.running.services.database.db
      .update(requests)
      .set({ language: 'es' })
      .where(eq(requests.id, r.id));
    const { sha256 } = await view(who, base);
    const answers = await Promise.all([
      who.post(`${base}/sign`, typed(sha256!)),
      who.post(`${base}/sign`, typed(sha256!)),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().message).toContain(
      'Usted ya firmó este formulario',
    );
    const d = await details(r.id);
    expect(d.authorizations).toHaveLength(1);
    const note = d.thread.find((m) => m.thread === 'requester' && m.kind === 'portal_signed');
    expect(note?.body).toMatch(/^Gracias\. Usted firmó el formulario de autorización/);
  });

  it('AUTH-7: a form that changed since it was shown is refused 409, and nothing is recorded', async () => {
    const { r, who, base } = await directed();
    const { sha256 } = await view(who, base);
    await t.running.services.database.db
      .update(requests)
      .set({ purpose: 'Appeal of a benefits decision' })
      .where(eq(requests.id, r.id));
    const res = await who.post(`${base}/sign`, typed(sha256!));
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('The form changed after you opened it');
    const wrong = await who.post(`${base}/sign`, typed('0'.repeat(64)));
    expect(wrong.statusCode).toBe(409);
    const d = await details(r.id);
    expect(d.authorizations).toEqual([]);
    expect((await view(who, base)).sha256).not.toBe(sha256);
  });

  it('AUTH-1: an oversized, non-PNG or too-large drawing, or missing consent, is a 400 and changes nothing', async () => {
    const { r, who, base } = await directed();
    const { sha256 } = await view(who, base);
    const drawn = (image: string) => ({ sha256, signature: { method: 'drawn', image }, consent });
    const cases = [
      drawn(`data:image/png;base64,${'A'.repeat(200_001)}`),
      drawn(`data:image/gif;base64,${Buffer.from('GIF89a....').toString('base64')}`),
      drawn(`data:image/png;base64,${Buffer.from('GIF89a not a png at all, really').toString('base64')}`),
      drawn(`data:image/png;base64,${signaturePng(3000, 10).toString('base64')}`),
      drawn('data:image/png;base64,@@@not-base64@@@'),
      { sha256, signature: { method: 'typed', typedName: clientName }, consent: { readAndAgree: true } },
      { ...typed(sha256!), signedAt: '2020-01-01T00:00:00Z' },
    ];
    for (const body of cases) {
      const res = await who.post(`${base}/sign`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toBeTruthy();
    }
    expect((await details(r.id)).authorizations).toEqual([]);
  });

  it('SEC-2: no session, another request or a missing CSRF token is refused, and nothing is signed', async () => {
    const mine = await directed();
    const other = await directed();
    const { sha256 } = await view(mine.who, mine.base);
    const anonymous = await t.app.inject({ method: 'GET', url: mine.base });
    expect(anonymous.statusCode).toBe(404);
    const noSessionSign = await t.app.inject({
      method: 'POST',
      url: `${mine.base}/sign`,
      payload: typed(sha256!),
    });
    expect(noSessionSign.statusCode).toBe(404);
    expect((await other.who.get(mine.base)).statusCode).toBe(404);
    expect((await other.who.get(`${mine.base}.pdf`)).statusCode).toBe(404);
    expect((await other.who.post(`${mine.base}/sign`, typed(sha256!))).statusCode).toBe(404);
    expect((await mine.who.post(`${mine.base}/sign`, typed(sha256!), { csrf: null })).statusCode).toBe(403);
    expect((await mine.who.get(`${mine.base}/signed.pdf`)).statusCode).toBe(409);
    expect((await details(mine.r.id)).authorizations).toEqual([]);
  });

  it('SEC-5: a script typed as the name is kept as text, inert in the PDF and the answers', async () => {
    const { who, base } = await directed();
    const { sha256 } = await view(who, base);
    const name = '<script>alert(1)</script> Aisha';
    const res = await who.post(`${base}/sign`, typed(sha256!, name));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain('<script>');
    const text = await pdfText((await who.get(`${base}/signed.pdf`)).rawPayload);
    expect(text).toContain(name);
  });

  it('KIND-2, AUTH-1: with no recipient in the request’s fields the practice prepares the form; a “Send the copy to:” line in the notes is not read', async () => {
    const { who, base } = await directed({
      recipient: null,
      notes: `Sent through the online request form.\nSend the copy to: ${RECIPIENT}`,
    });
    expect(await view(who, base)).toMatchObject({ state: 'practice_prepares', sections: [], sha256: null });
    expect((await who.post(`${base}/sign`, typed('a'.repeat(64)))).statusCode).toBe(409);
  });

  it('KIND-3, KIND-1: a third party cannot sign for the client, and the client’s own copy needs no form', async () => {
    const third = await createRequestAs(support, clientId, {
      kind: 'authorization',
      requester: { name: 'Jordan Lee', organization: 'Lee & Park LLP', email: 'jlee@lee-park.test' },
    });
    const attorney = await portalRequester(t, {
      practiceId: practice.id,
      requestId: third.id,
      email: 'jlee@lee-park.test',
    });
    const base = `/api/portal/requests/${third.number}/authorization`;
    expect(await view(attorney, base)).toMatchObject({ state: 'client_signs', sections: [], sha256: null });
    const refused = await attorney.post(`${base}/sign`, typed('a'.repeat(64)));
    expect(refused.statusCode).toBe(409);
    expect((await attorney.get(`${base}.pdf`)).statusCode).toBe(409);

    const own = await createRequestAs(support, clientId, {
      requester: { name: clientName, relationship: 'client', email: 'aisha-own@example.test' },
    });
    const client = await portalRequester(t, {
      practiceId: practice.id,
      requestId: own.id,
      email: 'aisha-own@example.test',
    });
    expect(await view(client, `/api/portal/requests/${own.number}/authorization`)).toMatchObject({
      state: 'not_needed',
    });
  });
});
