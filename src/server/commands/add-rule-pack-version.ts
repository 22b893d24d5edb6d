// Adding a rule pack version (rule TIME-3): the privacy officer or an administrator records new
// rules, e.g. after counsel's review. A version is never edited (the table's trigger rejects
// UPDATE and DELETE): a change is the next version, and requests already recorded keep theirs.
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  FEDERAL_JURISDICTION,
  FEDERAL_REQUIRED_KEYS,
  PACK_KEY_LABELS,
  type RulePackData,
  rulePackDataSchema,
} from '../../shared/rule-packs.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { rulePacks } from '../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { type Actor, hasAnyRole, isActive } from '../policies/facts.js';
import { seedShippedRulePacks } from '../rules/packs/seed.js';
import { US_STATES } from './create-practice.js';

export const addRulePackSchema = z
  .object({
    jurisdiction: z.enum([FEDERAL_JURISDICTION, ...US_STATES]),
    effectiveFrom: z.iso.date(),
    data: rulePackDataSchema,
    notes: z.string().trim().min(3, 'Say what changed and on whose advice.').max(4000),
  })
  .superRefine((body, issues) => {
    // The federal baseline carries every value a request resolves against.
    if (body.jurisdiction !== FEDERAL_JURISDICTION) return;
    for (const key of FEDERAL_REQUIRED_KEYS) {
      if (!body.data[key]) {
        issues.addIssue({
          code: 'custom',
          path: ['data', key],
          message: `${PACK_KEY_LABELS[key]}: required in the federal baseline (TIME-3).`,
        });
      }
    }
  });

export type AddRulePackInput = z.infer<typeof addRulePackSchema>;

/** rule TIME-3: the privacy officer or an administrator adds versions; nobody edits one. */
export function canManageRulePacks(actor: Actor): boolean {
  return isActive(actor) && hasAnyRole(actor, ['privacy_officer', 'admin']);
}

/**
 * rule TIME-3: a new version states what changed; every value it does not give is carried over from
 * the version before (a partial confirmation by counsel must not drop the others). Pure.
 */
export function carryForward(previous: RulePackData | undefined, given: RulePackData): RulePackData {
  return { ...(previous ?? {}), ...given } as RulePackData;
}

export async function addRulePackVersion(ctx: Ctx, input: AddRulePackInput) {
  const actor = ctx.actor!;
  if (!canManageRulePacks(actor)) {
    throw new ForbiddenError('Only the privacy officer or an administrator can add a rule pack version.', {
      rule: 'TIME-3',
    });
  }
  await seedShippedRulePacks(ctx.services.database.pool);
  // One version number at a time per practice and jurisdiction.
  await ctx.tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`rule_packs:${actor.practiceId}:${input.jurisdiction}`}))`,
  );
  const [latest] = await ctx.tx
    .select({ version: rulePacks.version, data: rulePacks.data })
    .from(rulePacks)
    .where(
      and(
        eq(rulePacks.jurisdiction, input.jurisdiction),
        or(isNull(rulePacks.practiceId), eq(rulePacks.practiceId, actor.practiceId)),
      ),
    )
    .orderBy(desc(rulePacks.version))
    .limit(1);
  // The next number after every version the practice can see (shipped or its own).
  const version = (latest?.version ?? 0) + 1;
  const data = carryForward(latest?.data as RulePackData | undefined, input.data);
  const [row] = await ctx.tx
    .insert(rulePacks)
    .values({
      practiceId: actor.practiceId,
      jurisdiction: input.jurisdiction,
      version,
      effectiveFrom: input.effectiveFrom,
      data,
      notes: input.notes,
      createdBy: actor.id,
      createdAt: ctx.now,
    })
    .returning();
  const unverified = Object.entries(data)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'verified' in v && !v.verified)
    .map(([k]) => k);
  record(ctx, {
    type: 'rule_pack.version_added',
    data: {
      packId: row!.id,
      jurisdiction: input.jurisdiction,
      version,
      effectiveFrom: input.effectiveFrom,
      unverified,
      carriedOver: Object.keys(data).filter((k) => k !== 'title' && !(k in input.data)),
      rule: 'TIME-3',
    },
  });
  return row!;
}
