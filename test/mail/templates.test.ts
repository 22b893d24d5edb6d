// Admin-editable email templates (issue 5): the practice's own words for the instructions email and
// the requester notices, with placeholders checked (an unknown one is a 400 naming it), a preview on
// a sample request with no client data (REL-2, SEC-5), and the words used by what is sent.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadMessages } from '../../src/server/db/schema.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { createMailApp } from './support.js';

let t: TestApp;
let admin: Agent;
let support: Agent;
let therapist: TestUser;
let clientId: string;
let clientName: string;

const db = () => t.running.services.database.db;

beforeAll(async () => {
  t = await createMailApp();
  const practice = await createPractice(t, { name: 'Riverbend Counseling', privacyOfficerPhone: '555-0100' });
  admin = await signIn(t, await createUser(t, practice, ['admin']));
  support = await signIn(t, await createUser(t, practice, ['support']));
  therapist = await createUser(t, practice, ['therapist']);
  const client = await createClient(t, practice, therapist, { firstName: 'Maya' });
  clientId = client.id;
  clientName = client.lastName;
});
afterAll(async () => {
  await t?.close();
});

describe('email templates (issue 5)', () => {
  it('an admin lists every template with its placeholders and shipped words; support may not', async () => {
    const res = await admin.get('/api/mail/templates');
    expect(res.statusCode).toBe(200);
    const list = res.json().templates as { key: string; placeholders: string[]; custom: unknown }[];
    expect(list.map((x) => x.key)).toEqual([
      'instructions',
      'requester_acknowledgement',
      'requester_fee_quote',
      'requester_status',
      'requester_ready',
    ]);
    expect(list.find((x) => x.key === 'requester_fee_quote')!.placeholders).toContain('feeTotal');
    expect(list.every((x) => x.custom === null)).toBe(true);
    expect((await support.get('/api/mail/templates')).statusCode).toBe(403);
    expect(
      (await support.put('/api/mail/templates', { requester_status: { subject: 'x', text: 'y' } }))
        .statusCode,
    ).toBe(403);
  });

  it('REL-2, SEC-5: an unknown placeholder is refused with a 400 naming it (a client name cannot be brought in)', async () => {
    const res = await admin.put('/api/mail/templates', {
      requester_acknowledgement: {
        subject: 'Got {{requestNumber}}',
        text: 'Dear {{clientName}}, due {{dueDate}}',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('{{clientName}}');
    expect(res.json().message).not.toContain('{{dueDate}},');
    const preview = await admin.post('/api/mail/templates/preview', {
      key: 'requester_status',
      text: 'It is {{outcome}} {{diagnosis}}',
    });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().message).toContain('{{diagnosis}}');
    const unknownKey = await admin.put('/api/mail/templates', { welcome: { subject: 'a', text: 'b' } });
    expect(unknownKey.statusCode).toBe(400);
  });

  it('REL-2: the preview renders a template against a sample request, never a real one', async () => {
    await createRequestAs(support, clientId, { requester: { name: 'Maya Client', email: 'maya@x.test' } });
    const res = await admin.post('/api/mail/templates/preview', {
      key: 'requester_fee_quote',
      subject: 'Fee for {{requestNumber}}',
      text: 'It is {{feeTotal}}. Questions? {{contact}} Due {{dueDate}}. {{link}}',
    });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ subject: 'Fee for R-2027-0042', sample: true });
    expect(p.text).toContain('It is $25.50.');
    expect(p.text).toContain('call 555-0100 (Riverbend Counseling)');
    expect(p.text).toContain('/portal/requests/R-2027-0042');
    expect(p.text).not.toContain(clientName);
    const internal = await admin.post('/api/mail/templates/preview', { key: 'instructions' });
    expect(internal.json().text).toContain('client A.B.');
    expect(internal.json().text).not.toContain('Maya');
  });

  it("the practice's words are saved, audited by key, used by the next acknowledgement and instructions email, and cleared back to the shipped words", async () => {
    const res = await admin.put('/api/mail/templates', {
      requester_acknowledgement: {
        subject: 'Riverbend got request {{requestNumber}}',
        text: 'Thanks! Number {{requestNumber}}, answer by {{dueDate}}. {{contact}}',
      },
      instructions: {
        subject: '[Records] {{requestNumber}} ({{clientInitials}})',
        text: 'Team, your step:\n\n{{instructions}}\n\n{{link}}',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().templates.find((x: { key: string }) => x.key === 'instructions').custom).toMatchObject({
      subject: '[Records] {{requestNumber}} ({{clientInitials}})',
    });
    const [audit] = await auditRows(t, 'mail.templates_changed');
    expect(JSON.stringify(audit)).toContain('requester_acknowledgement');
    expect(JSON.stringify(audit)).not.toContain('Thanks!');

    const r = await createRequestAs(support, clientId, {
      requester: { name: 'Maya Client', email: 'maya@x.test' },
    });
    await runJobs(t);
    const [ack] = await db()
      .select()
      .from(threadMessages)
      .where(and(eq(threadMessages.requestId, r.id), eq(threadMessages.kind, 'requester_acknowledgement')));
    expect(ack?.subject).toBe(`Riverbend got request ${r.number}`);
    expect(ack?.body).toMatch(
      new RegExp(`^Thanks! Number ${r.number}, answer by \\w+ \\d+ \\w+ \\d{4}\\. call 555-0100`),
    );
    const [instructions] = await outboxEmails(t, "request_id = $1 and kind = 'instructions'", [r.id]);
    expect(instructions?.subject).toBe(`[Records] ${r.number} (M.${clientName[0]!.toUpperCase()}.)`);
    expect(instructions?.text).toMatch(/^Team, your step:\n\nRelease of records/);
    expect(instructions?.text).toContain(`/requests/${r.id}`);

    const cleared = await admin.put('/api/mail/templates', { requester_acknowledgement: null });
    const list = cleared.json().templates as { key: string; custom: unknown }[];
    expect(list.find((x) => x.key === 'requester_acknowledgement')!.custom).toBeNull();
    expect(list.find((x) => x.key === 'instructions')!.custom).not.toBeNull();
  });
});
