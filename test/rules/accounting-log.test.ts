// rule REL-3: the disclosure log through its routes: the privacy officer records an impermissible
// disclosure as an entry, support and the privacy officer read the log, and nothing in the API
// changes or removes an entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

interface DisclosureView {
  id: string;
  requestId: string | null;
  kind: string;
  disclosedAt: string;
  recipientName: string;
  recipientAddress: string | null;
  description: string;
  purpose: string;
  impermissible: boolean;
  releasedBy: { id: string; name: string };
  accounting: { accountable: boolean; rule: string; basis: string; packDecides: boolean };
}

describe('the disclosure log', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;
  let otherClientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z');
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.otherTherapist = await createUser(t, practice, ['therapist']);
    u.privacy = await createUser(t, practice, ['privacy_officer'], { name: 'Pat Privacy' });
    u.admin = await createUser(t, practice, ['admin']);
    clientId = (await createClient(t, practice, u.therapist)).id;
    otherClientId = (await createClient(t, practice, u.otherTherapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const wrongFax = {
    disclosedAt: '2026-10-30T18:15:00Z',
    recipientName: 'Bayside Dental, fax 555-0100',
    recipientAddress: '12 Harbor Rd, Oakland CA',
    description: 'Progress notes, Jan–Jun 2026 (4 pages)',
    purpose: 'Faxed to the wrong number while sending records to the client’s new therapist',
  };

  const count = async (table: string) =>
    (await t.running.services.database.pool.query(`select count(*)::int as n from ${table}`)).rows[0]
      .n as number;

  it('REL-3: the privacy officer records an impermissible disclosure as an entry, accountable and audited', async () => {
    const res = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, wrongFax);
    expect(res.statusCode).toBe(201);
    const entry = res.json() as DisclosureView;
    expect(entry).toMatchObject({
      ...wrongFax,
      disclosedAt: '2026-10-30T18:15:00.000Z',
      requestId: null,
      impermissible: true,
      releasedBy: { id: u.privacy!.id, name: 'Pat Privacy' },
      accounting: { accountable: true, rule: 'REL-4' },
    });
    const audited = await auditRows(t, 'disclosure.impermissible_recorded');
    expect(audited.at(-1)!.data).toMatchObject({ disclosureId: entry.id });

    // On a request of the same client: the entry carries the request and its kind, still accountable.
    const r = await createRequestAs(as.support!, clientId, { receivedAt: '2026-10-20T16:00:00Z' });
    const onRequest = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, {
      ...wrongFax,
      disclosedAt: '2026-10-31',
      requestId: r.id,
      deliverable: 'verbal',
    });
    expect(onRequest.statusCode).toBe(201);
    expect(onRequest.json()).toMatchObject({
      requestId: r.id,
      kind: 'client_access',
      impermissible: true,
      // A date alone is the start of that day in the practice's time zone.
      disclosedAt: '2026-10-31T07:00:00.000Z',
      accounting: { accountable: true },
    });
  });

  it('REL-3, SEC-2: only the privacy officer records one (403 with the reason); a client the caller cannot see is 404; nothing is written', async () => {
    const before = await count('disclosures');
    for (const who of ['support', 'therapist']) {
      const res = await as[who]!.post(`/api/clients/${clientId}/disclosures/impermissible`, wrongFax);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toContain('REL-3');
    }
    // The other therapist's client, and an administrator (no client records at all).
    expect(
      (await as.therapist!.post(`/api/clients/${otherClientId}/disclosures/impermissible`, wrongFax))
        .statusCode,
    ).toBe(404);
    expect(
      (await as.admin!.post(`/api/clients/${clientId}/disclosures/impermissible`, wrongFax)).statusCode,
    ).toBe(404);
    expect(
      (
        await as.privacy!.post(
          '/api/clients/00000000-0000-4000-8000-000000000000/disclosures/impermissible',
          wrongFax,
        )
      ).statusCode,
    ).toBe(404);
    expect(await count('disclosures')).toBe(before);
    // rule SEC-3: the refusals are in the audit log.
    expect((await auditRows(t, 'access.refused')).length).toBeGreaterThanOrEqual(4);
  });

  it('REL-3: a disclosure in the future, a request of another client or a missing recipient is a 400 naming REL-3; nothing is written', async () => {
    const before = await count('disclosures');
    const future = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, {
      ...wrongFax,
      disclosedAt: '2026-11-05T10:00:00Z',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('REL-3');
    expect(future.json().fields[0].path).toBe('body.disclosedAt');

    const other = await createRequestAs(as.support!, otherClientId, { receivedAt: '2026-10-20T16:00:00Z' });
    const wrongClient = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, {
      ...wrongFax,
      requestId: other.id,
    });
    expect(wrongClient.statusCode).toBe(400);
    expect(wrongClient.json().message).toContain('REL-3');

    const { recipientName: _, ...noRecipient } = wrongFax;
    const missing = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, noRecipient);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('recipientName');
    expect(missing.body).toContain('REL-3');
    expect(await count('disclosures')).toBe(before);
  });

  it('REL-3, SEC-3: support and the privacy officer read the log (audited); a therapist is refused', async () => {
    for (const who of ['support', 'privacy']) {
      const res = await as[who]!.get(`/api/clients/${clientId}/disclosures`);
      expect(res.statusCode, who).toBe(200);
      const list = res.json().disclosures as DisclosureView[];
      expect(list).toHaveLength(2);
      expect(list.every((d) => d.impermissible)).toBe(true);
      // Newest first.
      expect(list[0]!.disclosedAt > list[1]!.disclosedAt).toBe(true);
    }
    const listed = await auditRows(t, 'disclosure.listed');
    expect(listed.slice(-2).map((a) => a.actorId)).toEqual([u.support!.id, u.privacy!.id]);
    expect((await as.therapist!.get(`/api/clients/${clientId}/disclosures`)).statusCode).toBe(403);
    expect((await as.otherTherapist!.get(`/api/clients/${clientId}/disclosures`)).statusCode).toBe(404);
  });

  it('REL-3: the API offers no way to change or remove an entry, and the database refuses too', async () => {
    const [entry] = (await as.privacy!.get(`/api/clients/${clientId}/disclosures`)).json()
      .disclosures as DisclosureView[];
    const url = `/api/clients/${clientId}/disclosures/${entry!.id}`;
    const change = { recipientName: 'Someone else', impermissible: false };
    for (const method of ['PATCH', 'PUT', 'DELETE', 'POST'] as const) {
      const res = await as.privacy!.request(method, url, method === 'DELETE' ? undefined : change);
      expect(res.statusCode, method).toBe(404);
      expect(res.json().message).toContain('No route');
    }
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await as.privacy!.request(method, `/api/clients/${clientId}/disclosures`, {})).statusCode).toBe(
        404,
      );
    }
    // The whole API, as documented: the disclosure paths only add an impermissible entry or read.
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const disclosurePaths = Object.entries(doc.paths).filter(([p]) => p.includes('disclosures'));
    expect(disclosurePaths.length).toBeGreaterThan(0);
    for (const [p, methods] of disclosurePaths) {
      for (const method of Object.keys(methods)) {
        expect(
          method === 'get' || (method === 'post' && p.endsWith('/disclosures/impermissible')),
          `${method} ${p}`,
        ).toBe(true);
      }
    }
    const after = (await as.privacy!.get(`/api/clients/${clientId}/disclosures`)).json()
      .disclosures as DisclosureView[];
    expect(after[0]).toEqual(entry);
    const pool = t.running.services.database.pool;
    await expect(pool.query('update disclosures set impermissible = false')).rejects.toThrow(/append-only/);
    await expect(pool.query('delete from disclosures')).rejects.toThrow(/append-only/);
  });
});
