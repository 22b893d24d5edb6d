// The secure link's secrets kept from staff screens (rules REL-2, SEC-5): the link's token and its
// 6-digit code are in the two emails alone (the requester thread says only that a link and a code
// were sent), the Outbox lists the link email with its token masked and the code email without its
// text, and support reads the code only through the audited read-code route. The recipient still
// downloads the packet with the link and the code the emails carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_CODE_ON_THREAD, LINK_ON_THREAD } from '../../src/server/commands/create-delivery-link.js';
import { createUser } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { type Agent, auditRows, randomIp, signIn } from '../support/session.js';
import { readyPacket, sha256, sql, type World, world } from './support.js';

interface OutboxEmail {
  id: string;
  requestId: string;
  kind: string;
  text: string | null;
  carriesCode: boolean;
}

describe('secure-link secrets kept from staff screens (REL-2, SEC-5)', () => {
  let w: World;
  let privacyOfficer: Agent;
  beforeAll(async () => {
    w = await world();
    privacyOfficer = await signIn(w.t, await createUser(w.t, w.practice!, ['privacy_officer']));
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('SEC-5: support, therapist and privacy officer reading the request, its threads, its mail and the Outbox never see the link token or code; read-code shows the code and is audited; the recipient downloads with the emailed code', async () => {
    const { request: r, packet } = await readyPacket(w);
    const res = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toMatch(/\/links\/[A-Za-z0-9_-]{43}/);

    // What the recipient's inbox holds: the two emails the mail job sends.
    const emails = await outboxEmails(
      w.t,
      "request_id = $1 and kind in ('secure_link', 'secure_link_code')",
      [r.id],
      'kind',
    );
    expect(emails.map((e) => e.kind)).toEqual(['secure_link', 'secure_link_code']);
    const token = /\/links\/([A-Za-z0-9_-]{43})/.exec(emails[0]!.text)![1]!;
    const code = /code is (\d{6})/.exec(emails[1]!.text)![1]!;
    expect(emails[0]!.html).toContain(token);
    expect(emails[1]!.carriesCode).toBe(true);

    // The thread messages say that a link and a code were sent, without them.
    const thread = await sql<{ kind: string; body: string }>(
      w,
      `select kind, body from thread_messages where request_id = $1
        and kind in ('secure_link', 'secure_link_code') order by kind`,
      [r.id],
    );
    expect(thread).toEqual([
      { kind: 'secure_link', body: LINK_ON_THREAD },
      { kind: 'secure_link_code', body: LINK_CODE_ON_THREAD },
    ]);

    for (const agent of [w.as.support!, w.as.therapist!, privacyOfficer]) {
      const shown = await agent.get(`/api/requests/${r.id}`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.body).not.toContain(code);
      expect(shown.body).not.toContain(token);
      const kinds = (shown.json().thread as { kind: string; body: string }[]).filter((m) =>
        m.kind.startsWith('secure_link'),
      );
      expect(kinds.map((m) => m.body).sort()).toEqual([LINK_CODE_ON_THREAD, LINK_ON_THREAD].sort());
      const links = await agent.get(`/api/requests/${r.id}/links`);
      expect(links.body).not.toContain(code);
      expect(links.body).not.toContain(token);
      const mail = await agent.get(`/api/requests/${r.id}/mail`);
      expect(mail.statusCode, mail.body).toBe(200);
      expect(mail.body).not.toContain(code);
      expect(mail.body).not.toContain(token);
    }

    for (const agent of [w.as.support!, privacyOfficer]) {
      const outbox = await agent.get('/api/mail/outbox');
      expect(outbox.statusCode, outbox.body).toBe(200);
      expect(outbox.body).not.toContain(code);
      expect(outbox.body).not.toContain(token);
      const listed = (outbox.json().emails as OutboxEmail[]).filter((e) => e.requestId === r.id);
      expect(listed.find((e) => e.kind === 'secure_link')?.text).toContain('/links/[hidden]');
      expect(listed.find((e) => e.kind === 'secure_link_code')).toMatchObject({
        carriesCode: true,
        text: null,
      });
    }
    expect((await w.as.therapist!.get('/api/mail/outbox')).statusCode).toBe(403);

    const outbox = await w.as.support!.get('/api/mail/outbox');
    const codeEmail = (outbox.json().emails as OutboxEmail[]).find(
      (e) => e.requestId === r.id && e.kind === 'secure_link_code',
    )!;
    const before = (await auditRows(w.t, 'mail.outbox_code_read')).length;
    const read = await w.as.support!.post(`/api/mail/outbox/${codeEmail.id}/read-code`, {});
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().text).toContain(code);
    expect(read.body).not.toContain(token);
    const audit = await auditRows(w.t, 'mail.outbox_code_read');
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)!.data).toMatchObject({ outboundId: codeEmail.id });
    expect(JSON.stringify(audit)).not.toContain(code);
    expect((await w.as.therapist!.post(`/api/mail/outbox/${codeEmail.id}/read-code`, {})).statusCode).toBe(
      403,
    );

    // The emails still work: the recipient downloads with the emailed link and code.
    const ip = randomIp();
    const confirmed = await w.t.app.inject({
      method: 'POST',
      url: `/api/links/${token}/confirm`,
      payload: { code },
      remoteAddress: ip,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const downloaded = await w.t.app.inject({
      method: 'POST',
      url: `/api/links/${token}/download`,
      payload: { grant: confirmed.json().grant },
      remoteAddress: ip,
    });
    expect(downloaded.statusCode, downloaded.body).toBe(200);
    expect(sha256(downloaded.rawPayload)).toBe(packet.sha256);
  });

  it("issue 7: a Spanish request's link and code emails are in Spanish (still without health information), and the link's page is told to speak Spanish", async () => {
    const { request: r, packet } = await readyPacket(w, { language: 'es' });
    const res = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(res.statusCode, res.body).toBe(201);
    const emails = await outboxEmails(
      w.t,
      "request_id = $1 and kind in ('secure_link', 'secure_link_code')",
      [r.id],
      'kind',
    );
    expect(emails.map((e) => e.subject)).toEqual([
      'Riverbend Counseling tiene un documento para usted',
      'Su código de confirmación de Riverbend Counseling',
    ]);
    expect(emails[0]!.text).toContain('Abra este enlace seguro para descargarlo');
    expect(emails[1]!.text).toMatch(/Su código de confirmación es \d{6}\./);
    for (const e of emails) {
      for (const secret of ['Ngọc', 'Trần', 'rogress', r.number]) expect(e.text).not.toContain(secret);
    }
    const token = /\/links\/([A-Za-z0-9_-]{43})/.exec(emails[0]!.text)![1]!;
    const opened = await w.t.app.inject({
      method: 'GET',
      url: `/api/links/${token}`,
      remoteAddress: randomIp(),
    });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().language).toBe('es');
  });
});
