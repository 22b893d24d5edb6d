// The accounting of disclosures as pure rules (45 CFR 164.528): which disclosures are accountable
// (rule REL-4), the period an accounting covers (REL-4), the agencies' suspensions (164.528(a)(2))
// and the 12-month free accounting (FEE-7). The commands and queries load the facts and apply them.
import { isRequestKind, KIND_RULE_IDS, type RequestKind } from '../../shared/request-kinds.js';
import { addCalendarDays, type LocalDate } from '../../shared/time.js';
import { accountingFee } from '../rules/fees.js';

/** The kind stored on a disclosure entry recorded with no request (an impermissible disclosure). */
export const NO_REQUEST_KIND = 'impermissible';

/** rule REL-4: the accounting covers the 6 years before the request at most. */
export const ACCOUNTING_YEARS = 6;
/** rule REL-4 (164.528(a)(2)(ii)): an oral statement suspends for at most 30 days. */
export const ORAL_SUSPENSION_MAX_DAYS = 30;

export interface Accountability {
  accountable: boolean;
  rule: 'REL-4';
  /** Why, in words staff can check against 164.528(a). */
  basis: string;
  /** True where the rule pack decides (KIND-2); the value is then the baseline's default. */
  packDecides: boolean;
}

/** What a rule pack may say about the accounting (the packs' owners fill it in). */
export interface AccountingPackRules {
  /** KIND-2: is a copy the client directed to a third party accountable? Baseline: no. */
  clientDirectedAccountable?: boolean;
}

const EXEMPT: Readonly<Record<RequestKind, string | null>> = {
  client_access: 'KIND-1: to the individual (164.528(a)(1)(ii)) — exempt',
  client_directed: null,
  authorization: 'KIND-3: under the client’s authorization (164.528(a)(1)(iv)) — exempt',
  subpoena: null,
  court_order: null,
  representative:
    'KIND-6: to the personal representative, who stands in the client’s shoes (164.502(g), 164.528(a)(1)(ii)) — exempt',
  provider_continuity: 'KIND-7: for treatment (164.528(a)(1)(i)) — exempt',
  other_legal: null,
};

const ACCOUNTABLE: Readonly<Partial<Record<RequestKind, string>>> = {
  subpoena: 'KIND-4: a subpoena or discovery request (164.512(e)) — accountable',
  court_order: 'KIND-5: a court or tribunal order (164.512(e)) — accountable',
  other_legal:
    'KIND-8: required by law, public health, oversight, law enforcement or serious threat (164.512) — accountable',
};

/**
 * rule REL-4: the map from a disclosure's kind to "accountable". Impermissible disclosures are
 * always accountable; KIND-4, 5 and 8 are; KIND-1, 3, 6 and 7 are exempt; KIND-2 as the pack says
 * (default exempt: a copy sent at the individual's own written direction is part of their right of
 * access, 164.524(c)(3)(ii) — THE RULE PACK DECIDES, this is only the baseline's default).
 */
export function accountability(
  kind: string,
  impermissible: boolean,
  pack: AccountingPackRules = {},
): Accountability {
  if (impermissible) {
    return {
      accountable: true,
      rule: 'REL-4',
      basis: 'An impermissible disclosure is not a permitted one, so it is accountable (164.528(a))',
      packDecides: false,
    };
  }
  if (!isRequestKind(kind)) {
    // An entry of a kind nobody classified: listing it is the safe side of the rule.
    return {
      accountable: true,
      rule: 'REL-4',
      basis: `Unclassified kind "${kind}" — listed`,
      packDecides: false,
    };
  }
  if (kind === 'client_directed') {
    const accountable = pack.clientDirectedAccountable ?? false;
    return {
      accountable,
      rule: 'REL-4',
      basis: `${KIND_RULE_IDS[kind]}: a copy the client directed to a third party — ${
        accountable ? 'accountable' : 'exempt'
      } per the rule pack (baseline default: exempt, at the individual's request)`,
      packDecides: true,
    };
  }
  const exempt = EXEMPT[kind];
  if (exempt) return { accountable: false, rule: 'REL-4', basis: exempt, packDecides: false };
  return { accountable: true, rule: 'REL-4', basis: ACCOUNTABLE[kind] ?? kind, packDecides: false };
}

/** The same date n years later (or earlier); 29 February becomes 28 February in other years. */
export function addYears(date: LocalDate, n: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + n;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type PeriodCheck =
  | { ok: true; from: LocalDate; to: LocalDate }
  | { ok: false; field: 'periodFrom' | 'periodTo'; message: string };

/**
 * rule REL-4: the period an accounting covers: the 6 years before the request, or a shorter period
 * the client asks for. Reversed periods, periods in the future and periods reaching further back
 * than 6 years before the request are refused, each with its reason.
 */
export function accountingPeriod(
  asked: { from?: LocalDate | null; to?: LocalDate | null },
  receivedOn: LocalDate,
  today: LocalDate,
): PeriodCheck {
  const floor = addYears(receivedOn, -ACCOUNTING_YEARS);
  const to = asked.to ?? receivedOn;
  const from = asked.from ?? floor;
  if (to > today) {
    return {
      ok: false,
      field: 'periodTo',
      message: `The period ends in the future (after ${today}) (REL-4).`,
    };
  }
  if (from > today) {
    return {
      ok: false,
      field: 'periodFrom',
      message: `The period starts in the future (after ${today}) (REL-4).`,
    };
  }
  if (from > to) {
    return {
      ok: false,
      field: 'periodFrom',
      message: `The period is reversed: it starts (${from}) after it ends (${to}) (REL-4).`,
    };
  }
  if (from < addYears(to, -ACCOUNTING_YEARS)) {
    return {
      ok: false,
      field: 'periodFrom',
      message: `The period is longer than ${ACCOUNTING_YEARS} years: an accounting covers at most the ${ACCOUNTING_YEARS} years before the request (REL-4).`,
    };
  }
  if (from < floor) {
    return {
      ok: false,
      field: 'periodFrom',
      message: `An accounting covers at most the ${ACCOUNTING_YEARS} years before the request: the period may start on ${floor} at the earliest (REL-4).`,
    };
  }
  return { ok: true, from, to };
}

export interface FeeDecision {
  rule: 'FEE-7';
  free: boolean;
  note: string;
}

/**
 * rule FEE-7: the first accounting in any 12 months is free; a later one may carry a reasonable,
 * cost-based fee the client is told in advance (and may then withdraw or narrow the request).
 * `previousReceivedOn` are the receipt dates of the client's other accounting requests; the fee
 * rule itself is the fee calculator's (rules/fees.ts).
 */
export function accountingFeeDecision(
  receivedOn: LocalDate,
  previousReceivedOn: readonly LocalDate[],
): FeeDecision {
  const yearBefore = addYears(receivedOn, -1);
  const prior = previousReceivedOn.filter((d) => d > yearBefore && d <= receivedOn).sort();
  const fee = accountingFee(prior.length);
  if (fee.free)
    return { rule: 'FEE-7', free: true, note: 'The first accounting in 12 months is free (FEE-7).' };
  return {
    rule: 'FEE-7',
    free: false,
    note: `Another accounting was asked for on ${prior[prior.length - 1]}, within 12 months: ${fee.reason} (FEE-7)`,
  };
}

export interface SuspensionFacts {
  agency: string;
  startsOn: LocalDate;
  until: LocalDate;
}

/** The names compared case- and space-insensitively ("County  Sheriff" = "county sheriff"). */
export function sameRecipient(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * rule REL-4 (164.528(a)(2)): while a suspension lasts (today on or before its last day), the
 * disclosures to that agency made within it are left out of the client's accounting.
 */
export function isSuspended(
  entry: { recipientName: string; date: LocalDate },
  suspensions: readonly SuspensionFacts[],
  today: LocalDate,
): boolean {
  return suspensions.some(
    (s) =>
      today <= s.until &&
      entry.date >= s.startsOn &&
      entry.date <= s.until &&
      sameRecipient(entry.recipientName, s.agency),
  );
}

export type SuspensionCheck = { ok: true } | { ok: false; field: 'startsOn' | 'until'; message: string };

/** rule REL-4 (164.528(a)(2)): a suspension runs forwards, and an oral one for 30 days at most. */
export function checkSuspension(
  s: { statement: 'written' | 'oral'; startsOn: LocalDate; until: LocalDate },
  today: LocalDate,
): SuspensionCheck {
  if (s.startsOn > today) {
    return { ok: false, field: 'startsOn', message: 'The statement cannot be dated in the future (REL-4).' };
  }
  if (s.until < s.startsOn) {
    return {
      ok: false,
      field: 'until',
      message: `The suspension is reversed: it ends (${s.until}) before it starts (${s.startsOn}) (REL-4).`,
    };
  }
  if (s.until < today) {
    return { ok: false, field: 'until', message: `The suspension already ended (${s.until}) (REL-4).` };
  }
  const latest = addCalendarDays(s.startsOn, ORAL_SUSPENSION_MAX_DAYS);
  if (s.statement === 'oral' && s.until > latest) {
    return {
      ok: false,
      field: 'until',
      message: `An oral statement suspends the accounting for ${ORAL_SUSPENSION_MAX_DAYS} days at most (until ${latest}) unless a written statement follows (164.528(a)(2)(ii)) (REL-4).`,
    };
  }
  return { ok: true };
}
