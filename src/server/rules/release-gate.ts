// The release gate: what must be on record before anything goes out, each blocker naming its rule
// and what to do. Pure over facts loaded at release time (queries/authorizations.ts), so a
// revocation received a second ago already blocks (AUTH-5). record-release calls it inside its
// transition; the request details show the same list so the UI can explain a disabled button.

import type { RequestKind } from '../../shared/request-kinds.js';
import type { ReleaseBlocker } from '../../shared/schemas/authorizations.js';
import { ConflictError } from '../errors.js';
import type { AuthorizationValidation } from './authorization.js';
import { subpoenaBlockerMessage, subpoenaRecords } from './legal-process.js';
import { type RecordFile, type Scope, scopeBlockers } from './scope.js';

export interface GateAuthorization extends AuthorizationValidation {
  psychotherapyNotesOnly: boolean;
  part2Consent: boolean;
  revoked: boolean;
  /** The row's id, when loaded (a LEGAL-2 privilege record may rest on it). */
  id?: string;
  /** The classes and dates the authorization names, when recorded (SCOPE-1). */
  scope?: Scope;
}

export interface GateFacts {
  kind: RequestKind;
  /** The KIND-8 subtype, when the kind has one (SCOPE-2). */
  kindSubtype?: string | null;
  /** What would be released: the approved scope's classes, else the request's. */
  documentClasses: readonly string[];
  authorizations: readonly GateAuthorization[];
  verifications: readonly { subject: string; proofKind: string | null }[];
  /** Kinds of the privacy officer's recorded approvals on the request (and their detail, LEGAL-2). */
  approvals: readonly { kind: string; detail?: Record<string, unknown> | null }[];
  /** The prepared records and the scopes they are checked against (SCOPE-1); none, nothing to check. */
  records?: {
    files: readonly RecordFile[];
    scope: Scope;
    /** The request's own classes and dates (what a court order describes, LEGAL-1). */
    requested: Scope;
  };
}

/** The classes that would go out: the supervisor's approved scope when it names them. */
export function scopeClasses(row: {
  documentClasses: readonly string[];
  approvedScope: Record<string, unknown> | null;
}): string[] {
  const approved = row.approvedScope?.documentClasses;
  if (Array.isArray(approved) && approved.length > 0) return approved.map(String);
  return [...row.documentClasses];
}

// rule KIND-3 (and KIND-2: the client's signed written request is recorded as an authorization).
function authorizationBlocker(f: GateFacts): ReleaseBlocker | null {
  if (f.kind !== 'authorization' && f.kind !== 'client_directed') return null;
  const otherClasses = f.documentClasses.filter((c) => c !== 'psychotherapy_notes');
  // A psychotherapy-notes-only authorization never releases other records (AUTH-4).
  const usable = (a: GateAuthorization) =>
    a.valid && (otherClasses.length === 0 || !a.psychotherapyNotesOnly);
  if (f.authorizations.some(usable)) return null;
  const what =
    f.kind === 'client_directed'
      ? "the client's signed written request naming the recipient (KIND-2, recorded as an authorization)"
      : "the client's signed authorization (KIND-3)";
  if (f.authorizations.length === 0) {
    return { rule: 'AUTH-1', message: `Record ${what} with all its elements (AUTH-1).` };
  }
  if (f.authorizations.some((a) => a.revoked)) {
    return {
      rule: 'AUTH-5',
      message: `The client revoked the authorization this request relies on: nothing may be released on it (AUTH-5). Record ${what} if the client signs a new one.`,
    };
  }
  if (f.authorizations.some((a) => a.valid)) {
    return {
      rule: 'AUTH-4',
      message: `The only valid authorization is for psychotherapy notes only and cannot release other records (AUTH-4). Record ${what} for the other records (AUTH-1).`,
    };
  }
  // rule AUTH-7: complete on the practice's own form, but the signer's copy is not recorded yet.
  if (f.authorizations.some((a) => a.failures.length > 0 && a.failures.every((x) => x.rule === 'AUTH-7'))) {
    return {
      rule: 'AUTH-7',
      message:
        "The client signed the practice's own form: give the signer a copy and record how and when, before release (AUTH-7).",
    };
  }
  const failing = [...new Set(f.authorizations.flatMap((a) => a.failures.map((x) => x.element)))];
  return {
    rule: 'AUTH-3',
    message: `The recorded authorization is defective (AUTH-3): ${failing.join(', ')}. Record a complete, unexpired authorization signed by the client (AUTH-1, AUTH-2).`,
  };
}

/** rule AUTH-4: psychotherapy notes go out only on their own authorization or a recorded exception. */
function psychotherapyNotesBlocker(f: GateFacts): ReleaseBlocker | null {
  if (!f.documentClasses.includes('psychotherapy_notes')) return null;
  if (f.authorizations.some((a) => a.valid && a.psychotherapyNotesOnly)) return null;
  if (f.approvals.some((a) => a.kind === 'psychotherapy_notes')) return null;
  return {
    rule: 'AUTH-4',
    message:
      "Psychotherapy notes are in scope: record the client's separate authorization for psychotherapy notes only, or the privacy officer's approval naming a 164.508(a)(2) exception, or take them out of the scope (AUTH-4).",
  };
}

/** rule REP-1: a representative's authority is recorded with its proof before release. */
function representativeBlocker(f: GateFacts): ReleaseBlocker | null {
  if (f.kind !== 'representative') return null;
  if (f.verifications.some((v) => v.subject === 'authority' && !!v.proofKind)) return null;
  return {
    rule: 'REP-1',
    message:
      "Record the representative's authority with its proof (custody order, guardianship, power of attorney, executor letters) before release (REP-1).",
  };
}

/** rule VER-1: the requester's identity was verified (the intake check records it). */
function identityBlocker(f: GateFacts): ReleaseBlocker | null {
  if (f.verifications.some((v) => v.subject === 'identity')) return null;
  return {
    rule: 'VER-1',
    message: "Record how the requester's identity was verified, by reasonable means (VER-1).",
  };
}

/**
 * rule LEGAL-2: a subpoena without a court order goes out only with satisfactory assurance and the
 * privacy officer's record of how privilege was addressed (one on a client's authorization counts
 * while that authorization is valid and unrevoked). A court order is kind 'court_order', not this.
 */
function subpoenaBlocker(f: GateFacts): ReleaseBlocker | null {
  if (f.kind !== 'subpoena') return null;
  const usable = new Set(f.authorizations.filter((a) => a.valid && !a.revoked).map((a) => a.id ?? ''));
  const message = subpoenaBlockerMessage(subpoenaRecords(f.approvals, usable));
  return message ? { rule: 'LEGAL-2', message } : null;
}

/** rule LEGAL-3: Part 2 records never go out on a subpoena alone. */
function part2Blocker(f: GateFacts): ReleaseBlocker | null {
  if (f.kind !== 'subpoena' || !f.documentClasses.includes('part2')) return null;
  if (f.approvals.some((a) => a.kind === 'part2_court_order')) return null;
  if (f.authorizations.some((a) => a.valid && a.part2Consent)) return null;
  return {
    rule: 'LEGAL-3',
    message:
      "Substance-use (Part 2) records are asked for on a subpoena: record a Part 2 court order (42 CFR 2.64, 2.65) or the client's written Part 2 consent, or take them out of the scope (LEGAL-3).",
  };
}

// rule SCOPE-1: each prepared record is checked against the authorized scope (scope.ts).
function recordBlockers(f: GateFacts): ReleaseBlocker[] {
  if (!f.records) return [];
  const noLimit: Scope = { documentClasses: [], dateFrom: null, dateTo: null };
  return scopeBlockers({
    kind: f.kind,
    kindSubtype: f.kindSubtype ?? null,
    scope: f.records.scope,
    requested: f.records.requested,
    authorizations: f.authorizations.map((a) => ({
      ...(a.scope ?? noLimit),
      valid: a.valid && !a.revoked,
      psychotherapyNotesOnly: a.psychotherapyNotesOnly,
    })),
    psychotherapyNotesException: f.approvals.some((a) => a.kind === 'psychotherapy_notes'),
    records: f.records.files,
  });
}

/** Every reason release is blocked now; empty when the records may go out. */
export function releaseBlockers(f: GateFacts): ReleaseBlocker[] {
  return [
    identityBlocker(f),
    representativeBlocker(f),
    authorizationBlocker(f),
    psychotherapyNotesBlocker(f),
    subpoenaBlocker(f),
    part2Blocker(f),
    ...recordBlockers(f),
  ].filter((b): b is ReleaseBlocker => b !== null);
}

/** The 409 for a blocked release, naming each rule and what to do. */
export function releaseBlockedError(requestId: string, blockers: readonly ReleaseBlocker[]): ConflictError {
  return new ConflictError(`Release is blocked. ${blockers.map((b) => b.message).join(' ')}`, {
    requestId,
    rules: blockers.map((b) => b.rule),
    releaseBlockers: blockers,
  });
}

/** Throw the 409 when anything blocks release. */
export function assertReleasable(requestId: string, blockers: readonly ReleaseBlocker[]): void {
  if (blockers.length > 0) throw releaseBlockedError(requestId, blockers);
}
