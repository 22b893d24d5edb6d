// Authorization signing for a request made in Spanish (issue 7; AUTH-1, AUTH-2, AUTH-7): the portal
// shows a form written in Spanish (not a summary over English), the exact PDF whose SHA-256 is signed
// is that Spanish form, and the signature page is in Spanish too. PDFs checked with qpdf and pdftotext.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../src/server/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestPractice } from '../support/factories.js';
import { pdfPageCount, pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';
import { portalRequester, type Requester, signaturePng } from './sign-helpers.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

interface SignView {
  state: string;
  formLanguage: 'en' | 'es';
  title: string | null;
  sections: { heading: string; blocks: unknown[] }[];
  sha256: string | null;
  pdfUrl: string | null;
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('signing in Spanish (AUTH-1, AUTH-2, AUTH-7)', () => {
  let t: TestApp;
  let practice: TestPractice;
  let support: Agent;
  let clientId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'privacy@riverbend.test',
      privacyOfficerPhone: '(555) 010-2000',
    });
    const therapist = await createUser(t, practice, ['therapist']);
    support = await signIn(t, await createUser(t, practice, ['support']));
    const client = await createClient(t, practice, therapist, { firstName: 'Lucía', lastName: 'Ramírez' });
    clientId = client.id;
  });
  afterAll(() => t?.close());

  async function directed(language: 'en' | 'es') {
    n += 1;
    const email = `lucia${n}@example.test`;
    const r = await createRequestAs(support, clientId, {
      kind: 'client_directed',
      requester: { name: 'Lucía Ramírez', relationship: 'client', email },
      purpose: 'Solicitud de beneficios por discapacidad',
      channel: 'portal',
      language,
      recipient: { name: 'Camino Claro Defensores', address: '500 K Street, Sacramento, CA 95814' },
    });
    const who = await portalRequester(t, { practiceId: practice.id, requestId: r.id, email });
    return { r, who, base: `/api/portal/requests/${r.number}/authorization` };
  }
  const view = async (who: Requester, base: string) => {
    const res = await who.get(base);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SignView;
  };
  const consent = { readAndAgree: true, electronicSignature: true };

  it('AUTH-1, AUTH-2, AUTH-7: a request made in Spanish shows a form written in Spanish, and its exact PDF is the Spanish form', async () => {
    const { who, base } = await directed('es');
    const shown = await view(who, base);
    expect(shown).toMatchObject({
      state: 'to_sign',
      formLanguage: 'es',
      title: 'Su permiso para compartir sus expedientes',
    });
    expect(shown.sections.map((s) => s.heading)).toEqual([
      'Su permiso para compartir sus expedientes',
      '1. Quién compartirá sus expedientes',
      '2. Quién recibirá sus expedientes',
      '3. Qué expedientes compartiremos',
      '4. Para qué los compartiremos',
      '5. Cuándo termina este permiso',
      'Sus derechos',
      'Firme aquí',
    ]);
    const rights = JSON.stringify(shown.sections.find((s) => s.heading === 'Sus derechos')!.blocks);
    expect(rights).toContain('Usted puede retirar (cancelar) este permiso cuando quiera.');
    expect(rights).toContain('Si no lo firma, le seguiremos atendiendo.');
    expect(rights).toContain('ya no los proteja');

    const pdf = await who.get(shown.pdfUrl!);
    expect(pdf.statusCode).toBe(200);
    const sha = createHash('sha256').update(pdf.rawPayload).digest('hex');
    expect(sha).toBe(shown.sha256);
    expect(pdf.headers['x-content-sha256']).toBe(sha);
    expect(await qpdfCheck(pdf.rawPayload)).toContain('No syntax or stream encoding errors');
    const text = flat(await pdfText(pdf.rawPayload));
    expect(text).toContain('Su permiso para compartir sus expedientes');
    expect(text).toContain('Responsable de privacidad: Dana Cho');
    expect(text).toContain('1 de marzo de 2027');
    expect(text).toContain('Riverbend Counseling los compartirá.');
    expect(text).toContain('Camino Claro Defensores');
    expect(text).toContain('El motivo: Solicitud de beneficios por discapacidad.');
    expect(text).toContain(
      'Este permiso termina un año después de la fecha en que usted firme este formulario.',
    );
    expect(text).toContain('Página 1 de');
    expect(text).not.toContain('Your permission');
  });

  it('AUTH-1, AUTH-7: signed by typing, the signature page is in Spanish: signer, date and time in the practice’s zone, IP, hash and the e-signature statement', async () => {
    const { r, who, base } = await directed('es');
    const shown = await view(who, base);
    const pdf = await who.get(shown.pdfUrl!);
    const res = await who.post(`${base}/sign`, {
      sha256: shown.sha256,
      signature: { method: 'typed', typedName: 'Lucía Ramírez' },
      consent,
    });
    expect(res.statusCode, res.body).toBe(201);
    const copy = await who.get(`${base}/signed.pdf`);
    expect(copy.statusCode).toBe(200);
    expect(await qpdfCheck(copy.rawPayload)).toContain('No syntax or stream encoding errors');
    expect(await pdfPageCount(copy.rawPayload)).toBe((await pdfPageCount(pdf.rawPayload)) + 1);
    const text = flat(await pdfText(copy.rawPayload));
    expect(text).toContain('Página de firma · Referencia:');
    expect(text).toContain('Firma electrónica');
    expect(text).toContain('Firmado por Lucía Ramírez');
    expect(text).toContain('1 de marzo de 2027 a las 10:00:00 a.m. PST');
    expect(text).toContain(`Dirección IP ${who.ip}`);
    expect(text).toContain(shown.sha256!);
    expect(text).toContain(
      'firmó este formulario de forma electrónica en el portal de solicitudes de Riverbend Counseling',
    );
    expect(text).toContain('con el mismo valor que una firma en papel');
    expect(text).not.toMatch(/Electronic signature|Signed by/);

    // The requester's note is Spanish with a Spanish date; staff's note stays English and says the form's language.
    const d = (await support.get(`/api/requests/${r.id}`)).json() as {
      thread: { thread: string; kind: string; body: string }[];
    };
    const note = d.thread.find((m) => m.thread === 'requester' && m.kind === 'portal_signed');
    expect(note?.body).toContain(
      'Usted firmó el formulario de autorización el 1 de marzo de 2027 a las 10:00:00 a.m. PST.',
    );
    const staff = d.thread.find((m) => m.thread === 'internal' && m.kind === 'portal_signed');
    expect(staff?.body).toContain('on March 1, 2027 at 10:00:00 AM PST');
    expect(staff?.body).toContain('The form was in Spanish');
  });

  it('AUTH-7: the Spanish form’s hash is what is signed: after a change, signing is refused 409 in Spanish and nothing is recorded', async () => {
    const { r, who, base } = await directed('es');
    const { sha256 } = await view(who, base);
    await t.running.services.database.db
      .update(requests)
      .set({ purpose: 'Apelación de una decisión de beneficios' })
      .where(eq(requests.id, r.id));
    const typed = { method: 'typed', typedName: 'Lucía Ramírez' };
    const res = await who.post(`${base}/sign`, { sha256, signature: typed, consent });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('El formulario cambió después de que usted lo abrió');
    const fresh = await view(who, base);
    expect(fresh.sha256).not.toBe(sha256);
    // The request's language is part of the document: the same request in English is another form.
    await t.running.services.database.db
      .update(requests)
      .set({ language: 'en' })
      .where(eq(requests.id, r.id));
    const english = await view(who, base);
    expect(english).toMatchObject({ formLanguage: 'en', title: 'Your permission to share your records' });
    expect(english.sha256).not.toBe(fresh.sha256);
    const stale = await who.post(`${base}/sign`, { sha256: fresh.sha256, signature: typed, consent });
    expect(stale.statusCode).toBe(409);
    const d = (await support.get(`/api/requests/${r.id}`)).json() as { authorizations: unknown[] };
    expect(d.authorizations).toEqual([]);
  });

  it('AUTH-1: a drawing that is not a PNG, or too large, is refused 400 in Spanish; a good one is drawn and labelled in Spanish', async () => {
    const { who, base } = await directed('es');
    const { sha256 } = await view(who, base);
    const drawn = (image: string) => ({ sha256, signature: { method: 'drawn', image }, consent });
    const notPng = await who.post(
      `${base}/sign`,
      drawn(`data:image/png;base64,${Buffer.from('GIF89a not a png at all, really').toString('base64')}`),
    );
    expect(notPng.statusCode).toBe(400);
    expect(notPng.json().message).toBe(
      'La firma dibujada debe ser una imagen PNG. Bórrela y firme otra vez, o escriba su nombre.',
    );
    const huge = await who.post(
      `${base}/sign`,
      drawn(`data:image/png;base64,${signaturePng(3000, 10).toString('base64')}`),
    );
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toContain('demasiado grande');
    const ok = await who.post(
      `${base}/sign`,
      drawn(`data:image/png;base64,${signaturePng().toString('base64')}`),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const text = await pdfText((await who.get(`${base}/signed.pdf`)).rawPayload);
    expect(text).toContain('(dibujada por quien firma)');
  });

  it('AUTH-7: an English request keeps the English form and signature page', async () => {
    const { who, base } = await directed('en');
    const shown = await view(who, base);
    expect(shown).toMatchObject({ formLanguage: 'en', title: 'Your permission to share your records' });
    const res = await who.post(`${base}/sign`, {
      sha256: shown.sha256,
      signature: { method: 'typed', typedName: 'Lucía Ramírez' },
      consent,
    });
    expect(res.statusCode, res.body).toBe(201);
    const text = flat(await pdfText((await who.get(`${base}/signed.pdf`)).rawPayload));
    expect(text).toContain('Electronic signature');
    expect(text).toContain('March 1, 2027 at 10:00:00 AM PST');
    expect(text).not.toContain('Firma electrónica');
  });
});
