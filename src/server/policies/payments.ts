// Who may do what with a release invoice's payment (rule SEC-2, FEE-4, FEE-6). Pure, over the actor;
// the request is loaded through the scoped query first, so a request the caller cannot see is a 404
// before any of these is asked.
import { type Actor, hasAnyRole, hasRole, inPractice, isActive } from './facts.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

export const PAYMENT_ACTIONS = ['view', 'start_checkout', 'refund', 'void', 'download_receipt'] as const;
export type PaymentAction = (typeof PAYMENT_ACTIONS)[number];

const ok: Decision = { allowed: true };
const within = (actor: Actor, practiceId: string) => isActive(actor) && inPractice(actor, practiceId);

const REASONS: Record<PaymentAction, string> = {
  view: 'The support team and the privacy officer see a request’s payments.',
  start_checkout: 'Only the support team opens an online payment for the requester.',
  refund: 'Only the support team refunds a payment.',
  void: 'Only the support team voids an invoice.',
  download_receipt: 'The support team and the privacy officer download a receipt.',
};

/** rule FEE-6, SEC-2: support takes and refunds payments; the privacy officer may look (and print a receipt). */
export function canDoPayment(actor: Actor, practiceId: string, action: PaymentAction): Decision {
  if (!within(actor, practiceId)) return { allowed: false, reason: REASONS[action] };
  const allowed =
    action === 'view' || action === 'download_receipt'
      ? hasAnyRole(actor, ['support', 'privacy_officer'])
      : hasRole(actor, 'support');
  return allowed ? ok : { allowed: false, reason: REASONS[action] };
}

/** The payment actions the actor may take on a request of this practice (the UI shows buttons from them). */
export function paymentAbilities(actor: Actor, practiceId: string): PaymentAction[] {
  return PAYMENT_ACTIONS.filter((a) => canDoPayment(actor, practiceId, a).allowed);
}
