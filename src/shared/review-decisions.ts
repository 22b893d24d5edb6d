// The decisions taken inside the workflow: the client discussion's outcome (REV-1), the
// supervisor's decision (REV-2 to REV-5) and the invoice (FEE-2, FEE-5, FEE-6). Pure rules, used by
// the transition table in workflow.ts and by the screens that offer the choices.
import { isAccessKind, type RequestKind } from './request-kinds.js';

export type RuleId = `${'KIND' | 'TIME' | 'FEE' | 'REV' | 'REL' | 'SEC'}-${number}`;

/** A problem with the input of an action, for a 400 answer naming the field. */
export interface FieldError {
  field: string;
  message: string;
  rule?: RuleId;
}

export const CLIENT_DISCUSSION_OUTCOMES = [
  'go_ahead',
  'narrow',
  'summary_agreed',
  'client_withdraws',
  'not_reached',
  'declined_to_discuss',
] as const;

export type ClientDiscussionOutcome = (typeof CLIENT_DISCUSSION_OUTCOMES)[number];

export const CLIENT_DISCUSSION_OUTCOME_LABELS: Readonly<Record<ClientDiscussionOutcome, string>> = {
  go_ahead: 'Go ahead',
  narrow: 'Narrow what is released',
  summary_agreed: 'A summary instead (the client agrees to it and its fee)',
  client_withdraws: 'The client withdraws the request',
  not_reached: 'Could not reach the client yet',
  declined_to_discuss: 'The client declined to discuss it',
};

/** What an outcome does to the discussion task and the request. */
export type DiscussionEffect = 'complete' | 'keep_open' | 'withdraw';

export function clientDiscussionEffect(
  kind: RequestKind,
  outcome: ClientDiscussionOutcome,
): DiscussionEffect {
  if (outcome === 'client_withdraws') return 'withdraw';
  // rule REV-1: for access kinds the discussion is offered, never required: a client who cannot be
  // reached does not stop or slow the request. For other kinds the attempt is recorded and the
  // task stays open.
  if (outcome === 'not_reached' && !isAccessKind(kind)) return 'keep_open';
  return 'complete';
}

export const SUPERVISOR_DECISIONS = [
  'release',
  'release_narrowed',
  'summary',
  'deny_partial',
  'deny',
  'decline',
] as const;

export type SupervisorDecision = (typeof SUPERVISOR_DECISIONS)[number];

export const SUPERVISOR_DECISION_LABELS: Readonly<Record<SupervisorDecision, string>> = {
  release: 'Release in full',
  release_narrowed: 'Release, narrowed at the client’s request',
  summary: 'A summary instead',
  deny_partial: 'Deny in part',
  deny: 'Deny',
  decline: 'Decline the request',
};

/** Decisions that end the request (stage denied); the others go on towards release. */
export function isDenyingDecision(decision: SupervisorDecision): boolean {
  return decision === 'deny' || decision === 'decline';
}

// rule REV-3: unreviewable grounds (164.524(a)(2)).
export const UNREVIEWABLE_DENIAL_GROUNDS = [
  'psychotherapy_notes',
  'legal_proceedings',
  'correctional_safety',
  'research_in_progress',
  'privacy_act',
  'confidential_source',
] as const;

// rule REV-4: reviewable grounds (164.524(a)(3)); the client may ask for an independent review.
export const REVIEWABLE_DENIAL_GROUNDS = [
  'endanger_life_or_safety',
  'harm_to_referenced_person',
  'representative_harm',
] as const;

export const DENIAL_GROUNDS = [...UNREVIEWABLE_DENIAL_GROUNDS, ...REVIEWABLE_DENIAL_GROUNDS] as const;

export type DenialGround = (typeof DENIAL_GROUNDS)[number];

export const DENIAL_GROUND_LABELS: Readonly<Record<DenialGround, string>> = {
  psychotherapy_notes: 'Psychotherapy notes',
  legal_proceedings: 'Compiled for a legal proceeding',
  correctional_safety: 'An inmate’s copy would endanger safety in a correctional institution',
  research_in_progress: 'Part of research still in progress (the client agreed)',
  privacy_act: 'Covered by the Privacy Act',
  confidential_source: 'Obtained from someone else under a promise of confidentiality',
  endanger_life_or_safety: 'Likely to endanger the life or physical safety of the client or another person',
  harm_to_referenced_person: 'Likely to cause substantial harm to another person referenced in the records',
  representative_harm: 'Access by this representative is likely to cause substantial harm',
};

export function isReviewableDenialGround(ground: DenialGround): boolean {
  return (REVIEWABLE_DENIAL_GROUNDS as readonly DenialGround[]).includes(ground);
}

export interface SupervisorDecisionContext {
  /** The client asked for less to be released (the discussion's outcome was 'narrow'). */
  clientRequestedNarrowing?: boolean;
  /** The client agreed in advance to a summary and its fee ('summary_agreed'). */
  clientAgreedToSummary?: boolean;
  denialGround?: DenialGround | null;
  /** The denial letter (deny, deny in part) or the reason sent to the requester (decline). */
  denialLetter?: string | null;
}

function isBlank(text: string | null | undefined): boolean {
  return !text || text.trim() === '';
}

/** Problems with a supervisor's decision for a request of this kind; empty when it may be recorded. */
export function checkSupervisorDecision(
  kind: RequestKind,
  decision: SupervisorDecision,
  context: SupervisorDecisionContext = {},
): FieldError[] {
  const errors: FieldError[] = [];
  const access = isAccessKind(kind);
  const denies = decision === 'deny' || decision === 'deny_partial';
  if (!(SUPERVISOR_DECISIONS as readonly string[]).includes(decision)) {
    return [{ field: 'decision', rule: 'REV-2', message: 'Choose one of the listed decisions.' }];
  }
  // rule REV-2: for the client's own records the decision is release, summary or denial only.
  if (access && decision === 'decline') {
    errors.push({
      field: 'decision',
      rule: 'REV-2',
      message:
        'A request for the client’s own records cannot be declined: release it, give an agreed summary, or deny it on a listed ground.',
    });
  }
  // rule REV-2: narrowed only at the client's request.
  if (access && decision === 'release_narrowed' && !context.clientRequestedNarrowing) {
    errors.push({
      field: 'clientRequestedNarrowing',
      rule: 'REV-2',
      message: 'Records of a client’s own request are narrowed only when the client asks for less.',
    });
  }
  // rule REV-2: a summary instead only if the client agreed in advance to it and its fee.
  if (access && decision === 'summary' && !context.clientAgreedToSummary) {
    errors.push({
      field: 'clientAgreedToSummary',
      rule: 'REV-2',
      message: 'A summary needs the client’s agreement, in advance, to the summary and its fee.',
    });
  }
  // rule REV-2: an access denial rests on a REV-3 or REV-4 ground only.
  if (access && denies && !context.denialGround) {
    errors.push({ field: 'denialGround', rule: 'REV-2', message: 'Choose the ground for the denial.' });
  }
  // rule REV-4: the representative ground applies to a representative's request only.
  if (denies && context.denialGround === 'representative_harm' && kind !== 'representative') {
    errors.push({
      field: 'denialGround',
      rule: 'REV-4',
      message: 'This ground applies only to a request made by a personal representative.',
    });
  }
  // rule REV-5: a denial, in whole or in part, is sent as a plain-language letter.
  if (denies && isBlank(context.denialLetter)) {
    errors.push({
      field: 'denialLetter',
      rule: 'REV-5',
      message: 'Write the denial letter to the requester.',
    });
  }
  // rule REV-2: a decline is sent to the requester with its reason.
  if (decision === 'decline' && isBlank(context.denialLetter)) {
    errors.push({
      field: 'denialLetter',
      rule: 'REV-2',
      message: 'Write the letter to the requester giving the reason for declining.',
    });
  }
  return errors;
}

export const INVOICE_MODES = ['sent', 'no_fee', 'waived'] as const;

export type InvoiceMode = (typeof INVOICE_MODES)[number];

export const INVOICE_MODE_LABELS: Readonly<Record<InvoiceMode, string>> = {
  sent: 'Invoice sent',
  no_fee: 'No fee',
  waived: 'Fee waived',
};

/** The invoice choice support starts from for a kind. */
export function defaultInvoiceMode(kind: RequestKind): InvoiceMode {
  // rule FEE-2: "no fee" is the default for access (KIND-1, KIND-6); rule FEE-5: KIND-7 defaults to
  // no fee. KIND-8 skips the invoice stage altogether (KIND-8).
  if (kind === 'client_access' || kind === 'representative' || kind === 'provider_continuity')
    return 'no_fee';
  if (kind === 'other_legal') return 'no_fee';
  return 'sent';
}

export const RELEASE_MAY_WAIT_ON_PAYMENT_DEFAULT = false;

/**
 * rule FEE-6: payment is tracked alongside the request, not as a stage; only the release step may
 * wait on payment, and only where the rule pack allows it. The default is to release without waiting.
 */
export function releaseMayWaitOnPayment(rulePackAllows?: boolean | null): boolean {
  return rulePackAllows ?? RELEASE_MAY_WAIT_ON_PAYMENT_DEFAULT;
}
