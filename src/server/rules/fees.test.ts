// The fee calculator (FEE-1…FEE-7) as table tests over the rules the shipped packs resolve to.
import { describe, expect, it } from 'vitest';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { RulePack } from '../../shared/rule-packs.js';
import { ACCESS_FORBIDDEN_FEE_CODES, accountingFee, computeFeeQuote, type FeeQuoteInput } from './fees.js';
import { resolveRules } from './pack-resolution.js';
import { SHIPPED_PACKS } from './packs/index.js';

const packs: RulePack[] = SHIPPED_PACKS.map((p) => ({ ...p, id: p.jurisdiction, practiceId: null }));
/** The state's values as the practice's counsel confirmed them (a new version, every value verified). */
const confirmed = (p: RulePack): RulePack =>
  p.jurisdiction === 'US'
    ? p
    : {
        ...p,
        version: 2,
        data: Object.fromEntries(
          Object.entries(p.data).map(([k, v]) => [k, typeof v === 'object' ? { ...v, verified: true } : v]),
        ) as RulePack['data'],
      };
const rulesFor = (state: string, kind: RequestKind, shippedOnly = false) =>
  resolveRules(
    packs
      .filter((p) => p.jurisdiction === 'US' || p.jurisdiction === state)
      .map((p) => (shippedOnly ? p : confirmed(p))),
    kind,
    { state },
  );
const quote = (state: string, kind: RequestKind, input: FeeQuoteInput, format = 'secure_download') =>
  computeFeeQuote(kind, format, rulesFor(state, kind), input);
const rulesOf = (r: ReturnType<typeof quote>) => (r.ok ? [] : r.errors.map((e) => e.rule));

describe('fee quotes', () => {
  it.each<[RequestKind]>([['client_access'], ['representative'], ['provider_continuity']])(
    'FEE-2, FEE-5: %s defaults to no fee',
    (kind) => {
      expect(quote('CA', kind, { lines: [] })).toMatchObject({
        ok: true,
        basis: 'none',
        totalCents: 0,
        lines: [],
      });
    },
  );

  it.each(ACCESS_FORBIDDEN_FEE_CODES.map((code) => [code]))(
    'FEE-1: an access fee never carries a %s line',
    (code) => {
      const r = quote('US', 'client_access', { lines: [{ code, description: 'Time', amountCents: 500 }] });
      expect(r).toMatchObject({ ok: false, errors: [{ field: 'lines.0.code', rule: 'FEE-1' }] });
    },
  );

  it('FEE-1: copying labour, supplies, postage and an agreed summary are allowed, at cost', () => {
    const r = quote('US', 'representative', {
      basis: 'actual_cost',
      lines: [
        { code: 'copy_labor', description: 'Copying, 20 minutes', amountCents: 800 },
        { code: 'supplies', description: 'USB drive', amountCents: 500 },
        { code: 'postage', description: 'First-class mail', amountCents: 150 },
      ],
    });
    expect(r).toMatchObject({ ok: true, basis: 'actual_cost', totalCents: 1450 });
  });

  it.each([
    ['FEE-2: a flat fee of $6.50 for an electronic copy', 650, 'secure_download', []],
    ['FEE-2: a flat fee above $6.50 is refused', 651, 'secure_download', ['FEE-2']],
    ['FEE-2: the flat fee is for electronic copies only', 650, 'mail', ['FEE-2']],
  ] as const)('%s', (_title, amountCents, format, refused) => {
    const r = quote(
      'US',
      'client_access',
      { basis: 'flat', lines: [{ code: 'flat_electronic', description: 'Electronic copy', amountCents }] },
      format,
    );
    expect(rulesOf(r)).toEqual(refused);
  });

  it('FEE-2: a third-party schedule is not a basis for a client’s own records', () => {
    const r = quote('US', 'client_access', {
      basis: 'statutory_schedule',
      lines: [{ code: 'copy_labor', description: 'Copies', amountCents: 100 }],
    });
    expect(rulesOf(r)).toEqual(['FEE-2']);
  });

  it.each([
    ['TIME-3: California copies for the client within $0.25 a page', 'CA', 25, []],
    ['TIME-3: California copies for the client above $0.25 a page are refused', 'CA', 26, ['TIME-3']],
    ['TIME-3: New York paper copies within $0.75 a page', 'NY', 75, []],
    ['TIME-3: New York paper copies above $0.75 a page are refused', 'NY', 80, ['TIME-3']],
  ] as const)('%s', (_title, state, unitCents, refused) => {
    const r = quote(
      state,
      'client_access',
      {
        lines: [{ code: 'per_page_copy', description: 'Paper copies', quantity: 40, unitCents }],
      },
      'mail',
    );
    expect(rulesOf(r)).toEqual(refused);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/§123110|§18/);
  });

  it.each([
    ['FEE-5: a California third party within the 10¢ page cap of Evid. Code §1158', 10, []],
    ['FEE-5: above the cap, refused naming the statute', 12, ['FEE-5']],
  ] as const)('%s', (_title, unitCents, refused) => {
    const r = quote('CA', 'authorization', {
      lines: [
        { code: 'per_page_copy', description: 'Copies', quantity: 100, unitCents },
        { code: 'retrieval', description: 'Retrieval', amountCents: 1500 },
      ],
    });
    expect(rulesOf(r)).toEqual(refused);
    if (!r.ok) expect(r.errors[0]!.message).toContain('Evid. Code §1158');
    else expect(r).toMatchObject({ basis: 'statutory_schedule', totalCents: 100 * unitCents + 1500 });
  });

  it('TIME-3, FEE-5: a cap counsel has not confirmed is enforced all the same, and the refusal says it is unconfirmed', () => {
    const line = { code: 'per_page_copy', description: 'Copies', quantity: 100, unitCents: 30 };
    const access = computeFeeQuote('client_access', 'mail', rulesFor('CA', 'client_access', true), {
      lines: [line],
    });
    expect(access).toMatchObject({ ok: false, errors: [{ field: 'lines.0.unitCents', rule: 'TIME-3' }] });
    if (!access.ok) {
      expect(access.errors[0]!.message).toMatch(/\$0\.25 a page.*§123110.*not yet confirmed by counsel/);
    }
    const third = computeFeeQuote('authorization', 'mail', rulesFor('CA', 'authorization', true), {
      lines: [line],
    });
    expect(third).toMatchObject({ ok: false, errors: [{ field: 'lines.0.unitCents', rule: 'FEE-5' }] });
    if (!third.ok)
      expect(third.errors[0]!.message).toMatch(/\$0\.10 a page.*Evid\. Code §1158.*not yet confirmed/);
    // Within the unconfirmed cap, the quote stands and keeps the cap with its verified flag.
    const within = computeFeeQuote('client_access', 'mail', rulesFor('CA', 'client_access', true), {
      lines: [{ ...line, unitCents: 25 }],
    });
    expect(within).toMatchObject({
      ok: true,
      totalCents: 2500,
      rulesUsed: { perPageCapCents: { value: 25, jurisdiction: 'CA', verified: false } },
    });
  });

  it('FEE-5: with no statutory cap in the packs, the quote notes it for counsel', () => {
    const r = quote('TX', 'subpoena', {
      lines: [{ code: 'copy_labor', description: 'Copies', amountCents: 2500 }],
    });
    expect(r).toMatchObject({ ok: true, notes: [expect.stringContaining('FEE-5')] });
  });

  it.each([
    [
      'FEE-4: a code outside the fee vocabulary',
      { code: 'treatment_balance', description: 'Sessions', amountCents: 9000 },
      'lines.0.code',
    ],
    [
      'FEE-4: a line naming a treatment balance',
      { code: 'copy_labor', description: 'Past due session fees', amountCents: 9000 },
      'lines.0.description',
    ],
    [
      'FEE-4: a line naming a co-pay',
      { code: 'supplies', description: 'Unpaid copay', amountCents: 2000 },
      'lines.0.description',
    ],
  ] as const)('%s is refused', (_title, line, field) => {
    const r = quote('CA', 'authorization', { lines: [line] });
    expect(r).toMatchObject({ ok: false, errors: [{ rule: 'FEE-4', field }] });
  });

  it('FEE-4: a treatment summary letter is a release charge, not a treatment charge', () => {
    const r = quote('CA', 'authorization', {
      lines: [{ code: 'summary_preparation', description: 'Treatment summary letter', amountCents: 7500 }],
    });
    expect(r.ok).toBe(true);
  });

  it('KIND-8: a disclosure required by law carries no fee', () => {
    const r = quote('CA', 'other_legal', {
      lines: [{ code: 'copy_labor', description: 'Copies', amountCents: 100 }],
    });
    expect(rulesOf(r)).toEqual(['KIND-8']);
  });

  it('FEE-3: each line has an amount, or a quantity and unit price that agree with it', () => {
    expect(
      rulesOf(quote('CA', 'authorization', { lines: [{ code: 'postage', description: 'Mail' }] })),
    ).toEqual(['FEE-3']);
    expect(
      rulesOf(
        quote('CA', 'authorization', {
          lines: [{ code: 'postage', description: 'Mail', quantity: 2, unitCents: 100, amountCents: 300 }],
        }),
      ),
    ).toEqual(['FEE-3']);
  });

  it('FEE-3: the quote keeps the rule values it was computed under', () => {
    const r = quote('CA', 'client_access', {
      pages: 10,
      lines: [{ code: 'copy_labor', description: 'Copies', amountCents: 250 }],
    });
    expect(r).toMatchObject({
      ok: true,
      rulesUsed: {
        regime: 'access',
        perPageCapCents: { value: 25, jurisdiction: 'CA', verified: true },
        flatElectronicCapCents: { value: 650, jurisdiction: 'US' },
        pages: 10,
      },
    });
  });
});

describe('FEE-7: the accounting of disclosures', () => {
  it.each([
    [0, 1, true],
    [1, 1, false],
    [3, 1, false],
    [1, 2, true],
  ])('FEE-7: after %s accountings in 12 months (%s free) → free: %s', (previous, free, expected) => {
    expect(accountingFee(previous, free)).toMatchObject({ free: expected, rule: 'FEE-7' });
  });

  it('FEE-7: the first accounting in any 12 months is free by default; a count is a whole number', () => {
    expect(accountingFee(0).free).toBe(true);
    expect(() => accountingFee(-1)).toThrow(RangeError);
  });
});
