// Who may record the legal-process records of a subpoena (rules LEGAL-2, SEC-2). Pure functions over
// the loaded facts, like authorizations.ts.
//
// The satisfactory-assurance checklist is document work: the support team gathers the requesting
// party's written statement and the notice to the client, and the privacy officer may record it too.
// A therapist or supervisor holding a task on the request does not: the checklist is a legal
// determination, not a clinical one. How the psychotherapist-patient privilege was addressed is the
// privacy officer's decision alone (LEGAL-2: "the privacy officer has recorded").

import type { ComplianceAbility } from '../../shared/schemas/authorizations.js';
import type { ComplianceDecision } from './authorizations.js';
import { type Actor, hasAnyRole, hasRole, type RequestFacts } from './facts.js';
import { canViewRequest } from './request.js';

const ALLOWED: ComplianceDecision = { allowed: true };
const NOT_FOUND: ComplianceDecision = { allowed: false, status: 404, reason: 'Request not found.' };

export const ASSURANCE_REFUSED =
  "Only the support team or the privacy officer can record a subpoena's satisfactory assurance (LEGAL-2).";

export const PRIVILEGE_REFUSED =
  'Only the privacy officer can record how psychotherapist-patient privilege was addressed (LEGAL-2).';

/** rule LEGAL-2: the satisfactory-assurance checklist, by support or the privacy officer. */
export function decideRecordAssurance(actor: Actor, facts: RequestFacts): ComplianceDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return hasAnyRole(actor, ['support', 'privacy_officer'])
    ? ALLOWED
    : { allowed: false, status: 403, reason: ASSURANCE_REFUSED };
}

/** rule LEGAL-2: how privilege was addressed, by the privacy officer only. */
export function decideRecordPrivilege(actor: Actor, facts: RequestFacts): ComplianceDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return hasRole(actor, 'privacy_officer')
    ? ALLOWED
    : { allowed: false, status: 403, reason: PRIVILEGE_REFUSED };
}

/** The LEGAL-2 buttons the request page shows: only on a subpoena, only to whoever may record. */
export function legalAbilities(actor: Actor, facts: RequestFacts): ComplianceAbility[] {
  if (facts.kind !== 'subpoena') return [];
  const out: ComplianceAbility[] = [];
  if (decideRecordAssurance(actor, facts).allowed) out.push('record_satisfactory_assurance');
  if (decideRecordPrivilege(actor, facts).allowed) out.push('record_privilege');
  return out;
}
