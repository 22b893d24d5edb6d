import { describe, expect, it } from 'vitest';
import { detectLanguage, PORTAL_STAGE_OF, PORTAL_STAGES } from '../../shared/schemas/portal.js';
import { STAGES } from '../../shared/workflow-stages.js';
import { REQUESTER_NOTICE_KINDS, requesterNotice, unknownPlaceholders } from '../mail/requester-notices.js';
import { SPANISH_TEMPLATES } from '../mail/requester-notices-es.js';
import { plainStage } from './status.js';
import { maskEmail, PORTAL_WORDS } from './words.js';

describe('the requester portal’s words', () => {
  it('every workflow stage has a plain stage for the requester; a sent, unpaid invoice reads "waiting for payment"', () => {
    for (const stage of STAGES) expect(PORTAL_STAGES).toContain(PORTAL_STAGE_OF[stage]);
    expect(plainStage('preparation', true)).toBe('payment');
    expect(plainStage('invoice', true)).toBe('payment');
    expect(plainStage('preparation', false)).toBe('preparing');
    expect(plainStage('released', true)).toBe('ready');
    expect(plainStage('denied', false)).toBe('denied');
  });

  it('REL-2, SEC-5: the Spanish notices use only the placeholders the English ones may (no health information can come in)', () => {
    for (const kind of REQUESTER_NOTICE_KINDS) {
      expect(unknownPlaceholders(kind, SPANISH_TEMPLATES[kind]), kind).toEqual([]);
      expect(SPANISH_TEMPLATES[kind].text).toContain('{{link}}');
    }
  });

  it('a request in Spanish gets the Spanish notice, unless the practice wrote its own words for it', () => {
    const facts = {
      requestNumber: 'R-2027-0042',
      practice: { name: 'Riverbend Counseling', phone: '555-0100', email: null },
      dueDate: 'miércoles, 31 de marzo de 2027',
      link: 'https://desk.test/portal/requests/R-2027-0042',
      feeTotalCents: 1250,
    };
    const es = requesterNotice('requester_fee_quote', facts, undefined, 'es');
    expect(es.subject).toBe('Su solicitud de expedientes R-2027-0042: el costo');
    expect(es.text).toContain('El costo de su solicitud de expedientes R-2027-0042 es US$12.50.');
    expect(es.text).toContain('¿Preguntas? llame al 555-0100 (Riverbend Counseling).');
    const own = requesterNotice(
      'requester_fee_quote',
      facts,
      { requester_fee_quote: { subject: 'Fee {{requestNumber}}', text: 'It is {{feeTotal}}.' } },
      'es',
    );
    expect(own.subject).toBe('Fee R-2027-0042');
    expect(requesterNotice('requester_fee_quote', facts).subject).toBe(
      'Your records request R-2027-0042: the fee',
    );
  });

  it('the portal’s own words exist in both languages, and the code email carries only the code and how long it works', () => {
    expect(Object.keys(PORTAL_WORDS.es).sort()).toEqual(Object.keys(PORTAL_WORDS.en).sort());
    expect(PORTAL_WORDS.en.codeBody('Riverbend Counseling', '123456', 15)).toMatch(
      /^Your code .* is:\n\n123456\n\nIt works for 15 minutes/,
    );
    expect(PORTAL_WORDS.es.wrongCode(1)).toBe('Ese código no es correcto. Le queda 1 intento.');
    expect(maskEmail('avery@example.test')).toBe('a•••@example.test');
  });

  it('the page’s language: the remembered choice, else the browser’s first English or Spanish, else English', () => {
    expect(detectLanguage('es', ['en-US'])).toBe('es');
    expect(detectLanguage(null, ['fr-FR', 'es-MX', 'en'])).toBe('es');
    expect(detectLanguage('de', ['de-DE'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
  });
});
