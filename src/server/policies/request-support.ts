// Who may do the request's side work that is not a step of the workflow table (rule SEC-2): write to
// the requester, record a payment or a fee quote, extend the access deadline. Callers have already
// loaded the request through the scoped query, so "cannot see it" (404) is decided before these.
import { type Actor, hasAnyRole, hasRole } from './facts.js';

/** Only support writes to the requester; nothing internal ever reaches them. */
export const canWriteToRequester = (actor: Actor): boolean => hasRole(actor, 'support');

/** rule FEE-6: support records payments made to the practice. */
export const canRecordPayment = (actor: Actor): boolean => hasRole(actor, 'support');

/** rule FEE-3: support quotes the fee in advance and records the client's agreement. */
export const canQuoteFee = (actor: Actor): boolean => hasRole(actor, 'support');

/** rule TIME-2: support or the privacy officer sends the one extension notice. */
export const canExtendDeadline = (actor: Actor): boolean => hasAnyRole(actor, ['support', 'privacy_officer']);
