import { describe, expect, it } from 'vitest';
import {
  checkFileContent,
  contentDisposition,
  isEncryptedPdf,
  sanitizeFileName,
  sniffContentType,
} from './content.js';

const pdf = (s: string) => Buffer.from(s, 'latin1');
const CATALOG = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n';

describe('the type is read from the bytes', () => {
  it.each([
    ['%PDF-1.4 …', 'application/pdf'],
    ['\x89PNG\r\n\x1a\n…', 'image/png'],
    ['\xff\xd8\xff\xe0…', 'image/jpeg'],
    ['GIF89a', null],
    ['%PD', null],
    ['<html>', null],
    ['', null],
  ])('%j → %s', (start, type) => {
    expect(sniffContentType(Buffer.from(start, 'latin1'))).toBe(type);
  });
});

describe('a password-protected PDF is recognised by its trailer', () => {
  it('a classic trailer naming /Encrypt', () => {
    const body = `${CATALOG}trailer\n<< /Size 3 /Root 1 0 R /Encrypt 2 0 R >>\nstartxref\n9\n%%EOF\n`;
    expect(isEncryptedPdf(pdf(body))).toBe(true);
  });

  it('the cross-reference stream of a PDF 1.5+ naming /Encrypt', () => {
    const body = `${CATALOG}5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Encrypt 4 0 R /Length 3 >>\nstream\nabc\nendstream\nendobj\nstartxref\n60\n%%EOF\n`;
    expect(isEncryptedPdf(pdf(body))).toBe(true);
  });

  it('the first trailer of a linearized file or the last of an incremental update', () => {
    const plain = 'trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n';
    const locked = 'trailer\n<< /Size 4 /Root 1 0 R /Prev 9 /Encrypt 3 0 R >>\nstartxref\n99\n%%EOF\n';
    expect(isEncryptedPdf(pdf(`${CATALOG}${plain}${locked}`))).toBe(true);
    expect(isEncryptedPdf(pdf(`${CATALOG}${locked}${plain}`))).toBe(true);
  });

  it('not a PDF that merely mentions /Encrypt in its text, nor a plain one', () => {
    const text = `${CATALOG}4 0 obj\n<< /Length 40 >>\nstream\nBT (/Encrypt is a PDF key) Tj ET\nendstream\nendobj\n`;
    const trailer = 'trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n';
    expect(isEncryptedPdf(pdf(`${text}${trailer}`))).toBe(false);
    expect(isEncryptedPdf(pdf(`${CATALOG}${trailer}`))).toBe(false);
    expect(
      isEncryptedPdf(pdf(`${CATALOG}trailer\n<< /Size 2 /EncryptionNote 1 >>\nstartxref\n9\n%%EOF`)),
    ).toBe(false);
  });
});

describe('checkFileContent answers the precise refusal', () => {
  it.each([
    [Buffer.alloc(0), 400],
    [Buffer.from('hello'), 415],
    [pdf(`${CATALOG}trailer\n<< /Encrypt 2 0 R >>\nstartxref\n0\n%%EOF`), 422],
  ])('%#', (data, status) => {
    expect(() => checkFileContent(data)).toThrow(expect.objectContaining({ statusCode: status }));
  });

  it('accepts a plain PDF as application/pdf', () => {
    expect(checkFileContent(pdf(`${CATALOG}%%EOF`))).toBe('application/pdf');
  });
});

describe('file names are made safe', () => {
  it.each([
    ['../../etc/passwd.pdf', 'application/pdf', 'passwd.pdf'],
    ['C:\\Users\\me\\scan.PDF', 'application/pdf', 'scan.PDF'],
    ['pa\u0000ss\u0007wd\u202E.pdf', 'application/pdf', 'passwd.pdf'],
    ['report.exe', 'application/pdf', 'report.exe.pdf'],
    ['photo.jpeg', 'image/jpeg', 'photo.jpeg'],
    ['photo', 'image/jpeg', 'photo.jpg'],
    ['..', 'image/png', 'file.png'],
    ['', 'application/pdf', 'file.pdf'],
    [undefined, 'application/pdf', 'file.pdf'],
    ['  spaced\tout   name .pdf ', 'application/pdf', 'spaced out name.pdf'],
    ['Jose\u0301.pdf', 'application/pdf', 'José.pdf'],
    ['a<b>:c|d?.pdf', 'application/pdf', 'abcd.pdf'],
  ] as const)('%j (%s) → %j', (raw, type, expected) => {
    expect(sanitizeFileName(raw, type)).toBe(expected);
  });

  it('keeps at most 200 characters, the extension included, without splitting a character', () => {
    expect(sanitizeFileName(`${'x'.repeat(500)}.pdf`, 'application/pdf')).toHaveLength(200);
    const emoji = sanitizeFileName(`${'😀'.repeat(150)}.png`, 'image/png');
    expect(emoji.length).toBeLessThanOrEqual(200);
    expect(emoji).toBe(`${'😀'.repeat(98)}.png`);
  });
});

describe('Content-Disposition', () => {
  it('offers an ASCII fallback and the exact UTF-8 name (RFC 8187)', () => {
    expect(contentDisposition('a "b" \\c (1)*.pdf')).toBe(
      `attachment; filename="a _b_ _c (1)*.pdf"; filename*=UTF-8''a%20%22b%22%20%5Cc%20%281%29%2A.pdf`,
    );
    expect(contentDisposition('Zoë.pdf')).toBe(
      `attachment; filename="Zo_.pdf"; filename*=UTF-8''Zo%C3%AB.pdf`,
    );
  });
});
