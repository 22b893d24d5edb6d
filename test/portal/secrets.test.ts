// The portal's secrets kept from staff screens (issue 7; rule SEC-5): the 6-digit portal code is in
// the email alone (the requester thread says only that a code was sent), the Outbox lists that email
// without its text and the status-link token masked, and support reads the code only through the
// audited read-code route. The requester still signs in with what the email carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_ON_THREAD } from '../../src/server/portal/links.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { emailedCode, requester, sql, statusToken } from './support.js';

interface OutboxEmail {
  id: string;
  requestId: string;
  kind: string;
  text: string | null;
  carriesCode: boolean;
}

describe('portal secrets kept from staff screens', () => {
  let t: TestApp;
  let support: Agent;
  let therapist: Agent;
  let clientId: string;
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: 'https://desk.practice.test' });
    const practice = await createPractice(t, { name: 'Riverbend Counseling' });
    support = await signIn(t, await createUser(t, practice, ['support']));
    const th = await createUser(t, practice, ['therapist']);
    therapist = await signIn(t, th);
    clientId = (await createClient(t, practice, th, { firstName: 'Avery', lastName: 'Quinn' })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('SEC-5: staff reading the request, its thread, its mail and the Outbox never see the portal code or the status-link token; read-code shows the code and is audited', async () => {
    const r = await createRequestAs(support, clientId, {
      requester: { name: 'Avery Quinn', email: 'avery@example.test' },
    });
    const token = await statusToken(t, r.id);
    const req = requester(t);
    expect((await req.open(token)).statusCode).toBe(200);
    const sent = await req.sendCode(token);
    expect(sent.statusCode, sent.body).toBe(200);
    const code = await emailedCode(t, r.id); // what the requester's inbox holds

    // The thread message says a code was sent, without it.
    const [message] = await sql<{ body: string }>(
      t,
      "select body from thread_messages where request_id = $1 and kind = 'portal_code'",
      [r.id],
    );
    expect(message!.body).toBe(CODE_ON_THREAD);

    for (const agent of [support, therapist]) {
      const shown = await agent.get(`/api/requests/${r.id}`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.body).not.toContain(code);
      expect(shown.body).not.toContain(token);
      const codeMessage = (shown.json().thread as { kind: string; body: string }[]).find(
        (m) => m.kind === 'portal_code',
      );
      expect(codeMessage?.body).toBe(CODE_ON_THREAD);
      const mail = await agent.get(`/api/requests/${r.id}/mail`);
      expect(mail.statusCode, mail.body).toBe(200);
      expect(mail.body).not.toContain(code);
      expect(mail.body).not.toContain(token);
    }

    const outbox = await support.get('/api/mail/outbox');
    expect(outbox.statusCode, outbox.body).toBe(200);
    expect(outbox.body).not.toContain(code);
    expect(outbox.body).not.toContain(token);
    const emails = (outbox.json().emails as OutboxEmail[]).filter((e) => e.requestId === r.id);
    const acknowledgement = emails.find((e) => e.text?.includes('/portal/links/'));
    expect(acknowledgement?.text).toContain('/portal/links/[hidden]');
    const codeEmail = emails.find((e) => e.kind === 'portal_code')!;
    expect(codeEmail).toMatchObject({ carriesCode: true, text: null });

    const before = (await auditRows(t, 'mail.outbox_code_read')).length;
    const read = await support.post(`/api/mail/outbox/${codeEmail.id}/read-code`, {});
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().text).toContain(code);
    const audit = await auditRows(t, 'mail.outbox_code_read');
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)!.data).toMatchObject({ outboundId: codeEmail.id });
    expect(JSON.stringify(audit)).not.toContain(code);
    expect((await therapist.post(`/api/mail/outbox/${codeEmail.id}/read-code`, {})).statusCode).toBe(403);

    // The email sent still works: the requester signs in with the emailed code and the real token.
    const ok = await req.confirm(token, code);
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
