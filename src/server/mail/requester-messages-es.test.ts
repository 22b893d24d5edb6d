// Issue 7: the words Release Desk posts on the requester thread, in English and in Spanish (usted):
// the extension notice (TIME-2), the denial's note (REV-3, REV-5), the review's note (REV-4), and the
// short messages (REV-7 no records, withdrawn or cancelled, REV-6 merged, AUTH-5 revoked). The
// staff's own words are carried as typed in both languages.
import { describe, expect, it } from 'vitest';
import { extensionNotice } from '../clocks/messages.js';
import { denialMessage } from '../letters/denial-letter.js';
import { denialReviewMessage } from '../letters/denial-review-outcome.js';
import {
  denialMessageEs,
  denialReviewMessageEs,
  extensionNoticeEs,
  inlineWords,
  threadLanguage,
} from './requester-messages-es.js';

const practice = {
  name: 'Riverbend Counseling',
  privacyOfficerName: 'Pat Privacy',
  privacyOfficerPhone: '555-0100',
  privacyOfficerEmail: 'privacy@riverbend.test',
};
const note = { recipient: { name: 'Ngọc Trần' }, number: 'R-2027-0042', practice };
const ENGLISH = /\b(Dear|We|Our|our|your|If you|please)\b/;

describe('the requester thread messages in both languages (issue 7)', () => {
  it('threadLanguage: Spanish only for "es"; English is the default', () => {
    expect(threadLanguage('es')).toBe('es');
    expect(threadLanguage('en')).toBe('en');
    expect(threadLanguage(null)).toBe('en');
    expect(threadLanguage('fr')).toBe('en');
  });

  it('TIME-2: the extension notice gives the reason as typed, both dates, that it is the only one, the letter and who to contact', () => {
    const base = {
      requesterName: 'Ngọc Trần',
      number: 'R-2027-0042',
      reason: 'Records kept off site.',
      practiceName: 'Riverbend Counseling',
      contact: 'Pat Privacy, 555-0100',
      letterName: 'extension-notice-R-2027-0042.pdf',
    };
    const en = extensionNotice({
      ...base,
      received: 'Monday 1 March 2027',
      originalDue: 'Wednesday 31 March 2027',
      newDue: 'Tuesday 20 April 2027',
    });
    expect(en.subject).toBe('Your records request R-2027-0042: we need more time');
    expect(en.body).toContain('We will answer by Tuesday 20 April 2027 at the latest.');
    const es = extensionNoticeEs({
      ...base,
      received: 'lunes, 1 de marzo de 2027',
      originalDue: 'miércoles, 31 de marzo de 2027',
      newDue: 'martes, 20 de abril de 2027',
    });
    expect(es.subject).toBe('Su solicitud de expedientes R-2027-0042: necesitamos más tiempo');
    expect(es.body).toContain('Estimado/a Ngọc Trần:');
    expect(es.body).toContain(
      'Recibimos su solicitud de expedientes (R-2027-0042) el lunes, 1 de marzo de 2027.',
    );
    expect(es.body).toContain('a más tardar el miércoles, 31 de marzo de 2027');
    expect(es.body).toContain('Records kept off site.');
    expect(es.body).toContain('Le responderemos a más tardar el martes, 20 de abril de 2027.');
    expect(es.body).toContain('Solo podemos tomar este tiempo adicional una vez.');
    expect(es.body).toContain('(extension-notice-R-2027-0042.pdf)');
    expect(es.body).toContain('comuníquese con Pat Privacy, 555-0100.');
    expect(es.body.replace('Records kept off site.', '')).not.toMatch(ENGLISH);
    const noContact = extensionNoticeEs({
      ...base,
      contact: null,
      letterName: null,
      received: 'x',
      originalDue: 'y',
      newDue: 'z',
    });
    expect(noContact.body).toContain('responda a este mensaje');
    expect(noContact.body).not.toContain('Adjuntamos');
  });

  it('REV-3, REV-5: the denial note says whole or part, the review right only where the ground allows it, and who to contact', () => {
    const letter = 'denial-letter-R-2027-0042.pdf';
    const en = denialMessage({ ...note, ground: 'endanger_life_or_safety', partial: null }, letter);
    expect(en.body).toContain('We are not able to give you the records you asked for.');
    const whole = denialMessageEs({ ...note, ground: 'endanger_life_or_safety', partial: null }, letter);
    expect(whole.subject).toBe('Su solicitud de expedientes R-2027-0042: nuestra decisión');
    expect(whole.body).toContain('No podemos darle los expedientes que pidió.');
    expect(whole.body).toContain('cómo pedir que se revise esta decisión');
    expect(whole.body).toContain(`La adjuntamos (${letter}).`);
    expect(whole.body).toContain('Pat Privacy, responsable de privacidad, por teléfono al 555-0100');
    expect(whole.body).not.toMatch(ENGLISH);
    const part = denialMessageEs({ ...note, ground: 'psychotherapy_notes', partial: {} }, letter);
    expect(part.body).toContain('Solo podemos darle una parte de los expedientes que pidió.');
    expect(part.body).not.toContain('revise');
    expect(part.body).toContain('cómo presentar una queja');
  });

  it('REV-4: the review note says what the reviewer decided, in each outcome', () => {
    const letter = 'denial-review-R-2027-0042.pdf';
    expect(denialReviewMessage({ ...note, outcome: 'upheld' }, letter).body).toContain('so it stands');
    const said = {
      upheld: 'así que se mantiene',
      upheld_in_part: 'recibirá algunos de los expedientes, pero no todos',
      overturned: 'recibirá los expedientes',
    } as const;
    for (const outcome of ['upheld', 'upheld_in_part', 'overturned'] as const) {
      const es = denialReviewMessageEs({ ...note, outcome }, letter);
      expect(es.subject).toBe('Su solicitud de expedientes R-2027-0042: la revisión de nuestra decisión');
      expect(es.body).toContain(said[outcome]);
      expect(es.body).toContain(`La adjuntamos (${letter}).`);
      expect(es.body).not.toMatch(ENGLISH);
    }
  });

  it('REV-7, REV-6, AUTH-5: the short messages in both languages; the written answer as typed', () => {
    const en = inlineWords('en');
    const es = inlineWords('es');
    expect(en.subject('R-1', en.noRecordsSubject)).toBe('Release of records R-1: our answer');
    expect(es.subject('R-1', es.noRecordsSubject)).toBe('Su solicitud de expedientes R-1: nuestra respuesta');
    expect(en.noRecordsAnswer('No records here.', 'County clinic')).toBe(
      'No records here.\n\nWhere to ask instead: County clinic',
    );
    expect(es.noRecordsAnswer('No tenemos expedientes.', 'Clínica del condado')).toBe(
      'No tenemos expedientes.\n\nDónde puede pedirlos: Clínica del condado',
    );
    expect(es.noRecordsAnswer('No tenemos expedientes.', null)).toBe('No tenemos expedientes.');
    expect(es.letterAttached('no-records-R-1.pdf')).toBe('Adjuntamos nuestra carta (no-records-R-1.pdf).');
    expect([en.ended('withdraw'), en.ended('cancel')]).toEqual(['withdrawn', 'cancelled']);
    expect([es.ended('withdraw'), es.ended('cancel')]).toEqual(['retirada', 'cancelada']);
    expect(en.merged('R-0').body).toContain('combined this request with your earlier request R-0');
    expect(es.merged('R-0').body).toBe(
      'Unimos esta solicitud con la que usted hizo antes, R-0, y le responderemos sobre ambas allí.',
    );
    expect(en.revoked('R-1').body).toContain('has been revoked in writing');
    expect(es.revoked('R-1')).toEqual({
      what: 'autorización revocada',
      body: 'La autorización de la solicitud R-1 fue revocada por escrito. No podemos entregar expedientes con ella. Si se firma una nueva autorización, continuaremos con la solicitud.',
    });
  });
});
