// The words of each email (REL-2, SEC-5) and the pure helpers of the mail module.
import { describe, expect, it } from 'vitest';
import { mailConfigFromEnv } from '../config.js';
import { bareAddress, newReplyToken, normalizeReferences, replyAddress, tokensIn } from './addresses.js';
import { type ComposeInput, composeEmail, initials } from './compose.js';
import { automaticReason } from './loops.js';
import { trimReply } from './trim.js';

const base: ComposeInput = {
  thread: 'requester',
  kind: 'message',
  subject: 'Release of records R-2027-0001',
  body: 'Your PTSD assessment is included.',
  authorName: 'Ana Support',
  writtenByPerson: true,
  requestNumber: 'R-2027-0001',
  requestId: '00000000-0000-4000-8000-000000000001',
  clientInitials: 'M.C.',
  practiceName: 'Riverbend Counseling',
  publicUrl: 'https://records.example',
  includeStaffMessageText: true,
};

describe('REL-2 email words', () => {
  it('REL-2: an email to the requester never carries the thread text, even with the staff opt-in', () => {
    const e = composeEmail(base);
    expect(e.text).not.toContain('PTSD');
    expect(e.html).not.toContain('PTSD');
    expect(e.subject).toContain('R-2027-0001');
    expect(e.text).toContain('Ana Support at Riverbend Counseling');
  });
  it("REL-2: the secure link's code goes verbatim (its purpose) and is marked as carrying a code", () => {
    const e = composeEmail({
      ...base,
      kind: 'secure_link_code',
      subject: 'Your code',
      body: 'Your confirmation code is 123456.',
    });
    expect(e.text).toContain('123456');
    expect(e.carriesCode).toBe(true);
  });
  it("SEC-5: a staff member's internal message is not emailed by default; the opt-in includes it", () => {
    const off = composeEmail({ ...base, thread: 'internal', includeStaffMessageText: false });
    expect(off.text).not.toContain('PTSD');
    expect(off.text).toContain('client M.C.');
    const on = composeEmail({ ...base, thread: 'internal' });
    expect(on.text).toContain('PTSD');
  });
  it('instructions written by Release Desk go with the client initials', () => {
    const e = composeEmail({
      ...base,
      thread: 'internal',
      kind: 'instructions',
      writtenByPerson: false,
      authorName: null,
      body: 'Task #1: discuss.',
    });
    expect(e.text).toContain('Task #1: discuss.');
    expect(e.text).toContain('client M.C.');
    expect(initials('maya', 'client-x')).toBe('M.C.');
  });
});

describe('addresses, loops and trimming', () => {
  const mail = mailConfigFromEnv({ MAIL_FROM: 'R <records@practice.test>' });
  it('reply tokens are 26 base32 characters (128 bits) and are found again in any recipient header', () => {
    const token = newReplyToken();
    expect(token).toMatch(/^[a-z2-7]{26}$/);
    expect(tokensIn(mail, [`"X" <${replyAddress(mail, token).toUpperCase()}>`, 'other@x.test'])).toEqual([
      token,
    ]);
    expect(tokensIn(mail, [`records+${token}@other.test`])).toEqual([]);
    expect(bareAddress('Ana <Ana@X.org>')).toBe('ana@x.org');
    expect(normalizeReferences('<a@b> <c@d>')).toEqual(['<a@b>', '<c@d>']);
    expect(normalizeReferences('<a@b>')).toEqual(['<a@b>']);
  });
  it('automatic mail is recognised', () => {
    const h = (headers: Record<string, string>) => ({ get: (n: string) => headers[n] });
    expect(automaticReason(h({ 'auto-submitted': 'no' }))).toBeNull();
    expect(automaticReason(h({ 'auto-submitted': 'auto-generated' }))).toMatch(/auto-submitted/);
    expect(automaticReason(h({ precedence: 'junk' }))).toMatch(/precedence/);
    expect(automaticReason({ ...h({}), envelopeFrom: '' })).toMatch(/bounce/);
    expect(
      automaticReason({ ...h({}), fromAddress: 'records@practice.test' }, ['records@practice.test']),
    ).toMatch(/itself/);
  });
  it('quoted history and signatures are trimmed for display', () => {
    expect(trimReply('Yes.\n\nOn Tue, 2 Mar 2027, Ana <a@b> wrote:\n> old')).toBe('Yes.');
    expect(trimReply('Yes.\n-----Original Message-----\nFrom: x')).toBe('Yes.');
    expect(trimReply('Yes.\n\nFrom: Ana\nSent: Monday\nTo: x\n\nold')).toBe('Yes.');
    expect(trimReply('Yes.\n-- \nDr. X')).toBe('Yes.');
    expect(trimReply('> only a quote')).toBe('> only a quote');
  });
});
