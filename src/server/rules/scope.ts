// rule SCOPE-1, SCOPE-2, LEGAL-1: the prepared records are checked, file by file, against the scope
// that was authorized before anything goes out. Pure: the release gate calls it with facts loaded
// at release time, and the request details show the same blockers.

import {
  DOCUMENT_CLASS_LABELS,
  type DocumentClass,
  type OtherLegalSubtype,
  type RequestKind,
} from '../../shared/request-kinds.js';
import type { ReleaseBlocker } from '../../shared/schemas/authorizations.js';

/** A prepared record (a file of purpose 'record') on the request. */
export interface RecordFile {
  name: string;
  documentClass: string | null;
  dateFrom: string | null;
  dateTo: string | null;
}

/** Classes and a date range; an empty class list or a missing bound sets no limit. */
export interface Scope {
  documentClasses: readonly string[];
  dateFrom: string | null;
  dateTo: string | null;
}

export interface ScopeAuthorization extends Scope {
  valid: boolean;
  psychotherapyNotesOnly: boolean;
}

export interface ScopeFacts {
  kind: RequestKind;
  /** The KIND-8 subtype of an other-legal request (SCOPE-2: it decides minimum necessary). */
  kindSubtype?: string | null;
  /** The approved scope where the supervisor narrowed it, else the request's own. */
  scope: Scope;
  /** The request's own classes and dates: for a court order, what the order describes (LEGAL-1). */
  requested: Scope;
  authorizations: readonly ScopeAuthorization[];
  /** Whether the privacy officer recorded a 164.508(a)(2) exception for psychotherapy notes (AUTH-4). */
  psychotherapyNotesException: boolean;
  records: readonly RecordFile[];
}

// rule SCOPE-2: minimum necessary applies except to the client themself (and their directed copy or
// representative), treatment disclosures, authorized disclosures, and disclosures required by law
// (a court order is one, 164.103; a subpoena alone is not). For KIND-8 the subtype decides, below.
const MINIMUM_NECESSARY: Readonly<Record<RequestKind, boolean>> = {
  client_access: false,
  client_directed: false,
  representative: false,
  provider_continuity: false,
  authorization: false,
  court_order: false,
  subpoena: true,
  other_legal: true,
};

// rule SCOPE-2, KIND-8: of the other-legal subtypes only a disclosure required by law (164.512(a)) is
// exempt; public health or abuse reports, oversight, law enforcement and a serious threat are
// permitted, not compelled, so they are limited to the minimum necessary. No subtype: it applies.
const MINIMUM_NECESSARY_OTHER_LEGAL: Readonly<Record<OtherLegalSubtype, boolean>> = {
  required_by_law: false,
  public_health_or_abuse: true,
  health_oversight: true,
  law_enforcement: true,
  serious_threat: true,
};

export function minimumNecessaryApplies(kind: RequestKind, kindSubtype: string | null = null): boolean {
  if (kind === 'other_legal' && kindSubtype && kindSubtype in MINIMUM_NECESSARY_OTHER_LEGAL) {
    return MINIMUM_NECESSARY_OTHER_LEGAL[kindSubtype as OtherLegalSubtype];
  }
  return MINIMUM_NECESSARY[kind];
}

/** The approved scope's classes and dates when the supervisor set them, else the request's. */
export function effectiveScope(row: {
  documentClasses: readonly string[];
  dateFrom: string | null;
  dateTo: string | null;
  approvedScope: Record<string, unknown> | null;
}): Scope {
  const s = row.approvedScope ?? {};
  const str = (v: unknown, fallback: string | null) => (typeof v === 'string' && v ? v : fallback);
  const classes = Array.isArray(s.documentClasses) && s.documentClasses.length > 0 ? s.documentClasses : null;
  return {
    documentClasses: classes ? classes.map(String) : [...row.documentClasses],
    dateFrom: str(s.dateFrom, row.dateFrom),
    dateTo: str(s.dateTo, row.dateTo),
  };
}

const label = (c: string | null) =>
  c ? (DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c).toLowerCase() : 'no document class';
const range = (from: string | null, to: string | null) => `${from ?? 'start'} to ${to ?? 'latest'}`;
const hasRange = (s: Scope) => !!(s.dateFrom || s.dateTo);
const classFits = (s: Scope, c: string | null) =>
  s.documentClasses.length === 0 || (!!c && s.documentClasses.includes(c));

function datesFit(s: Scope, f: RecordFile): boolean {
  if (!hasRange(s)) return true;
  const from = f.dateFrom ?? f.dateTo;
  const to = f.dateTo ?? f.dateFrom;
  if (!from || !to) return false;
  return (!s.dateFrom || from >= s.dateFrom) && (!s.dateTo || to <= s.dateTo);
}

function describeFile(f: RecordFile): string {
  const dates = f.dateFrom || f.dateTo ? `, ${range(f.dateFrom, f.dateTo)}` : '';
  return `'${f.name}' (${label(f.documentClass)}${dates})`;
}

/** The scopes a file must fit, each with what to call it; for authorizations, any one of them. */
function limitsFor(f: ScopeFacts, file: RecordFile): Scope[][] {
  const limits: Scope[][] = [[f.scope]];
  // rule LEGAL-1: a court order allows only what it expressly describes, whatever else was approved.
  if (f.kind === 'court_order') limits.push([f.requested]);
  // rule KIND-3, KIND-2: the valid authorization's classes and dates, when recorded, limit further.
  if (f.kind === 'authorization' || f.kind === 'client_directed') {
    const notes = file.documentClass === 'psychotherapy_notes';
    const usable = f.authorizations.filter((a) => a.valid && a.psychotherapyNotesOnly === notes);
    if (usable.length > 0) limits.push(usable);
  }
  return limits;
}

function fileBlocker(f: ScopeFacts, file: RecordFile, tail: string): ReleaseBlocker | null {
  for (const options of limitsFor(f, file)) {
    if (options.some((s) => classFits(s, file.documentClass) && datesFit(s, file))) continue;
    const s = options[0]!;
    const undated =
      hasRange(s) && !file.dateFrom && !file.dateTo && options.some((o) => classFits(o, file.documentClass));
    if (undated) {
      return {
        rule: 'SCOPE-1',
        message: `Release is blocked: ${describeFile(file)} has no dates, so it cannot be checked against what was authorized (${range(s.dateFrom, s.dateTo)}). Set its dates, or remove it. (SCOPE-1)${tail}`,
      };
    }
    const what = options.some((o) => classFits(o, file.documentClass))
      ? range(s.dateFrom, s.dateTo)
      : [s.documentClasses.map(label).join(', '), hasRange(s) ? range(s.dateFrom, s.dateTo) : '']
          .filter(Boolean)
          .join(', ');
    return {
      rule: 'SCOPE-1',
      message: `Release is blocked: ${describeFile(file)} is outside what was authorized (${what}). Remove it or narrow it. (SCOPE-1)${tail}`,
    };
  }
  // rule AUTH-4: psychotherapy notes go out only on their own authorization or a recorded exception.
  if (
    file.documentClass === 'psychotherapy_notes' &&
    !f.psychotherapyNotesException &&
    !f.authorizations.some((a) => a.valid && a.psychotherapyNotesOnly)
  ) {
    return {
      rule: 'SCOPE-1',
      message: `Release is blocked: ${describeFile(file)} is psychotherapy notes, which need the client's separate authorization for psychotherapy notes only or the privacy officer's approval naming a 164.508(a)(2) exception. Remove it or record one. (SCOPE-1, AUTH-4)`,
    };
  }
  return null;
}

/** rule SCOPE-1: one blocker per prepared record outside the authorized scope; none without records. */
export function scopeBlockers(f: ScopeFacts): ReleaseBlocker[] {
  const tail = minimumNecessaryApplies(f.kind, f.kindSubtype ?? null)
    ? ' This release must also be limited to the minimum necessary for its purpose (SCOPE-2).'
    : '';
  return f.records.map((r) => fileBlocker(f, r, tail)).filter((b): b is ReleaseBlocker => b !== null);
}
