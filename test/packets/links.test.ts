// The secure link (rule REL-2): support sends it once the packet is ready; the recipient gets the
// link and a code as two messages (no health information in either); opening it shows only the
// practice and that a document waits; the code (and, for a third party, a second channel) unlocks
// one download at a time, up to the limit, until it expires; wrong codes lock it; a revoked
// authorization disables it (AUTH-5). Only hashes are stored; every step is audited with no actor.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxEmails } from '../support/outbox.js';
import { type AuditRow, auditRows, randomIp } from '../support/session.js';
import {
  assemble,
  type LinkView,
  readyPacket,
  recordPdf,
  sha256,
  sql,
  toRelease,
  upload,
  validAuthorization,
  type World,
  world,
} from './support.js';

const DAY = 24 * 60 * 60 * 1000;

describe('the secure link (REL-2, AUTH-5)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.t.close();
  });

  /** The recipient: no session, no CSRF token, an address of their own (per test: the routes are rate-limited per address). */
  let ip = randomIp();
  beforeEach(() => {
    ip = randomIp();
  });
  const recipient = {
    open: (token: string) => w.t.app.inject({ method: 'GET', url: `/api/links/${token}`, remoteAddress: ip }),
    confirm: (token: string, body: Record<string, unknown>) =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/links/${token}/confirm`,
        payload: body,
        remoteAddress: ip,
      }),
    download: (token: string, grant: string) =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/links/${token}/download`,
        payload: { grant },
        remoteAddress: ip,
      }),
  };

  async function sendLink(requestId: string, packetId: string, body: Record<string, unknown> = {}) {
    const res = await w.as.support!.post(`/api/requests/${requestId}/packets/${packetId}/links`, body);
    expect(res.statusCode, res.body).toBe(201);
    const { link, phoneCode } = res.json() as { link: LinkView; phoneCode: string | null };
    // rule SEC-5: what the mailer sends, read from the two emails (the thread says only that they were sent).
    const messages = (
      await outboxEmails(
        w.t,
        'request_id = $1 and thread_message_id in (select id from thread_messages where idempotency_key like $2)',
        [requestId, `delivery-link:${link.id}:%`],
        'kind',
      )
    ).map((e) => ({ subject: e.subject, body: e.text, kind: e.kind }));
    expect(messages.map((m) => m.kind)).toEqual(['secure_link', 'secure_link_code']);
    const token = /\/links\/([A-Za-z0-9_-]{43})/.exec(messages[0]!.body)![1]!;
    const code = /code is (\d{6})/.exec(messages[1]!.body)![1]!;
    return { link, phoneCode, token, code, messages };
  }

  const linkEvents = async (linkId: string): Promise<AuditRow[]> =>
    (await auditRows(w.t)).filter((a) => a.type.startsWith('delivery_link.') && a.data.linkId === linkId);

  it('REL-2: the requester opens the link, enters the code and downloads the packet; the bytes hash to the disclosure entry', async () => {
    const { request: r, packet } = await readyPacket(w);
    const { link, phoneCode, token, code, messages } = await sendLink(r.id, packet.id);
    expect(link).toMatchObject({ state: 'active', secondChannel: 'none', downloads: 0, maxDownloads: 5 });
    expect(phoneCode).toBeNull();
    expect(token).toHaveLength(43); // 256 random bits, base64url

    // Only hashes are stored: neither the token nor the code is anywhere in the link's row.
    const [row] = await sql<{ all: string; expires_at: Date; created_at: Date }>(
      w,
      'select d::text as all, expires_at, created_at from delivery_links d where id = $1',
      [link.id],
    );
    expect(row!.all).not.toContain(token);
    expect(row!.all).not.toContain(code);
    expect(row!.expires_at.getTime() - row!.created_at.getTime()).toBe(30 * DAY);
    // No health information in the messages: not the client, the kinds of records, the purpose or the request.
    for (const m of messages) {
      const text = `${m.subject}\n${m.body}`;
      for (const secret of ['Ngọc', 'Trần', 'Progress', 'progress', 'Personal use', r.number, 'records']) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain('Riverbend Counseling');
    }

    const opened = await recipient.open(token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toEqual({
      practiceName: 'Riverbend Counseling',
      // Issue 5: how to reach the practice and whether email is set up (test/mail/link-open.test.ts).
      practicePhone: null,
      practiceEmail: null,
      mailDelivered: false,
      message: expect.stringContaining('A document is waiting for you'),
      needs: ['code'],
      expiresAt: expect.any(String),
      language: 'en',
    });
    expect(opened.body).not.toContain('Ngọc');
    expect(opened.headers['cache-control']).toBe('no-store');

    const wrong = await recipient.confirm(token, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toContain('4 tries left');
    const noGrant = await recipient.download(token, 'x'.repeat(43));
    expect(noGrant.statusCode).toBe(403);
    const ok = await recipient.confirm(token, { code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().downloadsLeft).toBe(5);
    const got = await recipient.download(token, ok.json().grant);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(sha256(got.rawPayload)).toBe(packet.sha256);
    // The grant is good for one download.
    expect((await recipient.download(token, ok.json().grant)).statusCode).toBe(403);

    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
    const [entry] = await sql<{ packet_sha256: string }>(
      w,
      'select packet_sha256 from disclosures where request_id = $1',
      [r.id],
    );
    expect(entry!.packet_sha256).toBe(sha256(got.rawPayload));

    // Every open, attempt and download is in the practice's audit log, with no staff actor.
    const events = await linkEvents(link.id);
    expect(events.map((e) => e.type)).toEqual([
      'delivery_link.created',
      'delivery_link.opened',
      'delivery_link.code_rejected',
      'delivery_link.refused',
      'delivery_link.code_accepted',
      'delivery_link.downloaded',
      'delivery_link.refused',
    ]);
    for (const e of events.slice(1)) {
      expect(e.actorId).toBeNull();
      expect(e.practiceId).toBe(w.u.support!.practiceId);
      expect(e.ip).toBe(ip);
    }
    expect(events[0]!.actorId).toBe(w.u.support!.id);
    expect(events.find((e) => e.type === 'delivery_link.downloaded')!.data).toMatchObject({
      sha256: packet.sha256,
      downloads: 1,
    });
    const all = JSON.stringify(await auditRows(w.t));
    expect(all).not.toContain(token);
    expect(all).not.toContain(ok.json().grant);
    const staffView = (await w.as.support!.get(`/api/requests/${r.id}/links`)).json().links[0];
    expect(staffView).toMatchObject({ id: link.id, downloads: 1, attempts: 0, state: 'active' });
    expect(JSON.stringify(staffView)).not.toMatch(/hash/i);
  });

  it('REL-2: five wrong codes lock the link; then even the right code answers 410', async () => {
    const { request: r, packet } = await readyPacket(w);
    const { token, code, link } = await sendLink(r.id, packet.id);
    const bad = code === '123456' ? '654321' : '123456';
    for (let i = 1; i <= 4; i++) expect((await recipient.confirm(token, { code: bad })).statusCode).toBe(403);
    const fifth = await recipient.confirm(token, { code: bad });
    expect(fifth.statusCode).toBe(410);
    expect(fifth.json()).toMatchObject({ error: 'link_locked' });
    const right = await recipient.confirm(token, { code });
    expect(right.statusCode).toBe(410);
    expect(right.json().message).toContain('locked');
    expect((await recipient.open(token)).statusCode).toBe(410);
    const types = (await linkEvents(link.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'delivery_link.code_rejected')).toHaveLength(5);
    expect(types).toContain('delivery_link.locked');
    // A made-up token says nothing but "no such link".
    const unknown = await recipient.open('A'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'There is no such link.' });
    // Guessing from one address is rate-limited too (20 a minute per route).
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push((await recipient.open(token)).statusCode);
    expect(answers.at(-1)).toBe(429);
  });

  /** A request by a third party, with the client's authorization on record and a ready packet. */
  async function thirdParty() {
    const r = await toRelease(w, {
      kind: 'authorization',
      requester: { name: 'Łukasz Nowak', organization: 'Harbor Clinic', email: 'lukasz@harbor.test' },
      documentClasses: ['progress_notes'],
    });
    const auth = await w.as.support!.post(
      `/api/requests/${r.id}/authorizations`,
      validAuthorization({ documentClasses: ['progress_notes'] }),
    );
    expect(auth.statusCode, auth.body).toBe(201);
    await upload(w, r.id, 'notes.pdf', await recordPdf('Progress note'), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-02-28',
    });
    const packet = await assemble(w, r.id);
    expect(packet.status, packet.problem ?? '').toBe('ready');
    return { request: r, packet, authorizationId: (auth.json() as { id: string }).id };
  }

  it('REL-2: a third-party recipient also passes the code read out by phone, or the client’s date of birth', async () => {
    const { request: r, packet, authorizationId } = await thirdParty();
    const none = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {
      secondChannel: 'none',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toContain('REL-2');

    const phone = await sendLink(r.id, packet.id);
    expect(phone.link).toMatchObject({ secondChannel: 'phone_code', authorizationId });
    expect(phone.phoneCode).toMatch(/^\d{6}$/);
    const [row] = await sql<{ all: string }>(w, 'select d::text as all from delivery_links d where id = $1', [
      phone.link.id,
    ]);
    expect(row!.all).not.toContain(phone.phoneCode!);
    expect(JSON.stringify(phone.messages)).not.toContain(phone.phoneCode!);
    expect((await recipient.open(phone.token)).json().needs).toEqual(['code', 'phoneCode']);
    expect((await recipient.confirm(phone.token, { code: phone.code })).statusCode).toBe(400);
    const wrongPhone = phone.phoneCode === '000000' ? '999999' : '000000';
    const wrong = await recipient.confirm(phone.token, { code: phone.code, phoneCode: wrongPhone });
    expect(wrong.statusCode).toBe(403);
    expect((await linkEvents(phone.link.id)).at(-1)!.data).toMatchObject({
      failed: ['phoneCode'],
      attempts: 1,
    });
    const ok = await recipient.confirm(phone.token, { code: phone.code, phoneCode: phone.phoneCode });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(sha256((await recipient.download(phone.token, ok.json().grant)).rawPayload)).toBe(packet.sha256);

    const dob = await sendLink(r.id, packet.id, { secondChannel: 'date_of_birth' });
    expect(dob.phoneCode).toBeNull();
    expect((await recipient.open(dob.token)).json().needs).toEqual(['code', 'dateOfBirth']);
    expect(
      (await recipient.confirm(dob.token, { code: dob.code, dateOfBirth: '1990-04-12' })).statusCode,
    ).toBe(403);
    expect(
      (await recipient.confirm(dob.token, { code: dob.code, dateOfBirth: '1988-07-14' })).statusCode,
    ).toBe(200);
  });

  it('AUTH-5: revoking the authorization disables every link relying on it that could still be used; no new link goes out', async () => {
    const { request: r, packet, authorizationId } = await thirdParty();
    const used = await sendLink(r.id, packet.id);
    const unused = await sendLink(r.id, packet.id);
    const first = await recipient.confirm(used.token, { code: used.code, phoneCode: used.phoneCode });
    expect((await recipient.download(used.token, first.json().grant)).statusCode).toBe(200);
    // The recipient confirms again, but the revocation arrives before the download.
    const second = await recipient.confirm(used.token, { code: used.code, phoneCode: used.phoneCode });
    expect(second.statusCode).toBe(200);

    const revoked = await w.as.support!.post(
      `/api/requests/${r.id}/authorizations/${authorizationId}/revocation`,
      { receivedAt: w.t.clock.now().toISOString(), note: 'Client wrote to withdraw consent' },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    const links = (await w.as.support!.get(`/api/requests/${r.id}/links`)).json().links as LinkView[];
    for (const l of links) {
      expect(l.state).toBe('revoked');
      expect(l.revokeReason).toContain('AUTH-5');
    }
    expect((await recipient.download(used.token, second.json().grant)).statusCode).toBe(410);
    const gone = await recipient.open(unused.token);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'link_revoked' });
    const audit = (await auditRows(w.t, 'delivery_link.revoked')).filter((a) =>
      [used.link.id, unused.link.id].includes(a.data.linkId as string),
    );
    expect(audit.map((a) => a.data.unused).sort()).toEqual([false, true]);

    const again = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('AUTH-5');
  });

  it('REL-2: the download limit, revocation by staff and the 30-day expiry each close the link with 410', async () => {
    const { request: r, packet } = await readyPacket(w);
    const limited = await sendLink(r.id, packet.id, { maxDownloads: 2 });
    for (let i = 0; i < 2; i++) {
      const ok = await recipient.confirm(limited.token, { code: limited.code });
      expect(ok.statusCode).toBe(200);
      expect((await recipient.download(limited.token, ok.json().grant)).statusCode).toBe(200);
    }
    const used = await recipient.open(limited.token);
    expect(used.statusCode).toBe(410);
    expect(used.json()).toMatchObject({ error: 'link_used_up' });

    const revoked = await sendLink(r.id, packet.id);
    const res = await w.as.support!.post(`/api/requests/${r.id}/links/${revoked.link.id}/revoke`, {
      reason: 'Sent to an old address',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'revoked',
      revokeReason: 'Sent to an old address',
      revokedBy: { id: w.u.support!.id },
    });
    const gone = await recipient.confirm(revoked.token, { code: revoked.code });
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'link_revoked' });

    const expiring = await sendLink(r.id, packet.id);
    w.t.clock.advance(30 * DAY - 60_000);
    expect((await recipient.open(expiring.token)).statusCode).toBe(200);
    w.t.clock.advance(60_000);
    const expired = await recipient.open(expiring.token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'link_expired' });
    expect((await linkEvents(expiring.link.id)).at(-1)!.data).toMatchObject({ reason: 'expired' });
  });
});
