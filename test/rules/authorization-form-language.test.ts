// The practice's authorization form prepared by staff (AUTH-7) is written in the request's language
// (issue 7): a request made in Spanish gets the form written in Spanish, named in Spanish, as the portal
// shows it; an English request's form is unchanged. Through the API; PDFs checked with qpdf and pdftotext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

interface FormView {
  file: { id: string; name: string; purpose: string };
  downloadUrl: string;
  prefill: Record<string, unknown>;
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe("staff's authorization form in the request's language (AUTH-7, AUTH-1, AUTH-2, AUTH-4)", () => {
  let t: TestApp;
  let support: Agent;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, {
      name: 'Riverbend Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Dana Cho',
      privacyOfficerEmail: 'privacy@riverbend.test',
      privacyOfficerPhone: '(555) 010-2000',
    });
    const therapist = await createUser(t, practice, ['therapist']);
    support = await signIn(t, await createUser(t, practice, ['support']));
    clientId = (
      await createClient(t, practice, therapist, {
        firstName: 'Lucía',
        lastName: 'Ramírez',
        address: '12 Elm Street\nSpringfield, WA 98000',
      })
    ).id;
  });
  afterAll(() => t?.close());

  const request = (language: 'en' | 'es', documentClasses = ['progress_notes', 'psychotherapy_notes']) =>
    createRequestAs(support, clientId, {
      kind: 'authorization',
      language,
      requester: {
        name: 'Morgan Price',
        organization: 'Northwind Life Insurance',
        email: 'claims@northwind.test',
        address: '400 Harbor Way\nSeattle, WA 98101',
      },
      documentClasses,
      dateFrom: '2025-01-01',
      dateTo: '2026-06-30',
      purpose: 'Seguro de vida',
      receivedAt: NOW,
    });
  async function prepare(id: string, body: Record<string, unknown> = {}): Promise<FormView> {
    const res = await support.post(`/api/requests/${id}/authorization-form`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as FormView;
  }
  async function download(form: FormView): Promise<string> {
    const res = await support.get(form.downloadUrl);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`filename="${form.file.name}"`);
    await expect(qpdfCheck(res.rawPayload)).resolves.toContain('No syntax or stream encoding errors');
    return flat(await pdfText(res.rawPayload));
  }

  it('AUTH-7, AUTH-1, AUTH-2: a request made in Spanish gets the form written in Spanish, named in Spanish; the prefill stays English for the record', async () => {
    const r = await request('es');
    const form = await prepare(r.id, { expiresOn: '2027-12-31' });
    expect(form.file.name).toBe(`formulario-autorizacion-${r.number}.pdf`);
    const text = await download(form);
    for (const expected of [
      'Su permiso para compartir sus expedientes',
      'Responsable de privacidad: Dana Cho',
      r.number,
      'Lucía Ramírez',
      // AUTH-1: who shares, who gets them, which records and dates, why, until when.
      'Riverbend Counseling los compartirá.',
      'Northwind Life Insurance',
      'Notas de progreso: notas de sus citas',
      'Expedientes del 1 de enero de 2025 al 30 de junio de 2026.',
      'El motivo: Seguro de vida.',
      'Este permiso termina el 31 de diciembre de 2027.',
      // AUTH-4: the general form leaves the psychotherapy notes out, and says so.
      'Este formulario no sirve para las notas de psicoterapia.',
      // AUTH-2: the three statements, and how to revoke.
      'Usted puede retirar (cancelar) este permiso cuando quiera.',
      'Si no lo firma, le seguiremos atendiendo.',
      'es posible que la ley federal de privacidad ya no los proteja.',
      // AUTH-7: the copy; AUTH-1: signature, date, a representative's authority.
      'Usted recibirá una copia de este formulario cuando lo firme.',
      'Firma del cliente o de su representante',
      'Fecha de la firma',
      'Página 1 de',
    ]) {
      expect(text).toContain(expected);
    }
    for (const english of [
      'Your permission',
      'Privacy officer',
      'You can take back',
      'Date signed',
      'Page 1',
    ]) {
      expect(text).not.toContain(english);
    }
    // The record staff keep is in English whatever the form's language (as the portal's).
    expect(form.prefill).toMatchObject({
      description: 'Progress notes: notes from your visits; Records from 1 January 2025 to 30 June 2026.',
      purpose: 'Seguro de vida.',
      preparedByPractice: true,
      formFileId: form.file.id,
    });
    const audited = (await auditRows(t, 'authorization.form_prepared')).find(
      (a) => a.data.fileId === form.file.id,
    );
    expect(audited?.data).toMatchObject({ language: 'es', psychotherapyNotesOnly: false });

    // The recorded authorization from this prefill is valid as before.
    const recorded = await support.post(`/api/requests/${r.id}/authorizations`, {
      ...form.prefill,
      signerName: 'Lucía Ramírez',
      signedOn: '2027-03-01',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json()).toMatchObject({ preparedByPractice: true, formFileId: form.file.id });
  });

  it('AUTH-4, AUTH-7: the separate psychotherapy notes form in Spanish says it is only for them, and is named so', async () => {
    const r = await request('es');
    const form = await prepare(r.id, { psychotherapyNotesOnly: true });
    expect(form.file.name).toBe(`formulario-autorizacion-notas-psicoterapia-${r.number}.pdf`);
    const text = await download(form);
    expect(text).toContain('Su permiso para compartir notas de psicoterapia');
    expect(text).toContain('Este formulario es solo para notas de psicoterapia.');
    expect(text).not.toContain('Notas de progreso');
    // The default expiry, said in Spanish (the record keeps staff's English words).
    expect(text).toContain(
      'Este permiso termina un año después de la fecha en que usted firme este formulario.',
    );
    expect(form.prefill.expiryEvent).toBe('one year after the date you sign this form');
  });

  it('AUTH-7: an English request keeps the English form and its English name', async () => {
    const r = await request('en', ['progress_notes']);
    const form = await prepare(r.id);
    expect(form.file.name).toBe(`authorization-form-${r.number}.pdf`);
    const text = await download(form);
    for (const expected of [
      'Your permission to share your records',
      'Privacy officer: Dana Cho',
      'Riverbend Counseling will share them.',
      'You can take back (cancel) this permission at any time.',
      'You will get a copy of this form after you sign it.',
      'Page 1 of',
    ]) {
      expect(text).toContain(expected);
    }
    for (const spanish of ['Su permiso', 'Responsable de privacidad', 'Usted', 'Página']) {
      expect(text).not.toContain(spanish);
    }
  });
});
