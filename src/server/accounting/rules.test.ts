// The accounting's pure rules, table-driven. The routes that apply them are proven in
// test/rules/accounting*.test.ts.
import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS } from '../../shared/request-kinds.js';
import { accountingCsv, csvField, neutraliseFormula } from './compile.js';
import {
  accountability,
  accountingFeeDecision,
  accountingPeriod,
  addYears,
  checkSuspension,
  isSuspended,
} from './rules.js';

describe('the accounting rules', () => {
  it.each([
    ['client_access', false],
    ['client_directed', false],
    ['authorization', false],
    ['subpoena', true],
    ['court_order', true],
    ['representative', false],
    ['provider_continuity', false],
    ['other_legal', true],
  ] as const)('REL-4: a disclosure of kind %s is accountable: %s', (kind, accountable) => {
    expect(accountability(kind, false).accountable).toBe(accountable);
    // An impermissible disclosure is accountable whatever its kind.
    expect(accountability(kind, true).accountable).toBe(true);
  });

  it('REL-4: every kind is mapped, and only KIND-2 is left to the rule pack', () => {
    const packDecides = REQUEST_KINDS.filter((k) => accountability(k, false).packDecides);
    expect(packDecides).toEqual(['client_directed']);
    expect(accountability('client_directed', false, { clientDirectedAccountable: true }).accountable).toBe(
      true,
    );
  });

  it('REL-4: the period is the 6 years before the request unless a shorter one is asked for', () => {
    expect(accountingPeriod({}, '2026-11-02', '2026-11-02')).toEqual({
      ok: true,
      from: '2020-11-02',
      to: '2026-11-02',
    });
    expect(
      accountingPeriod({ from: '2025-01-01', to: '2025-12-31' }, '2026-11-02', '2026-11-02'),
    ).toMatchObject({
      ok: true,
    });
    const bad = [
      [{ from: '2025-12-31', to: '2025-01-01' }, 'reversed'],
      [{ to: '2026-11-03' }, 'future'],
      [{ from: '2026-11-03', to: '2026-11-02' }, 'future'],
      [{ from: '2019-01-01', to: '2026-11-02' }, 'longer than 6 years'],
      [{ from: '2020-01-01', to: '2021-01-01' }, 'at most the 6 years before the request'],
    ] as const;
    for (const [asked, words] of bad) {
      const result = accountingPeriod(asked, '2026-11-02', '2026-11-02');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toContain(words);
        expect(result.message).toContain('REL-4');
      }
    }
  });

  it('REL-4: six years back from 29 February is 28 February', () => {
    expect(addYears('2028-02-29', -6)).toBe('2022-02-28');
    expect(addYears('2026-11-02', -6)).toBe('2020-11-02');
  });

  it('FEE-7: free when no other accounting was asked for in the 12 months before', () => {
    expect(accountingFeeDecision('2026-11-02', []).free).toBe(true);
    expect(accountingFeeDecision('2026-11-02', ['2026-01-15']).free).toBe(false);
    expect(accountingFeeDecision('2027-11-02', ['2026-11-02']).free).toBe(true);
    expect(accountingFeeDecision('2027-11-01', ['2026-11-02']).free).toBe(false);
  });

  it('REL-4: a suspension hides the agency’s disclosures within its dates while it lasts', () => {
    const s = [{ agency: 'County Sheriff', startsOn: '2026-01-01', until: '2026-12-01' }];
    const entry = { recipientName: ' county  SHERIFF ', date: '2026-03-01' };
    expect(isSuspended(entry, s, '2026-11-02')).toBe(true);
    expect(isSuspended(entry, s, '2026-12-02')).toBe(false);
    expect(isSuspended({ ...entry, date: '2025-12-31' }, s, '2026-11-02')).toBe(false);
    expect(isSuspended({ ...entry, recipientName: 'State Board' }, s, '2026-11-02')).toBe(false);
  });

  it('REL-4: an oral statement suspends for 30 days at most; a suspension runs forwards', () => {
    expect(
      checkSuspension({ statement: 'oral', startsOn: '2026-11-02', until: '2026-12-02' }, '2026-11-02').ok,
    ).toBe(true);
    expect(
      checkSuspension({ statement: 'oral', startsOn: '2026-11-02', until: '2026-12-03' }, '2026-11-02').ok,
    ).toBe(false);
    expect(
      checkSuspension({ statement: 'written', startsOn: '2026-11-02', until: '2026-11-01' }, '2026-11-02').ok,
    ).toBe(false);
  });

  it('REL-4: the CSV quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(accountingCsv([])).toBe('date,recipient,address,description,purpose\r\n');
  });
});

describe('REL-4: CSV cells never run as spreadsheet formulas', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1 555 0199', "'+1 555 0199"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', "'\r=1"],
    ['＝1+1', "'＝1+1"],
    ['Dr. Next', 'Dr. Next'],
    ['2026-09-30', '2026-09-30'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('REL-4: %j becomes %j', (value, safe) => {
    expect(neutraliseFormula(value)).toBe(safe);
  });

  it('REL-4: a neutralised cell is still quoted by RFC 4180 when it needs to be', () => {
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField('-1,5')).toBe(`"'-1,5"`);
  });
});
