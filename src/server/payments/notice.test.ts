// The 'payment received' notice's words (issue 7; rule REL-2): the request number, the amount, what
// happens next and who to contact, in the request's language.
import { describe, expect, it } from 'vitest';
import { paymentNotice } from './notice.js';

const facts = {
  requestNumber: 'R-2026-0007',
  amountCents: 2500,
  practice: { name: 'Riverbend Counseling', phone: '555-0100', email: 'records@riverbend.test' },
  link: 'https://desk.test/portal/requests/R-2026-0007',
};

describe('payment received notice', () => {
  it('REL-2: in English by default, with the number, amount, link and contact only', () => {
    const n = paymentNotice(facts);
    expect(n.subject).toBe('Your records request R-2026-0007: payment received');
    expect(n.text).toContain('$25.00');
    expect(n.text).toContain(facts.link);
    expect(n.text).toContain('555-0100');
  });

  it('REL-2: in Spanish (usted) for a request made in Spanish', () => {
    const n = paymentNotice(facts, 'es');
    expect(n.subject).toBe('Su solicitud de expedientes R-2026-0007: pago recibido');
    expect(n.text).toContain('Recibimos su pago de US$25.00');
    expect(n.text).toContain(facts.link);
    expect(n.text).toContain('llame al 555-0100 o escriba a records@riverbend.test (Riverbend Counseling).');
    expect(n.text).not.toMatch(/\b(the|your|payment)\b/i);
  });
});
