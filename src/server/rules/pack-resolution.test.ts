// Pack choice and preemption (rule TIME-3) as table tests over the shipped packs.
import { describe, expect, it } from 'vitest';
import type { RequestKind } from '../../shared/request-kinds.js';
import { type RulePack, rulePackDataSchema } from '../../shared/rule-packs.js';
import { calendarDaysOf, choosePack, resolveRules, selectPacks } from './pack-resolution.js';
import { SHIPPED_PACKS } from './packs/index.js';

const PRACTICE = 'practice-1';
const shipped: RulePack[] = SHIPPED_PACKS.map((p) => ({
  id: `${p.jurisdiction}-${p.version}`,
  practiceId: null,
  jurisdiction: p.jurisdiction,
  version: p.version,
  effectiveFrom: p.effectiveFrom,
  data: p.data,
}));
const pack = (j: string) => shipped.find((p) => p.jurisdiction === j)!;
/** A state pack as the practice's counsel confirmed it: every value verified (a new version). */
const confirmed = (p: RulePack): RulePack => ({
  ...p,
  id: `${p.jurisdiction}-confirmed`,
  practiceId: PRACTICE,
  version: p.version + 1,
  data: Object.fromEntries(
    Object.entries(p.data).map(([k, v]) => [k, typeof v === 'object' ? { ...v, verified: true } : v]),
  ) as RulePack['data'],
});
/** The federal baseline and the state's pack, confirmed by counsel unless `shippedOnly`. */
const packsFor = (state: string, shippedOnly = false) => [
  pack('US'),
  ...(state === 'US' ? [] : [shippedOnly ? pack(state) : confirmed(pack(state))]),
];

describe('rule packs: the shipped data', () => {
  it.each(SHIPPED_PACKS.map((p) => [p.jurisdiction, p]))(
    'TIME-3: the shipped %s pack satisfies the pack contract, every value with its source and verified flag',
    (_j, p) => {
      expect(rulePackDataSchema.safeParse(p.data).success).toBe(true);
      for (const [key, v] of Object.entries(p.data)) {
        if (key === 'title') continue;
        expect(v).toMatchObject({ source: expect.stringMatching(/\S{3}/), verified: expect.any(Boolean) });
      }
    },
  );

  it('TIME-3: every state value is unverified until counsel confirms it; the HIPAA deadlines and fee limits are verified', () => {
    for (const j of ['CA', 'TX', 'NY']) {
      for (const [key, v] of Object.entries(pack(j).data)) {
        if (key !== 'title') expect((v as { verified: boolean }).verified, `${j}.${key}`).toBe(false);
      }
    }
    const us = pack('US').data;
    expect(us.accessDeadline).toMatchObject({ value: { days: 30, unit: 'calendar' }, verified: true });
    expect(us.flatElectronicFeeCapCents).toMatchObject({ value: 650, verified: true });
    expect(us.part2NoticeShort?.value).toBe(
      '42 CFR part 2 prohibits unauthorized use or disclosure of these records.',
    );
    expect(us.part2NoticeLong).toMatchObject({ verified: false });
  });
});

describe('TIME-3: which pack version a request is decided under', () => {
  const own = (version: number, effectiveFrom: string): RulePack => ({
    ...pack('CA'),
    id: `own-${version}`,
    practiceId: PRACTICE,
    version,
    effectiveFrom,
  });
  const later = { ...pack('CA'), id: 'CA-2', version: 2, effectiveFrom: '2027-01-01' };
  const all = [...shipped, later, own(3, '2026-06-01'), own(4, '2027-06-01')];

  it.each([
    ['TIME-3: before the practice’s own version, the shipped one', '2026-05-31', 'CA-1', true],
    ['TIME-3: the practice’s own version is preferred over a shipped one', '2026-06-01', 'own-3', true],
    ['TIME-3: a later shipped version does not displace the practice’s own', '2027-02-01', 'own-3', true],
    ['TIME-3: the latest version effective on the receipt date', '2027-06-01', 'own-4', true],
    ['TIME-3: before any version was effective, the earliest stands in', '2020-01-01', 'CA-1', false],
  ])('%s (%s)', (_title, onDate, id, effective) => {
    expect(choosePack(all, 'CA', PRACTICE, onDate)).toMatchObject({ pack: { id }, effective });
  });

  it('TIME-3: another practice never gets this practice’s versions; a state without a pack gets none', () => {
    expect(choosePack(all, 'CA', 'other', '2027-07-01')?.pack.id).toBe('CA-2');
    expect(selectPacks(all, { practiceId: PRACTICE, state: 'WA', onDate: '2026-11-02' })).toEqual({
      federal: { pack: pack('US'), effective: true },
      state: null,
    });
  });
});

describe('TIME-3: preemption (state values confirmed by counsel) — access gets the shorter deadline and the lower fee', () => {
  const MONDAY = '2026-11-02';
  it.each<[string, RequestKind, string, number | null, string | null]>([
    ['US', 'client_access', 'secure_download', 30, 'US'],
    ['CA', 'client_access', 'secure_download', 15, 'CA'],
    ['CA', 'client_access', 'inspection', 7, 'CA'],
    ['CA', 'representative', 'mail', 15, 'CA'],
    ['CA', 'client_directed', 'secure_download', 15, 'CA'],
    ['TX', 'client_access', 'secure_download', 15, 'TX'],
    ['NY', 'client_access', 'secure_download', 30, 'US'],
    ['NY', 'representative', 'inspection', 10, 'NY'],
    ['CA', 'authorization', 'secure_download', null, null],
    ['TX', 'subpoena', 'mail', null, null],
    ['NY', 'provider_continuity', 'fax', null, null],
  ])('TIME-2, TIME-3: %s %s by %s → %s calendar days from %s', (state, kind, deliveryFormat, days, from) => {
    const rules = resolveRules(packsFor(state), kind, { state, deliveryFormat, receivedOn: MONDAY });
    expect(rules.accessDeadline?.calendarDays ?? null).toBe(days);
    expect(rules.accessDeadline?.jurisdiction ?? null).toBe(from);
  });

  it.each<[string, RequestKind, 'access' | 'third_party' | 'none', number | null, string | null]>([
    ['US', 'client_access', 'access', null, null],
    ['CA', 'client_access', 'access', 25, '§123110'],
    ['NY', 'representative', 'access', 75, 'Public Health Law §18'],
    ['TX', 'client_access', 'access', null, null],
    // KIND-2: the patient-rate limit does not apply; the state statute's cap does (FEE-5).
    ['CA', 'client_directed', 'third_party', 10, 'Evid. Code §1158'],
    ['CA', 'authorization', 'third_party', 10, 'Evid. Code §1158'],
    ['NY', 'authorization', 'third_party', null, null],
    ['CA', 'other_legal', 'none', null, null],
  ])('TIME-3, FEE-5: %s %s → %s fees, per-page cap %s (%s)', (state, kind, regime, cap, statute) => {
    const rules = resolveRules(packsFor(state), kind, { state });
    expect(rules.fees.regime).toBe(regime);
    expect(rules.fees.perPageCapCents?.value ?? null).toBe(cap);
    if (statute) expect(rules.fees.perPageCapCents?.source).toContain(statute);
  });

  it('FEE-1, FEE-2: access carries the federal fee components and the $6.50 flat cap, from the US pack, verified', () => {
    const rules = resolveRules(packsFor('CA'), 'client_access', { state: 'CA' });
    expect(rules.fees.allowedComponents).toMatchObject({
      value: ['copy_labor', 'supplies', 'postage', 'summary_preparation'],
      jurisdiction: 'US',
      verified: true,
      rule: 'FEE-1',
    });
    expect(rules.fees.flatElectronicCapCents).toMatchObject({
      value: 650,
      jurisdiction: 'US',
      rule: 'FEE-2',
    });
  });

  it('TIME-3: a lower state value wins; on a tie the federal value stands', () => {
    const ca = confirmed(pack('CA'));
    const tied = { ...ca, data: { ...ca.data, accessDeadline: { ...pack('US').data.accessDeadline! } } };
    const rules = resolveRules([pack('US'), tied], 'client_access', { state: 'CA' });
    expect(rules.accessDeadline).toMatchObject({ jurisdiction: 'US', calendarDays: 30, verified: true });
  });

  it('TIME-3: state denial grounds broader than HIPAA’s are stored but unusable for access, usable for third parties', () => {
    const access = resolveRules(packsFor('CA'), 'client_access', { state: 'CA' });
    expect(access.denialGrounds.map((g) => [g.code, g.usable])).toEqual([
      ['ca_adverse_consequences', false],
      ['ca_minor_representative_detrimental', false],
    ]);
    expect(access.warnings.some((w) => w.rule === 'TIME-3' && w.message.includes('cannot be used'))).toBe(
      true,
    );
    const third = resolveRules(packsFor('TX'), 'authorization', { state: 'TX' });
    expect(third.denialGrounds).toMatchObject([{ code: 'tx_harmful_to_patient', usable: true }]);
  });

  it.each([
    ['TX', 'client_access', true, 'TX'],
    ['CA', 'client_access', false, 'US'],
    ['US', 'representative', false, 'US'],
  ] as const)('FEE-6: %s %s → release may wait on payment: %s (from %s)', (state, kind, value, from) => {
    expect(resolveRules(packsFor(state), kind, { state }).releaseMayWaitOnPayment).toMatchObject({
      value,
      jurisdiction: from,
    });
  });

  it('TIME-4, FEE-7: the accounting deadline (60 + one 30-day extension) and one free accounting in 12 months', () => {
    const rules = resolveRules(packsFor('NY'), 'client_access', { state: 'NY' });
    expect(rules.accountingDeadline).toMatchObject({ value: { days: 60, unit: 'calendar' }, rule: 'TIME-4' });
    expect(rules.accountingExtension).toMatchObject({ value: { days: 30, count: 1 } });
    expect(rules.fees.freeAccountingsPer12Months).toMatchObject({ value: 1, rule: 'FEE-7' });
  });
});

describe('TIME-3: the more protective value applies even before counsel confirms it, with a staff warning', () => {
  it('TIME-3: the federal baseline alone, verified, warns of nothing', () => {
    expect(resolveRules(packsFor('US'), 'client_access', { state: 'US' }).warnings).toEqual([]);
  });

  it.each<
    [
      string,
      RequestKind,
      string,
      [number | null, string | null],
      [number | null, string | null],
      string[],
      string[],
    ]
  >([
    [
      'CA',
      'client_access',
      'mail',
      [15, 'CA'],
      [25, 'CA'],
      ['Applied: California’s 15 calendar days', '§123110', 'not yet confirmed by counsel'],
      ['Applied: California’s $0.25', '§123110', 'not yet confirmed by counsel'],
    ],
    [
      'TX',
      'representative',
      'mail',
      [15, 'TX'],
      [null, null],
      ['Applied: Texas’s 15 calendar days', '§611.008', 'not yet confirmed by counsel'],
      // FEE-6: waiting on payment protects the client less, so an unconfirmed permission is not applied.
      [
        'Not applied: Texas’s “release may wait on payment: yes”',
        '§611.008(b)',
        'not yet confirmed by counsel',
      ],
    ],
    [
      'NY',
      'client_access',
      'inspection',
      [10, 'NY'],
      [75, 'NY'],
      ['Applied: New York’s 10 calendar days', 'Public Health Law §18', 'not yet confirmed by counsel'],
      ['Applied: New York’s $0.75', '§18'],
    ],
    [
      'CA',
      'authorization',
      'mail',
      [null, null],
      [10, 'CA'],
      ['Applied: California’s $0.10', 'Evid. Code §1158', 'not yet confirmed by counsel'],
      ['Applied: California’s denial grounds', '§123115', 'not yet confirmed by counsel'],
    ],
  ])(
    'TIME-3: a %s %s request (%s) gets the more protective unverified state values, each a warning naming its statute',
    (state, kind, deliveryFormat, [days, deadlineFrom], [cap, capFrom], first, second) => {
      const rules = resolveRules(packsFor(state, true), kind, {
        state,
        deliveryFormat,
        receivedOn: '2026-11-02',
      });
      expect(rules.accessDeadline?.calendarDays ?? null).toBe(days);
      expect(rules.accessDeadline?.jurisdiction ?? null).toBe(deadlineFrom);
      if (days !== null) expect(rules.accessDeadline?.verified).toBe(false);
      expect(rules.fees.perPageCapCents?.value ?? null).toBe(cap);
      expect(rules.fees.perPageCapCents?.jurisdiction ?? null).toBe(capFrom);
      expect(rules.releaseMayWaitOnPayment).toMatchObject({
        value: false,
        jurisdiction: 'US',
        verified: true,
      });
      const messages = rules.warnings.map((w) => w.message);
      for (const expected of [first, second]) {
        expect(
          messages.some((m) => expected.every((part) => m.includes(part))),
          expected.join(' + '),
        ).toBe(true);
      }
    },
  );

  it('TIME-3: counsel’s confirmation (a new version, verified) keeps the value and removes its warning', () => {
    const shipped = resolveRules(packsFor('CA', true), 'client_access', {
      state: 'CA',
      deliveryFormat: 'mail',
    });
    const confirmedRules = resolveRules(packsFor('CA'), 'client_access', {
      state: 'CA',
      deliveryFormat: 'mail',
    });
    expect(shipped.accessDeadline).toMatchObject({ calendarDays: 15, jurisdiction: 'CA', verified: false });
    expect(confirmedRules.accessDeadline).toMatchObject({
      calendarDays: 15,
      jurisdiction: 'CA',
      verified: true,
    });
    const deadlineWarnings = (r: typeof shipped) =>
      r.warnings.filter((w) => w.message.includes('(deadline for access)'));
    expect(deadlineWarnings(shipped)).toEqual([
      { rule: 'TIME-3', message: expect.stringMatching(/^Applied: California’s 15 calendar days/) },
    ]);
    expect(deadlineWarnings(confirmedRules)).toEqual([]);
    expect(confirmedRules.warnings.some((w) => w.message.includes('not yet confirmed by counsel'))).toBe(
      false,
    );
  });

  it('TIME-3: an unverified value that loses to a more protective one is considered, not applied, and still a warning', () => {
    const longer: RulePack = {
      ...pack('CA'),
      data: {
        title: 'A longer state deadline',
        accessDeadline: {
          value: { days: 45, unit: 'calendar' },
          source: 'A state statute §45',
          verified: false,
        },
      },
    };
    const rules = resolveRules([pack('US'), longer], 'client_access', { state: 'CA' });
    expect(rules.accessDeadline).toMatchObject({ calendarDays: 30, jurisdiction: 'US', verified: true });
    expect(rules.warnings).toEqual([
      {
        rule: 'TIME-3',
        message: expect.stringMatching(
          /^Considered, not applied: California’s 45 calendar days.*§45.*the federal 30 calendar days \(deadline for access\) is more protective and applies/,
        ),
      },
    ]);
    // Inspection in California: the 5 working days apply; the 15 days for copies are considered.
    const inspection = resolveRules(packsFor('CA', true), 'client_access', {
      state: 'CA',
      deliveryFormat: 'inspection',
      receivedOn: '2026-11-02',
    });
    expect(inspection.accessDeadline).toMatchObject({
      calendarDays: 7,
      value: { days: 5, unit: 'business' },
    });
    expect(inspection.warnings.map((w) => w.message.slice(0, 47))).toEqual(
      expect.arrayContaining([
        'Applied: California’s 5 business days (deadline',
        'Considered, not applied: California’s 15 calend',
      ]),
    );
  });

  it('TIME-3: an unverified value stands where it is the only one, with its warning; a shorter verified one displaces it', () => {
    const onlyState = confirmed(pack('TX'));
    const unverifiedUs = {
      ...pack('US'),
      data: { ...pack('US').data, accessDeadline: { ...pack('US').data.accessDeadline!, verified: false } },
    };
    const rules = resolveRules([unverifiedUs], 'client_access', {});
    expect(rules.accessDeadline).toMatchObject({ calendarDays: 30, verified: false });
    expect(rules.warnings[0]).toEqual({
      rule: 'TIME-2',
      message: expect.stringMatching(/^Applied: the federal 30 calendar days.*not yet confirmed by counsel/),
    });
    expect(resolveRules([unverifiedUs, onlyState], 'client_access', {}).accessDeadline).toMatchObject({
      jurisdiction: 'TX',
      verified: true,
    });
  });

  it('FEE-6: an unconfirmed permission to wait on payment is never applied, even without a federal pack', () => {
    const rules = resolveRules([pack('TX')], 'client_access', { state: 'TX' });
    expect(rules.releaseMayWaitOnPayment).toMatchObject({ value: false, verified: true });
    expect(rules.warnings.some((w) => w.rule === 'FEE-6' && w.message.startsWith('Not applied:'))).toBe(true);
    expect(
      resolveRules([confirmed(pack('TX'))], 'client_access', { state: 'TX' }).releaseMayWaitOnPayment,
    ).toMatchObject({ value: true, jurisdiction: 'TX', verified: true });
  });

  it('TIME-3: a state with no pack warns that only the federal baseline applies', () => {
    const rules = resolveRules(packsFor('US'), 'client_access', { state: 'WA' });
    expect(rules.warnings).toEqual([
      expect.objectContaining({ rule: 'TIME-3', message: expect.stringContaining('WA') }),
    ]);
  });

  it('PART2-1: Part 2 material brings in the 2.32 notices, long and short, with their unverified warning', () => {
    const rules = resolveRules(packsFor('US'), 'authorization', { documentClasses: ['part2'] });
    expect(rules.part2Notice.long?.value).toMatch(
      /^This record which has been disclosed to you is protected/,
    );
    expect(rules.part2Notice.short?.value).toContain('42 CFR part 2 prohibits');
    expect(rules.warnings.filter((w) => w.rule === 'PART2-1')).toHaveLength(2);
  });
});

describe('TIME-3: business-day deadlines in calendar days', () => {
  it.each([
    ['2026-11-02', 7], // Monday → the next Monday
    ['2026-11-06', 7], // Friday → the next Friday
    ['2026-11-07', 6], // Saturday → Friday
  ])('TIME-3: 5 working days from %s are %s calendar days', (from, days) => {
    expect(calendarDaysOf({ days: 5, unit: 'business' }, from)).toBe(days);
  });

  it('TIME-3: without a date, the longest they can take', () => {
    expect(calendarDaysOf({ days: 5, unit: 'business' })).toBe(7);
    expect(calendarDaysOf({ days: 15, unit: 'calendar' })).toBe(15);
  });
});
