// The actions that move a request or one of its tasks, who may take them (symbolically) and the
// audit event each writes. The transition table that gives them meaning is in workflow.ts.

export const ACTIONS = [
  'complete_intake',
  'submit_client_discussion',
  'submit_supervisor_review',
  'escalate_review',
  'record_invoice',
  'submit_preparation',
  'approve_preparation',
  'request_changes',
  'record_release',
  'record_no_records',
  'withdraw',
  'cancel',
  'reopen_after_denial_review',
  'wait_on_requester',
  'resume',
  'reassign_task',
] as const;

export type Action = (typeof ACTIONS)[number];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

export const ACTION_LABELS: Readonly<Record<Action, string>> = {
  complete_intake: 'Complete the intake check',
  submit_client_discussion: 'Record the client discussion',
  submit_supervisor_review: 'Record the review decision',
  escalate_review: 'Ask my supervisor',
  record_invoice: 'Record the invoice',
  submit_preparation: 'Send what was prepared for review',
  approve_preparation: 'Approve what was prepared',
  request_changes: 'Ask for changes',
  record_release: 'Record the release',
  record_no_records: 'Answer that no records are held',
  withdraw: 'Withdraw the request',
  cancel: 'Cancel the request',
  reopen_after_denial_review: 'Reopen for a review of the denial',
  wait_on_requester: 'Wait on the requester',
  resume: 'Resume',
  reassign_task: 'Reassign the task',
};

/**
 * Who may take an action, symbolically; server/policies resolves it against the actor and the
 * request (rule SEC-2). `task_assignee`: whoever holds the task the action completes.
 * `assignee_or_support`: the holder of the task acted on, or support. `support_or_supervisor`:
 * support, or a supervisor above the request's therapist.
 */
export type Performer =
  | 'task_assignee'
  | 'support'
  | 'privacy_officer'
  | 'support_or_privacy_officer'
  | 'assignee_or_support'
  | 'support_or_supervisor';

export const TRANSITION_AUDIT_TYPES = [
  'request.intake_completed',
  'request.client_discussion_submitted',
  'request.supervisor_review_submitted',
  'request.review_escalated',
  'request.invoice_recorded',
  'request.preparation_submitted',
  'request.preparation_approved',
  'request.preparation_changes_requested',
  'request.released',
  'request.no_records_recorded',
  'request.withdrawn',
  'request.cancelled',
  'request.denial_review_reopened',
  'task.waiting_on_requester',
  'task.resumed',
  'task.reassigned',
] as const;

export type TransitionAuditType = (typeof TRANSITION_AUDIT_TYPES)[number];
