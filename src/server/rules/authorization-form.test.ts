import { describe, expect, it } from 'vitest';
import { type AuthorizationFormFacts, authorizationForm, formProse } from './authorization-form.js';
import { countSyllables, fleschKincaid, sentencesOf } from './readability.js';

const facts: AuthorizationFormFacts = {
  practice: {
    name: 'Riverbend Counseling',
    privacyOfficerName: 'Dana Cho',
    privacyOfficerEmail: 'privacy@riverbend.test',
    privacyOfficerPhone: '(555) 010-2000',
  },
  client: { name: 'Alex Client', dateOfBirth: '1990-04-12', address: '12 Elm Street\nSpringfield, WA 98000' },
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
  purpose: 'Life insurance underwriting',
  expiresOn: null,
  expiryEvent: null,
  psychotherapyNotesOnly: false,
};

/** Everything the form prints, headings and filled-in facts included. */
function allText(form: ReturnType<typeof authorizationForm>): string {
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

describe('AUTH-7: the syllable counter and the Flesch–Kincaid grade', () => {
  it.each([
    ['the', 1],
    ['form', 1],
    ['share', 1],
    ['notes', 1],
    ['signed', 1],
    ['records', 2],
    ['revoke', 2],
    ['people', 2],
    ['agree', 2],
    ['copies', 2],
    ['needed', 2],
    ['permission', 3],
    ['releases', 3],
    ['protected', 3],
    ['information', 4],
    ['authorization', 5],
    ['psychotherapy', 5],
  ])('AUTH-7: %s has %i syllable(s)', (word, n) => {
    expect(countSyllables(word)).toBe(n);
  });

  it('AUTH-7: a first reader scores low, the regulation itself scores far above grade 8', () => {
    expect(fleschKincaid('The cat sat on the mat. We like the cat.').grade).toBeLessThan(2);
    // 45 CFR 164.508(c)(2)(ii), as the law words it.
    const law =
      'The ability or inability to condition treatment, payment, enrollment or eligibility for benefits on the ' +
      'authorization, by stating either the covered entity may not condition treatment, payment, enrollment or ' +
      'eligibility for benefits on whether the individual signs the authorization when the prohibition on ' +
      'conditioning of authorizations in paragraph (b)(4) of this section applies.';
    expect(fleschKincaid(law).grade).toBeGreaterThan(14);
  });

  it('AUTH-7: sentences end at a stop or a line break', () => {
    expect(sentencesOf('One. Two!\nThree')).toEqual(['One.', 'Two!', 'Three']);
  });
});

describe("AUTH-7: the practice's authorization form is in plain language", () => {
  it('AUTH-7: the words a client reads are at or below grade 8 (Flesch–Kincaid)', () => {
    const form = authorizationForm(facts);
    const score = fleschKincaid(formProse(form.blocks));
    expect(score.words).toBeGreaterThan(150);
    expect(score.grade).toBeLessThanOrEqual(8);
    // Labels, headings and the filled-in facts included, it stays plain too.
    expect(fleschKincaid(allText(form)).grade).toBeLessThanOrEqual(8);
  });

  it('AUTH-7: so is the separate form for psychotherapy notes, with an expiry event', () => {
    const form = authorizationForm({
      ...facts,
      documentClasses: ['psychotherapy_notes'],
      leftOut: [],
      psychotherapyNotesOnly: true,
      purpose: null,
      expiryEvent: 'when my insurance claim is closed',
    });
    expect(fleschKincaid(formProse(form.blocks)).grade).toBeLessThanOrEqual(8);
    const text = allText(form);
    expect(form.title).toBe('Your permission to share psychotherapy notes');
    expect(text).toContain('This form is only for psychotherapy notes.');
    expect(text).toContain('The reason: At my request.');
    expect(text).toContain('This permission ends when my insurance claim is closed.');
    expect(text).not.toContain('Progress notes');
  });

  it('AUTH-1, AUTH-2, AUTH-7: every element and statement is there, pre-filled', () => {
    const text = allText(authorizationForm(facts));
    // AUTH-1: who may disclose, who receives, what (classes and dates in words), why, until when.
    expect(text).toContain('Riverbend Counseling will share them.');
    expect(text).toContain('Name: Northwind Life Insurance');
    expect(text).toContain('Address: 400 Harbor Way, Seattle, WA 98101');
    expect(text).toContain('Progress notes: notes from your visits');
    expect(text).toContain('Billing records: your bills and payments');
    expect(text).toContain('Records from 1 January 2025 to 30 June 2026.');
    expect(text).toContain('The reason: Life insurance underwriting.');
    expect(text).toContain('This permission ends one year after the date you sign this form.');
    // AUTH-4: psychotherapy notes are left out of a general form, and it says so.
    expect(text).toContain('This form does not cover psychotherapy notes.');
    expect(text).not.toContain('Psychotherapy notes:');
    // AUTH-2: the three statements of 164.508(c)(2), in plain words, with how to revoke.
    expect(text).toContain('You can take back (cancel) this permission at any time.');
    expect(text).toContain(
      'write us a letter and sign it. Mail it or bring it to Dana Cho at Riverbend Counseling.',
    );
    expect(text).toContain('privacy@riverbend.test');
    expect(text).toContain('We will still treat you if you do not sign.');
    expect(text).toContain(
      'may share them with others. If they do, federal privacy law may no longer protect them.',
    );
    // AUTH-7: the signer gets a copy.
    expect(text).toContain('You will get a copy of this form after you sign it.');
    // AUTH-1: signature, date, and a representative's authority.
    expect(text).toContain('Signature of client or representative');
    expect(text).toContain('Date signed');
    expect(text).toContain('If not the client: how you may sign for them');
  });

  it('AUTH-1: an expiry date is written in words', () => {
    const text = allText(authorizationForm({ ...facts, expiresOn: '2027-12-31' }));
    expect(text).toContain('This permission ends on 31 December 2027.');
  });
});
