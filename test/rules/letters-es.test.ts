// Issue 7: the letters to requesters in Spanish for a request in Spanish. Each letter is rendered to
// a real PDF, checked with qpdf and read back with pdftotext: the Spanish words, every element its
// rule requires (the same as the English letter's wording tests), dates written by Intl ('es-US'),
// "Página N de M", and the line that an English version is there on request. Then one letter goes
// through the HTTP API: a Spanish request's extension notice is stored in Spanish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denialLetter } from '../../src/server/letters/denial-letter.js';
import { denialReviewLetter } from '../../src/server/letters/denial-review-outcome.js';
import { extensionLetter } from '../../src/server/letters/extension-notice.js';
import { HHS_OCR, type LetterFacts } from '../../src/server/letters/letterhead.js';
import { longDateEs } from '../../src/server/letters/letterhead-es.js';
import { noRecordsLetter } from '../../src/server/letters/no-records-letter.js';
import { coverLetter } from '../../src/server/packets/cover-letter.js';
import { receiptLetter } from '../../src/server/payments/receipt.js';
import { type LetterInput, renderLetter } from '../../src/server/pdf/letter.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

const practice = {
  name: 'Cedar Grove Counseling',
  privacyOfficerName: 'Pat Privacy',
  privacyOfficerPhone: '555-0100',
  privacyOfficerEmail: 'privacy@cedar.test',
};
const facts: LetterFacts = {
  practice,
  recipient: { name: 'Ngọc Trần', address: '12 Elm Street\nSpringfield, WA 98000' },
  number: 'R-2026-0042',
  date: longDateEs('2026-11-20'),
  createdAt: new Date('2026-11-20T18:00:00Z'),
  language: 'es',
};
const requested = {
  documentClasses: ['progress_notes', 'treatment_plans'],
  dateFrom: '2025-01-01',
  dateTo: '2026-06-30',
};
const denial = {
  ...facts,
  kind: 'client_access' as const,
  clientName: 'Ngọc Trần',
  received: longDateEs('2026-11-02'),
  requested,
  explanation: 'La Dra. Rivera teme que leer estas notas ahora pueda ponerle en riesgo.',
};
const ENGLISH_ON_REQUEST = 'Si desea esta carta en inglés, pídala y se la enviaremos.';

/** Render, check with qpdf, and read the words back, one space between words. */
async function read(letter: LetterInput): Promise<string> {
  const pdf = await renderLetter(letter);
  await expect(qpdfCheck(pdf)).resolves.toContain('No syntax or stream encoding errors');
  return (await pdfText(pdf)).replace(/\s+/g, ' ');
}

/** What every Spanish letter carries: Spanish page words, the Spanish date, the English offer. */
function expectSpanishFrame(text: string) {
  expect(text).toContain('R-2026-0042 · Página 1 de');
  expect(text).toContain('Referencia: R-2026-0042');
  expect(text).toContain('viernes, 20 de noviembre de 2026');
  expect(text).toContain(ENGLISH_ON_REQUEST);
  expect(text).toContain('Responsable de privacidad: Pat Privacy');
  expect(text).not.toMatch(/Page \d|Dear |Reference:/);
}

describe('letters to requesters in Spanish (issue 7)', () => {
  it('TIME-2: the extension notice in Spanish gives the reason, both dates, that it is the only one, and who to call', async () => {
    const text = await read(
      extensionLetter({
        ...facts,
        received: longDateEs('2026-11-02'),
        originalDue: longDateEs('2026-12-02'),
        newDue: longDateEs('2027-01-01'),
        reason: 'Parte de los expedientes está en un archivo externo.',
      }),
    );
    expectSpanishFrame(text);
    expect(text).toContain('Necesitamos más tiempo para responder a su solicitud');
    expect(text).toContain('Estimado/a Ngọc Trần:');
    expect(text).toContain('Parte de los expedientes está en un archivo externo.');
    expect(text).toContain('Primera fecha miércoles, 2 de diciembre de 2026');
    expect(text).toContain('Nueva fecha viernes, 1 de enero de 2027');
    expect(text).toContain('Esta es la única prórroga que podemos tomar');
    expect(text).toContain('Pat Privacy, responsable de privacidad, por teléfono al 555-0100');
    expect(text).not.toMatch(/TIME-2|164\.524/);
  });

  it('REV-4: a reviewable denial in Spanish: the ground, the review right by someone who took no part, how to ask, and how to complain to HHS', async () => {
    const text = await read(denialLetter({ ...denial, ground: 'endanger_life_or_safety', partial: null }));
    expectSpanishFrame(text);
    expect(text).toContain('No podemos darle los expedientes que pidió');
    expect(text).toContain(
      'Notas de progreso y planes de tratamiento, del 1 de enero de 2025 al 30 de junio de 2026',
    );
    expect(text).toContain('pondría en riesgo su vida o su seguridad física');
    expect(text).toContain('La Dra. Rivera teme');
    expect(text).toContain('Puede pedir que se revise esta decisión');
    expect(text).toContain('que no participó en esta decisión');
    expect(text).toContain('escriba o llame a Pat Privacy, responsable de privacidad');
    expect(text).toContain(HHS_OCR.address);
    expect(text).toContain(`Teléfono ${HHS_OCR.phone}`);
    expect(text).toContain(`En línea ${HHS_OCR.web}`);
    expect(text).toContain('Cómo presentar una queja');
    expect(text).not.toMatch(/REV-\d|164\.524|endanger_life/);
  });

  it('REV-3: an unreviewable ground in Spanish says plainly there is no review, and still how to complain', async () => {
    const text = await read(denialLetter({ ...denial, ground: 'psychotherapy_notes', partial: null }));
    expectSpanishFrame(text);
    expect(text).toContain('notas de psicoterapia');
    expect(text).toContain('Esta decisión no se puede revisar');
    expect(text).not.toContain('Puede pedir que se revise');
    expect(text).toContain('Office for Civil Rights');
  });

  it('REV-5: a partial denial in Spanish lists what is released and what is withheld, and by when', async () => {
    const text = await read(
      denialLetter({
        ...denial,
        ground: 'harm_to_referenced_person',
        partial: {
          approved: { documentClasses: ['progress_notes'], dateFrom: '2026-01-01' },
          releaseBy: longDateEs('2026-12-02'),
        },
      }),
    );
    expectSpanishFrame(text);
    expect(text).toContain('Solo podemos darle una parte de los expedientes que pidió');
    expect(text).toContain(
      'Lo que le enviaremos • Notas de progreso, del 1 de enero de 2026 al 30 de junio de 2026',
    );
    expect(text).toContain('Lo que no le entregaremos • Planes de tratamiento, del 1 de enero de 2025');
    expect(text).toContain('Notas de progreso con fecha anterior al 1 de enero de 2026');
    expect(text).toContain('Se los enviaremos a más tardar el miércoles, 2 de diciembre de 2026.');
    expect(text).toContain(HHS_OCR.address);
  });

  it('REV-4: the review outcome in Spanish: upheld is final here and says how to complain; overturned says records will come', async () => {
    const base = { ...denial, ground: 'endanger_life_or_safety' as const };
    const upheld = await read(denialReviewLetter({ ...base, outcome: 'upheld' }));
    expectSpanishFrame(upheld);
    expect(upheld).toContain('El revisor estuvo de acuerdo con la decisión');
    expect(upheld).toContain('que no participó en la primera decisión');
    expect(upheld).toContain('no se puede volver a revisar');
    expect(upheld).toContain(HHS_OCR.address);
    const overturned = await read(denialReviewLetter({ ...denial, outcome: 'overturned' }));
    expect(overturned).toContain('Usted recibirá los expedientes');
    expect(overturned).not.toContain(HHS_OCR.address);
  });

  it('REV-7: the no-records answer in Spanish says none are held, and where to ask instead (or that we do not know)', async () => {
    const base = {
      ...facts,
      asked: 'sus expedientes',
      received: longDateEs('2026-11-02'),
      requested,
      writtenAnswer: 'Nuestros expedientes empiezan en 2027.',
    };
    const known = await read(noRecordsLetter({ ...base, whereToAsk: 'Lakeside Clinic, 555-0199' }));
    expectSpanishFrame(known);
    expect(known).toContain('No tenemos los expedientes que usted pidió');
    expect(known).toContain('no tenemos ninguno de estos expedientes');
    expect(known).toContain('Nuestros expedientes empiezan en 2027.');
    expect(known).toContain('Es posible que estos expedientes los tenga: Lakeside Clinic, 555-0199');
    const unknown = await read(noRecordsLetter({ ...base, whereToAsk: null }));
    expect(unknown).toContain('No sabemos quién tiene estos expedientes.');
  });

  it('PART2-1: the packet cover letter in Spanish lists what is enclosed and carries the Part 2 notice and consent', async () => {
    const text = await read(
      coverLetter(
        {
          practice: { name: practice.name, privacyOfficer: 'Pat Privacy', phone: '555-0100', email: null },
          request: { number: 'R-2026-0042', kind: 'authorization', receivedOn: '2026-11-02', purpose: null },
          client: { name: 'Ngọc Trần' },
          recipient: { name: 'Lee Attorney', organization: 'Lee & Co', address: '1 Main St' },
          version: 1,
          today: '2026-11-20',
          documents: [{ name: 'Intake.pdf', documentClass: 'part2', dateFrom: '2026-01-01', dateTo: null }],
          part2: { notice: 'NOTICE 42 CFR 2.32 text as given.', consent: 'Consent signed 1 Oct 2026.' },
          createdAt: facts.createdAt,
          language: 'es',
        },
        [3],
      ),
    );
    expectSpanishFrame(text);
    expect(text).toContain('Entrega de expedientes');
    expect(text).toContain('Un tercero con la autorización del cliente');
    // The table wraps cells over lines: the class name starts on the document's row.
    expect(text).toContain('1 Intake.pdf Expedientes sobre el');
    expect(text).toContain('Págs.');
    expect(text).toContain('Aviso: 42 CFR parte 2');
    expect(text).toContain('NOTICE 42 CFR 2.32 text as given.');
    expect(text).toContain('Consent signed 1 Oct 2026.');
    expect(text).toContain('No la divulgue de nuevo salvo en lo que la ley permite');
  });

  it('REL-2: the receipt in Spanish: each line, amount, how and when paid, any refund; no health information', async () => {
    const text = await read(
      receiptLetter({
        practice,
        requestNumber: 'R-2026-0042',
        lines: [
          { code: 'copy_labor', amountCents: 1500 },
          { code: 'postage', amountCents: 250 },
        ],
        amountCents: 1750,
        method: 'check',
        reference: 'Cheque 1234',
        paidOn: longDateEs('2026-11-20'),
        paidAt: facts.createdAt,
        refunds: [{ amountCents: 250, on: longDateEs('2026-11-21') }],
        language: 'es',
      }),
    );
    expect(text).toContain('R-2026-0042 · Página 1 de 1');
    expect(text).toContain('Recibo');
    expect(text).toContain('Mano de obra para las copias $15.00');
    expect(text).toContain('Franqueo $2.50');
    expect(text).toContain('Total $17.50');
    expect(text).toContain('Forma de pago Cheque');
    expect(text).toContain('Fecha de pago viernes, 20 de noviembre de 2026');
    expect(text).toContain('Reembolsado $2.50 el sábado, 21 de noviembre de 2026');
    expect(text).toContain('Pago neto $15.00');
    expect(text).toContain(ENGLISH_ON_REQUEST);
    expect(text).not.toContain('Ngọc');
  });
});

describe('a Spanish request gets its letters in Spanish, through the HTTP API (TIME-2, issue 7)', () => {
  let t: TestApp;
  let support: Agent;
  let clientId: string;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2027-03-01T18:00:00Z'); // Monday 10:00 in Los Angeles
    const p = await createPractice(t, { ...practice, timeZone: 'America/Los_Angeles' });
    const user = await createUser(t, p, ['support']);
    const therapist = await createUser(t, p, ['therapist']);
    clientId = (await createClient(t, p, therapist, { firstName: 'Ngọc', lastName: 'Trần' })).id;
    support = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  async function extensionText(language: 'en' | 'es'): Promise<string> {
    const r = await createRequestAs(support, clientId, {
      receivedAt: t.clock.now().toISOString(),
      requester: { name: 'Ngọc Trần', email: 'ngoc@example.test' },
      language,
    });
    const res = await support.post(`/api/requests/${r.id}/extension`, {
      reason: 'Parte de los expedientes está en un archivo externo.',
      newDueDate: '2027-04-20',
    });
    expect(res.statusCode, res.body).toBe(200);
    const files = await support.get(`/api/requests/${r.id}/files`);
    const letter = (files.json().files as { id: string; name: string; purpose: string }[]).find(
      (f) => f.purpose === 'letter',
    );
    expect(letter?.name).toBe(`extension-notice-${r.number}.pdf`);
    const pdf = await support.get(`/api/requests/${r.id}/files/${letter!.id}`);
    expect(pdf.statusCode).toBe(200);
    await expect(qpdfCheck(pdf.rawPayload)).resolves.toContain('No syntax or stream encoding errors');
    return (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
  }

  it('TIME-2: the extension notice of a request in Spanish is stored in Spanish, with Spanish dates; English stays the default', async () => {
    const es = await extensionText('es');
    expect(es).toContain('Necesitamos más tiempo para responder a su solicitud');
    expect(es).toContain('Solicitud recibida lunes, 1 de marzo de 2027');
    expect(es).toContain('Primera fecha miércoles, 31 de marzo de 2027');
    expect(es).toContain('Nueva fecha martes, 20 de abril de 2027');
    expect(es).toContain('Esta es la única prórroga que podemos tomar');
    expect(es).toContain('Página 1 de 1');
    expect(es).toContain(ENGLISH_ON_REQUEST);
    const en = await extensionText('en');
    expect(en).toContain('We need more time to answer your request');
    expect(en).toContain('Tuesday 20 April 2027');
    expect(en).toContain('Page 1 of 1');
    expect(en).not.toContain(ENGLISH_ON_REQUEST);
  });
});
