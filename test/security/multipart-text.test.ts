// Issue 8: text no field of Release Desk can hold — a NUL character, a lone UTF-16 surrogate — is
// refused at the edge for a JSON body, a query and the URL (src/server/http/text-input.ts). A
// multipart body is streamed by its route and never reaches that hook, so its readers ask the same
// question of every part: a staff upload's file name, field names and values, and the public request
// form's document names and its answers (JSON inside the form, where an escape makes a NUL or a lone
// surrogate out of plain ASCII: the form answered 500 for a NUL before, and stored a lone surrogate
// as a replacement character). Each is a 400 naming the place, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailApp, type Sink, startSink } from '../mail/support.js';
import { recordPdf } from '../packets/support.js';
import { askCode, codeFrom, intakeMultipart, onePagePdf, solvedPow } from '../portal/intake-helpers.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, randomIp, signIn } from '../support/session.js';
import { changedTables, fingerprint } from './support/state.js';

const WORDS = 'must not contain a NUL character or a broken Unicode character';

let t: TestApp;
let sink: Sink;
let support: Agent;
let practiceId: string;
let request: RequestDetails;
let client: { id: string; lastName: string };
let pdf: Buffer;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, { name: 'Riverbend Counseling' });
  practiceId = practice.id;
  const therapist = await createUser(t, practice, ['therapist']);
  support = await signIn(t, await createUser(t, practice, ['support']));
  client = await createClient(t, practice, therapist, { dateOfBirth: '1990-04-12' });
  request = await createRequestAs(support, client.id, { receivedAt: t.clock.now().toISOString() });
  pdf = await recordPdf('Progress note', 1);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

/** A staff upload built byte by byte: the file part's Content-Disposition tail as given (latin1). */
function upload(agent: Agent, requestId: string, disposition: string, fields: Record<string, string>) {
  const b = '----rdmultipart';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`,
      'latin1',
    ),
    pdf,
    Buffer.from(`\r\n--${b}--\r\n`),
  );
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${b}`, 'x-csrf-token': agent.csrfToken },
    payload: Buffer.concat(parts),
  });
}

const RECORD = { purpose: 'record', documentClass: 'progress_notes' };

describe('a staff upload (multipart)', () => {
  it.each([
    ['a NUL in the file name', 'filename="notes\u0000.pdf"', RECORD, 'body.file.filename'],
    [
      'a NUL in the file name, RFC 5987 encoded',
      "filename*=UTF-8''notes%00.pdf",
      RECORD,
      'body.file.filename',
    ],
    [
      'a lone surrogate in the file name, UTF-16 encoded',
      "filename*=UTF-16LE''n%00%00%D8.%00p%00d%00f%00",
      RECORD,
      'body.file.filename',
    ],
    ['a NUL in a field', 'filename="notes.pdf"', { ...RECORD, password: 'se\u0000cret' }, 'body.password'],
    ['a NUL in a field name', 'filename="notes.pdf"', { ...RECORD, 'pass\u0000word': 'x' }, 'body.pass?word'],
  ] as const)('%s: 400 naming the place, nothing stored', async (_what, disposition, fields, where) => {
    const before = await fingerprint(t);
    const res = await upload(support, request.id, disposition, fields);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: `Please check: ${where} (${WORDS})`,
      fields: [{ path: where, message: WORDS }],
    });
    expect(changedTables(before, await fingerprint(t))).toEqual([]);
  });

  it('SEC-2: on a request the caller may not see, the access check answers first (404), as for any bad body', async () => {
    const elsewhere = await createPractice(t);
    const other = await signIn(t, await createUser(t, elsewhere, ['support']));
    const res = await upload(other, request.id, 'filename="notes\u0000.pdf"', RECORD);
    expect(res.statusCode).toBe(404);
  });

  it('the same upload with a clean name is stored, under that name', async () => {
    const res = await upload(support, request.id, "filename*=UTF-8''Notas%20de%20Mar%C3%ADa.pdf", RECORD);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe('Notas de María.pdf');
  });
});

describe('the public request form (multipart: answers as JSON, documents by field)', () => {
  /** A fresh address with its code, and a submission for the client's own records. */
  async function verified() {
    const email = `req-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const ip = randomIp();
    const asked = await askCode(t, { practiceId, email, language: 'en' }, ip);
    expect(asked.statusCode, asked.body).toBe(202);
    const answers = (firstName: string) => ({
      practiceId,
      kind: 'own_records',
      email,
      code: codeFrom(sink, email),
      client: { firstName, lastName: client.lastName, dateOfBirth: '1990-04-12' },
      phone: '555-0199',
      records: ['progress_notes'],
      dateFrom: '2024-01-01',
      dateTo: '2025-12-31',
    });
    return { ip, answers };
  }

  async function submit(
    ip: string,
    answers: Record<string, unknown>,
    files: { field: string; filename: string; data: Buffer }[] = [],
    raw?: (json: string) => string,
  ) {
    const { payload, contentType } = intakeMultipart({ ...answers, pow: await solvedPow(t, ip) }, files);
    // The answers as the browser's JSON.stringify writes them, or rewritten byte for byte.
    const body = raw ? Buffer.from(raw(payload.toString('latin1')), 'latin1') : payload;
    return t.app.inject({
      method: 'POST',
      url: '/api/portal/intake',
      remoteAddress: ip,
      headers: { 'content-type': contentType },
      payload: body,
    });
  }

  it.each([
    ['a NUL in a name (a JSON escape)', 'Ma\u0000ría', 'client.firstName'],
    ['a lone surrogate in a name (a JSON escape)', 'Ma\ud800ría', 'client.firstName'],
  ] as const)(
    '%s: 400 naming the answer, nothing stored, and the code still good',
    async (_what, name, where) => {
      const { ip, answers } = await verified();
      const before = await fingerprint(t);
      const res = await submit(ip, answers(name));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({
        error: 'bad_request',
        message: `Please check: ${where} (${WORDS})`,
        fields: [{ path: `body.${where}`, message: WORDS }],
      });
      // Only the proof of work was spent (each is good once), nothing of the request or the code.
      expect(
        changedTables(before, await fingerprint(t)).filter((x) => !x.includes('spent_challenges')),
      ).toEqual([]);
      const clean = await submit(ip, answers('María'));
      expect(clean.statusCode, clean.body).toBe(201);
    },
  );

  it('a NUL in a document’s file name: 400 naming it, nothing stored', async () => {
    const { ip, answers } = await verified();
    const before = await fingerprint(t);
    const id = await onePagePdf('Driver licence');
    const res = await submit(
      ip,
      answers('María'),
      [{ field: 'id_document', filename: 'licence.pdf', data: id }],
      (s) => s.replace('filename="licence.pdf"', 'filename="lic\u0000ence.pdf"'),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toBe(`Please check: body.id_document.filename (${WORDS})`);
    expect(
      changedTables(before, await fingerprint(t)).filter((x) => !x.includes('spent_challenges')),
    ).toEqual([]);
  });
});
