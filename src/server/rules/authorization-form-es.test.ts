// The Spanish authorization form (issue 7): every element and statement, and plain language measured
// for both forms on one scale (Fernández-Huerta for Spanish, Flesch for English), figures printed.
import { describe, expect, it } from 'vitest';
import type { LetterBlock } from '../pdf/letter.js';
import { type AuthorizationFormFacts, authorizationForm, formProse } from './authorization-form.js';
import { authorizationFormEs } from './authorization-form-es.js';
import { countSyllablesEs, fernandezHuerta, fleschReadingEase } from './readability-es.js';

const facts: AuthorizationFormFacts = {
  practice: {
    name: 'Riverbend Counseling',
    privacyOfficerName: 'Dana Cho',
    privacyOfficerEmail: 'privacy@riverbend.test',
    privacyOfficerPhone: '(555) 010-2000',
  },
  client: {
    name: 'Lucía Ramírez',
    dateOfBirth: '1990-04-12',
    address: '12 Elm Street\nSpringfield, WA 98000',
  },
  recipient: {
    name: 'Northwind Life Insurance',
    organization: 'Underwriting Department',
    address: '400 Harbor Way\nSeattle, WA 98101',
    email: 'claims@northwind.test',
  },
  documentClasses: ['progress_notes', 'assessments', 'treatment_plans', 'letters_and_reports', 'billing'],
  leftOut: ['psychotherapy_notes'],
  dateFrom: '2025-01-01',
  dateTo: '2026-06-30',
  purpose: 'Solicitud de seguro de vida',
  expiresOn: null,
  expiryEvent: 'one year after the date you sign this form',
  psychotherapyNotesOnly: false,
};

function allText(form: { title: string; blocks: LetterBlock[] }): string {
  return [
    form.title,
    ...form.blocks.flatMap((b) => {
      switch (b.type) {
        case 'heading':
        case 'paragraph':
          return [b.text];
        case 'list':
          return b.items;
        case 'fields':
          return b.rows.map(([k, v]) => `${k}: ${v}`);
        case 'signature':
          return b.lines;
        default:
          return b.rows.flat();
      }
    }),
  ].join('\n');
}

describe('AUTH-7: Spanish syllables and the Fernández-Huerta reading ease', () => {
  it.each([
    ['y', 1],
    ['que', 1],
    ['muy', 1],
    ['usted', 2],
    ['guerra', 2],
    ['ciudad', 2],
    ['leer', 2],
    ['día', 2],
    ['país', 2],
    ['aéreo', 4],
    ['expedientes', 4],
    ['información', 4],
    ['psicoterapia', 5],
    ['autorización', 5],
  ])('AUTH-7: %s has %i syllable(s)', (word, n) => {
    expect(countSyllablesEs(word)).toBe(n);
  });

  it('AUTH-7: a first reader scores very easy, the regulation in Spanish scores hard', () => {
    expect(fernandezHuerta('El gato se sentó. Me gusta el gato.').ease).toBeGreaterThan(90);
    // 45 CFR 164.508(c)(2)(ii) in the style of an official translation: long, Latinate, one sentence.
    const law =
      'La capacidad o incapacidad de condicionar el tratamiento, el pago, la inscripción o la elegibilidad ' +
      'para beneficios a la autorización, declarando que la entidad cubierta no puede condicionar el ' +
      'tratamiento, el pago, la inscripción o la elegibilidad para beneficios a que la persona firme la ' +
      'autorización cuando se aplica la prohibición de condicionar autorizaciones del párrafo (b)(4).';
    expect(fernandezHuerta(law).ease).toBeLessThan(40);
  });
});

describe('AUTH-7: the Spanish form is in plain Spanish, and both forms are plain', () => {
  it('AUTH-7: the words a Spanish client reads are easy (Fernández-Huerta ≥ 70, ≤ 14 words a sentence); the English form is read on the same scale (Flesch ≥ 70)', () => {
    const es = fernandezHuerta(formProse(authorizationFormEs(facts).blocks));
    const en = fleschReadingEase(
      formProse(authorizationForm({ ...facts, purpose: 'Life insurance' }).blocks),
    );
    console.log(
      `authorization form readability — es: Fernández-Huerta ${es.ease.toFixed(1)}, ${es.wordsPerSentence.toFixed(1)} words/sentence, ${es.words} words; ` +
        `en: Flesch ${en.ease.toFixed(1)}, ${en.wordsPerSentence.toFixed(1)} words/sentence, ${en.words} words`,
    );
    expect(es.words).toBeGreaterThan(150);
    expect(es.ease).toBeGreaterThanOrEqual(70);
    expect(es.wordsPerSentence).toBeLessThanOrEqual(14);
    expect(en.ease).toBeGreaterThanOrEqual(70);
    expect(en.wordsPerSentence).toBeLessThanOrEqual(14);
    // Headings, labels and the filled-in facts included, it stays plain too.
    expect(fernandezHuerta(allText(authorizationFormEs(facts))).ease).toBeGreaterThanOrEqual(65);
  });

  it('AUTH-1, AUTH-2, AUTH-7: every core element and required statement is there in Spanish, pre-filled', () => {
    const form = authorizationFormEs(facts);
    const text = allText(form);
    expect(form.title).toBe('Su permiso para compartir sus expedientes');
    // AUTH-1: who may disclose, who receives, what (classes and dates in words), why, until when.
    expect(text).toContain('Riverbend Counseling los compartirá.');
    expect(text).toContain('Nombre: Northwind Life Insurance');
    expect(text).toContain('Organización: Underwriting Department');
    expect(text).toContain('Dirección: 400 Harbor Way, Seattle, WA 98101');
    expect(text).toContain('Correo electrónico: claims@northwind.test');
    expect(text).toContain('Notas de progreso: notas de sus citas');
    expect(text).toContain('Registros de cobro: sus cuentas y sus pagos');
    expect(text).toContain('Expedientes del 1 de enero de 2025 al 30 de junio de 2026.');
    expect(text).toContain('El motivo: Solicitud de seguro de vida.');
    expect(text).toContain(
      'Este permiso termina un año después de la fecha en que usted firme este formulario.',
    );
    expect(text).toContain('Fecha de nacimiento: 12 de abril de 1990');
    // AUTH-4: psychotherapy notes are left out of a general form, and it says so.
    expect(text).toContain('Este formulario no sirve para las notas de psicoterapia.');
    expect(text).not.toContain('Notas de psicoterapia:');
    // AUTH-2: the three statements of 164.508(c)(2): revoke in writing and how, no conditioning, redisclosure.
    expect(text).toContain('Usted puede retirar (cancelar) este permiso cuando quiera.');
    expect(text).toContain(
      'escríbanos una carta y fírmela. Envíela por correo o tráigala a Dana Cho, en Riverbend Counseling.',
    );
    expect(text).toContain('privacy@riverbend.test');
    expect(text).toContain('No deshace lo que ya compartimos.');
    expect(text).toContain('Si no lo firma, le seguiremos atendiendo.');
    expect(text).toContain('es posible que la ley federal de privacidad ya no los proteja.');
    // AUTH-7: the signer gets a copy.
    expect(text).toContain('Usted recibirá una copia de este formulario cuando lo firme.');
    // AUTH-1: signature, date, and a representative's authority.
    expect(text).toContain('Firma del cliente o de su representante');
    expect(text).toContain('Fecha de la firma');
    expect(text).toContain('Si no es el cliente: por qué puede firmar por él o ella');
    // The same sections as the English form, one for one.
    const headings = (b: LetterBlock[]) => b.filter((x) => x.type === 'heading').length;
    expect(headings(form.blocks)).toBe(headings(authorizationForm(facts).blocks));
    expect(text).not.toMatch(/\b(the|you|your|records)\b/);
  });

  it('AUTH-4, AUTH-1: the separate form for psychotherapy notes, with an expiry date and no purpose given', () => {
    const form = authorizationFormEs({
      ...facts,
      documentClasses: ['psychotherapy_notes'],
      leftOut: [],
      psychotherapyNotesOnly: true,
      purpose: null,
      expiresOn: '2027-12-31',
      dateFrom: null,
      dateTo: null,
    });
    const text = allText(form);
    expect(form.title).toBe('Su permiso para compartir notas de psicoterapia');
    expect(text).toContain('Este formulario es solo para notas de psicoterapia.');
    expect(text).toContain('El motivo: A petición mía.');
    expect(text).toContain('Este permiso termina el 31 de diciembre de 2027.');
    expect(text).toContain(
      'Expedientes de cualquier fecha, hasta la fecha en que usted firme este formulario.',
    );
    expect(text).not.toContain('Notas de progreso');
    expect(fernandezHuerta(formProse(form.blocks)).ease).toBeGreaterThanOrEqual(70);
  });
});
