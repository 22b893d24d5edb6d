// rule SEC-4, SEC-5 (issue 7): an outbound email's body is sealed at rest. The portal's 6-digit code,
// the status-link token of every requester email and the words of every email are not in PostgreSQL
// in plain; the email still reaches the SMTP server whole, the Outbox still shows it masked, the
// audited read-code still reads the code; `keys rotate` re-wraps the bodies and the audit chain still
// verifies; a body written before sealing (migration 0015) is sealed at boot and can never be put
// back in plain.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { rotateMasterKey } from '../../src/server/crypto/rotate.js';
import { registerPreviousMasterKeys } from '../../src/server/crypto/seal.js';
import { openOutboundBody, sealLegacyOutboundEmails } from '../../src/server/mail/outbox-body.js';
import { sql } from '../portal/support.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs, runJobs } from '../support/requests.js';
import { type Agent, auditRows, randomIp, signIn } from '../support/session.js';
import { createMailApp, header, type Sink, startSink } from './support.js';

const REQUESTER = 'sealed@example.test';
const TOKEN = /\/portal\/links\/([A-Za-z0-9_-]{43})/;

let t: TestApp;
let sink: Sink;
let support: Agent;
let clientId: string;

/** Every outbound_emails row as PostgreSQL holds it, as text (bytea in hex). */
async function rawRows(requestId: string): Promise<string> {
  const rows = await sql<{ raw: string }>(
    t,
    'select e::text as raw from outbound_emails e where request_id = $1',
    [requestId],
  );
  expect(rows.length).toBeGreaterThan(0);
  return rows.map((r) => r.raw).join('\n');
}

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, { name: 'Riverbend Counseling' });
  const supportUser = await createUser(t, practice, ['support']);
  const therapist = await createUser(t, practice, ['therapist']);
  clientId = (await createClient(t, practice, therapist, { firstName: 'Jo' })).id;
  support = await signIn(t, supportUser);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('email bodies sealed at rest', () => {
  let requestId: string;
  let code: string;
  let codeEmailId: string;

  it('SEC-4, SEC-5: the status-link token and the portal code are in the emails that arrive, never in the stored rows', async () => {
    const r = await createRequestAs(support, clientId, {
      requester: { name: 'Jo Client', email: REQUESTER },
    });
    requestId = r.id;
    await runJobs(t);
    const ack = sink.messages.find((m) => m.rcptTo.includes(REQUESTER) && m.parsed.text?.includes(r.number));
    const token = TOKEN.exec(ack?.parsed.text ?? '')?.[1];
    expect(token, 'a status link in the acknowledgement that arrived').toBeDefined();

    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/portal/links/${token}/code`,
      remoteAddress: randomIp(),
    });
    expect(sent.statusCode, sent.body).toBe(200);
    await runJobs(t);
    const codeMail = sink.messages.find(
      (m) => m.rcptTo.includes(REQUESTER) && /^\d{6}$/m.test(m.parsed.text ?? '') && m !== ack,
    );
    code = /^(\d{6})$/m.exec(codeMail?.parsed.text ?? '')![1]!;
    expect(header(codeMail!.raw, 'Subject')).toContain('Riverbend Counseling');

    const raw = await rawRows(r.id);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(code);
    expect(raw).not.toContain('/portal/links/');
    expect(raw).not.toContain('Its number is'); // nor any words of a body
    const rows = await outboxEmails(t, 'request_id = $1', [r.id]);
    for (const row of rows) {
      expect(row.bodySealed).not.toBeNull();
      expect(row.status).toBe('sent');
    }
    const [plain] = await sql<{ n: number }>(
      t,
      'select count(*)::int as n from outbound_emails where text is not null or html is not null',
    );
    expect(plain!.n).toBe(0);
    const codeRow = rows.find((e) => e.kind === 'portal_code')!;
    codeEmailId = codeRow.id;
    expect(codeRow.text).toMatch(new RegExp(`^${code}$`, 'm'));
  });

  it('SEC-5: the Outbox still lists the emails with tokens masked and codes left out, and read-code reads the code (audited, without it)', async () => {
    const list = (await support.get('/api/mail/outbox')).json().emails as {
      id: string;
      kind: string;
      text: string | null;
      requestId: string;
    }[];
    const mine = list.filter((e) => e.requestId === requestId);
    const ack = mine.find((e) => e.kind === 'requester_acknowledgement');
    expect(ack?.text).toContain('/portal/links/[hidden]');
    expect(mine.find((e) => e.id === codeEmailId)?.text).toBeNull();
    const read = await support.post(`/api/mail/outbox/${codeEmailId}/read-code`, {});
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().text).toContain(code);
    const audit = (await auditRows(t, 'mail.outbox_code_read')).filter(
      (a) => a.data.outboundId === codeEmailId,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(code);
  });

  it('SEC-4: a body written in plain before sealing is sealed at boot, reads the same, and is never put back in plain', async () => {
    const id = randomUUID();
    const words = 'Written before sealing: code 735102 and /portal/links/abc';
    const [tmpl] = await sql<{ practice_id: string; reply_to: string }>(
      t,
      'select practice_id, reply_to from outbound_emails where request_id = $1 limit 1',
      [requestId],
    );
    await sql(
      t,
      `insert into outbound_emails (id, practice_id, request_id, thread, kind, message_id, reply_to, recipients,
         subject, text, html, status)
       values ($1, $2, $3, 'requester', 'message', $4, $5, '{x@example.test}', 'Old', $6, $7, 'sent')`,
      [id, tmpl!.practice_id, requestId, `<${id}@old.test>`, tmpl!.reply_to, words, `<p>${words}</p>`],
    );
    const result = await sealLegacyOutboundEmails(t.running.services.database.pool, t.config.masterKey);
    expect(result.sealed).toBe(1);
    const [row] = await outboxEmails(t, 'id = $1', [id]);
    expect(row).toMatchObject({ text: words, html: `<p>${words}</p>` });
    expect(row!.bodySealed).not.toBeNull();
    const [stored] = await sql<{ raw: string }>(
      t,
      'select e::text as raw from outbound_emails e where id = $1',
      [id],
    );
    expect(stored!.raw).not.toContain('735102');
    await expect(
      sql(t, "update outbound_emails set text = 'plain again' where id = $1", [id]),
    ).rejects.toThrow(/never put back in plain/);
    // A new row must come sealed or in plain, never both, never neither.
    await expect(sql(t, 'update outbound_emails set body_sealed = null where id = $1', [id])).rejects.toThrow(
      /outbound_emails_body_check/,
    );
  });

  it('SEC-3, SEC-4: keys rotate re-wraps the email bodies, the new key alone opens them, and the audit chains still verify', async () => {
    const oldKey = t.config.masterKey;
    const newKey = randomBytes(32);
    const pool = t.running.services.database.pool;
    const before = await outboxEmails(t, 'request_id = $1', [requestId]);
    const result = await rotateMasterKey(pool, [oldKey], newKey, { auditKey: t.config.auditKey });
    expect(result.complete).toBe(true);
    expect(result.unopenable).toEqual([]);
    const rows = await sql<{ id: string; body_sealed: Buffer }>(
      t,
      'select id::text as id, body_sealed from outbound_emails where request_id = $1',
      [requestId],
    );
    registerPreviousMasterKeys(newKey, []);
    for (const row of rows) {
      const opened = openOutboundBody(newKey, {
        id: row.id,
        bodySealed: row.body_sealed,
        text: null,
        html: null,
      });
      expect(opened.text).toBe(before.find((b) => b.id === row.id)!.text);
      // The old key no longer opens it (its own ring only: no previous key registered for it).
      registerPreviousMasterKeys(oldKey, []);
      expect(() =>
        openOutboundBody(oldKey, { id: row.id, bodySealed: row.body_sealed, text: null, html: null }),
      ).toThrow(/does not open/);
    }
    expect(await auditRows(t, 'keys.rotated')).toHaveLength(1);
    const chains = await verifyChains(pool, t.config.auditKey);
    expect(chains.firstBroken).toBeUndefined();
    expect(chains.ok).toBe(true);
  });
});
