// Issue 8 "Sessions and tokens": brute force on the public tokens — the secure link's token, code
// and download grant (REL-2) and the portal's status link and code — is limited per address (20 a
// minute, a 429 audited once per window, SEC-3) and, for codes, per link whatever the address: the
// fifth wrong code locks the link for good and even the right code is refused then. Guessed tokens
// are each audited without the token (SEC-5). A grant or a code is worthless once its link is
// revoked or expired. (The lock itself, the countdown and 5 codes an hour are in test/packets/links
// and test/portal/access; this file adds the per-address limit, the distributed attacker, grants,
// new codes and expiry.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LinkView, readyPacket, sql, type World, world } from '../packets/support.js';
import { emailedCode, statusToken } from '../portal/support.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs } from '../support/requests.js';
import { type AuditRow, auditRows, auditText, randomIp } from '../support/session.js';

const MINUTE = 60_000;
let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(async () => {
  await w?.t.close();
});

const guess = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
const inject = (method: 'GET' | 'POST', url: string, ip: string, payload?: Record<string, unknown>) =>
  w.t.app.inject({ method, url, remoteAddress: ip, ...(payload ? { payload } : {}) });

async function sendLink(requestId: string, packetId: string) {
  const res = await w.as.support!.post(`/api/requests/${requestId}/packets/${packetId}/links`, {});
  expect(res.statusCode, res.body).toBe(201);
  const { link } = res.json() as { link: LinkView };
  const emails = await outboxEmails(
    w.t,
    'request_id = $1 and thread_message_id in (select id from thread_messages where idempotency_key like $2)',
    [requestId, `delivery-link:${link.id}:%`],
    'kind',
  );
  expect(emails.map((e) => e.kind)).toEqual(['secure_link', 'secure_link_code']);
  const token = /\/links\/([A-Za-z0-9_-]{43})/.exec(emails[0]!.text)![1]!;
  const code = /code is (\d{6})/.exec(emails[1]!.text)![1]!;
  return { link, token, code };
}

/** Rate-limit refusals are audited after the 429 leaves (not awaited): wait for the row. */
async function rateLimitedRows(type: string, route: string): Promise<AuditRow[]> {
  const rows = () =>
    auditRows(w.t, type).then((r) =>
      r.filter((a) => a.data.reason === 'rate_limited' && a.data.route === route),
    );
  await vi.waitFor(async () => expect((await rows()).length).toBeGreaterThan(0));
  return rows();
}

describe('secure links (REL-2)', () => {
  it('SEC-3, REL-2: guessing link tokens: each guess a plain 404 audited without the token, the 21st in a minute a 429 audited once, and the real recipient at another address is not shut out', async () => {
    const { request: r, packet } = await readyPacket(w);
    const { token } = await sendLink(r.id, packet.id);
    const attacker = randomIp();
    const before = (await auditRows(w.t, 'delivery_link.refused')).length;
    const guesses = Array.from({ length: 20 }, guess);
    for (const g of guesses) {
      const res = await inject('GET', `/api/links/${g}`, attacker);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', message: 'There is no such link.' });
    }
    const unknown = (await auditRows(w.t, 'delivery_link.refused'))
      .slice(before)
      .filter((a) => a.data.reason === 'unknown_link' && a.ip === attacker);
    expect(unknown).toHaveLength(20);
    expect(unknown.every((a) => a.practiceId === null)).toBe(true); // the instance's chain: no practice is known
    const limited = await inject('GET', `/api/links/${guesses[0]}`, attacker);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right token is refused from that address for the rest of the window.
    expect((await inject('GET', `/api/links/${token}`, attacker)).statusCode).toBe(429);
    for (let i = 0; i < 5; i++)
      expect((await inject('GET', `/api/links/${guess()}`, attacker)).statusCode).toBe(429);
    const rows = await rateLimitedRows('delivery_link.refused', 'GET /api/links/:token');
    expect(rows.filter((a) => a.ip === attacker)).toHaveLength(1);
    expect(rows[0]!.data).toMatchObject({ limit: 20, windowSeconds: 60 });
    // SEC-5: no guessed token (nor the real one) in any audit row.
    const text = await auditText(w.t);
    for (const g of [...guesses, token]) expect(text).not.toContain(g);
    expect((await inject('GET', `/api/links/${token}`, randomIp())).statusCode).toBe(200);
  });

  it('REL-2: five wrong codes from five addresses lock the link (the lock is the link’s, not the address’s); then the right code is refused too, and staff see it locked', async () => {
    const { request: r, packet } = await readyPacket(w);
    const { link, token, code } = await sendLink(r.id, packet.id);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(
        (await inject('POST', `/api/links/${token}/confirm`, randomIp(), { code: wrong })).statusCode,
      );
    }
    expect(answers).toEqual([403, 403, 403, 403, 410]);
    const right = await inject('POST', `/api/links/${token}/confirm`, randomIp(), { code });
    expect(right.statusCode).toBe(410);
    expect(right.json()).toMatchObject({ error: 'link_locked' });
    expect(right.body).not.toContain('grant');
    const staffView = (await w.as.support!.get(`/api/requests/${r.id}/links`)).json() as {
      links: LinkView[];
    };
    expect(staffView.links.find((l) => l.id === link.id)).toMatchObject({ state: 'locked', attempts: 5 });
    const events = (await auditRows(w.t))
      .filter((a) => a.data.linkId === link.id && a.data.by === 'recipient')
      .map((a) => `${a.type}:${a.data.reason ?? a.data.attempts ?? ''}`);
    expect(events).toEqual([
      'delivery_link.code_rejected:1',
      'delivery_link.code_rejected:2',
      'delivery_link.code_rejected:3',
      'delivery_link.code_rejected:4',
      'delivery_link.code_rejected:5',
      'delivery_link.locked:5',
      'delivery_link.refused:locked',
    ]);
  });

  it('REL-2: a forged download grant downloads nothing and is audited; a real grant dies with the link when staff revoke it', async () => {
    const { request: r, packet } = await readyPacket(w);
    const { link, token, code } = await sendLink(r.id, packet.id);
    const ip = randomIp();
    const forged = await inject('POST', `/api/links/${token}/download`, ip, { grant: guess() });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: 'confirm_first' });
    expect(forged.headers['content-type']).not.toContain('pdf');
    const confirmed = await inject('POST', `/api/links/${token}/confirm`, ip, { code });
    expect(confirmed.statusCode).toBe(200);
    const revoke = await w.as.support!.post(`/api/requests/${r.id}/links/${link.id}/revoke`, {
      reason: 'Wrong recipient address',
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const late = await inject('POST', `/api/links/${token}/download`, ip, { grant: confirmed.json().grant });
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({ error: 'link_revoked' });
    const refused = (await auditRows(w.t, 'delivery_link.refused')).filter((a) => a.data.linkId === link.id);
    expect(refused.map((a) => a.data.reason)).toEqual(['not_confirmed', 'revoked']);
    const downloads = await auditRows(w.t, 'delivery_link.downloaded');
    expect(downloads.filter((a) => a.data.linkId === link.id)).toHaveLength(0);
  });
});

describe('portal status links (REL-2, SEC-4)', () => {
  const newRequest = () =>
    createRequestAs(w.as.support!, w.client.id, {
      requester: { name: 'Ngọc Trần', email: 'ngoc.portal@example.test' },
    });

  it('SEC-3: guessing status-link tokens: plain 404s audited without the token, then a 429 audited once, the real requester elsewhere unaffected', async () => {
    const r = await newRequest();
    const token = await statusToken(w.t, r.id);
    const attacker = randomIp();
    const guesses = Array.from({ length: 20 }, guess);
    for (const g of guesses)
      expect((await inject('GET', `/api/portal/links/${g}`, attacker)).statusCode).toBe(404);
    for (let i = 0; i < 3; i++) {
      const res = await inject('GET', `/api/portal/links/${guess()}`, attacker);
      expect(res.statusCode).toBe(429);
    }
    const unknown = (await auditRows(w.t, 'portal.refused')).filter(
      (a) => a.data.reason === 'unknown_link' && a.ip === attacker,
    );
    expect(unknown).toHaveLength(20);
    const rows = await rateLimitedRows('portal.refused', 'GET /api/portal/links/:token');
    expect(rows.filter((a) => a.ip === attacker)).toHaveLength(1);
    const text = await auditText(w.t);
    for (const g of [...guesses, token]) expect(text).not.toContain(g);
    expect((await inject('GET', `/api/portal/links/${token}`, randomIp())).statusCode).toBe(200);
  });

  it('SEC-4: a new code does not reset the count: four wrong codes, a fresh code, one more wrong from another address lock the link, and the fresh code is refused', async () => {
    const r = await newRequest();
    const token = await statusToken(w.t, r.id);
    expect((await inject('POST', `/api/portal/links/${token}/code`, randomIp(), {})).statusCode).toBe(200);
    const first = await emailedCode(w.t, r.id);
    const wrong = (c: string) => (c === '000000' ? '111111' : '000000');
    for (let i = 0; i < 4; i++) {
      const res = await inject('POST', `/api/portal/links/${token}/confirm`, randomIp(), {
        code: wrong(first),
      });
      expect(res.statusCode).toBe(403);
    }
    expect((await inject('POST', `/api/portal/links/${token}/code`, randomIp(), {})).statusCode).toBe(200);
    const fresh = await emailedCode(w.t, r.id);
    const fifth = await inject('POST', `/api/portal/links/${token}/confirm`, randomIp(), {
      code: wrong(fresh),
    });
    expect(fifth.statusCode).toBe(410);
    expect(fifth.json()).toMatchObject({ error: 'link_locked' });
    const right = await inject('POST', `/api/portal/links/${token}/confirm`, randomIp(), { code: fresh });
    expect(right.statusCode).toBe(410);
    expect(right.cookies.find((c) => c.name === 'rd_portal')).toBeUndefined();
    // A locked link sends no more codes either.
    expect((await inject('POST', `/api/portal/links/${token}/code`, randomIp(), {})).statusCode).toBe(410);
  });

  it('SEC-4: a code is good for 15 minutes and once; a portal session ends after 2 hours however busy', async () => {
    const r = await newRequest();
    const token = await statusToken(w.t, r.id);
    const ip = randomIp();
    expect((await inject('POST', `/api/portal/links/${token}/code`, ip, {})).statusCode).toBe(200);
    const stale = await emailedCode(w.t, r.id);
    w.t.clock.advance(15 * MINUTE + 1000);
    const late = await inject('POST', `/api/portal/links/${token}/confirm`, ip, { code: stale });
    expect(late.statusCode).toBe(403);
    expect(late.json()).toMatchObject({ error: 'code_expired' });
    expect((await inject('POST', `/api/portal/links/${token}/code`, ip, {})).statusCode).toBe(200);
    const code = await emailedCode(w.t, r.id);
    const ok = await inject('POST', `/api/portal/links/${token}/confirm`, ip, { code });
    expect(ok.statusCode).toBe(200);
    const again = await inject('POST', `/api/portal/links/${token}/confirm`, ip, { code });
    expect(again.statusCode).toBe(400); // spent: there is no code waiting any more
    const cookie = ok.cookies.find((c) => c.name === 'rd_portal')!.value;
    const status = () =>
      w.t.app.inject({
        method: 'GET',
        url: `/api/portal/requests/${r.number}`,
        remoteAddress: ip,
        cookies: { rd_portal: cookie },
      });
    // Busy all along (every 10 minutes, under the 20-minute idle limit) until the 2-hour lifetime.
    for (let elapsed = 0; elapsed < 120; elapsed += 10) {
      expect((await status()).statusCode, `after ${elapsed} minutes`).toBe(200);
      w.t.clock.advance(10 * MINUTE);
    }
    const ended = await status();
    expect(ended.statusCode).toBe(404);
    expect(ended.json()).toMatchObject({ error: 'portal_session' });
    const [row] = await sql<{ revoked_at: Date | null }>(
      w,
      'select revoked_at from portal_sessions where request_id = $1 order by created_at desc limit 1',
      [r.id],
    );
    expect(row?.revoked_at).not.toBeNull();
  });
});
