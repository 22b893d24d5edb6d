// Issue 7 (rules TIME-2, REV-3, REL-2): what Release Desk posts on the requester thread of a request
// made in Spanish is in Spanish: the extension notice and the denial's note, as the requester reads
// them on the portal's status page, and the emails that tell them (never the message's words).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { type World, world } from '../packets/support.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs } from '../support/requests.js';
import { signInToPortal } from './support.js';

describe('the requester thread of a Spanish request', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.t.close();
  });
  const step = async (who: string, id: string, path: string, body: unknown) => {
    const res = await w.as[who]!.post(`/api/requests/${id}/${path}`, body);
    expect(res.statusCode, `${who} ${path}: ${res.body}`).toBe(200);
  };

  it('TIME-2, REV-3: extended then denied: the portal shows the Spanish notice and note, the emails are in Spanish, the staff’s words stay as typed', async () => {
    const r = await createRequestAs(w.as.support!, w.client.id, {
      receivedAt: w.t.clock.now().toISOString(),
      requester: { name: 'Ngọc Trần', email: 'ngoc@example.test' },
      language: 'es',
    });
    const reason = 'Parte de los expedientes está en otro edificio.';
    await step('support', r.id, 'extension', { reason, newDueDate: '2027-04-20' });
    w.t.clock.advance(1000);
    await step('support', r.id, 'intake', { verification: { method: 'Called back at the number on file' } });
    await step('therapist', r.id, 'client-discussion', { outcome: 'go_ahead' });
    w.t.clock.advance(1000);
    await step('supervisor', r.id, 'supervisor-review', {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: 'Leer estas notas ahora podría ponerle en riesgo.',
    });
    await dispatchPending(w.t.running.services);

    const { r: me } = await signInToPortal(w.t, r.id, 'es');
    const view = await me.get(`/api/portal/requests/${r.number}`);
    expect(view.statusCode, view.body).toBe(200);
    const bodies = (view.json().messages as { body: string }[]).map((m) => m.body);
    const extension = bodies.find((b) => b.includes('necesitamos más tiempo por este motivo'));
    expect(extension).toBeDefined();
    expect(extension).toContain('Estimado/a Ngọc Trần:');
    expect(extension).toContain(reason); // the staff's reason as typed
    expect(extension).toContain('Le responderemos a más tardar el martes, 20 de abril de 2027.');
    expect(extension).toContain('el miércoles, 31 de marzo de 2027');
    expect(extension).toContain(
      `Adjuntamos nuestra carta con estos datos (extension-notice-${r.number}.pdf).`,
    );
    const denial = bodies.find((b) => b.includes('Tomamos una decisión'));
    expect(denial).toContain('No podemos darle los expedientes que pidió.');
    expect(denial).toContain('cómo pedir que se revise esta decisión');
    expect(denial).toContain(`La adjuntamos (denial-letter-${r.number}.pdf).`);
    // Nothing Release Desk wrote to this requester is left in English.
    for (const b of bodies)
      expect(b).not.toMatch(/\b(Dear|We need more time|Our letter|If you have questions)\b/);

    const emails = await outboxEmails(w.t, "request_id = $1 and thread = 'requester'", [r.id]);
    const notices = emails.filter((e) => e.kind === 'extension_notice' || e.kind === 'denial_letter');
    expect(notices.map((e) => e.kind).sort()).toEqual(['denial_letter', 'extension_notice']);
    for (const e of notices) {
      expect(e.subject).toBe(`Su solicitud de expedientes ${r.number}: un mensaje de Riverbend Counseling`);
      expect(e.text).toContain('le envió un mensaje sobre su solicitud de expedientes');
      expect(e.text).toContain('Por su privacidad, el mensaje no va en este correo.');
      expect(e.text).not.toContain(reason); // REL-2: the message's words stay in the portal
    }
    for (const e of emails)
      expect(e.text).not.toMatch(/\b(Dear|your records request|Read it here|Our letter)\b/);
  });

  it('REV-7: the no-records answer of a Spanish request: the written answer as typed, where to ask and the letter in Spanish', async () => {
    const r = await createRequestAs(w.as.support!, w.client.id, {
      receivedAt: w.t.clock.now().toISOString(),
      requester: { name: 'Ngọc Trần', email: 'ngoc@example.test' },
      language: 'es',
    });
    const writtenAnswer = 'No tenemos expedientes de esas fechas.';
    await step('support', r.id, 'no-records', { writtenAnswer, whereToAsk: 'Clínica del condado' });
    const { r: me } = await signInToPortal(w.t, r.id, 'es');
    const view = await me.get(`/api/portal/requests/${r.number}`);
    expect(view.statusCode, view.body).toBe(200);
    const answer = (view.json().messages as { body: string }[]).find((m) => m.body.startsWith(writtenAnswer));
    expect(answer?.body).toBe(
      `${writtenAnswer}\n\nDónde puede pedirlos: Clínica del condado\n\nAdjuntamos nuestra carta (no-records-answer-${r.number}.pdf).`,
    );
  });
});
