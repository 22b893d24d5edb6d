// rule SCOPE-1, LEGAL-1, SCOPE-2: the prepared records are checked against what was authorized
// before release. Sources §1.9: a practice paid a penalty for sending a whole chart when one
// document was authorized; here the release is refused, naming the document, and nothing changes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimumNecessaryApplies, scopeBlockers } from '../../src/server/rules/scope.js';
import { OTHER_LEGAL_SUBTYPES, REQUEST_KINDS } from '../../src/shared/request-kinds.js';
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

type Details = RequestDetails & { releaseBlockers: { rule: string; message: string }[] };

const NOW = '2027-03-01T18:00:00Z';

/** A small well-formed PDF. */
function pdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** An authorization for treatment plans of 2025-01-01 to 2026-06-30, valid until the end of 2027. */
const authorization = {
  description: 'Treatment plan, 2025 to mid-2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Jordan Law LLP',
  purpose: 'Personal injury claim',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Alex Client',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['treatment_plans'],
  dateFrom: '2025-01-01',
  dateTo: '2026-06-30',
};

describe('SCOPE-1: the prepared records are checked against the authorized scope before release', () => {
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
  async function toRelease(overrides: Record<string, unknown>): Promise<Details> {
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
  const disclosures = async (id: string) =>
    (await t.running.services.database.pool.query('select id from disclosures where request_id = $1', [id]))
      .rowCount;

  async function upload(id: string, name: string, fields: Record<string, string>) {
    const boundary = `----rd${randomBytes(8).toString('hex')}`;
    const chunks: Buffer[] = [];
    for (const [k, v] of Object.entries({ purpose: 'record', ...fields })) {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      );
    }
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdf(name),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const a = as.support!;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/files`,
      remoteAddress: a.ip,
      cookies: { rd_session: a.cookie },
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': a.csrfToken },
      payload: Buffer.concat(chunks),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { name: string; dateFrom: string | null; dateTo: string | null };
  }

  it('SCOPE-1 (sources §1.9): a whole chart about to go out when one document was authorized', async () => {
    const third = { kind: 'authorization', requester: { name: 'Jordan Law LLP', email: 'j@law.test' } };
    const r = await toRelease({ ...third, documentClasses: ['progress_notes', 'treatment_plans'] });
    const auth = await as.support!.post(`/api/requests/${r.id}/authorizations`, authorization);
    expect(auth.statusCode, auth.body).toBe(201);
    expect((await details(r.id)).releaseBlockers).toEqual([]);

    const plan = await upload(r.id, 'plan-2025.pdf', {
      documentClass: 'treatment_plans',
      dateFrom: '2025-03-01',
      dateTo: '2025-03-31',
    });
    expect(plan).toMatchObject({ dateFrom: '2025-03-01', dateTo: '2025-03-31' });
    await upload(r.id, 'chart-2019.pdf', {
      documentClass: 'progress_notes',
      dateFrom: '2019-01-01',
      dateTo: '2019-12-31',
    });
    await upload(r.id, 'undated.pdf', { documentClass: 'treatment_plans' });

    const expected = [
      {
        rule: 'SCOPE-1',
        message:
          "Release is blocked: 'chart-2019.pdf' (progress notes, 2019-01-01 to 2019-12-31) is outside what was authorized (2025-01-01 to 2026-06-30). Remove it or narrow it. (SCOPE-1)",
      },
      { rule: 'SCOPE-1', message: expect.stringContaining("'undated.pdf' (treatment plans) has no dates") },
    ];
    // Shown in the request details before anyone presses Release.
    expect((await details(r.id)).releaseBlockers).toEqual(expected);
    const res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ rules: ['SCOPE-1', 'SCOPE-1'], releaseBlockers: expected });
    expect(res.json().message).toContain("'chart-2019.pdf'");
    expect(res.json().message).not.toContain("'plan-2025.pdf'");
    // Nothing changed: no disclosure entry, the release task still open.
    expect(await disclosures(r.id)).toBe(0);
    expect(openTasks(await details(r.id)).map((x) => x.type)).toEqual(['release']);

    // A request whose only record is the authorized document goes out.
    const ok = await toRelease({ ...third, documentClasses: ['treatment_plans'] });
    expect((await as.support!.post(`/api/requests/${ok.id}/authorizations`, authorization)).statusCode).toBe(
      201,
    );
    await upload(ok.id, 'plan-2025.pdf', {
      documentClass: 'treatment_plans',
      dateFrom: '2025-03-01',
      dateTo: '2025-03-31',
    });
    expect((await details(ok.id)).releaseBlockers).toEqual([]);
    const done = await release(ok.id);
    expect(done.statusCode, done.body).toBe(200);
    expect(await disclosures(ok.id)).toBe(1);
  });

  it('SCOPE-1, LEGAL-1: a court order allows only what it expressly describes', async () => {
    const r = await toRelease({
      kind: 'court_order',
      requester: { name: 'Superior Court, Dept. 12' },
      documentDueDate: '2027-04-30',
      documentClasses: ['assessments'],
      dateFrom: '2026-01-01',
      dateTo: '2026-12-31',
    });
    await upload(r.id, 'assessment.pdf', {
      documentClass: 'assessments',
      dateFrom: '2026-02-01',
      dateTo: '2026-02-01',
    });
    expect((await details(r.id)).releaseBlockers).toEqual([]);
    await upload(r.id, 'billing.pdf', {
      documentClass: 'billing',
      dateFrom: '2026-02-01',
      dateTo: '2026-02-28',
    });
    const res = await release(r.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().releaseBlockers).toEqual([
      {
        rule: 'SCOPE-1',
        message:
          "Release is blocked: 'billing.pdf' (billing records, 2026-02-01 to 2026-02-28) is outside what was authorized (assessments, 2026-01-01 to 2026-12-31). Remove it or narrow it. (SCOPE-1)",
      },
    ]);
    expect(await disclosures(r.id)).toBe(0);
  });

  /** An other-legal request (KIND-8) walked to its release task, whatever steps its path has. */
  async function otherLegalToRelease(kindSubtype: string): Promise<Details> {
    let r = (await createRequestAs(as.support!, clientId, {
      receivedAt: t.clock.now().toISOString(),
      kind: 'other_legal',
      kindSubtype,
      requester: { name: 'County agency' },
      documentClasses: ['assessments'],
      dateFrom: '2026-01-01',
      dateTo: '2026-12-31',
    })) as Details;
    const steps: Record<string, [string, string, unknown]> = {
      intake_check: ['support', 'intake', { verification: { method: 'Agency letterhead and a call back' } }],
      client_discussion: ['therapist', 'client-discussion', { outcome: 'go_ahead' }],
      supervisor_review: ['supervisor', 'supervisor-review', { decision: 'release', consequences: 'None' }],
      invoice: ['support', 'invoice', { mode: 'no_fee' }],
      preparation: ['clinical', 'preparation', {}],
      prepared_review: ['supervisor', 'preparation/approval', {}],
    };
    for (let i = 0; i < 8; i++) {
      const open = openTasks(r).map((x) => x.type);
      if (open.includes('release')) return r;
      const step = steps[open[0]!];
      if (!step) throw new Error(`no step for ${open.join(', ')}`);
      r = await post(step[0], r.id, step[1], step[2]);
    }
    throw new Error('the request never reached its release task');
  }

  it('SCOPE-2, KIND-8: minimum necessary follows the subtype: not for a disclosure required by law, yes for law enforcement', async () => {
    const message = async (kindSubtype: string) => {
      const r = await otherLegalToRelease(kindSubtype);
      await upload(r.id, 'billing.pdf', {
        documentClass: 'billing',
        dateFrom: '2026-02-01',
        dateTo: '2026-02-28',
      });
      const res = await release(r.id);
      expect(res.statusCode, kindSubtype).toBe(409);
      expect(res.json().rules, kindSubtype).toEqual(['SCOPE-1']);
      expect(await disclosures(r.id)).toBe(0);
      return res.json().message as string;
    };
    // Required by law (164.512(a)): release exactly what the law requires; minimum necessary does not apply.
    expect(await message('required_by_law')).not.toContain('minimum necessary');
    // Law enforcement (164.512(f)) is permitted, not compelled: it is limited to the minimum necessary.
    expect(await message('law_enforcement')).toContain(
      'This release must also be limited to the minimum necessary for its purpose (SCOPE-2).',
    );
  });
});

describe('SCOPE-2: minimum necessary', () => {
  it.each([
    ['client_access', false],
    ['client_directed', false],
    ['representative', false],
    ['provider_continuity', false],
    ['authorization', false],
    ['court_order', false],
    ['subpoena', true],
    ['other_legal', true],
  ] as const)('SCOPE-2: minimumNecessaryApplies(%s) is %s', (kind, applies) => {
    expect(minimumNecessaryApplies(kind)).toBe(applies);
  });

  it.each([
    ['required_by_law', false],
    ['public_health_or_abuse', true],
    ['health_oversight', true],
    ['law_enforcement', true],
    ['serious_threat', true],
    [null, true],
  ] as const)('SCOPE-2, KIND-8: minimumNecessaryApplies(other_legal, %s) is %s', (subtype, applies) => {
    expect(minimumNecessaryApplies('other_legal', subtype)).toBe(applies);
  });

  it('SCOPE-2, KIND-8: every other-legal subtype is decided, and a subtype never changes another kind', () => {
    for (const subtype of OTHER_LEGAL_SUBTYPES) {
      expect(typeof minimumNecessaryApplies('other_legal', subtype)).toBe('boolean');
      expect(minimumNecessaryApplies('subpoena', subtype)).toBe(true);
      expect(minimumNecessaryApplies('court_order', subtype)).toBe(false);
    }
  });

  it('SCOPE-2: the table covers every kind, and the SCOPE-1 message says so where it applies', () => {
    expect(REQUEST_KINDS.every((k) => typeof minimumNecessaryApplies(k) === 'boolean')).toBe(true);
    const facts = (kind: 'subpoena' | 'authorization') => ({
      kind,
      scope: { documentClasses: ['assessments'], dateFrom: null, dateTo: null },
      requested: { documentClasses: ['assessments'], dateFrom: null, dateTo: null },
      authorizations: [],
      psychotherapyNotesException: false,
      records: [{ name: 'bill.pdf', documentClass: 'billing', dateFrom: null, dateTo: null }],
    });
    expect(scopeBlockers(facts('subpoena'))[0]!.message).toContain('minimum necessary');
    expect(scopeBlockers(facts('authorization'))[0]!.message).not.toContain('minimum necessary');
  });

  it('SCOPE-1, AUTH-4: a psychotherapy-notes file needs their own authorization or a recorded exception', () => {
    const facts = {
      kind: 'client_access' as const,
      scope: { documentClasses: ['psychotherapy_notes'], dateFrom: null, dateTo: null },
      requested: { documentClasses: ['psychotherapy_notes'], dateFrom: null, dateTo: null },
      authorizations: [],
      psychotherapyNotesException: false,
      records: [{ name: 'notes.pdf', documentClass: 'psychotherapy_notes', dateFrom: null, dateTo: null }],
    };
    expect(scopeBlockers(facts)[0]!.message).toContain(
      "'notes.pdf' (psychotherapy notes) is psychotherapy notes",
    );
    expect(scopeBlockers({ ...facts, psychotherapyNotesException: true })).toEqual([]);
  });
});
