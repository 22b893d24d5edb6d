// The requester's way into the portal (issue 7; rules REL-2, SEC-2, SEC-4, SEC-5): the status link
// every requester email carries (a fresh 256-bit token, only its hash stored), the emailed code, the
// lock after wrong codes, the portal session bound to one request, its CSRF token and idle timeout,
// and the token kept out of logs and Referers. Through the HTTP API, no staff session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSafeUrl } from '../../src/server/http/log-safe.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, auditText, signIn } from '../support/session.js';
import { emailedCode, requester, signInToPortal, sql, statusToken } from './support.js';

const DAY = 86_400_000;

describe('requester portal access', () => {
  let t: TestApp;
  let support: Agent;
  let clientId: string;
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: 'https://desk.practice.test' });
    const practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      privacyOfficerPhone: '555-0100',
      privacyOfficerEmail: 'records@riverbend.test',
    });
    support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    clientId = (await createClient(t, practice, therapist, { firstName: 'Avery', lastName: 'Quinn' })).id;
  });
  afterAll(async () => {
    await t.close();
  });
  const newRequest = (overrides: Record<string, unknown> = {}) =>
    createRequestAs(support, clientId, {
      requester: { name: 'Avery Quinn', email: 'Avery@Example.test' },
      ...overrides,
    });

  it('REL-2, SEC-5: the acknowledgement email carries a status link whose token is stored only as its SHA-256, for 90 days, and never on the thread', async () => {
    const r = await newRequest();
    const token = await statusToken(t, r.id);
    expect(token).toHaveLength(43); // 256 random bits, base64url
    const [link] = await sql<{ all: string; email: string; expires_at: Date; created_at: Date }>(
      t,
      'select l::text as all, email, expires_at, created_at from portal_links l where request_id = $1',
      [r.id],
    );
    expect(link!.all).not.toContain(token);
    expect(link!.email).toBe('avery@example.test');
    expect(link!.expires_at.getTime() - link!.created_at.getTime()).toBe(90 * DAY);
    const thread = await sql<{ body: string }>(t, 'select body from thread_messages where request_id = $1', [
      r.id,
    ]);
    expect(thread.map((m) => m.body).join('\n')).not.toContain(token);
    expect(thread.map((m) => m.body).join('\n')).toContain(`/portal/requests/${r.number}`);
  });

  it('REL-2: opening the link shows the practice and where the code goes, nothing about the request; the code comes by email and opens a session', async () => {
    const r = await newRequest();
    const token = await statusToken(t, r.id);
    const req = requester(t);
    const opened = await req.open(token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toEqual({
      practiceName: 'Riverbend Counseling',
      practicePhone: '555-0100',
      practiceEmail: 'records@riverbend.test',
      maskedEmail: 'a•••@example.test',
      mailDelivered: false,
      language: 'en',
    });
    expect(opened.body).not.toContain(r.number);
    expect(opened.body).not.toContain('Avery');
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.headers['referrer-policy']).toBe('no-referrer');

    const sent = await req.sendCode(token);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().sentTo).toBe('a•••@example.test');
    const [email] = await sql<{ recipients: string[]; carries_code: boolean; subject: string }>(
      t,
      "select recipients, carries_code, subject from outbound_emails where request_id = $1 and kind = 'portal_code'",
      [r.id],
    );
    expect(email).toMatchObject({ recipients: ['avery@example.test'], carries_code: true });
    const code = await emailedCode(t, r.id);
    const ok = await req.confirm(token, code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ requestNumber: r.number, language: 'en' });
    const cookie = ok.cookies.find((c) => c.name === 'rd_portal')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/portal' });
    // Only hashes are stored: neither the session token nor the code.
    const stored = await sql<{ all: string }>(
      t,
      "select string_agg(s::text, ' ') as all from portal_sessions s",
    );
    expect(stored[0]!.all).not.toContain(cookie.value);
    expect((await auditText(t)).includes(code)).toBe(false);
    // A code is good once.
    const again = await requester(t).confirm(token, code);
    expect(again.statusCode).toBe(400);
    const events = (await auditRows(t)).filter((a) => a.type.startsWith('portal.')).map((a) => a.type);
    expect(events).toEqual(
      expect.arrayContaining(['portal.link_opened', 'portal.code_sent', 'portal.code_accepted']),
    );
    const accepted = (await auditRows(t, 'portal.code_accepted')).at(-1)!;
    expect(accepted.actorId).toBeNull();
    expect(accepted.data).toMatchObject({ by: 'requester', requesterEmail: 'avery@example.test' });
  });

  it('a wrong or expired token is the same plain 404, audited, never saying whether a request exists', async () => {
    const r = await newRequest();
    const token = await statusToken(t, r.id);
    const unknown = await requester(t).open('A'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/This link does not work/);
    const malformed = await requester(t).open('short');
    expect(malformed.statusCode).toBe(400);

    t.clock.advance(91 * DAY);
    try {
      const expired = await requester(t).open(token);
      expect(expired.statusCode).toBe(404);
      expect(expired.json()).toEqual(unknown.json());
      const code = await requester(t).sendCode(token);
      expect(code.statusCode).toBe(404);
    } finally {
      t.clock.advance(-91 * DAY);
    }
    const refused = (await auditRows(t, 'portal.refused')).map((a) => a.data.reason);
    expect(refused).toEqual(expect.arrayContaining(['unknown_link', 'expired']));
  });

  it('SEC-4: wrong codes count down, the fifth locks the link (even the right code is refused then), and codes are limited to 5 an hour', async () => {
    const r = await newRequest();
    const token = await statusToken(t, r.id);
    const req = requester(t);
    expect((await req.sendCode(token)).statusCode).toBe(200);
    const code = await emailedCode(t, r.id);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const first = await req.confirm(token, wrongCode);
    expect(first.statusCode).toBe(403);
    expect(first.json().message).toBe('That code is not right. 4 tries left.');
    for (let i = 0; i < 3; i++) expect((await req.confirm(token, wrongCode)).statusCode).toBe(403);
    const fifth = await req.confirm(token, wrongCode);
    expect(fifth.statusCode).toBe(410);
    expect(fifth.json().error).toBe('link_locked');
    const right = await req.confirm(token, code);
    expect(right.statusCode).toBe(410);
    expect(right.cookies.find((c) => c.name === 'rd_portal')).toBeUndefined();
    expect((await auditRows(t, 'portal.link_locked')).length).toBeGreaterThan(0);

    const other = await newRequest();
    const otherToken = await statusToken(t, other.id);
    for (let i = 0; i < 5; i++) expect((await req.sendCode(otherToken)).statusCode).toBe(200);
    const sixth = await req.sendCode(otherToken);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error).toBe('too_many_codes');
  });

  it('a code sent in Spanish, and refusals in the language the page asks in', async () => {
    const r = await newRequest({ language: 'es' });
    const token = await statusToken(t, r.id);
    const req = requester(t, 'es');
    expect((await req.open(token)).json().language).toBe('es');
    await req.sendCode(token);
    const [email] = await outboxEmails(t, "request_id = $1 and kind = 'portal_code'", [r.id]);
    expect(email!.subject).toBe('Su código para Riverbend Counseling');
    expect(email!.text).toMatch(/Sirve durante 15 minutos/);
    const wrong = await req.confirm(token, '000000' === (await emailedCode(t, r.id)) ? '111111' : '000000');
    expect(wrong.json().message).toBe('Ese código no es correcto. Le quedan 4 intentos.');
  });

  it('SEC-2: a session opens its own request only: another request’s number is the same 404 as one that does not exist, and is audited', async () => {
    const mine = await newRequest();
    const theirs = await newRequest({ requester: { name: 'Other Person', email: 'other@example.test' } });
    const { r } = await signInToPortal(t, mine.id);
    expect((await r.get(`/api/portal/requests/${mine.number}`)).statusCode).toBe(200);
    const other = await r.get(`/api/portal/requests/${theirs.number}`);
    const none = await r.get('/api/portal/requests/R-1999-9999');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(none.json());
    expect(other.body).not.toContain('Other Person');
    const posted = await r.post(`/api/portal/requests/${theirs.number}/messages`, { body: 'Hello?' });
    expect(posted.statusCode).toBe(404);
    const refusals = (await auditRows(t, 'portal.refused')).filter((a) => a.data.reason === 'other_request');
    expect(refusals.length).toBeGreaterThanOrEqual(3);

    // No session at all: the same kind of plain 404.
    const anonymous = await requester(t).get(`/api/portal/requests/${mine.number}`);
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json().message).toMatch(/Open the link in your email again/);
  });

  it('SEC-4: closing the page ends the session for good (audited), and needs the CSRF token', async () => {
    const mine = await newRequest();
    const { r } = await signInToPortal(t, mine.id);
    expect((await r.post('/api/portal/session/end', {}, { csrf: false })).statusCode).toBe(403);
    const ended = await r.post('/api/portal/session/end');
    expect(ended.statusCode, ended.body).toBe(204);
    expect(ended.cookies.find((c) => c.name === 'rd_portal')?.value).toBe('');
    expect((await r.get(`/api/portal/requests/${mine.number}`)).statusCode).toBe(404);
    expect((await auditRows(t, 'portal.session_ended')).at(-1)!.data).toMatchObject({ reason: 'closed' });
  });

  it('SEC-4: writes need the session’s CSRF token, and the session ends after 20 minutes without use', async () => {
    const mine = await newRequest();
    const { r } = await signInToPortal(t, mine.id);
    const noCsrf = await r.post(
      `/api/portal/requests/${mine.number}/messages`,
      { body: 'Hi' },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error).toBe('csrf');
    expect(
      await sql(t, "select 1 from thread_messages where request_id = $1 and kind = 'portal_message'", [
        mine.id,
      ]),
    ).toHaveLength(0);

    t.clock.advance(21 * 60_000);
    const idle = await r.get(`/api/portal/requests/${mine.number}`);
    expect(idle.statusCode).toBe(404);
    expect(idle.json().error).toBe('portal_session');
    expect((await auditRows(t, 'portal.session_ended')).at(-1)!.data).toMatchObject({ reason: 'idle' });
    // Ended for good: coming back does not revive it.
    expect((await r.get(`/api/portal/session`)).statusCode).toBe(404);
  });

  it('SEC-5: the status link’s token never reaches the log (paths replaced, query strings dropped)', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
    for (const [url, logged] of [
      [`/portal/links/${token}`, '/portal/links/[token]'],
      [`/api/portal/links/${token}/confirm`, '/api/portal/links/[token]/confirm'],
      [`/api/portal/links/${token}/code?x=1`, '/api/portal/links/[token]/code?[query omitted]'],
      ['/portal/requests/R-2026-0001?payment=done', '/portal/requests/R-2026-0001?[query omitted]'],
    ] as const) {
      expect(logSafeUrl(url)).toBe(logged);
      expect(logSafeUrl(url)).not.toContain(token);
    }
  });
});
