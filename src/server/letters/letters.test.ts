// The words of the letters to requesters, checked as plain facts go in: each letter says what
// happened, what it means, what the reader can do and who to call, without the rule IDs and CFR
// citations staff see.
import { describe, expect, it } from 'vitest';
import { pdfText, qpdfCheck } from '../../../test/support/pdf.js';
import type { LetterInput } from '../pdf/letter.js';
import { renderLetter } from '../pdf/letter.js';
import { denialLetter, denialMessage, HHS_OCR, releasedAndWithheld } from './denial-letter.js';
import { denialReviewLetter } from './denial-review-outcome.js';
import { extensionLetter } from './extension-notice.js';
import { describeRecords, type LetterFacts, letterhead } from './letterhead.js';
import { noRecordsLetter } from './no-records-letter.js';

const practice = {
  name: 'Cedar Grove Counseling',
  privacyOfficerName: 'Pat Privacy',
  privacyOfficerPhone: '555-0100',
  privacyOfficerEmail: 'privacy@cedar.test',
};
const facts: LetterFacts = {
  practice,
  recipient: { name: 'Alex Client', address: '12 Elm Street\nSpringfield, WA 98000' },
  number: 'R-2026-0042',
  date: 'Friday 20 November 2026',
  createdAt: new Date('2026-11-20T18:00:00Z'),
};
const requested = {
  documentClasses: ['progress_notes', 'treatment_plans'],
  dateFrom: '2025-01-01',
  dateTo: '2026-06-30',
};
const denial = {
  ...facts,
  kind: 'client_access' as const,
  clientName: 'Alex Client',
  received: 'Monday 2 November 2026',
  requested,
  explanation: 'Dr. Rivera is worried that reading these notes now could put you at risk.',
};

/** Everything a reader sees, as one string. */
function words(letter: LetterInput): string {
  return [
    letter.title,
    ...letter.recipient!,
    ...letter.blocks.flatMap((b) => {
      switch (b.type) {
        case 'heading':
        case 'paragraph':
          return [b.text];
        case 'list':
          return b.items;
        case 'fields':
          return b.rows.map(([k, v]) => `${k}: ${v}`);
        default:
          return [];
      }
    }),
  ].join('\n');
}

describe('letters to requesters', () => {
  it('the letterhead names the privacy officer with phone and email; missing ones are left out', () => {
    expect(letterhead(practice)).toEqual({
      practiceName: 'Cedar Grove Counseling',
      lines: ['Privacy officer: Pat Privacy · 555-0100 · privacy@cedar.test'],
    });
    expect(letterhead({ ...practice, privacyOfficerPhone: null, privacyOfficerEmail: null }).lines).toEqual([
      'Privacy officer: Pat Privacy',
    ]);
  });

  it('records are described in words: "Progress notes and treatment plans, from … to …"', () => {
    expect(describeRecords(['progress_notes', 'treatment_plans'], '2025-01-01', '2026-06-30')).toBe(
      'Progress notes and treatment plans, from 1 January 2025 to 30 June 2026',
    );
    expect(describeRecords(['billing'])).toBe('Billing records (all dates)');
  });

  it('TIME-2: the extension letter gives the reason, both dates, that it is the only one, and who to call', () => {
    const text = words(
      extensionLetter({
        ...facts,
        received: 'Monday 2 November 2026',
        originalDue: 'Wednesday 2 December 2026',
        newDue: 'Friday 1 January 2027',
        reason: 'Part of the records are kept off site.',
      }),
    );
    expect(text).toContain('Part of the records are kept off site.');
    expect(text).toContain('First date: Wednesday 2 December 2026');
    expect(text).toContain('New date: Friday 1 January 2027');
    expect(text).toContain('This is the only extension we can take');
    expect(text).toContain('Pat Privacy, our privacy officer, by phone at 555-0100');
    expect(text).not.toMatch(/TIME-2|164\.524/);
  });

  it('REV-4: a reviewable denial explains the ground, the review right and how to ask, and how to complain to HHS', () => {
    const letter = denialLetter({ ...denial, ground: 'endanger_life_or_safety', partial: null });
    const text = words(letter);
    expect(letter.title).toBe('We are not able to give you the records you asked for');
    expect(text).toContain('likely to put your life or physical safety, or someone else’s, at risk');
    expect(text).toContain('Dr. Rivera is worried');
    expect(text).toContain('You can ask for a review of this decision');
    expect(text).toContain('who took no part in this decision');
    expect(text).toContain('write to or call Pat Privacy, our privacy officer');
    expect(text).toContain(`Address: ${HHS_OCR.address}`);
    expect(text).toContain('Phone: 1-800-368-1019');
    expect(text).toContain('Online: www.hhs.gov/ocr/complaints');
    expect(text).toContain('Privacy officer: Pat Privacy');
    expect(text).not.toMatch(/REV-\d|164\.524|endanger_life/);
  });

  it('REV-3: an unreviewable ground says plainly there is no review, and still how to complain', () => {
    const text = words(denialLetter({ ...denial, ground: 'psychotherapy_notes', partial: null }));
    expect(text).toContain('psychotherapy notes');
    expect(text).toContain('This decision cannot be reviewed');
    expect(text).not.toContain('You can ask for a review');
    expect(text).toContain(HHS_OCR.name);
    const note = denialMessage({ ...facts, ground: 'psychotherapy_notes', partial: null }, 'x.pdf');
    expect(note.body).not.toContain('review');
  });

  it('REV-5: a partial denial lists what is released and what is withheld, and by when', () => {
    expect(
      releasedAndWithheld(requested, { documentClasses: ['progress_notes'], dateFrom: '2026-01-01' }),
    ).toEqual({
      released: ['Progress notes, from 1 January 2026 to 30 June 2026'],
      withheld: [
        'Treatment plans, from 1 January 2025 to 30 June 2026',
        'Progress notes dated before 1 January 2026',
      ],
    });
    const letter = denialLetter({
      ...denial,
      ground: 'harm_to_referenced_person',
      partial: { approved: { documentClasses: ['progress_notes'] }, releaseBy: 'Wednesday 2 December 2026' },
    });
    const text = words(letter);
    expect(letter.title).toBe('We can give you only part of the records you asked for');
    expect(text).toMatch(/What we will send you\nProgress notes, from 1 January 2025 to 30 June 2026/);
    expect(text).toMatch(/What we are holding back\nTreatment plans, from 1 January 2025/);
    expect(text).toContain('We will send these by Wednesday 2 December 2026 at the latest.');
  });

  it('REV-4: the review outcome: upheld says it is final and how to complain; overturned says records will come', () => {
    const base = { ...denial, ground: 'endanger_life_or_safety' as const };
    const upheld = words(denialReviewLetter({ ...base, outcome: 'upheld' }));
    expect(upheld).toContain('The reviewer agreed with the decision');
    expect(upheld).toContain('cannot be reviewed again here');
    expect(upheld).toContain(HHS_OCR.address);
    const overturned = words(denialReviewLetter({ ...denial, outcome: 'overturned' }));
    expect(overturned).toContain('You will get the records');
    expect(overturned).not.toContain(HHS_OCR.address);
  });

  it('REV-7: the no-records letter says none are held, and where to ask instead (or that we do not know)', () => {
    const base = {
      ...facts,
      asked: 'your records',
      received: 'Monday 2 November 2026',
      requested,
      writtenAnswer: 'Our records start in 2027.',
    };
    const known = words(noRecordsLetter({ ...base, whereToAsk: 'Lakeside Clinic, 555-0199' }));
    expect(known).toContain('we do not hold any of these records');
    expect(known).toContain('Our records start in 2027.');
    expect(known).toMatch(/These records may be held by:\nLakeside Clinic, 555-0199/);
    const unknown = words(noRecordsLetter({ ...base, whereToAsk: null }));
    expect(unknown).toContain('We do not know who holds these records.');
  });

  it('REV-5: the denial letter renders to a sound PDF whose words can be read back', async () => {
    const pdf = await renderLetter(
      denialLetter({ ...denial, ground: 'endanger_life_or_safety', partial: null }),
    );
    await qpdfCheck(pdf);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('200 Independence Avenue SW, Washington, DC 20201');
    expect(text).toContain('12 Elm Street');
    expect(text).toContain('R-2026-0042 · Page 1 of');
  });
});
