// The fee calculator (rules FEE-1 to FEE-7): a quote by kind and by the rules the request was
// decided under (TIME-3). Pure: the command stores the result with the rule values it used.
import type { RequestKind } from '../../shared/request-kinds.js';
import {
  FEE_CODE_LABELS,
  FEE_CODES,
  type FeeBasis,
  type FeeCode,
  isFeeCode,
  type ResolvedRules,
  type ResolvedValue,
} from '../../shared/rule-packs.js';

export interface FeeLineInput {
  code: string;
  description: string;
  /** Pages or items; with `unitCents` the amount is computed. */
  quantity?: number | null;
  unitCents?: number | null;
  amountCents?: number | null;
}

export interface FeeQuoteInput {
  basis?: FeeBasis | null;
  /** Pages copied, when a per-page cap applies (TIME-3, FEE-5). */
  pages?: number | null;
  lines: readonly FeeLineInput[];
}

export interface FeeLine {
  code: FeeCode;
  description: string;
  quantity?: number;
  unitCents?: number;
  amountCents: number;
}

export interface FeeError {
  field: string;
  message: string;
  rule: string;
}

export type FeeQuoteResult =
  | {
      ok: true;
      basis: FeeBasis;
      lines: FeeLine[];
      totalCents: number;
      notes: string[];
      rulesUsed: Record<string, unknown>;
    }
  | { ok: false; errors: FeeError[] };

// rule FEE-1: never on an access fee, even where state law allows it.
export const ACCESS_FORBIDDEN_FEE_CODES: readonly FeeCode[] = [
  'search',
  'retrieval',
  'verification',
  'review_time',
  'system_costs',
];

/** Copy charges a per-page cap bounds (TIME-3 for access, FEE-5 for third parties). */
const COPY_CODES: readonly FeeCode[] = ['copy_labor', 'per_page_copy'];

const ELECTRONIC_FORMATS = ['secure_download', 'email'];

// rule FEE-4: words of a treatment bill, never on a release's quote or invoice.
const TREATMENT_CHARGES =
  /\b(balances?|co-?pay(ments?)?|past[- ]due|arrears|outstanding|unpaid|overdue|session fees?|therapy (fees?|bills?|charges?)|treatment (charges?|fees?|bills?|costs?|balances?))\b/i;

export function mentionsTreatmentCharges(text: string): boolean {
  return TREATMENT_CHARGES.test(text);
}

const FEE1_MESSAGE =
  'A fee for a client’s own records may cover only copying labour, supplies, postage and an agreed summary — never search, retrieval, verification, review time or system costs (FEE-1, 45 CFR 164.524(c)(4)).';

function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/**
 * Where a cap comes from, for a refusal: its source and rule, and (TIME-3) whether counsel has yet to
 * confirm it — an unconfirmed state cap is still enforced, being the lower fee.
 */
function capSource(cap: ResolvedValue<number>): string {
  const unconfirmed = cap.verified
    ? ''
    : ', not yet confirmed by counsel and applied as the more protective value (TIME-3)';
  return `${cap.source}; ${cap.rule}${unconfirmed}`;
}

function capValue(v: ResolvedValue<number> | null) {
  return v
    ? {
        value: v.value,
        source: v.source,
        verified: v.verified,
        jurisdiction: v.jurisdiction,
        version: v.version,
      }
    : null;
}

/** The lines' amounts, each code known and free of treatment charges (FEE-4). */
function readLines(input: FeeQuoteInput, errors: FeeError[]): FeeLine[] {
  const lines: FeeLine[] = [];
  input.lines.forEach((l, i) => {
    // rule FEE-4: only fee codes exist; nothing about treatment balances.
    if (!isFeeCode(l.code)) {
      errors.push({
        field: `lines.${i}.code`,
        rule: 'FEE-4',
        message: `"${l.code}" is not a fee code. A release is charged only for the release (${FEE_CODES.join(', ')}), never a treatment balance (FEE-4).`,
      });
      return;
    }
    if (mentionsTreatmentCharges(l.description)) {
      errors.push({
        field: `lines.${i}.description`,
        rule: 'FEE-4',
        message: 'A release’s fee never includes, references or waits on treatment charges (FEE-4).',
      });
      return;
    }
    const computed = l.quantity != null && l.unitCents != null ? l.quantity * l.unitCents : null;
    const amount = computed ?? l.amountCents;
    if (amount == null || (computed != null && l.amountCents != null && computed !== l.amountCents)) {
      errors.push({
        field: `lines.${i}.amountCents`,
        rule: 'FEE-3',
        message:
          amount == null
            ? 'Give the amount, or the quantity and the unit price, so the client is quoted in advance (FEE-3).'
            : 'The amount does not equal quantity × unit price.',
      });
      return;
    }
    lines.push({
      code: l.code,
      description: l.description,
      ...(l.quantity != null ? { quantity: l.quantity } : {}),
      ...(l.unitCents != null ? { unitCents: l.unitCents } : {}),
      amountCents: amount,
    });
  });
  return lines;
}

function checkPerPageCap(
  lines: FeeLine[],
  pages: number | null,
  cap: ResolvedValue<number> | null,
  errors: FeeError[],
  notes: string[],
): void {
  if (!cap) return;
  const where = capSource(cap);
  lines.forEach((l, i) => {
    if (l.code !== 'per_page_copy') return;
    if (l.quantity == null || l.unitCents == null) {
      errors.push({
        field: `lines.${i}.unitCents`,
        rule: cap.rule,
        message: `Give the pages and the price a page: copies are capped at ${dollars(cap.value)} a page (${where}).`,
      });
    } else if (l.unitCents > cap.value) {
      errors.push({
        field: `lines.${i}.unitCents`,
        rule: cap.rule,
        message: `${dollars(l.unitCents)} a page is over the cap of ${dollars(cap.value)} a page (${where}).`,
      });
    }
  });
  const copies = lines.filter((l) => COPY_CODES.includes(l.code));
  const charged = copies.reduce((n, l) => n + l.amountCents, 0);
  if (pages && charged > cap.value * pages) {
    errors.push({
      field: 'lines',
      rule: cap.rule,
      message: `Copy charges of ${dollars(charged)} for ${pages} pages are over the cap of ${dollars(cap.value)} a page (${where}).`,
    });
  } else if (!pages && copies.some((l) => l.code === 'copy_labor')) {
    notes.push(
      `Copies are capped at ${dollars(cap.value)} a page (${capSource(cap)}); give the page count to check copy labour against it.`,
    );
  }
}

function checkAccess(
  basis: FeeBasis,
  lines: FeeLine[],
  deliveryFormat: string,
  rules: ResolvedRules,
  errors: FeeError[],
): void {
  const allowed = rules.fees.allowedComponents?.value ?? [];
  lines.forEach((l, i) => {
    // rule FEE-1: search, retrieval, verification, review time and system costs are never charged.
    const methodCode = l.code === 'per_page_copy' || l.code === 'flat_electronic';
    if (ACCESS_FORBIDDEN_FEE_CODES.includes(l.code) || (!methodCode && !allowed.includes(l.code))) {
      errors.push({
        field: `lines.${i}.code`,
        rule: 'FEE-1',
        message: `${FEE_CODE_LABELS[l.code]}: ${FEE1_MESSAGE}`,
      });
    }
  });
  // rule FEE-2: actual cost, an average-cost schedule, or a flat fee for electronic copies.
  if (basis === 'statutory_schedule') {
    errors.push({
      field: 'basis',
      rule: 'FEE-2',
      message:
        'For a client’s own records use no fee, actual cost, an average-cost schedule or the flat fee for electronic copies (FEE-2).',
    });
  }
  if (basis === 'flat') {
    const cap = rules.fees.flatElectronicCapCents;
    const only = lines.length === 1 && lines[0]!.code === 'flat_electronic';
    if (!only) {
      errors.push({
        field: 'lines',
        rule: 'FEE-2',
        message: 'A flat fee is one line, code flat_electronic (FEE-2).',
      });
    } else if (cap && lines[0]!.amountCents > cap.value) {
      errors.push({
        field: 'lines.0.amountCents',
        rule: 'FEE-2',
        message: `The flat fee for electronic copies is at most ${dollars(cap.value)} (${capSource(cap)}).`,
      });
    }
    if (!ELECTRONIC_FORMATS.includes(deliveryFormat)) {
      errors.push({
        field: 'basis',
        rule: 'FEE-2',
        message:
          'The flat fee is for electronic copies of records kept electronically; this request asks for another format (FEE-2).',
      });
    }
  } else {
    lines.forEach((l, i) => {
      if (l.code === 'flat_electronic') {
        errors.push({
          field: `lines.${i}.code`,
          rule: 'FEE-2',
          message: 'The flat fee is its own method: choose basis "flat" (FEE-2).',
        });
      }
    });
  }
}

/**
 * A fee quote for a request (FEE-1…FEE-5): access kinds (KIND-1, KIND-6) default to no fee and
 * follow the patient rate; KIND-2 to KIND-5 and KIND-7 follow the practice's schedule within the
 * state statute's cap; KIND-8 carries no fee.
 */
export function computeFeeQuote(
  kind: RequestKind,
  deliveryFormat: string,
  rules: ResolvedRules,
  input: FeeQuoteInput,
): FeeQuoteResult {
  const errors: FeeError[] = [];
  const lines = readLines(input, errors);
  const regime = rules.fees.regime;
  const basis: FeeBasis =
    input.basis ??
    (input.lines.length === 0 ? 'none' : regime === 'access' ? 'actual_cost' : 'statutory_schedule');
  const notes: string[] = [];
  if (regime === 'none' && input.lines.length > 0) {
    errors.push({
      field: 'lines',
      rule: 'KIND-8',
      message: 'A disclosure required by law (KIND-8) carries no fee and has no invoice.',
    });
  }
  if (basis === 'none' && input.lines.length > 0) {
    errors.push({ field: 'basis', rule: 'FEE-2', message: 'No fee carries no lines (FEE-2).' });
  }
  if (regime === 'access') checkAccess(basis, lines, deliveryFormat, rules, errors);
  if (regime !== 'none')
    checkPerPageCap(lines, input.pages ?? null, rules.fees.perPageCapCents, errors, notes);
  // rule FEE-5: a third party's fee follows the state statute's cap; warn when no pack cites one.
  if (regime === 'third_party' && lines.length > 0 && !rules.fees.perPageCapCents) {
    notes.push(
      'FEE-5: no statutory cap is recorded in the rule packs for this request; counsel to confirm the state’s limit.',
    );
  }
  if (errors.length > 0) return { ok: false, errors };
  const totalCents = lines.reduce((n, l) => n + l.amountCents, 0);
  return {
    ok: true,
    basis,
    lines,
    totalCents,
    notes,
    rulesUsed: {
      kind,
      regime,
      packs: rules.packs,
      allowedComponents: rules.fees.allowedComponents?.value ?? null,
      flatElectronicCapCents: capValue(rules.fees.flatElectronicCapCents),
      perPageCapCents: capValue(rules.fees.perPageCapCents),
      releaseMayWaitOnPayment: {
        value: rules.releaseMayWaitOnPayment.value,
        source: rules.releaseMayWaitOnPayment.source,
        verified: rules.releaseMayWaitOnPayment.verified,
        jurisdiction: rules.releaseMayWaitOnPayment.jurisdiction,
        version: rules.releaseMayWaitOnPayment.version,
      },
      ...(input.pages ? { pages: input.pages } : {}),
    },
  };
}

/**
 * rule FEE-7: the first accounting of disclosures in any 12 months is free; later ones may carry a
 * reasonable, cost-based fee told in advance (the accounting route decides whether to charge it).
 */
export function accountingFee(
  previousAccountingsInLast12Months: number,
  freePer12Months = 1,
): { free: boolean; rule: 'FEE-7'; reason: string } {
  if (!Number.isInteger(previousAccountingsInLast12Months) || previousAccountingsInLast12Months < 0) {
    throw new RangeError(`A count of accountings: ${previousAccountingsInLast12Months}`);
  }
  const free = previousAccountingsInLast12Months < freePer12Months;
  return {
    free,
    rule: 'FEE-7',
    reason: free
      ? 'The first accounting of disclosures in any 12 months is free (45 CFR 164.528(c)).'
      : 'An accounting already given in the last 12 months: a reasonable, cost-based fee may be charged if the client is told in advance and may withdraw or change the request.',
  };
}
