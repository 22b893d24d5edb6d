// Which packs a request is decided under, and what they resolve to (rule TIME-3). Pure functions
// over pack rows: the queries load them, intake stores the chosen ids on the request, and the same
// stored packs always resolve to the same rules, so a new version never rewrites history.
import { isAccessKind, type RequestKind } from '../../shared/request-kinds.js';
import {
  type Deadline,
  FEDERAL_JURISDICTION,
  type FeeCode,
  JURISDICTION_NAMES,
  PACK_KEY_LABELS,
  PACK_KEY_RULES,
  type PackValue,
  type ResolvedDenialGround,
  type ResolvedRules,
  type ResolvedValue,
  type RulePack,
  type RulePackData,
  type RulePackKey,
  type RuleWarning,
} from '../../shared/rule-packs.js';
import { addCalendarDays, calendarDaysBetween, isBusinessDay, type LocalDate } from '../../shared/time.js';

export interface PackChoice {
  pack: RulePack;
  /** False when no version was yet effective on the date and the earliest one stands in. */
  effective: boolean;
}

/**
 * The version of one jurisdiction's pack for a practice on a date (rule TIME-3): the latest version
 * effective on that date, the practice's own versions preferred over shipped ones.
 */
export function choosePack(
  packs: readonly RulePack[],
  jurisdiction: string,
  practiceId: string,
  onDate: LocalDate,
): PackChoice | null {
  const own = packs.filter((p) => p.jurisdiction === jurisdiction && p.practiceId === practiceId);
  const shipped = packs.filter((p) => p.jurisdiction === jurisdiction && p.practiceId === null);
  const latest = (list: RulePack[]) =>
    list.filter((p) => p.effectiveFrom <= onDate).sort((a, b) => b.version - a.version)[0];
  const chosen = latest(own) ?? latest(shipped);
  if (chosen) return { pack: chosen, effective: true };
  const earliest = [...own, ...shipped].sort(
    (a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version,
  )[0];
  return earliest ? { pack: earliest, effective: false } : null;
}

/** The federal baseline and the practice's state pack on the receipt date. */
export function selectPacks(
  packs: readonly RulePack[],
  at: { practiceId: string; state: string; onDate: LocalDate },
): { federal: PackChoice | null; state: PackChoice | null } {
  return {
    federal: choosePack(packs, FEDERAL_JURISDICTION, at.practiceId, at.onDate),
    state: at.state === FEDERAL_JURISDICTION ? null : choosePack(packs, at.state, at.practiceId, at.onDate),
  };
}

/** A deadline in calendar days from the receipt date (business days skip weekends). */
export function calendarDaysOf(deadline: Deadline, receivedOn?: LocalDate): number {
  if (deadline.unit === 'calendar') return deadline.days;
  // Without a date: the most calendar days n business days can take.
  if (!receivedOn) return deadline.days + 2 * Math.ceil(deadline.days / 5);
  let date = receivedOn;
  for (let left = deadline.days; left > 0; ) {
    date = addCalendarDays(date, 1);
    if (isBusinessDay(date)) left--;
  }
  return calendarDaysBetween(receivedOn, date);
}

type ValueOf<K extends RulePackKey> = NonNullable<RulePackData[K]>['value'];

function valueFrom<K extends RulePackKey>(
  pack: RulePack | undefined,
  key: K,
): ResolvedValue<ValueOf<K>> | null {
  const v = pack?.data[key] as PackValue<ValueOf<K>> | undefined;
  if (!pack || !v) return null;
  const rule = PACK_KEY_RULES[key];
  // A state's own deadline or fee for access is TIME-3's "stricter state law".
  const stateRule = pack.jurisdiction !== FEDERAL_JURISDICTION && rule === 'TIME-2' ? 'TIME-3' : rule;
  return { ...v, jurisdiction: pack.jurisdiction, version: pack.version, rule: stateRule };
}

/**
 * rule TIME-3 (policy decision): of the federal and state values, the MORE PROTECTIVE one is applied
 * — the shorter deadline, the lower fee or cap — even when counsel has not yet verified the state
 * value: applying an unverified state deadline can only make the practice answer sooner or charge
 * less, never miss a legal date. An unverified value that is applied, or that is considered and
 * loses to a more protective one, is a warning to staff naming its source (see `warningFor`).
 * `measure` orders candidates: the lowest measure protects the client most.
 */
function pick<T>(candidates: (ResolvedValue<T> | null)[], measure: (v: T) => number): Picked<T> {
  const present = candidates.filter((c): c is ResolvedValue<T> => !!c);
  let chosen: ResolvedValue<T> | null = null;
  for (const c of present) {
    // The federal value comes first, so it wins a tie.
    if (!chosen || measure(c.value) < measure(chosen.value)) chosen = c;
  }
  return { chosen, unapplied: present.filter((c) => !c.verified && c !== chosen) };
}

interface Picked<T> {
  /** The most protective value, verified or not. */
  chosen: ResolvedValue<T> | null;
  /** Unverified values considered and not applied (each still a warning). */
  unapplied: ResolvedValue<T>[];
}

export interface ResolveOptions {
  /** The practice's state, to warn when no pack covers it. */
  state?: string;
  /** The delivery asked for: a state may set its own deadline for inspection. */
  deliveryFormat?: string;
  /** The local receipt date, to count business days exactly. */
  receivedOn?: LocalDate;
  /** The request's document classes: Part 2 material brings the 2.32 notice in (PART2-1). */
  documentClasses?: readonly string[];
}

function describe(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return `$${(value / 100).toFixed(2)}`;
  if (typeof value === 'string') return 'the notice text';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : '…')).join(', ');
  if (value && typeof value === 'object' && 'days' in value) {
    const d = value as { days: number; unit?: string; count?: number };
    return d.unit ? `${d.days} ${d.unit} days` : `${d.count ?? 1} × ${d.days} days`;
  }
  return 'a value';
}

/** "California’s", "the federal", or "the WA pack’s": whose value a warning speaks of. */
function whose(jurisdiction: string): string {
  if (jurisdiction === FEDERAL_JURISDICTION) return 'the federal';
  const name = JURISDICTION_NAMES[jurisdiction];
  return name ? `${name}’s` : `the ${jurisdiction} pack’s`;
}

/** "15 calendar days (deadline for access)", or "“release may wait on payment: yes”". */
function what(key: RulePackKey, value: unknown): string {
  const label = PACK_KEY_LABELS[key];
  if (typeof value === 'boolean') return `“${label.toLowerCase()}: ${describe(value)}”`;
  return `${describe(value)} (${label.charAt(0).toLowerCase()}${label.slice(1)})`;
}

/** Where an unverified value comes from: its pack version and the source it cites (the statute). */
function origin(v: ResolvedValue<unknown>): string {
  return `${v.jurisdiction} pack v${v.version}; ${v.source}`;
}

/**
 * rule TIME-3: the staff warning for an unverified value that bears on the request. Applied: it is
 * the more protective value (or the only one) and stands until counsel confirms or corrects it.
 * Not applied: a more protective value applies; or (FEE-6) a state permission to wait on payment,
 * which protects the client less and so applies only once counsel confirms it.
 */
function warningFor(
  key: RulePackKey,
  v: ResolvedValue<unknown>,
  applied: ResolvedValue<unknown> | null,
  appliedKey: RulePackKey = key,
): RuleWarning {
  const subject = `${whose(v.jurisdiction)} ${what(key, v.value)}, not yet confirmed by counsel (${origin(v)})`;
  const note = v.note ? ` ${v.note}` : '';
  let message: string;
  if (key === 'releaseMayWaitOnPayment' && v.value === true) {
    message = `Not applied: ${subject}. Waiting on payment protects the client less, so it applies only once counsel confirms it in a new pack version (verified: true; FEE-6, TIME-3).`;
  } else if (applied === v) {
    message = `Applied: ${subject}. It is the more protective value, so it applies until counsel confirms or corrects it in a new pack version (TIME-3).`;
  } else {
    const instead = applied
      ? `${whose(applied.jurisdiction)} ${what(appliedKey, applied.value)} is more protective and applies`
      : 'a more protective value applies';
    message = `Considered, not applied: ${subject}. ${instead} (TIME-3).`;
  }
  return { rule: v.rule, message: `${message}${note}` };
}

/**
 * What a request of this kind is decided under (rule TIME-3). For access (KIND-1, 2, 6): the shorter
 * deadline, the lower fee, and no state denial ground broader than HIPAA's. For third parties: the
 * more protective rule (the lower cap; a state's grounds to refuse stay usable). The more protective
 * value applies whether or not counsel has verified it; every unverified value that bears on the
 * request, applied or only considered, is a warning for staff until counsel confirms it in a new
 * version (which removes the warning).
 */
export function resolveRules(
  packs: readonly RulePack[],
  kind: RequestKind,
  opts: ResolveOptions = {},
): ResolvedRules {
  const federal = packs.find((p) => p.jurisdiction === FEDERAL_JURISDICTION);
  const state = packs.find((p) => p.jurisdiction !== FEDERAL_JURISDICTION);
  const access = isAccessKind(kind);
  const regime: ResolvedRules['fees']['regime'] =
    kind === 'other_legal'
      ? 'none'
      : kind === 'client_access' || kind === 'representative'
        ? 'access'
        : 'third_party';
  const warnings: RuleWarning[] = [];
  const considered: [RulePackKey, Picked<unknown>][] = [];
  const keyOf = new Map<object, RulePackKey>();
  /** Both packs' values for a key, picked, remembered for the warnings. */
  const resolve = <K extends RulePackKey>(key: K, measure: (v: ValueOf<K>) => number, keys: K[] = [key]) => {
    const candidates = keys.flatMap((k) =>
      [valueFrom(federal, k), valueFrom(state, k)].map((v) => {
        if (v) keyOf.set(v, k);
        return v;
      }),
    );
    const picked = pick(candidates, measure);
    considered.push([key, picked as Picked<unknown>]);
    return picked.chosen;
  };

  if (!federal) {
    warnings.push({
      rule: 'TIME-3',
      message:
        'No federal rule pack is recorded for this request: HIPAA’s 30 days apply; ask an administrator.',
    });
  }
  if (opts.state && opts.state !== FEDERAL_JURISDICTION && !state) {
    warnings.push({
      rule: 'TIME-3',
      message: `No rule pack for ${opts.state}: only the federal baseline applies, and state law may be stricter. Ask counsel.`,
    });
  }

  // rule TIME-2, TIME-3: the shorter deadline for access; inspection in person may have its own.
  let accessDeadline: ResolvedRules['accessDeadline'] = null;
  let accessExtension: ResolvedRules['accessExtension'] = null;
  if (access) {
    const days = (d: Deadline) => calendarDaysOf(d, opts.receivedOn);
    const keys: ('accessDeadline' | 'inspectionDeadline')[] =
      opts.deliveryFormat === 'inspection' ? ['accessDeadline', 'inspectionDeadline'] : ['accessDeadline'];
    const chosen = resolve('accessDeadline', days, keys);
    if (chosen) accessDeadline = { ...chosen, calendarDays: days(chosen.value) };
    accessExtension = resolve('accessExtension', (e) => e.days * e.count);
  }

  // rule FEE-1, FEE-2, TIME-3 (access: the lower fee); FEE-5 (third parties: the statute's cap). A
  // state cap applies even before counsel confirms it (a cap where HIPAA sets none is the lower fee).
  const fees: ResolvedRules['fees'] = {
    regime,
    allowedComponents: null,
    flatElectronicCapCents: null,
    perPageCapCents: null,
    // rule FEE-7: more free accountings protect the client more.
    freeAccountingsPer12Months: pick(
      [valueFrom(federal, 'freeAccountingsPer12Months'), valueFrom(state, 'freeAccountingsPer12Months')],
      (n) => -n,
    ).chosen,
  };
  if (regime === 'access') {
    // Fewer allowed components is the lower fee; a state list narrows the federal one.
    const listed = resolve('accessFeeComponents', (list) => list.length);
    const fed = valueFrom(federal, 'accessFeeComponents');
    fees.allowedComponents =
      listed && fed && listed !== fed
        ? { ...listed, value: listed.value.filter((c: FeeCode) => fed.value.includes(c)) }
        : listed;
    fees.flatElectronicCapCents = resolve('flatElectronicFeeCapCents', (n) => n);
    fees.perPageCapCents = resolve('accessPerPageCapCents', (n) => n);
  } else if (regime === 'third_party') {
    fees.perPageCapCents = resolve('thirdPartyPerPageCapCents', (n) => n);
  }

  // rule FEE-6: only the release step may wait on payment, and only where a verified pack allows it.
  // Waiting protects the client less, so TIME-3's rule never applies an unverified permission: it is
  // considered (a warning) and the federal "no" stands until counsel confirms it.
  const waits = resolve('releaseMayWaitOnPayment', (allows) => (allows ? 1 : 0));
  const stateAllows = valueFrom(state, 'releaseMayWaitOnPayment');
  const payment: ResolvedValue<boolean> = (stateAllows?.verified
    ? stateAllows
    : waits && (!waits.value || waits.verified)
      ? waits
      : null) ?? {
    value: false,
    source: 'compliance.md FEE-6 (no pack value)',
    verified: true,
    jurisdiction: FEDERAL_JURISDICTION,
    version: 0,
    rule: 'FEE-6',
  };

  // rule TIME-3: a state ground broader than HIPAA's is stored but unusable for access.
  const denialGrounds: ResolvedDenialGround[] = [];
  for (const pack of [federal, state]) {
    const grounds = valueFrom(pack, 'denialGrounds');
    if (!grounds) continue;
    const unusable: string[] = [];
    for (const g of grounds.value) {
      const usable = !(access && g.broaderThanHipaa);
      if (!usable) unusable.push(g.code);
      denialGrounds.push({
        ...g,
        jurisdiction: grounds.jurisdiction,
        version: grounds.version,
        source: grounds.source,
        verified: grounds.verified,
        usable,
        reason: usable
          ? access
            ? 'Within HIPAA’s grounds (REV-3, REV-4).'
            : 'A third-party request: the more protective rule applies (TIME-3).'
          : 'Broader than HIPAA’s grounds (45 CFR 164.524(a)(2)-(3)): stored, never used for an access request (TIME-3).',
      });
    }
    if (unusable.length > 0) {
      warnings.push({
        rule: 'TIME-3',
        message: `${grounds.jurisdiction} denial grounds broader than HIPAA’s cannot be used for this access request: ${unusable.join(', ')}.`,
      });
    }
    if (!grounds.verified) {
      const usedAny = denialGrounds.some((g) => g.jurisdiction === grounds.jurisdiction && g.usable);
      warnings.push({
        rule: 'TIME-3',
        message: `${usedAny ? 'Applied' : 'Considered, not applied'}: ${whose(grounds.jurisdiction)} denial grounds (${grounds.value.map((g) => g.code).join(', ')}), not yet confirmed by counsel (${origin(grounds)}).${grounds.note ? ` ${grounds.note}` : ''}`,
      });
    }
  }

  // rule PART2-1: the 2.32 notice goes with Part 2 material (the text stands even when unverified).
  const part2Notice = {
    long: pick([valueFrom(federal, 'part2NoticeLong'), valueFrom(state, 'part2NoticeLong')], () => 0).chosen,
    short: pick([valueFrom(federal, 'part2NoticeShort'), valueFrom(state, 'part2NoticeShort')], () => 0)
      .chosen,
  };
  if (opts.documentClasses?.includes('part2')) {
    if (part2Notice.long) considered.push(['part2NoticeLong', { chosen: part2Notice.long, unapplied: [] }]);
    if (part2Notice.short)
      considered.push(['part2NoticeShort', { chosen: part2Notice.short, unapplied: [] }]);
  }

  for (const [key, picked] of considered) {
    const { chosen } = picked;
    const chosenKey = (chosen && keyOf.get(chosen)) ?? key;
    if (chosen && !chosen.verified) warnings.push(warningFor(chosenKey, chosen, chosen));
    for (const v of picked.unapplied) warnings.push(warningFor(keyOf.get(v) ?? key, v, chosen, chosenKey));
  }

  return {
    kind,
    packs: packs.map((p) => ({
      id: p.id,
      jurisdiction: p.jurisdiction,
      version: p.version,
      effectiveFrom: p.effectiveFrom,
      practiceSpecific: p.practiceId !== null,
    })),
    accessDeadline,
    accessExtension,
    // rule TIME-4, FEE-7: the more protective values too; they serve an accounting of disclosures,
    // not this request, so they carry no warning on it.
    accountingDeadline: pick(
      [valueFrom(federal, 'accountingDeadline'), valueFrom(state, 'accountingDeadline')],
      (d) => calendarDaysOf(d),
    ).chosen,
    accountingExtension: pick(
      [valueFrom(federal, 'accountingExtension'), valueFrom(state, 'accountingExtension')],
      (e) => e.days * e.count,
    ).chosen,
    fees,
    releaseMayWaitOnPayment: payment,
    denialGrounds,
    part2Notice,
    warnings,
  };
}
