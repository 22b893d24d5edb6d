// What staff see of the rules a request is decided under (rule TIME-3), of its fee quotes
// (FEE-3) and of the rule packs: every value with the pack version it came from, and the warnings
// for unverified values. The zod schemas are the routes' response contract.
import { z } from 'zod';
import type { ResolvedRules, ResolvedValue } from '../../shared/rule-packs.js';
import type { rulePacks } from '../db/schema.js';

type RulePackRow = typeof rulePacks.$inferSelect;

const origin = {
  jurisdiction: z.string(),
  version: z.number(),
  source: z.string(),
  verified: z.boolean(),
};
const cap = z.object({ value: z.number(), ...origin }).nullable();

export const rulesViewSchema = z.object({
  packs: z.array(
    z.object({
      id: z.string(),
      jurisdiction: z.string(),
      version: z.number(),
      effectiveFrom: z.string(),
      practiceSpecific: z.boolean(),
    }),
  ),
  /** rule TIME-3: the access deadline applied to the legal date (access kinds), in calendar days. */
  accessDeadlineDays: z.number().nullable(),
  accessDeadline: z.object({ days: z.number(), unit: z.string(), rule: z.string(), ...origin }).nullable(),
  accessExtension: z.object({ days: z.number(), count: z.number(), ...origin }).nullable(),
  fees: z.object({
    regime: z.enum(['access', 'third_party', 'none']),
    allowedComponents: z.array(z.string()).nullable(),
    flatElectronicCapCents: cap,
    perPageCapCents: cap,
  }),
  /** rule FEE-6: whether the release step may wait on payment, and which pack says so. */
  releaseMayWaitOnPayment: z.object({ value: z.boolean(), ...origin }),
  denialGrounds: z.array(
    z.object({
      code: z.string(),
      description: z.string(),
      jurisdiction: z.string(),
      usable: z.boolean(),
      reason: z.string(),
    }),
  ),
  warnings: z.array(z.object({ rule: z.string(), message: z.string() })),
});

export type RulesView = z.infer<typeof rulesViewSchema>;

function originOf<T>(v: ResolvedValue<T>) {
  return { jurisdiction: v.jurisdiction, version: v.version, source: v.source, verified: v.verified };
}

function capOf(v: ResolvedValue<number> | null) {
  return v ? { value: v.value, ...originOf(v) } : null;
}

export function presentRules(rules: ResolvedRules): RulesView {
  const d = rules.accessDeadline;
  const e = rules.accessExtension;
  return {
    packs: rules.packs,
    accessDeadlineDays: d?.calendarDays ?? null,
    accessDeadline: d ? { days: d.value.days, unit: d.value.unit, rule: d.rule, ...originOf(d) } : null,
    accessExtension: e ? { days: e.value.days, count: e.value.count, ...originOf(e) } : null,
    fees: {
      regime: rules.fees.regime,
      allowedComponents: rules.fees.allowedComponents?.value ?? null,
      flatElectronicCapCents: capOf(rules.fees.flatElectronicCapCents),
      perPageCapCents: capOf(rules.fees.perPageCapCents),
    },
    releaseMayWaitOnPayment: {
      value: rules.releaseMayWaitOnPayment.value,
      ...originOf(rules.releaseMayWaitOnPayment),
    },
    denialGrounds: rules.denialGrounds.map((g) => ({
      code: g.code,
      description: g.description,
      jurisdiction: g.jurisdiction,
      usable: g.usable,
      reason: g.reason,
    })),
    warnings: rules.warnings,
  };
}

/**
 * The `rules` block of the request details, spread into them by presenters/request.ts from the
 * details' extras (queries/request-details.ts loads them with `rulesForRequest`, from the packs
 * stored on the request); a context without resolved rules leaves the block out.
 */
export function presentRequestRules(context: { rules: ResolvedRules }): { rules: RulesView };
export function presentRequestRules(context: object): { rules?: RulesView };
export function presentRequestRules(context: object): { rules?: RulesView } {
  if (!('rules' in context) || !context.rules) return {};
  return { rules: presentRules(context.rules as ResolvedRules) };
}

export const feeQuoteViewSchema = z.object({
  id: z.string(),
  basis: z.string(),
  lines: z.array(
    z.object({
      code: z.string(),
      description: z.string(),
      quantity: z.number().optional(),
      unitCents: z.number().optional(),
      amountCents: z.number(),
    }),
  ),
  totalCents: z.number(),
  rules: z.record(z.string(), z.unknown()),
  quotedAt: z.string(),
  acceptedAt: z.string().nullable(),
});

export function presentFeeQuote(q: {
  id: string;
  basis: string;
  lines: { code: string; description: string; amountCents: number }[];
  totalCents: number;
  rules: Record<string, unknown>;
  quotedAt: Date;
  acceptedAt: Date | null;
}): z.infer<typeof feeQuoteViewSchema> {
  return {
    id: q.id,
    basis: q.basis,
    lines: q.lines,
    totalCents: q.totalCents,
    rules: q.rules,
    quotedAt: q.quotedAt.toISOString(),
    acceptedAt: q.acceptedAt?.toISOString() ?? null,
  };
}

export const rulePackViewSchema = z.object({
  id: z.string(),
  jurisdiction: z.string(),
  version: z.number(),
  effectiveFrom: z.string(),
  practiceSpecific: z.boolean(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  /** How many of its values are unverified (each shows a warning to staff). */
  unverified: z.array(z.string()),
  data: z.record(z.string(), z.unknown()),
});

export function presentRulePack(row: RulePackRow): z.infer<typeof rulePackViewSchema> {
  const unverified = Object.entries(row.data)
    .filter(([, v]) => !!v && typeof v === 'object' && 'verified' in v && v.verified === false)
    .map(([k]) => k);
  return {
    id: row.id,
    jurisdiction: row.jurisdiction,
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    practiceSpecific: row.practiceId !== null,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
    unverified,
    data: row.data,
  };
}
