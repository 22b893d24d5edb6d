// rule REL-4: the accounting of disclosures through its routes. A client's disclosures of every kind
// (two released through the real workflow, the rest written as the log would hold them, one older
// than 6 years, one impermissible): the accounting lists exactly the accountable ones in the period,
// as JSON and as CSV, every read audited, and an agency's suspension hides its disclosures until it ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

interface Entry {
  disclosureId: string;
  date: string;
  recipient: string;
  address: string;
  description: string;
  purpose: string;
}
interface Details {
  request: { id: string; period: { from: string; to: string } };
  accounting: { period: { from: string; to: string }; asProvided: boolean; entries: Entry[] };
  leftOutWhileSuspended: number;
}

/** An RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

describe('the accounting of disclosures', () => {
  let t: TestApp;
  let practice: TestPractice;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;
  let accountingId: string;

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

  /** A request released through the real workflow routes (REL-3 writes its entry). */
  async function release(overrides: Record<string, unknown>): Promise<RequestDetails> {
    const r = await createRequestAs(as.support!, clientId, overrides);
    await post('support', r, 'intake', { verification: { method: 'Called back at the number on file' } });
    await post('therapist', r, 'client-discussion', { outcome: 'go_ahead' });
    await post('supervisor', r, 'supervisor-review', { decision: 'release', consequences: 'None' });
    await post('support', r, 'invoice', { mode: 'no_fee' });
    await post('clinical', r, 'preparation', { notes: 'Prepared' });
    await post('supervisor', r, 'preparation/approval', {});
    if (overrides.kind === 'subpoena') {
      // rule LEGAL-2: a subpoena goes out only with satisfactory assurance and the privilege record.
      for (const [who, path, body] of [
        [
          'support',
          'satisfactory-assurance',
          {
            basis: 'qualified_protective_order',
            orderDate: '2026-10-20',
            note: 'Stipulated qualified protective order',
          },
        ],
        [
          'privacy',
          'privilege',
          { addressedBy: 'counsel_advice', note: 'Counsel advises the privilege was waived by suit.' },
        ],
      ] as const) {
        const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
        if (res.statusCode !== 201) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
      }
    }
    return post('support', r, 'release', { method: 'secure_download' });
  }

  /** A log entry as record-release would have written it, at a chosen date. */
  async function entry(
    kind: string,
    disclosedAt: string,
    recipientName: string,
    extra: Record<string, string> = {},
  ) {
    await t.running.services.database.pool.query(
      `insert into disclosures (practice_id, client_id, kind, disclosed_at, recipient_name, recipient_address,
         description, purpose, deliverable, released_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'copy', $9)`,
      [
        practice.id,
        clientId,
        kind,
        disclosedAt,
        recipientName,
        extra.address ?? `${recipientName} address`,
        extra.description ?? 'Progress notes',
        extra.purpose ?? `Purpose of ${kind}`,
        u.support!.id,
      ],
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist, { firstName: 'Maria', lastName: 'Lopez' })).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);

    // KIND-1 and KIND-4 through the workflow (released today, 2 Nov 2026).
    await release({ kind: 'client_access', receivedAt: '2026-11-02T16:00:00Z' });
    await release({
      kind: 'subpoena',
      receivedAt: '2026-11-02T16:05:00Z',
      documentDueDate: '2026-12-15',
      requester: { name: 'Hart & Lowe LLP', address: '500 Main St, Suite 4, Fresno CA' },
      purpose: 'Subpoena duces tecum in Lopez v. Acme',
    });
    // The rest of the log, by kind and date.
    await entry('client_directed', '2025-03-01T18:00:00Z', 'Dr. Next (directed by the client)');
    await entry('authorization', '2024-05-10T18:00:00Z', 'Pacific Life Insurance');
    await entry('representative', '2024-07-01T18:00:00Z', 'Rosa Lopez (guardian)');
    await entry('provider_continuity', '2025-06-01T18:00:00Z', 'Valley Psychiatry');
    await entry('court_order', '2023-02-14T18:00:00Z', 'Superior Court, Dept. 12', {
      address: '1100 Van Ness Ave\nFresno, CA',
      description: 'Assessments, "complete", 2021–2022',
      purpose: 'Order of Judge Ruiz, case 22-CV-0042',
    });
    await entry('other_legal', '2025-08-20T18:00:00Z', "County Sheriff's Office", {
      purpose: 'Law enforcement',
    });
    await entry('other_legal', '2026-10-15T18:00:00Z', 'Board of Behavioral Sciences', {
      purpose: 'Oversight',
    });
    // Older than 6 years before the request: out of any accounting.
    await entry('court_order', '2020-06-01T18:00:00Z', 'Old Court');
    const wrong = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, {
      disclosedAt: '2026-09-30T20:00:00Z',
      recipientName: 'Wrong Fax Recipient',
      recipientAddress: 'Fax 555-0199',
      description: 'Treatment plan (2 pages)',
      purpose: 'Misdialed fax while sending to the client’s new therapist',
    });
    expect(wrong.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const EXPECTED = [
    ['2023-02-14', 'Superior Court, Dept. 12'],
    ['2025-08-20', "County Sheriff's Office"],
    ['2026-09-30', 'Wrong Fax Recipient'],
    ['2026-10-15', 'Board of Behavioral Sciences'],
    ['2026-11-02', 'Hart & Lowe LLP'],
  ];

  it('REL-4, REL-3, KIND-1, KIND-4: the accounting lists exactly the accountable disclosures of the 6 years before the request', async () => {
    // The log holds every release (two through the workflow) and the impermissible entry.
    const log = (await as.support!.get(`/api/clients/${clientId}/disclosures`)).json().disclosures as {
      kind: string;
      accounting: { accountable: boolean; packDecides: boolean };
    }[];
    expect(log).toHaveLength(11);
    expect(log.filter((d) => d.kind === 'client_access' && !d.accounting.accountable)).toHaveLength(1);
    expect(log.filter((d) => d.kind === 'subpoena' && d.accounting.accountable)).toHaveLength(1);
    expect(log.find((d) => d.kind === 'client_directed')!.accounting).toMatchObject({
      accountable: false,
      packDecides: true,
    });

    const created = await as.support!.post(`/api/clients/${clientId}/accounting-requests`, {
      requester: { name: 'Maria Lopez' },
      receivedAt: '2026-11-02T16:45:00Z',
    });
    expect(created.statusCode).toBe(201);
    accountingId = created.json().request.id;
    expect(created.json().request.period).toEqual({ from: '2020-11-02', to: '2026-11-02' });

    const res = await as.support!.get(`/api/clients/${clientId}/accounting-requests/${accountingId}`);
    expect(res.statusCode).toBe(200);
    const details = res.json() as Details;
    expect(details.accounting.entries.map((e) => [e.date, e.recipient])).toEqual(EXPECTED);
    expect(details.accounting.asProvided).toBe(false);
    expect(details.leftOutWhileSuspended).toBe(0);
    expect(details.accounting.entries.at(-1)).toMatchObject({
      address: '500 Main St, Suite 4, Fresno CA',
      purpose: 'Subpoena duces tecum in Lopez v. Acme',
    });
  });

  it('REL-4: a shorter period asked for lists only the accountable disclosures within it', async () => {
    const created = await as.privacy!.post(`/api/clients/${clientId}/accounting-requests`, {
      requester: { name: 'Maria Lopez' },
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json().request;
    const json = await as.privacy!.get(`/api/clients/${clientId}/accounting-requests/${id}/accounting.json`);
    expect(json.statusCode).toBe(200);
    expect(json.json().entries.map((e: Entry) => e.recipient)).toEqual(["County Sheriff's Office"]);
  });

  it('REL-4, SEC-3: the CSV (RFC 4180) parses back to the same rows as the JSON, and every read is audited', async () => {
    const viewedBefore = (await auditRows(t, 'accounting.viewed')).length;
    const base = `/api/clients/${clientId}/accounting-requests/${accountingId}`;
    const json = await as.support!.get(`${base}/accounting.json`);
    expect(json.headers['content-type']).toContain('application/json');
    const csv = await as.support!.get(`${base}/accounting.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('.csv');
    expect(csv.headers['cache-control']).toBe('no-store');
    // Quotes doubled, fields with commas, quotes or line breaks quoted.
    expect(csv.body).toContain('"Assessments, ""complete"", 2021–2022"');
    expect(csv.body).toContain('"1100 Van Ness Ave\nFresno, CA"');
    const [header, ...rows] = parseCsv(csv.body);
    expect(header).toEqual(['date', 'recipient', 'address', 'description', 'purpose']);
    const entries = json.json().entries as Entry[];
    expect(rows).toEqual(entries.map((e) => [e.date, e.recipient, e.address, e.description, e.purpose]));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(EXPECTED);

    const viewed = (await auditRows(t, 'accounting.viewed')).slice(viewedBefore);
    expect(viewed.map((a) => a.data.format)).toEqual(['json', 'csv']);
    expect(viewed.every((a) => a.data.accountingRequestId === accountingId)).toBe(true);
    // The therapist may see the client, but the accounting is support's and the privacy officer's.
    expect((await as.therapist!.get(`${base}/accounting.csv`)).statusCode).toBe(403);
  });

  it("REL-4: an agency's suspension hides its disclosures from the accounting until it ends", async () => {
    const body = {
      agency: "County Sheriff's Office",
      reason: 'Ongoing investigation; written statement from Lt. Moore',
      statement: 'written',
      startsOn: '2025-08-01',
      until: '2026-12-01',
    };
    // Only the privacy officer records one; an oral statement lasts 30 days at most.
    expect((await as.support!.post(`/api/clients/${clientId}/accounting-suspensions`, body)).statusCode).toBe(
      403,
    );
    const oral = await as.privacy!.post(`/api/clients/${clientId}/accounting-suspensions`, {
      ...body,
      statement: 'oral',
      startsOn: '2026-11-02',
      until: '2026-12-31',
    });
    expect(oral.statusCode).toBe(400);
    expect(oral.json().message).toContain('REL-4');
    const res = await as.privacy!.post(`/api/clients/${clientId}/accounting-suspensions`, body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ agency: body.agency, until: '2026-12-01', inEffect: true });

    const url = `/api/clients/${clientId}/accounting-requests/${accountingId}`;
    const during = (await as.support!.get(url)).json() as Details;
    expect(during.accounting.entries.map((e) => e.recipient)).not.toContain("County Sheriff's Office");
    expect(during.accounting.entries).toHaveLength(EXPECTED.length - 1);
    expect(during.leftOutWhileSuspended).toBe(1);
    const csv = await as.support!.get(`${url}/accounting.csv`);
    expect(csv.body).not.toContain('Sheriff');

    // The last day of the suspension still hides it; the day after, it is back.
    t.clock.set('2026-12-02T07:30:00Z'); // 23:30 on 1 Dec in Los Angeles
    as.support = await signIn(t, u.support!);
    expect(((await as.support.get(url)).json() as Details).leftOutWhileSuspended).toBe(1);
    t.clock.set('2026-12-02T17:00:00Z');
    as.support = await signIn(t, u.support!);
    as.privacy = await signIn(t, u.privacy!);
    const after = (await as.support.get(url)).json() as Details;
    expect(after.accounting.entries.map((e) => [e.date, e.recipient])).toEqual(EXPECTED);
    expect(after.leftOutWhileSuspended).toBe(0);
    const listed = (await as.privacy.get(`/api/clients/${clientId}/accounting-suspensions`)).json();
    expect(listed.suspensions).toEqual([expect.objectContaining({ agency: body.agency, inEffect: false })]);
  });

  it('REL-4, TIME-4: once sent, the accounting stays exactly as it was provided', async () => {
    const url = `/api/clients/${clientId}/accounting-requests/${accountingId}`;
    const sent = await as.support!.post(`${url}/fulfilment`, { method: 'mail' });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().request.fulfilment).toMatchObject({ by: { id: u.support!.id }, method: 'mail' });
    // A later entry in the period does not change what was sent.
    await entry('subpoena', '2026-06-01T18:00:00Z', 'Late Counsel LLP');
    const details = (await as.support!.get(url)).json() as Details;
    expect(details.accounting.asProvided).toBe(true);
    expect(details.accounting.entries.map((e) => [e.date, e.recipient])).toEqual(EXPECTED);
    const fulfilled = await auditRows(t, 'accounting.fulfilled');
    expect(fulfilled.at(-1)!.data).toMatchObject({
      accountingRequestId: accountingId,
      entries: EXPECTED.length,
    });
  });
});
