// The public request form at /request (issue 7), through its API: each of the five choices becomes
// the right request kind with only its own fields; the request lands in support's intake queue with
// channel 'portal', its files and no staff actor; the acknowledgement goes to the requester; and
// markup typed into any field stays inert text on the staff side and in the email.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../src/server/db/schema.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { createMailApp, type Sink, startSink } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { runJobs } from '../support/requests.js';
import { type Agent, auditRows, randomIp, signIn } from '../support/session.js';
import { askCode, codeFrom, onePagePdf, submitForm } from './intake-helpers.js';

let t: TestApp;
let sink: Sink;
let support: Agent;
let practiceId: string;
let lastName: string;
const DOB = '1988-02-29';
const SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>';

const db = () => t.running.services.database.db;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, { name: 'Riverbend Counseling', privacyOfficerPhone: '555-0100' });
  practiceId = practice.id;
  const therapist = await createUser(t, practice, ['therapist']);
  support = await signIn(t, await createUser(t, practice, ['support']));
  lastName = (await createClient(t, practice, therapist, { firstName: 'María', dateOfBirth: DOB })).lastName;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

/** A fresh address and IP, its code asked for and read from the sink. */
async function verified(language: 'en' | 'es' = 'en') {
  const email = `req-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const ip = randomIp();
  const res = await askCode(t, { practiceId, email, language }, ip);
  expect(res.statusCode, res.body).toBe(202);
  return { email, ip, code: codeFrom(sink, email) };
}

const client = () => ({ firstName: ' maría ', lastName: lastName.toUpperCase(), dateOfBirth: DOB });

async function requestByNumber(number: string) {
  const [row] = await db().select().from(requests).where(eq(requests.number, number));
  return row!;
}

describe('the public form: one request per submission, recorded as support would', () => {
  it('says which practice the form is for and that email codes can be sent', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/portal/intake/practice?practice=${practiceId}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      practiceId,
      name: 'Riverbend Counseling',
      phone: '555-0100',
      emailCodes: true,
    });
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/portal/intake/practice?practice=00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('a client asks for their own records: KIND-1 request, channel portal, in support’s intake queue, no staff actor (TIME-1, VER-1)', async () => {
    const { email, ip, code } = await verified();
    const id = await onePagePdf('Driver licence');
    const res = await submitForm(
      t,
      {
        practiceId,
        kind: 'own_records',
        email,
        code,
        client: client(),
        phone: '555-0199',
        records: ['progress_notes', 'treatment_plans'],
        dateFrom: '2024-01-01',
        dateTo: '2025-12-31',
      },
      ip,
      [{ field: 'id_document', filename: 'licence.pdf', data: id }],
    );
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json() as { number: string; files: number; practiceName: string };
    expect(receipt).toMatchObject({ practiceName: 'Riverbend Counseling', files: 1 });
    expect(receipt.number).toMatch(/^R-\d{4}-\d{4}$/);

    const row = await requestByNumber(receipt.number);
    const details = (await support.get(`/api/requests/${row.id}`)).json();
    expect(details).toMatchObject({
      kind: 'client_access',
      stage: 'request_made',
      channel: 'portal',
      requester: { name: `María ${lastName}`, relationship: 'client', email, phone: '555-0199' },
      asked: {
        documentClasses: ['progress_notes', 'treatment_plans'],
        dateFrom: '2024-01-01',
        deliverable: 'copy',
      },
    });
    expect(details.notes).toContain('not verified yet (VER-1)');
    const intake = details.tasks.find((x: { type: string }) => x.type === 'intake_check');
    expect(intake).toMatchObject({ state: 'open', assigneeRole: 'support' });

    const files = (await support.get(`/api/requests/${row.id}/files`)).json().files;
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      purpose: 'request',
      name: 'licence.pdf',
      uploadedBy: { name: 'Online request form' },
    });

    const created = (await auditRows(t, 'request.created')).filter((a) => a.data.number === row.number);
    const submitted = (await auditRows(t, 'portal_intake.submitted')).filter(
      (a) => a.data.number === row.number,
    );
    expect(created).toHaveLength(1);
    expect(submitted).toHaveLength(1);
    expect(created[0]!.actorId).toBeNull();
    expect(submitted[0]!.actorId).toBeNull();
    expect(submitted[0]!.data).toMatchObject({
      choice: 'own_records',
      kind: 'client_access',
      channel: 'portal',
    });
    expect(JSON.stringify(submitted[0]!.data)).not.toContain(code);
  });

  it('the requester gets the acknowledgement with the request number, in their language', async () => {
    const { email, ip, code } = await verified('es');
    const codeMail = sink.messages.filter((m) => m.rcptTo.includes(email)).at(-1)!;
    expect(codeMail.parsed.subject).toContain('Su código');
    const res = await submitForm(
      t,
      {
        practiceId,
        kind: 'own_records',
        language: 'es',
        email,
        code,
        client: client(),
        records: ['billing'],
      },
      ip,
    );
    expect(res.statusCode, res.body).toBe(201);
    const { number } = res.json() as { number: string };
    expect((await requestByNumber(number)).language).toBe('es');
    await runJobs(t);
    await dispatchPending(t.running.services);
    await runJobs(t);
    const ack = sink.messages.filter((m) => m.rcptTo.includes(email) && m.parsed.text?.includes(number));
    expect(ack).toHaveLength(1);
  });
});

describe('each choice asks only what its kind needs', () => {
  it.each([
    [
      'own_records with a requester of its own',
      { kind: 'own_records', requester: { name: 'Someone' } },
      'requester',
    ],
    ['send_to_someone without a recipient (KIND-2)', { kind: 'send_to_someone' }, 'recipient'],
    [
      'parent_guardian without a relationship (KIND-6)',
      { kind: 'parent_guardian', requester: { name: 'Ana Ruiz' } },
      'requester.relationship',
    ],
    [
      'third_party without a purpose (AUTH-1)',
      { kind: 'third_party', requester: { name: 'Lee Law LLP' } },
      'purpose',
    ],
    [
      'legal_process without subpoena or order',
      { kind: 'legal_process', requester: { name: 'Court clerk' }, documentDueDate: '2030-01-10' },
      'legalDocument',
    ],
    [
      'legal_process without its return date (TIME-5)',
      { kind: 'legal_process', requester: { name: 'Court clerk' }, legalDocument: 'subpoena' },
      'documentDueDate',
    ],
    ['no records chosen', { kind: 'own_records', records: [] }, 'records'],
  ])('refuses %s with 400 naming the field, and creates nothing', async (_name, over, path) => {
    const before = (await db().select({ id: requests.id }).from(requests)).length;
    const res = await submitForm(
      t,
      {
        practiceId,
        email: 'x@example.test',
        code: '123456',
        client: client(),
        records: ['billing'],
        ...over,
      },
      randomIp(),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(`body.${path}`);
    expect((await db().select({ id: requests.id }).from(requests)).length).toBe(before);
  });

  it('refuses a third party without the signed authorization document (AUTH-1)', async () => {
    const { email, ip, code } = await verified();
    const res = await submitForm(
      t,
      {
        practiceId,
        kind: 'third_party',
        email,
        code,
        client: client(),
        records: ['billing'],
        requester: { name: 'Lee Law LLP' },
        purpose: 'Injury claim',
      },
      ip,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('Attach the signed authorization (AUTH-1).');
  });

  it.each([
    [
      'send_to_someone',
      'client_directed',
      { recipient: { name: 'Dr. Osei', organization: 'Northside Clinic', email: 'osei@clinic.test' } },
      [],
    ],
    ['parent_guardian', 'representative', { requester: { name: 'Ana Ruiz', relationship: 'Mother' } }, []],
    [
      'third_party',
      'authorization',
      { requester: { name: 'Lee Law LLP', organization: 'Lee Law' }, purpose: 'Injury claim' },
      ['authorization'],
    ],
    [
      'legal_process',
      'court_order',
      { requester: { name: 'Court clerk' }, legalDocument: 'court_order', documentDueDate: '2030-01-10' },
      ['legal_document'],
    ],
  ])(
    '%s becomes a %s request with its documents (KIND-2, KIND-6, KIND-3, KIND-5)',
    async (choice, kind, over, docs) => {
      const { email, ip, code } = await verified();
      const files = await Promise.all(
        (docs as string[]).map(async (field) => ({
          field,
          filename: `${field}.pdf`,
          data: await onePagePdf(field),
        })),
      );
      const res = await submitForm(
        t,
        { practiceId, kind: choice, email, code, client: client(), records: ['assessments'], ...over },
        ip,
        files,
      );
      expect(res.statusCode, res.body).toBe(201);
      const row = await requestByNumber(res.json().number);
      expect(row.kind).toBe(kind);
      expect(row.channel).toBe('portal');
      const listed = (await support.get(`/api/requests/${row.id}/files`)).json().files as {
        purpose: string;
      }[];
      expect(listed.map((f) => f.purpose).sort()).toEqual([...(docs as string[])].sort());
      if (choice === 'send_to_someone') {
        // rule KIND-2: the named recipient in the request's own fields, shown to support; not in the notes.
        expect(row).toMatchObject({
          recipientName: 'Dr. Osei',
          recipientOrganization: 'Northside Clinic',
          recipientEmail: 'osei@clinic.test',
        });
        expect(row.notes).not.toContain('Osei');
        const details = (await support.get(`/api/requests/${row.id}`)).json();
        expect(details.recipient).toEqual({
          name: 'Dr. Osei',
          organization: 'Northside Clinic',
          email: 'osei@clinic.test',
          address: null,
        });
      } else expect(row.recipientName).toBeNull();
    },
  );
});

describe('markup typed into the form stays text', () => {
  it('a <script> in every text field is stored as typed, shown as text to support and escaped in the email', async () => {
    const { email, ip, code } = await verified();
    const res = await submitForm(
      t,
      {
        practiceId,
        kind: 'third_party',
        email,
        code,
        client: client(),
        records: ['billing'],
        requester: { name: `Lee ${SCRIPT}`, organization: SCRIPT, relationship: SCRIPT },
        purpose: `Claim ${SCRIPT}`,
        phone: SCRIPT.slice(0, 50),
        address: SCRIPT,
      },
      ip,
      [{ field: 'authorization', filename: `${SCRIPT}.pdf`, data: await onePagePdf('Authorization') }],
    );
    expect(res.statusCode, res.body).toBe(201);
    const row = await requestByNumber(res.json().number);
    const details = (await support.get(`/api/requests/${row.id}`)).json();
    expect(details.requester).toMatchObject({ name: `Lee ${SCRIPT}`, organization: SCRIPT, address: SCRIPT });
    expect(details.asked.purpose).toBe(`Claim ${SCRIPT}`);
    const files = (await support.get(`/api/requests/${row.id}/files`)).json().files as { name: string }[];
    expect(files[0]!.name).not.toContain('<');
    await runJobs(t);
    await dispatchPending(t.running.services);
    await runJobs(t);
    const ack = sink.messages
      .filter((m) => m.rcptTo.includes(email) && m.parsed.text?.includes(row.number))
      .at(-1)!;
    expect(ack).toBeDefined();
    const html = typeof ack.parsed.html === 'string' ? ack.parsed.html : '';
    expect(html).not.toMatch(/<script|<img/i);
    expect(ack.raw).not.toMatch(/<script/i);
  });
});
