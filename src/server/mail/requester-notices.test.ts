// The requester notices' words (issue 5; REL-2, SEC-5): a table of every notice against the facts it
// may carry, and the template checks an admin's override goes through.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATES,
  type NoticeFacts,
  REQUESTER_NOTICE_KINDS,
  type RequesterNoticeKind,
  renderTemplate,
  requesterNotice,
  TEMPLATE_KEYS,
  TEMPLATE_PLACEHOLDERS,
  templateFor,
  unknownPlaceholders,
} from './requester-notices.js';

const facts: NoticeFacts = {
  requestNumber: 'R-2027-0042',
  practice: { name: 'Riverbend Counseling', phone: '555-0100', email: 'privacy@riverbend.test' },
  dueDate: 'Friday 26 March 2027',
  link: 'https://records.example/portal/requests/R-2027-0042',
  feeTotalCents: 2550,
  endStage: 'withdrawn',
  method: 'mail',
};

const table: { kind: RequesterNoticeKind; subject: RegExp; says: string[] }[] = [
  {
    kind: 'requester_acknowledgement',
    subject: /received your records request R-2027-0042/,
    says: ['Its number is R-2027-0042', 'We will answer by Friday 26 March 2027', 'What happens next'],
  },
  {
    kind: 'requester_fee_quote',
    subject: /R-2027-0042: the fee/,
    says: ['is $25.50', 'nothing is charged until you agree'],
  },
  {
    kind: 'requester_status',
    subject: /R-2027-0042: withdrawn at your request/,
    says: ['is now closed: withdrawn at your request', 'You may make a new request'],
  },
  {
    kind: 'requester_ready',
    subject: /R-2027-0042: records released/,
    says: ['were released', 'sent by post'],
  },
];

describe('requester notices (issue 5, REL-2, SEC-5)', () => {
  it.each(table)(
    'REL-2: $kind says the request number, what happens next and who to contact',
    ({ kind, subject, says }) => {
      const n = requesterNotice(kind, facts);
      expect(n.subject).toMatch(subject);
      for (const s of says) expect(n.text).toContain(s);
      expect(n.text).toContain('call 555-0100 or email privacy@riverbend.test (Riverbend Counseling)');
      expect(n.text).toContain('please do not send health information by email');
      expect(`${n.subject}\n${n.text}`).not.toMatch(/\{\{/);
    },
  );

  it('REL-2, SEC-5: no notice offers a placeholder for a client, a kind of record or any content', () => {
    const offered = new Set(REQUESTER_NOTICE_KINDS.flatMap((k) => TEMPLATE_PLACEHOLDERS[k]));
    for (const name of offered) expect(name).not.toMatch(/client|diagnos|note|document|kind|purpose/i);
  });

  it('every shipped template uses only its own placeholders', () => {
    for (const key of TEMPLATE_KEYS) expect(unknownPlaceholders(key, DEFAULT_TEMPLATES[key])).toEqual([]);
  });

  it.each([
    { text: 'Hello {{clientName}}', unknown: ['clientName'] },
    {
      text: '{{ requestNumber }} {{diagnosis}} {{diagnosis}} {{feeTotal}}',
      unknown: ['diagnosis', 'feeTotal'],
    },
    { text: 'Due {{dueDate}}, see {{link}}', unknown: [] },
  ])('an override with $unknown unknown placeholders is refused by name', ({ text, unknown }) => {
    expect(
      unknownPlaceholders('requester_acknowledgement', { subject: 'S {{requestNumber}}', text }),
    ).toEqual(unknown);
  });

  it("a practice's override is used; a missing or blank half takes the shipped words", () => {
    const custom = requesterNotice('requester_acknowledgement', facts, {
      requester_acknowledgement: { subject: 'Got it: {{requestNumber}}', text: ' ' },
    });
    expect(custom.subject).toBe('Got it: R-2027-0042');
    expect(custom.text).toBe(requesterNotice('requester_acknowledgement', facts).text);
    expect(templateFor('requester_status', {}).subject).toBe(DEFAULT_TEMPLATES.requester_status.subject);
  });

  it('values are filled once (a value is never read as a template) and a subject stays one line', () => {
    const r = renderTemplate({ subject: '{{a}}', text: '{{a}} {{b}}' }, { a: 'x\r\ny', b: '{{a}}' });
    expect(r.subject).toBe('x y');
    expect(r.text).toBe('x\r\ny {{a}}');
  });

  it.each([
    { cents: 0, expected: 'no charge' },
    { cents: 650, expected: '$6.50' },
  ])('FEE-3: a quote of $cents cents reads "$expected"', ({ cents, expected }) => {
    expect(requesterNotice('requester_fee_quote', { ...facts, feeTotalCents: cents }).text).toContain(
      expected,
    );
  });

  it('without a phone or email the practice is named as the contact', () => {
    const n = requesterNotice('requester_status', {
      ...facts,
      practice: { name: 'Riverbend Counseling', phone: null, email: null },
    });
    expect(n.text).toContain('Questions? contact Riverbend Counseling.');
  });
});
