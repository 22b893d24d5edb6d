// Who may do what with the disclosure log and the accounting (rule SEC-2, REL-3, REL-4). Pure, over
// the actor; a client the caller cannot see is a 404 before any of these is asked.
import type { Actor } from './facts.js';
import { hasAnyRole, hasRole, inPractice, isActive } from './facts.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ok: Decision = { allowed: true };
const within = (actor: Actor, practiceId: string) => isActive(actor) && inPractice(actor, practiceId);

/** rule REL-3: only the privacy officer records an impermissible disclosure. */
export function canRecordImpermissible(actor: Actor, practiceId: string): Decision {
  if (within(actor, practiceId) && hasRole(actor, 'privacy_officer')) return ok;
  return { allowed: false, reason: 'Only the privacy officer records an impermissible disclosure (REL-3).' };
}

/** rule REL-3: the support team and the privacy officer read a client's disclosure log. */
export function canReadDisclosureLog(actor: Actor, practiceId: string): Decision {
  if (within(actor, practiceId) && hasAnyRole(actor, ['support', 'privacy_officer'])) return ok;
  return {
    allowed: false,
    reason: "The support team and the privacy officer read a client's disclosure log (REL-3).",
  };
}

/** rule REL-4, TIME-4: the support team and the privacy officer handle accounting requests. */
export function canHandleAccounting(actor: Actor, practiceId: string): Decision {
  if (within(actor, practiceId) && hasAnyRole(actor, ['support', 'privacy_officer'])) return ok;
  return {
    allowed: false,
    reason:
      'The support team and the privacy officer handle requests for an accounting of disclosures (REL-4).',
  };
}

/** rule REL-4 (164.528(a)(2)): only the privacy officer records or reads an agency's suspension. */
export function canManageSuspensions(actor: Actor, practiceId: string): Decision {
  if (within(actor, practiceId) && hasRole(actor, 'privacy_officer')) return ok;
  return {
    allowed: false,
    reason: "Only the privacy officer records an agency's suspension of the accounting (REL-4).",
  };
}
