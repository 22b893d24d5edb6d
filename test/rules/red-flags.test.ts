// rule REV-6: the supervisor sees the red flags the system found, each with a reason, and can add
// the ones only a person can see.
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
import { type Agent, signIn } from '../support/session.js';

type WithFlags = RequestDetails & { redFlags: { code: string; reason: string; source: string }[] };

describe('red flags', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let minorId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.stranger = await createUser(t, practice, ['therapist']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    minorId = (await createClient(t, practice, u.therapist, { isMinor: true, dateOfBirth: '2012-05-01' })).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  it("REV-6, REP-2: a parent's request for a minor's psychotherapy notes in a custody dispute shows its flags", async () => {
    const r = (await createRequestAs(as.support!, minorId, {
      kind: 'representative',
      requester: { name: 'Jordan Parent', relationship: 'parent', email: 'parent@example.test' },
      documentClasses: ['progress_notes', 'psychotherapy_notes'],
      purpose: 'Custody hearing next month',
    })) as WithFlags;
    const codes = r.redFlags.map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'psychotherapy_notes',
        'minor_client',
        'representative_unproven',
        'custody_or_litigation',
        'identity_unverified',
      ]),
    );
    expect(r.redFlags.every((f) => f.source === 'system' && f.reason.length > 10)).toBe(true);
  });

  it('REV-6: a second open request for the same records is flagged, naming the first', async () => {
    const first = await createRequestAs(as.support!, minorId, {
      requester: { name: 'Sam Client', email: 'sam@example.test' },
    });
    const second = (await createRequestAs(as.support!, minorId, {
      requester: { name: 'Sam Client', email: 'SAM@example.test' },
      documentClasses: ['progress_notes'],
    })) as WithFlags;
    const dup = second.redFlags.find((f) => f.code === 'duplicate_request');
    expect(dup?.reason).toContain(first.number);
  });

  it('REV-6: the supervisor adds a flag the system cannot see; a stranger cannot', async () => {
    const r = await createRequestAs(as.support!, minorId);
    await as.support!.post(`/api/requests/${r.id}/intake`, {
      verification: { method: 'Called back at the number on file' },
    });
    const added = await as.supervisor!.post(`/api/requests/${r.id}/red-flags`, {
      code: 'relationship_concern',
      note: 'The client mentioned feeling watched by the parent',
    });
    expect(added.statusCode).toBe(200);
    const flags = (added.json() as WithFlags).redFlags.filter((f) => f.source === 'staff');
    expect(flags).toEqual([expect.objectContaining({ code: 'relationship_concern', source: 'staff' })]);
    expect(flags[0]!.reason).toContain('feeling watched');
    expect(
      (await as.stranger!.post(`/api/requests/${r.id}/red-flags`, { code: 'other', note: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await as.supervisor!.post(`/api/requests/${r.id}/red-flags`, { code: 'minor_client', note: 'x' }))
        .statusCode,
    ).toBe(400);
  });
});
