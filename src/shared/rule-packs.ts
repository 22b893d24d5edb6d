// Rule packs (compliance.md, TIME-3): versioned data for the federal baseline and each state —
// deadlines, fee caps, denial specifics, notices. Every value carries its source and a `verified`
// flag (confirmed by the practice's counsel). Of the federal and state values the more protective
// one applies, verified or not; every unverified value applied or considered shows a warning to
// staff naming its source. The schema is the contract for shipped packs and for versions a privacy
// officer adds; resolution (server/rules/pack-resolution.ts) turns a request's packs into the rules
// it is decided under.
import { z } from 'zod';

export const FEDERAL_JURISDICTION = 'US';

/** State names for staff-facing warnings ("California’s 15 calendar days"); others show their code. */
export const JURISDICTION_NAMES: Readonly<Record<string, string>> = {
  CA: 'California',
  NY: 'New York',
  TX: 'Texas',
};

/**
 * Every kind of line a fee quote or an invoice may carry (FEE-1, FEE-2, FEE-5). Nothing about
 * treatment balances exists in this vocabulary (FEE-4): a release's fee is never a therapy bill.
 */
export const FEE_CODES = [
  'copy_labor',
  'supplies',
  'postage',
  'summary_preparation',
  'flat_electronic',
  'per_page_copy',
  'search',
  'retrieval',
  'verification',
  'review_time',
  'system_costs',
] as const;

export type FeeCode = (typeof FEE_CODES)[number];

export const FEE_CODE_LABELS: Readonly<Record<FeeCode, string>> = {
  copy_labor: 'Labour for copying',
  supplies: 'Supplies (paper, portable media)',
  postage: 'Postage',
  summary_preparation: 'Preparing the agreed summary',
  flat_electronic: 'Flat fee, electronic copy of electronic records',
  per_page_copy: 'Copies, per page',
  search: 'Search',
  retrieval: 'Retrieval',
  verification: 'Verification',
  review_time: 'Review time',
  system_costs: 'System costs',
};

export function isFeeCode(value: unknown): value is FeeCode {
  return typeof value === 'string' && (FEE_CODES as readonly string[]).includes(value);
}

/** How a fee is computed: FEE-2's three methods for access, or a state's schedule (FEE-5). */
export const FEE_BASES = ['none', 'actual_cost', 'average_schedule', 'flat', 'statutory_schedule'] as const;

export type FeeBasis = (typeof FEE_BASES)[number];

const sourceText = z.string().trim().min(3, 'Cite the source.').max(1000);

/** `{ value, source, verified, note? }`: the shape of every value in a pack. */
export function packValue<T extends z.ZodType>(value: T) {
  return z.strictObject({
    value,
    source: sourceText,
    verified: z.boolean(),
    note: z.string().trim().max(2000).optional(),
  });
}

export interface PackValue<T> {
  value: T;
  source: string;
  verified: boolean;
  note?: string;
}

export const deadlineSchema = z.strictObject({
  days: z.number().int().min(1).max(120),
  unit: z.enum(['calendar', 'business']),
});

export type Deadline = z.infer<typeof deadlineSchema>;

const extensionSchema = z.strictObject({
  days: z.number().int().min(1).max(90),
  count: z.number().int().min(0).max(3),
});

const cents = z.number().int().min(0).max(1_000_000);

export const stateDenialGroundSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]{3,60}$/, 'lower-case letters, digits and underscores'),
  description: z.string().trim().min(3).max(1000),
  /** TIME-3: a ground broader than HIPAA's is stored but never usable for an access request. */
  broaderThanHipaa: z.boolean(),
});

export type StateDenialGround = z.infer<typeof stateDenialGroundSchema>;

const notice = z.string().trim().min(10).max(5000);

/** The data of one pack version. A state pack gives only what differs from the federal baseline. */
export const rulePackDataSchema = z.strictObject({
  title: z.string().trim().min(3).max(200),
  /** TIME-2 / TIME-3: act on an access request (copies, or any access) within… */
  accessDeadline: packValue(deadlineSchema).optional(),
  /** TIME-3: inspection in person, where the state sets its own deadline. */
  inspectionDeadline: packValue(deadlineSchema).optional(),
  /** TIME-2: the extensions allowed for access, each with its written notice. */
  accessExtension: packValue(extensionSchema).optional(),
  /** TIME-4: the accounting of disclosures, and its extension. */
  accountingDeadline: packValue(deadlineSchema).optional(),
  accountingExtension: packValue(extensionSchema).optional(),
  /** FEE-1: what an access fee may cover. */
  accessFeeComponents: packValue(z.array(z.enum(FEE_CODES)).min(1).max(FEE_CODES.length)).optional(),
  /** FEE-2: the flat fee's cap for electronic copies of electronically kept records. */
  flatElectronicFeeCapCents: packValue(cents).optional(),
  /** TIME-3: a state's per-page cap on copies for the client (the lower fee applies). */
  accessPerPageCapCents: packValue(cents).optional(),
  /** FEE-5: the state statute's per-page cap for third-party requests (the source cites it). */
  thirdPartyPerPageCapCents: packValue(cents).optional(),
  /** FEE-7: accountings of disclosures free in any 12 months. */
  freeAccountingsPer12Months: packValue(z.number().int().min(0).max(12)).optional(),
  /** FEE-6: may the release step wait on payment of the fee? */
  releaseMayWaitOnPayment: packValue(z.boolean()).optional(),
  /** TIME-3, REV-3, REV-4: the state's own denial grounds. */
  denialGrounds: packValue(z.array(stateDenialGroundSchema).max(30)).optional(),
  /** PART2-1: the 42 CFR 2.32 notice, long and short forms. */
  part2NoticeLong: packValue(notice).optional(),
  part2NoticeShort: packValue(notice).optional(),
});

export type RulePackData = z.infer<typeof rulePackDataSchema>;

export type RulePackKey = Exclude<keyof RulePackData, 'title'>;

/** The values the federal baseline must always carry (a new US version cannot drop one). */
export const FEDERAL_REQUIRED_KEYS = [
  'accessDeadline',
  'accessExtension',
  'accountingDeadline',
  'accountingExtension',
  'accessFeeComponents',
  'flatElectronicFeeCapCents',
  'freeAccountingsPer12Months',
  'releaseMayWaitOnPayment',
  'part2NoticeLong',
  'part2NoticeShort',
] as const satisfies readonly RulePackKey[];

/** The rule each pack value serves, for warnings and traces. */
export const PACK_KEY_RULES: Readonly<Record<RulePackKey, string>> = {
  accessDeadline: 'TIME-2',
  inspectionDeadline: 'TIME-3',
  accessExtension: 'TIME-2',
  accountingDeadline: 'TIME-4',
  accountingExtension: 'TIME-4',
  accessFeeComponents: 'FEE-1',
  flatElectronicFeeCapCents: 'FEE-2',
  accessPerPageCapCents: 'TIME-3',
  thirdPartyPerPageCapCents: 'FEE-5',
  freeAccountingsPer12Months: 'FEE-7',
  releaseMayWaitOnPayment: 'FEE-6',
  denialGrounds: 'TIME-3',
  part2NoticeLong: 'PART2-1',
  part2NoticeShort: 'PART2-1',
};

export const PACK_KEY_LABELS: Readonly<Record<RulePackKey, string>> = {
  accessDeadline: 'Deadline for access',
  inspectionDeadline: 'Deadline for inspection',
  accessExtension: 'Extension for access',
  accountingDeadline: 'Deadline for an accounting of disclosures',
  accountingExtension: 'Extension for an accounting',
  accessFeeComponents: 'What an access fee may cover',
  flatElectronicFeeCapCents: 'Flat fee cap, electronic copies',
  accessPerPageCapCents: 'Per-page cap on copies for the client',
  thirdPartyPerPageCapCents: 'Per-page cap for third-party requests',
  freeAccountingsPer12Months: 'Free accountings in 12 months',
  releaseMayWaitOnPayment: 'Release may wait on payment',
  denialGrounds: 'State denial grounds',
  part2NoticeLong: '42 CFR 2.32 notice (long form)',
  part2NoticeShort: '42 CFR 2.32 notice (short form)',
};

/** A stored pack version, as resolution reads it. */
export interface RulePack {
  id: string;
  practiceId: string | null;
  jurisdiction: string;
  version: number;
  effectiveFrom: string;
  data: RulePackData;
}

/** A value as a request sees it: the value, and which pack version it came from. */
export interface ResolvedValue<T> extends PackValue<T> {
  jurisdiction: string;
  version: number;
  rule: string;
}

export interface ResolvedDenialGround extends StateDenialGround {
  jurisdiction: string;
  version: number;
  source: string;
  verified: boolean;
  /** TIME-3: false for an access request when the ground is broader than HIPAA's. */
  usable: boolean;
  reason: string;
}

export interface RuleWarning {
  rule: string;
  message: string;
}

export interface ResolvedRules {
  kind: string;
  packs: {
    id: string;
    jurisdiction: string;
    version: number;
    effectiveFrom: string;
    practiceSpecific: boolean;
  }[];
  /** TIME-2 / TIME-3: the access deadline applied (access kinds only), in calendar days too. */
  accessDeadline: (ResolvedValue<Deadline> & { calendarDays: number }) | null;
  accessExtension: ResolvedValue<{ days: number; count: number }> | null;
  accountingDeadline: ResolvedValue<Deadline> | null;
  accountingExtension: ResolvedValue<{ days: number; count: number }> | null;
  fees: {
    /** 'access' (FEE-1, FEE-2: the patient rate) or 'third_party' (FEE-5). */
    regime: 'access' | 'third_party' | 'none';
    allowedComponents: ResolvedValue<FeeCode[]> | null;
    flatElectronicCapCents: ResolvedValue<number> | null;
    perPageCapCents: ResolvedValue<number> | null;
    freeAccountingsPer12Months: ResolvedValue<number> | null;
  };
  releaseMayWaitOnPayment: ResolvedValue<boolean>;
  denialGrounds: ResolvedDenialGround[];
  part2Notice: { long: ResolvedValue<string> | null; short: ResolvedValue<string> | null };
  warnings: RuleWarning[];
}
