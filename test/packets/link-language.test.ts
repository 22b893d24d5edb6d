// Issue 7, REL-2: the secure link's recipient page speaks the request's language from its first
// answer. The link's public GET says the language (and only what it said before); a link that exists
// but can no longer be used (revoked, expired) answers 410 with its request's language and nothing
// else; an unknown token gets a plain 404 with no language (there is no request to speak of).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEmails } from '../support/outbox.js';
import { randomIp } from '../support/session.js';
import { assemble, recordPdf, toRelease, upload, type World, world } from './support.js';

describe('the secure link says its request’s language (issue 7, REL-2)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w?.t.close());

  const ip = randomIp();
  const open = (token: string) =>
    w.t.app.inject({ method: 'GET', url: `/api/links/${token}`, remoteAddress: ip });

  async function linkFor(language: 'en' | 'es') {
    const r = await toRelease(w, { language });
    await upload(w, r.id, 'notes.pdf', await recordPdf('Progress note'), {
      documentClass: 'progress_notes',
      dateFrom: '2026-03-01',
      dateTo: '2026-03-31',
    });
    const packet = await assemble(w, r.id);
    expect(packet.status, packet.problem ?? '').toBe('ready');
    const res = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(res.statusCode, res.body).toBe(201);
    const linkId = res.json().link.id as string;
    const [email] = await outboxEmails(
      w.t,
      "request_id = $1 and kind = 'secure_link' and thread_message_id in (select id from thread_messages where idempotency_key like $2)",
      [r.id, `delivery-link:${linkId}:%`],
    );
    const token = /\/links\/([A-Za-z0-9_-]{43})/.exec(email!.text)![1]!;
    return { r, linkId, token };
  }

  it('REL-2: a Spanish request’s link answers es when opened; revoked, it answers 410 with es and nothing more', async () => {
    const { r, linkId, token } = await linkFor('es');
    const opened = await open(token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().language).toBe('es');
    const revoked = await w.as.support!.post(`/api/requests/${r.id}/links/${linkId}/revoke`, {
      reason: 'Sent to an old address',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const gone = await open(token);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['cache-control']).toBe('no-store');
    expect(Object.keys(gone.json()).sort()).toEqual(['error', 'language', 'message']);
    expect(gone.json()).toMatchObject({ error: 'link_revoked', language: 'es' });
    // The code step refuses the same way, with the language.
    const confirm = await w.t.app.inject({
      method: 'POST',
      url: `/api/links/${token}/confirm`,
      remoteAddress: ip,
      payload: { code: '123456' },
    });
    expect(confirm.statusCode).toBe(410);
    expect(confirm.json().language).toBe('es');
  });

  it('REL-2: an expired link of an English request answers 410 with en; an unknown token 404 with no language', async () => {
    const { token } = await linkFor('en');
    const later = new Date(w.t.clock.now().getTime() + 400 * 24 * 3600 * 1000);
    const now = w.t.clock.now().toISOString();
    w.t.clock.set(later.toISOString());
    try {
      const gone = await open(token);
      expect(gone.statusCode).toBe(410);
      expect(gone.json()).toEqual({ error: 'link_expired', message: expect.any(String), language: 'en' });
    } finally {
      w.t.clock.set(now);
    }
    const unknown = await open('A'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).not.toHaveProperty('language');
  });
});
