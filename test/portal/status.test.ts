// The status page (issue 7; rules REL-2, SEC-5, TIME-2): the stage and dates in plain terms, who to
// contact, the requester thread only (never the internal thread), messages that reach staff and stay
// inert, the released records through the secure link's rules, and the requester emails in Spanish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { type LinkView, readyPacket, sha256, type World, world } from '../packets/support.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs } from '../support/requests.js';
import { auditRows } from '../support/session.js';
import { signInToPortal, sql, statusToken } from './support.js';

describe('the requester’s status page', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.t.close();
  });
  const newRequest = (overrides: Record<string, unknown> = {}) =>
    createRequestAs(w.as.support!, w.client.id, {
      receivedAt: w.t.clock.now().toISOString(),
      requester: { name: 'Ngọc Trần', email: 'ngoc@example.test' },
      ...overrides,
    });
  const sendLink = async (requestId: string, packetId: string, body: Record<string, unknown> = {}) => {
    const res = await w.as.support!.post(`/api/requests/${requestId}/packets/${packetId}/links`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().link as LinkView;
  };

  it('TIME-2, REL-2: the stage in plain terms, the answer date (an extension shown with the first date), who to contact; nothing internal', async () => {
    const r = await newRequest();
    const internal = await w.as.support!.post(`/api/requests/${r.id}/messages`, {
      thread: 'internal',
      body: 'INTERNAL: the client sounded distressed on the phone',
    });
    expect(internal.statusCode, internal.body).toBe(200);
    const { r: me } = await signInToPortal(w.t, r.id);
    const first = await me.get(`/api/portal/requests/${r.number}`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      requestNumber: r.number,
      stage: 'received',
      receivedOn: '2027-03-01',
      dueOn: '2027-03-31',
      extended: false,
      originalDueOn: null,
      practice: { name: 'Riverbend Counseling' },
      invoice: null,
      canPayOnline: false,
      payDirectly: false,
      download: 'none',
      requesterIsClient: true,
    });
    expect(first.body).not.toContain('INTERNAL');
    expect(first.body).not.toContain('distressed');
    expect(first.body).not.toMatch(/portal_code|Your code/);
    // The acknowledgement is on the thread, from the practice.
    expect(first.json().messages[0]).toMatchObject({ fromYou: false, author: 'Riverbend Counseling' });
    expect((await auditRows(w.t, 'portal.status_viewed')).at(-1)!.data).toMatchObject({
      by: 'requester',
      requesterEmail: 'ngoc@example.test',
    });

    const extended = await w.as.support!.post(`/api/requests/${r.id}/extension`, {
      reason: 'Part of the records are kept off site.',
      newDueDate: '2027-04-20',
    });
    expect(extended.statusCode, extended.body).toBe(200);
    const later = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(later).toMatchObject({ dueOn: '2027-04-20', extended: true, originalDueOn: '2027-03-31' });
  });

  it('SEC-5: a message from the portal is kept as typed, shown inert, reaches support on the request (and by email, without its text), never the requester’s own inbox', async () => {
    const r = await newRequest();
    const { r: me } = await signInToPortal(w.t, r.id);
    w.t.clock.advance(1000); // the test clock stands still otherwise: keep the thread's order plain
    const body = '<script>alert("x")</script><img src=x onerror=alert(1)> Could I get these by Friday?';
    const sent = await me.post(`/api/portal/requests/${r.number}/messages`, { body });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().id as string;

    const staff = (await w.as.support!.get(`/api/requests/${r.id}`)).json() as {
      thread: { id: string; thread: string; kind: string; body: string; author: unknown }[];
    };
    const seen = staff.thread.find((m) => m.id === id)!;
    expect(seen).toMatchObject({ thread: 'requester', kind: 'portal_message', body, author: null });

    const [email] = await outboxEmails(w.t, 'thread_message_id = $1', [id]);
    expect(email!.recipients).not.toContain('ngoc@example.test');
    expect(email!.recipients.length).toBeGreaterThan(0);
    expect(email!.html).not.toContain('<script');
    expect(email!.html).not.toContain('onerror');
    expect(email!.text).not.toContain('Friday');
    expect(email!.text).toContain('The requester sent a message from the portal.');
    expect(email!.text).toContain(`/requests/${r.id}`);

    const status = await me.get(`/api/portal/requests/${r.number}`);
    expect(status.headers['content-type']).toMatch(/^application\/json/);
    expect(status.json().messages.at(-1)).toMatchObject({ id, fromYou: true, body });
    expect((await auditRows(w.t, 'portal.message_sent')).at(-1)!.data).not.toHaveProperty('body');

    // Support answers; the requester reads it on the page.
    w.t.clock.advance(1000);
    const reply = await w.as.support!.post(`/api/requests/${r.id}/messages`, {
      thread: 'requester',
      body: 'We aim to send them by Friday.',
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const again = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(again.messages.at(-1)).toMatchObject({ fromYou: false, body: 'We aim to send them by Friday.' });

    const empty = await me.post(`/api/portal/requests/${r.number}/messages`, { body: '   ' });
    expect(empty.statusCode).toBe(400);
    const huge = await me.post(`/api/portal/requests/${r.number}/messages`, { body: 'x'.repeat(4001) });
    expect(huge.statusCode).toBe(400);
  });

  it('REL-2: the records download only once released, by the secure link’s rules (counted, hashed, audited); a link with a second channel still needs the secure link', async () => {
    const { request: r, packet } = await readyPacket(w);
    const link = await sendLink(r.id, packet.id);
    const { r: me } = await signInToPortal(w.t, r.id);
    expect((await me.get(`/api/portal/requests/${r.number}`)).json().download).toBe('none');
    const early = await me.post(`/api/portal/requests/${r.number}/download`);
    expect(early.statusCode).toBe(409);

    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
    const status = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(status).toMatchObject({ stage: 'ready', download: 'portal' });
    const got = await me.post(`/api/portal/requests/${r.number}/download`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(sha256(got.rawPayload)).toBe(packet.sha256);
    const [row] = await sql<{ downloads: number }>(
      w.t,
      'select downloads from delivery_links where id = $1',
      [link.id],
    );
    expect(row!.downloads).toBe(1);
    expect((await auditRows(w.t, 'portal.records_downloaded')).at(-1)!.data).toMatchObject({
      linkId: link.id,
      sha256: packet.sha256,
    });
    expect((await auditRows(w.t, 'delivery_link.downloaded')).at(-1)!.data).toMatchObject({
      linkId: link.id,
    });

    const third = await readyPacket(w);
    await sendLink(third.request.id, third.packet.id, { secondChannel: 'date_of_birth' });
    const rel = await w.as.support!.post(`/api/requests/${third.request.id}/release`, {
      method: 'secure_download',
    });
    expect(rel.statusCode, rel.body).toBe(200);
    const { r: other } = await signInToPortal(w.t, third.request.id);
    expect((await other.get(`/api/portal/requests/${third.request.number}`)).json().download).toBe(
      'second_channel',
    );
    const refused = await other.post(`/api/portal/requests/${third.request.number}/download`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/second code/);
  });

  it('someone other than the client (here an attorney) is not told "your therapist": the view says the requester is not the client', async () => {
    const r = await newRequest({
      kind: 'authorization',
      requester: {
        name: 'Dana Whitfield',
        organization: 'Whitfield Law',
        relationship: 'attorney',
        email: 'dana@example.test',
      },
    });
    const { r: attorney } = await signInToPortal(w.t, r.id);
    const view = await attorney.get(`/api/portal/requests/${r.number}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ stage: 'received', requesterIsClient: false });
  });

  it('the requester emails in Spanish for a request made in Spanish: the acknowledgement and the message notice, each with its own status link', async () => {
    const r = await newRequest({ language: 'es' });
    const [ack] = await outboxEmails(w.t, "request_id = $1 and kind = 'requester_acknowledgement'", [r.id]);
    expect(ack!.subject).toBe(`Recibimos su solicitud de expedientes ${r.number}`);
    expect(ack!.text).toContain('Le responderemos a más tardar el miércoles, 31 de marzo de 2027.');
    expect(ack!.text).toMatch(
      /Puede ver cómo va su solicitud aquí: https?:\/\/[^\s]+\/portal\/links\/[A-Za-z0-9_-]{43}/,
    );
    expect(ack!.text).toContain('por correo electrónico');
    const ackToken = await statusToken(w.t, r.id);

    w.t.clock.advance(1000);
    const note = await w.as.support!.post(`/api/requests/${r.id}/messages`, {
      thread: 'requester',
      body: 'Necesitamos confirmar su fecha de nacimiento.',
    });
    expect(note.statusCode, note.body).toBe(200);
    await dispatchPending(w.t.running.services); // what the mail runtime does every few seconds
    const [mail] = await outboxEmails(w.t, "request_id = $1 and kind = 'message' and thread = 'requester'", [
      r.id,
    ]);
    expect(mail!.subject).toBe(`Su solicitud de expedientes ${r.number}: un mensaje de Riverbend Counseling`);
    expect(mail!.text).toContain('Por su privacidad, el mensaje no va en este correo.');
    expect(mail!.text).not.toContain('fecha de nacimiento');
    const messageToken = await statusToken(w.t, r.id);
    expect(messageToken).not.toBe(ackToken);
  });
});
