// Reads of the rule packs (rule TIME-3): the versions a practice can use (shipped and its own), the
// packs chosen at intake, and the rules a request was decided under — always from the pack ids
// stored on it, so a version added later never changes an existing request.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import {
  FEDERAL_JURISDICTION,
  type ResolvedRules,
  type RulePack,
  type RulePackData,
  type RuleWarning,
  rulePackDataSchema,
} from '../../shared/rule-packs.js';
import { localDate } from '../../shared/time.js';
import type { Ctx } from '../context.js';
import { practices, rulePacks } from '../db/schema.js';
import { resolveRules, selectPacks } from '../rules/pack-resolution.js';
import { seedShippedRulePacks } from '../rules/packs/seed.js';

export type RulePackRow = typeof rulePacks.$inferSelect;

export function toRulePack(row: RulePackRow): RulePack {
  return {
    id: row.id,
    practiceId: row.practiceId,
    jurisdiction: row.jurisdiction,
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    // Validated on the way in (seed, add-rule-pack-version); parsed again so a type never lies.
    data: rulePackDataSchema.parse(row.data) as RulePackData,
  };
}

/** Every version the practice may use: the shipped ones and its own (never another practice's). */
export async function practicePackRows(ctx: Ctx, practiceId: string): Promise<RulePackRow[]> {
  // The shipped packs are seeded at boot; a database created empty (e.g. for a restore) gets them here.
  await seedShippedRulePacks(ctx.services.database.pool);
  return ctx.tx
    .select()
    .from(rulePacks)
    .where(or(isNull(rulePacks.practiceId), eq(rulePacks.practiceId, practiceId)))
    .orderBy(rulePacks.jurisdiction, rulePacks.version);
}

async function practiceTimeZone(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ timeZone: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return p?.timeZone ?? 'UTC';
}

async function practiceState(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ state: practices.state })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return p?.state ?? FEDERAL_JURISDICTION;
}

/** A pack standing in on a date before its own effective date (none was effective yet). */
function notYetEffective(packs: readonly RulePack[], onDate: string): RuleWarning[] {
  return packs
    .filter((p) => p.effectiveFrom > onDate)
    .map((p) => ({
      rule: 'TIME-3',
      message: `No ${p.jurisdiction} pack was effective on ${onDate}: version ${p.version} (effective ${p.effectiveFrom}) stands in.`,
    }));
}

export interface IntakeRules {
  federalPackId: string | null;
  statePackId: string | null;
  rules: ResolvedRules;
  /** rule TIME-3: the access deadline applied to the legal date, in calendar days. */
  accessCalendarDays: number | undefined;
}

/** rule TIME-3: the packs in force on the receipt date, and what they resolve to for this request. */
export async function rulesAtIntake(
  ctx: Ctx,
  at: {
    practiceId: string;
    kind: RequestKind;
    receivedAt: Date;
    timeZone: string;
    deliveryFormat: string;
    documentClasses?: readonly string[];
  },
): Promise<IntakeRules> {
  const state = await practiceState(ctx, at.practiceId);
  const onDate = localDate(at.receivedAt, at.timeZone);
  const all = (await practicePackRows(ctx, at.practiceId)).map(toRulePack);
  const chosen = selectPacks(all, { practiceId: at.practiceId, state, onDate });
  const packs = [chosen.federal?.pack, chosen.state?.pack].filter((p): p is RulePack => !!p);
  const rules = resolveRules(packs, at.kind, {
    state,
    deliveryFormat: at.deliveryFormat,
    receivedOn: onDate,
    ...(at.documentClasses ? { documentClasses: at.documentClasses } : {}),
  });
  rules.warnings.push(...notYetEffective(packs, onDate));
  return {
    federalPackId: chosen.federal?.pack.id ?? null,
    statePackId: chosen.state?.pack.id ?? null,
    rules,
    accessCalendarDays: rules.accessDeadline?.calendarDays,
  };
}

export interface RequestForRules {
  practiceId: string;
  kind: string;
  receivedAt: Date;
  deliveryFormat: string;
  documentClasses: readonly string[];
  federalPackId: string | null;
  statePackId: string | null;
}

/** The packs stored on a request (rule TIME-3). */
export async function requestPacks(ctx: Ctx, row: RequestForRules): Promise<RulePack[]> {
  const ids = [row.federalPackId, row.statePackId].filter((id): id is string => !!id);
  if (ids.length === 0) return [];
  const rows = await ctx.tx
    .select()
    .from(rulePacks)
    .where(
      and(
        inArray(rulePacks.id, ids),
        or(isNull(rulePacks.practiceId), eq(rulePacks.practiceId, row.practiceId)),
      ),
    );
  return rows.map(toRulePack);
}

/** The rules a request was decided under: its stored packs, resolved as at intake. */
export async function rulesForRequest(ctx: Ctx, row: RequestForRules, zone?: string): Promise<ResolvedRules> {
  const timeZone = zone ?? (await practiceTimeZone(ctx, row.practiceId));
  if (!row.federalPackId) {
    // Recorded before rule packs existed: the packs in force on its receipt date, said so.
    const intake = await rulesAtIntake(ctx, { ...row, kind: row.kind as RequestKind, timeZone });
    intake.rules.warnings.push({
      rule: 'TIME-3',
      message:
        'This request was recorded before rule packs were stored on requests: shown with the packs in force on its receipt date.',
    });
    return intake.rules;
  }
  const state = await practiceState(ctx, row.practiceId);
  const receivedOn = localDate(row.receivedAt, timeZone);
  const packs = await requestPacks(ctx, row);
  const rules = resolveRules(packs, row.kind as RequestKind, {
    // A missing state pack is worth a warning only while the practice is still in that state.
    ...(row.statePackId ? {} : { state }),
    deliveryFormat: row.deliveryFormat,
    receivedOn,
    documentClasses: row.documentClasses,
  });
  rules.warnings.push(...notYetEffective(packs, receivedOn));
  return rules;
}
