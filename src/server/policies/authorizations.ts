// Who may record a request's compliance records (rule SEC-2): authorizations, their revocation and
// verifications are recorded by support, the privacy officer, or whoever holds an active task on the
// request; an AUTH-4 psychotherapy-notes exception only by the privacy officer; the practice's own
// authorization form (AUTH-7) is prepared by support, the privacy officer or the request's
// therapist. Pure functions over the loaded facts, like request.ts.
import type { ComplianceAbility } from '../../shared/schemas/authorizations.js';
import {
  type Actor,
  hasRole,
  holdsNow,
  isRequestTherapist,
  type RequestFacts,
  seesWholePractice,
} from './facts.js';
import { canViewRequest } from './request.js';

export type ComplianceDecision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

const ALLOWED: ComplianceDecision = { allowed: true };
const NOT_FOUND: ComplianceDecision = { allowed: false, status: 404, reason: 'Request not found.' };

export const RECORD_REFUSED =
  'Only the support team, the privacy officer, or someone with an open task on this request can record authorizations, revocations and verifications.';

export const EXCEPTION_REFUSED =
  'Only the privacy officer can approve releasing psychotherapy notes under an exception (AUTH-4).';

export const PREPARE_FORM_REFUSED =
  "Only the support team, the privacy officer, or the request's therapist can prepare the practice's authorization form (AUTH-7).";

/** Anyone who may see the request may read its authorizations and verifications. */
export function canReadCompliance(actor: Actor, facts: RequestFacts): boolean {
  return canViewRequest(actor, facts);
}

/** rule VER-1, AUTH-1, AUTH-5: support, the privacy officer, or an active task holder. */
export function decideRecordCompliance(actor: Actor, facts: RequestFacts): ComplianceDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  if (seesWholePractice(actor)) return ALLOWED;
  if (facts.tasks.some((t) => holdsNow(actor, t))) return ALLOWED;
  return { allowed: false, status: 403, reason: RECORD_REFUSED };
}

/** rule AUTH-4: the exceptions need the privacy officer's recorded approval. */
export function decideApproveException(actor: Actor, facts: RequestFacts): ComplianceDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return hasRole(actor, 'privacy_officer')
    ? ALLOWED
    : { allowed: false, status: 403, reason: EXCEPTION_REFUSED };
}

/**
 * rule AUTH-7: the practice's authorization form for the client to sign: support and the privacy
 * officer (who run the paperwork), and the request's therapist (who may hand it to the client in a
 * session). Supervisors and task holders without that standing are told why.
 */
export function decidePrepareAuthorizationForm(actor: Actor, facts: RequestFacts): ComplianceDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  if (seesWholePractice(actor) || isRequestTherapist(actor, facts)) return ALLOWED;
  return { allowed: false, status: 403, reason: PREPARE_FORM_REFUSED };
}

/** The buttons the request page shows for these records. */
export function complianceAbilities(actor: Actor, facts: RequestFacts): ComplianceAbility[] {
  const out: ComplianceAbility[] = [];
  if (decideRecordCompliance(actor, facts).allowed) out.push('record_authorization', 'record_verification');
  if (decidePrepareAuthorizationForm(actor, facts).allowed) out.push('prepare_authorization_form');
  if (decideApproveException(actor, facts).allowed) out.push('approve_exception');
  return out;
}
