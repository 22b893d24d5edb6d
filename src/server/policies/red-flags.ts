// rule REV-6: who may add a red flag by hand: the people working the request (its therapist, a
// supervisor above them, whoever holds one of its tasks now), and support or the privacy officer.
import {
  type Actor,
  holdsNow,
  isRequestTherapist,
  isSupervisorAbove,
  type RequestFacts,
  seesWholePractice,
} from './facts.js';
import { canViewRequest } from './request.js';

export type FlagDecision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

export function decideAddRedFlag(actor: Actor, facts: RequestFacts): FlagDecision {
  if (!canViewRequest(actor, facts)) return { allowed: false, status: 404, reason: 'Request not found.' };
  const working =
    isRequestTherapist(actor, facts) ||
    isSupervisorAbove(actor, facts) ||
    seesWholePractice(actor) ||
    facts.tasks.some((t) => holdsNow(actor, t));
  return working
    ? { allowed: true }
    : { allowed: false, status: 403, reason: 'Only the people working on this request can add a red flag.' };
}
