// Verification through the API (VER-1): the method, who verified and when; never a barrier for a
// client; the intake's check is a recorded verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const NOW = '2027-03-01T18:00:00Z';

interface VerificationView {
  subject: string;
  method: string;
  proofKind: string | null;
  proofKindLabel: string | null;
  verifiedBy: { id: string; name: string } | null;
  verifiedAt: string;
}
type Details = RequestDetails & { verifications: VerificationView[]; releaseBlockers: { rule: string }[] };

describe('verification (VER-1)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const elsewhere = await createPractice(t);
    u.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.outsider = await createUser(t, elsewhere, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (overrides: Record<string, unknown> = {}) =>
    createRequestAs(as.support!, clientId, { receivedAt: t.clock.now().toISOString(), ...overrides });
  const verify = (who: string, id: string, body: Record<string, unknown>) =>
    as[who]!.post(`/api/requests/${id}/verifications`, body);

  it('VER-1: a verification records the method, who verified and when (from the caller and the clock)', async () => {
    const r = await create({ kind: 'representative', requester: { name: 'Pat Parent' } });
    const res = await verify('support', r.id, {
      subject: 'authority',
      method: 'Guardianship letters by secure upload, checked against the court docket',
      proofKind: 'guardianship',
      notes: 'Letters dated 2025',
      // Whoever and whenever the caller claims is ignored: the record comes from the session and the clock.
      verifiedBy: u.supervisor!.id,
      verifiedAt: '2020-01-01T00:00:00Z',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      subject: 'authority',
      proofKind: 'guardianship',
      proofKindLabel: 'Guardianship papers',
      verifiedBy: { id: u.support!.id, name: 'Sam Support' },
      verifiedAt: new Date(NOW).toISOString(),
    });
    const d: Details = (await as.support!.get(`/api/requests/${r.id}`)).json();
    expect(d.verifications.map((v) => v.subject)).toEqual(['authority']);
    const [event] = await auditRows(t, 'verification.recorded');
    expect(event).toMatchObject({
      actorId: u.support!.id,
      data: { subject: 'authority', proofKind: 'guardianship' },
    });
  });

  it('VER-1: the intake check is recorded as the identity verification, by whom and when', async () => {
    const r = await create();
    const res = await as.support!.post(`/api/requests/${r.id}/intake`, {
      verification: { method: 'Called back at the number on file', notes: 'Matched date of birth' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const d: Details = res.json();
    expect(d.verifications).toEqual([
      expect.objectContaining({
        subject: 'identity',
        method: 'Called back at the number on file',
        verifiedBy: expect.objectContaining({ id: u.support!.id }),
        verifiedAt: new Date(NOW).toISOString(),
      }),
    ]);
    expect(d.releaseBlockers).toEqual([]);
  });

  it.each([
    ['notarization', 'The client must send a notarized request form'],
    ['an in-person visit', 'In-person visit required with two forms of ID'],
    ['a proprietary app', 'Client has to download our app to confirm identity'],
  ])(
    'VER-1: a method requiring %s of a client (KIND-1) is refused with 400 naming VER-1, at intake too',
    async (_b, method) => {
      const r = await create();
      const res = await verify('support', r.id, { subject: 'identity', method });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        fields: [{ path: 'body.method', message: expect.stringContaining('VER-1') }],
      });
      const intake = await as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method } });
      expect(intake.statusCode).toBe(400);
      expect(intake.json().message).toContain('VER-1');
      const d: Details = (await as.support!.get(`/api/requests/${r.id}`)).json();
      expect(d.stage).toBe('request_made');
      expect(d.verifications).toEqual([]);
    },
  );

  it("VER-1: a third party's notarized letter, or a representative's notarized power of attorney, is not a barrier", async () => {
    const subpoena = await create({
      kind: 'subpoena',
      requester: { name: 'Counsel' },
      documentDueDate: '2027-04-30',
    });
    expect(
      (
        await verify('support', subpoena.id, {
          subject: 'identity',
          method: 'Notarized letter on firm letterhead',
        })
      ).statusCode,
    ).toBe(201);
    const rep = await create({ kind: 'representative', requester: { name: 'Pat Parent' } });
    const poa = await verify('support', rep.id, {
      subject: 'authority',
      method: 'Notarized power of attorney by secure upload',
      proofKind: 'power_of_attorney',
    });
    expect(poa.statusCode).toBe(201);
    // …but the representative's own identity may not require one.
    expect(
      (await verify('support', rep.id, { subject: 'identity', method: 'Must come in to the office with ID' }))
        .statusCode,
    ).toBe(400);
  });

  it('VER-1, SEC-2: bad input and the wrong caller change nothing', async () => {
    const r = await create();
    expect((await verify('support', r.id, { subject: 'mood', method: 'x' })).statusCode).toBe(400);
    expect((await verify('support', r.id, { subject: 'identity', method: '  ' })).statusCode).toBe(400);
    const missingFile = await verify('support', r.id, {
      subject: 'identity',
      method: 'Photo ID',
      fileId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missingFile.statusCode).toBe(400);
    expect(missingFile.json().fields[0].path).toBe('body.fileId');
    expect((await verify('supervisor', r.id, { subject: 'identity', method: 'Photo ID' })).statusCode).toBe(
      403,
    );
    expect((await verify('outsider', r.id, { subject: 'identity', method: 'Photo ID' })).statusCode).toBe(
      404,
    );
    const d: Details = (await as.support!.get(`/api/requests/${r.id}`)).json();
    expect(d.verifications).toEqual([]);
  });
});
