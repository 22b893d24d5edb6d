import { describe, expect, it } from 'vitest';
import { findUnstorableText, unstorablePartText, unstorableTextError } from './text-input.js';

describe('findUnstorableText (issue 8 fuzz finding)', () => {
  it('finds a NUL or a lone surrogate wherever it is, and leaves whole emoji and ordinary text alone', () => {
    expect(findUnstorableText({ a: 'ok', b: ['x', 'a\u0000b'] }, 'body')).toBe('body.b.1');
    expect(findUnstorableText({ t: 'x\ud800' }, 'body')).toBe('body.t');
    expect(findUnstorableText({ t: '\udfffx' }, 'body')).toBe('body.t');
    expect(findUnstorableText({ 'k\u0000': 1 }, 'body')).toBe('body.k?');
    expect(findUnstorableText({ t: '👩‍👩‍👧 \u202e tab\tnew\nline é' }, 'body')).toBeNull();
    expect(findUnstorableText(Buffer.from([0]), 'body')).toBeNull();
    expect(findUnstorableText(undefined, 'body')).toBeNull();
  });
});

describe('unstorablePartText (a multipart part: streamed, so not seen by the hook)', () => {
  it('names the field, the file name or the value that holds a NUL or a lone surrogate', () => {
    expect(unstorablePartText({ fieldname: 'file', filename: 'a\u0000.pdf' })).toBe('body.file.filename');
    expect(unstorablePartText({ fieldname: 'file', filename: '\ud800.pdf' })).toBe('body.file.filename');
    expect(unstorablePartText({ fieldname: 'password', value: 'x\u0000' })).toBe('body.password');
    expect(unstorablePartText({ fieldname: 'pur\u0000pose', value: 'record' })).toBe('body.pur?pose');
    expect(unstorablePartText({ fieldname: 'file', filename: 'Notas de María 👩‍⚕️.pdf' })).toBeNull();
    expect(unstorablePartText({ fieldname: 'purpose', value: 'record' })).toBeNull();
  });

  it('refuses with the words the hook uses', () => {
    const err = unstorableTextError('body.file.filename');
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe(
      'Please check: body.file.filename (must not contain a NUL character or a broken Unicode character)',
    );
  });
});
