// The public form against abuse and mistakes (issue 7): the emailed code (wrong, expired, reused,
// locked, never asked for), the honeypot, the proof of work (missing, forged, unsolved, expired,
// replayed), the hourly limits by address and by IP, oversized, disguised and too many uploads, and
// a failure in the middle of the submission: each refused plainly, audited
// where it matters, and nothing written.
import { createHash } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { files, requests } from '../../src/server/db/schema.js';
import { outboundEmails } from '../../src/server/db/schema-mail.js';
import { portalIntakeCodes } from '../../src/server/db/schema-portal-intake.js';
import { leadingZeroBits } from '../../src/server/portal/intake/pow.js';
import { createMailApp, type Sink, startSink } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { auditRows, randomIp } from '../support/session.js';
import { askCode, codeFrom, onePagePdf, solvedPow, submitForm } from './intake-helpers.js';

let t: TestApp;
let sink: Sink;
let practiceId: string;
let lastName: string;
const DOB = '1975-11-03';
const db = () => t.running.services.database.db;
const requestCount = async () => (await db().select({ n: count() }).from(requests))[0]!.n;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, { name: 'Lakeside Therapy', privacyOfficerPhone: '555-0142' });
  practiceId = practice.id;
  const therapist = await createUser(t, practice, ['therapist']);
  lastName = (await createClient(t, practice, therapist, { firstName: 'Sam', dateOfBirth: DOB })).lastName;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

const fresh = () => ({ email: `p-${Math.random().toString(36).slice(2, 9)}@example.test`, ip: randomIp() });

async function verified() {
  const { email, ip } = fresh();
  const res = await askCode(t, { practiceId, email }, ip);
  expect(res.statusCode, res.body).toBe(202);
  return { email, ip, code: codeFrom(sink, email) };
}

const own = (email: string, code: string, over: Record<string, unknown> = {}) => ({
  practiceId,
  kind: 'own_records',
  email,
  code,
  client: { firstName: 'Sam', lastName, dateOfBirth: DOB },
  records: ['progress_notes'],
  ...over,
});

const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('the emailed code', () => {
  it('a wrong code is refused and counted; the fifth wrong try locks it, and then even the right one is refused', async () => {
    const { email, ip, code } = await verified();
    for (let i = 1; i <= 4; i++) {
      const res = await submitForm(t, own(email, wrongOf(code)), ip);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'code_wrong',
        message: 'That code is not right. Check the email we sent and try again.',
      });
    }
    const fifth = await submitForm(t, own(email, wrongOf(code)), ip);
    expect(fifth.json().error).toBe('code_locked');
    const right = await submitForm(t, own(email, code), ip);
    expect(right.json()).toMatchObject({
      error: 'code_locked',
      message: 'This code is locked after too many tries. Ask for a new one.',
    });
    const rejected = await auditRows(t, 'portal_intake.code_rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(rejected)).not.toContain(code);
    const [row] = await db()
      .select()
      .from(portalIntakeCodes)
      .orderBy(portalIntakeCodes.createdAt)
      .limit(100)
      .then((r) => r.filter((c) => c.attempts === 5));
    expect(row?.lockedAt).not.toBeNull();
    expect(row?.codeHash).not.toContain(code);
  });

  it('an expired code is refused (15 minutes)', async () => {
    const { email, ip, code } = await verified();
    t.clock.advance(16 * 60_000);
    const res = await submitForm(t, own(email, code), ip);
    expect(res.json()).toMatchObject({
      error: 'code_expired',
      message: 'This code has expired. Ask for a new one.',
    });
  });

  it('a code is good for one request: sent again, it is refused and no second request is made', async () => {
    const { email, ip, code } = await verified();
    expect((await submitForm(t, own(email, code), ip)).statusCode).toBe(201);
    const before = await requestCount();
    const again = await submitForm(t, own(email, code), ip);
    expect(again.json()).toMatchObject({ error: 'code_used' });
    expect(await requestCount()).toBe(before);
  });

  it('without asking for a code first, the submission is refused', async () => {
    const { email, ip } = fresh();
    const res = await submitForm(t, own(email, '123456'), ip);
    expect(res.json()).toMatchObject({
      error: 'code_none',
      message: 'Ask for a code first: we email it to the address you gave.',
    });
  });
});

describe('the practice', () => {
  it('a code or a request for a practice that does not exist is a plain 404, recorded in the instance’s chain', async () => {
    const nowhere = '00000000-0000-4000-8000-000000000000';
    const { email, ip } = fresh();
    const code = await askCode(t, { practiceId: nowhere, email }, ip);
    expect(code.statusCode).toBe(404);
    expect(code.json().message).toBe(
      'This request form is not available. Please contact the practice directly.',
    );
    const form = await submitForm(t, { ...own(email, '123456'), practiceId: nowhere }, ip);
    expect(form.statusCode).toBe(404);
    const refused = (await auditRows(t, 'portal_intake.refused')).filter(
      (a) => a.data.reason === 'unknown_practice',
    );
    expect(refused.map((a) => [a.practiceId, a.data.step])).toEqual([
      [null, 'code'],
      [null, 'submit'],
    ]);
    expect(sink.messages.filter((m) => m.rcptTo.includes(email))).toHaveLength(0);
  });
});

describe('robots: the honeypot and the proof of work', () => {
  it('a filled honeypot asks for no code and sends no email; a filled honeypot on the form makes no request', async () => {
    const { email, ip } = fresh();
    const sent = sink.messages.length;
    const res = await askCode(t, { practiceId, email, website: 'http://spam.example' }, ip);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('This form could not be sent. Reload the page and try again.');
    expect(sink.messages.length).toBe(sent);
    const before = await requestCount();
    const form = await submitForm(t, own(email, '123456', { website: 'x' }), ip);
    expect(form.statusCode).toBe(400);
    expect(await requestCount()).toBe(before);
    const reasons = (await auditRows(t, 'portal_intake.refused')).map((a) => a.data.reason);
    expect(reasons.filter((r) => r === 'honeypot')).toHaveLength(2);
  });

  it('a missing, forged, unsolved, expired or replayed proof of work is refused and audited', async () => {
    const { email, ip } = fresh();
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/portal/intake/code',
      remoteAddress: ip,
      payload: { practiceId, email },
    });
    expect(missing.statusCode).toBe(400);

    const good = await solvedPow(t, ip);
    const [id, exp, , mac] = good.challenge.split('.');
    const easier = { challenge: `${id}.${exp}.0.${mac}`, nonce: '0' };
    let unsolvedNonce = 0;
    while (leadingZeroBits(createHash('sha256').update(`${good.challenge}:${unsolvedNonce}`).digest()) >= 14)
      unsolvedNonce++;
    const cases: [string, unknown][] = [
      ['pow_forged', easier],
      ['pow_unsolved', { challenge: good.challenge, nonce: String(unsolvedNonce) }],
    ];
    for (const [reason, pow] of cases) {
      const res = await askCode(t, { practiceId, email, pow }, ip);
      expect(res.statusCode, reason).toBe(400);
      expect(res.json().message).toBe(
        'The form’s safety check did not pass or has expired. Reload the page and try again.',
      );
    }
    expect((await askCode(t, { practiceId, email, pow: good }, ip)).statusCode).toBe(202);
    const replay = await askCode(t, { practiceId, email, pow: good }, ip);
    expect(replay.statusCode).toBe(400);
    const old = await solvedPow(t, ip);
    t.clock.advance(11 * 60_000);
    expect((await askCode(t, { practiceId, email, pow: old }, ip)).statusCode).toBe(400);
    const reasons = (await auditRows(t, 'portal_intake.refused')).map((a) => a.data.reason);
    for (const r of ['pow_forged', 'pow_unsolved', 'pow_replayed', 'pow_expired'])
      expect(reasons).toContain(r);
    expect(sink.messages.filter((m) => m.rcptTo.includes(email))).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('three codes an hour to one address, then 429 with Retry-After; an hour later it may ask again', async () => {
    const { email } = fresh();
    for (let i = 0; i < 3; i++)
      expect((await askCode(t, { practiceId, email }, randomIp())).statusCode).toBe(202);
    const fourth = await askCode(t, { practiceId, email }, randomIp());
    expect(fourth.statusCode).toBe(429);
    expect(fourth.headers['retry-after']).toBe('3600');
    expect(sink.messages.filter((m) => m.rcptTo.includes(email))).toHaveLength(3);
    t.clock.advance(61 * 60_000);
    expect((await askCode(t, { practiceId, email }, randomIp())).statusCode).toBe(202);
  });

  it('ten codes an hour from one IP, whatever the addresses', async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++)
      expect((await askCode(t, { practiceId, email: fresh().email }, ip)).statusCode).toBe(202);
    const eleventh = await askCode(t, { practiceId, email: fresh().email }, ip);
    expect(eleventh.statusCode).toBe(429);
    expect((await auditRows(t, 'portal_intake.refused')).some((a) => a.data.reason === 'rate_ip')).toBe(true);
  });
});

describe('uploads go through the staff uploads’ checks', () => {
  it('a file over 25 MB is refused with 413, a text file named .pdf with 415, six files with 400; nothing stored, the code still good', async () => {
    const { email, ip, code } = await verified();
    const filesBefore = (await db().select({ n: count() }).from(files))[0]!.n;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(26 * 1024 * 1024, 0x20)]);
    const tooBig = await submitForm(t, own(email, code), ip, [
      { field: 'id_document', filename: 'scan.pdf', data: big },
    ]);
    expect(tooBig.statusCode).toBe(413);
    const disguised = await submitForm(t, own(email, code), ip, [
      {
        field: 'id_document',
        filename: 'id.pdf',
        data: Buffer.from('<html><script>alert(1)</script></html>'),
      },
    ]);
    expect(disguised.statusCode).toBe(415);
    const pdf = await onePagePdf('ID');
    const six = Array.from({ length: 6 }, (_, i) => ({ field: 'other', filename: `p${i}.pdf`, data: pdf }));
    const tooMany = await submitForm(t, own(email, code), ip, six);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toBe('Send at most 5 documents with one request.');
    expect((await db().select({ n: count() }).from(files))[0]!.n).toBe(filesBefore);
    expect(
      (await submitForm(t, own(email, code), ip, [{ field: 'id_document', filename: 'id.pdf', data: pdf }]))
        .statusCode,
    ).toBe(201);
  });
});

describe('one transaction', () => {
  it('a failure after the request was written leaves no request, no file, no email, and the code unspent', async () => {
    const { email, ip, code } = await verified();
    const pool = t.running.services.database.pool;
    await pool.query(
      `create function portal_test_fail() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$;
       create trigger portal_test_fail before insert on files for each row execute function portal_test_fail();`,
    );
    const pdf = await onePagePdf('ID');
    const before = {
      requests: await requestCount(),
      emails: (await db().select({ n: count() }).from(outboundEmails))[0]!.n,
    };
    try {
      const res = await submitForm(t, own(email, code), ip, [
        { field: 'id_document', filename: 'id.pdf', data: pdf },
      ]);
      expect(res.statusCode).toBe(500);
      expect(res.json().message).toBe('Something went wrong on our side. Nothing was changed.');
    } finally {
      await pool.query('drop trigger portal_test_fail on files; drop function portal_test_fail();');
    }
    expect(await requestCount()).toBe(before.requests);
    expect((await db().select({ n: count() }).from(outboundEmails))[0]!.n).toBe(before.emails);
    expect(await db().select().from(requests).where(eq(requests.requesterEmail, email))).toHaveLength(0);
    const ok = await submitForm(t, own(email, code), ip, [
      { field: 'id_document', filename: 'id.pdf', data: pdf },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
