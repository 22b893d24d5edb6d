// The recipient's secure-link page (issue 5): opening a link says whether email is set up and how to
// reach the practice, so a recipient whose code never came knows whom to call (the code waits in the
// outbox and support reads it out by phone). Contact details only: nothing about the records (REL-2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyPacket, sql, type World, world } from '../packets/support.js';
import { outboxEmails } from '../support/outbox.js';
import { randomIp } from '../support/session.js';

describe("the secure link's page without email (issue 5, REL-2)", () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.t.close();
  });

  async function linkToken() {
    const { request: r, packet } = await readyPacket(w);
    const res = await w.as.support!.post(`/api/requests/${r.id}/packets/${packet.id}/links`, {});
    expect(res.statusCode, res.body).toBe(201);
    const [m] = await outboxEmails(w.t, "request_id = $1 and kind = 'secure_link'", [r.id]);
    return /\/links\/([A-Za-z0-9_-]{43})/.exec(m!.text)![1]!;
  }
  const open = (token: string) =>
    w.t.app.inject({ method: 'GET', url: `/api/links/${token}`, remoteAddress: randomIp() });

  it('REL-2: opening a link tells the recipient that email is not set up and how to reach the practice (its name, phone and email only)', async () => {
    await sql(
      w,
      `update practices set privacy_officer_phone = '555-0100', privacy_officer_email = 'privacy@riverbend.test'`,
    );
    const token = await linkToken();
    const opened = await open(token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({
      practiceName: 'Riverbend Counseling',
      practicePhone: '555-0100',
      practiceEmail: 'privacy@riverbend.test',
      mailDelivered: false,
    });
    for (const secret of ['Ngọc', 'Trần', 'rogress']) expect(opened.body).not.toContain(secret);
  });

  it('with SMTP set up, the link says mail is delivered', async () => {
    const token = await linkToken();
    const mail = w.t.running.services.config.mail as { smtpUrl: string | null };
    const before = mail.smtpUrl;
    mail.smtpUrl = 'smtp://127.0.0.1:9';
    try {
      expect((await open(token)).json().mailDelivered).toBe(true);
    } finally {
      mail.smtpUrl = before;
    }
  });
});
