import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pdfPageCount, pdfText, qpdfCheck } from '../../../test/support/pdf.js';
import { type LetterInput, renderLetter } from './letter.js';

const base: LetterInput = {
  letterhead: {
    practiceName: 'Cedar Grove Counseling',
    lines: ['Privacy officer: Dana Cho, (555) 010-2000'],
  },
  reference: 'R-2026-0042',
  date: '28 November 2026',
  recipient: ['Łukasz Nowak', 'for Nguyễn Thị Ngọc'],
  title: 'Your request for records',
  blocks: [
    { type: 'paragraph', text: 'We received your request on 2 November 2026.' },
    { type: 'list', items: ['First thing', 'Second thing'] },
    { type: 'fields', rows: [['New date', '2 January 2027']] },
  ],
  footerNotice: 'Confidential: this letter is about a client of the practice.',
  createdAt: new Date('2026-11-28T12:00:00Z'),
};

describe('renderLetter', () => {
  it('writes a sound PDF whose words, including names outside WinAnsi, can be read back', async () => {
    const pdf = await renderLetter(base);
    await expect(qpdfCheck(pdf)).resolves.toContain('No syntax or stream encoding errors');
    const text = await pdfText(pdf);
    expect(text).toContain('Łukasz Nowak');
    expect(text).toContain('Nguyễn Thị Ngọc');
    expect(text).toContain('Your request for records');
    expect(text).toContain('R-2026-0042 · Page 1 of 1');
    expect(text).toMatch(/New date\s+2 January 2027/);
  });

  it('numbers every page "Page N of M" and repeats the reference when a table runs over pages', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [
      `2026-0${(i % 9) + 1}-01`,
      `Recipient ${i + 1}`,
      'Records',
    ]);
    const pdf = await renderLetter({
      ...base,
      blocks: [{ type: 'table', columns: ['Date', 'To', 'What'], widths: [1, 2, 2], rows, empty: 'None' }],
    });
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThan(2);
    const text = await pdfText(pdf);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
    expect(text).toContain('Recipient 120');
    await qpdfCheck(pdf);
  });

  it('cuts a word longer than the line instead of letting it run off the page', async () => {
    const long = 'x'.repeat(400);
    const pdf = await renderLetter({ ...base, blocks: [{ type: 'paragraph', text: long }] });
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain(long);
  });

  it('is the same bytes when rendered twice from the same input (a letter can be re-checked)', async () => {
    const hash = async () =>
      createHash('sha256')
        .update(await renderLetter(base))
        .digest('hex');
    expect(await hash()).toBe(await hash());
  });
});
