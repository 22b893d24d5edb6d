import { describe, expect, it } from 'vitest';
import { findUnstorableText } from './text-input.js';

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
