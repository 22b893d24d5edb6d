import { type Action, type Performer, performerFor, TRANSITIONS } from '../../shared/workflow.js';
import { isActiveTaskState, type TaskType } from '../../shared/workflow-tasks.js';
import {
  type Actor,
  hasActiveBreakGlass,
  hasRole,
  holdsNow,
  holdsOrHeld,
  holdsOrHeldAnyTask,
  inPractice,
  isActive,
  isRequestTherapist,
  isSupervisorAbove,
  type RequestFacts,
  seesWholePractice,
  type TaskFact,
} from './facts.js';

export type ActionDecision =
  | { allowed: true; viaBreakGlass: boolean }
  | { allowed: false; status: 404 | 403; reason: string };

const NOT_FOUND: ActionDecision = { allowed: false, status: 404, reason: 'Request not found.' };
const ALLOWED: ActionDecision = { allowed: true, viaBreakGlass: false };
const VIA_BREAK_GLASS: ActionDecision = { allowed: true, viaBreakGlass: true };

/** rule SEC-2: access follows the relationship, not just the role; another practice never sees it. */
export function canViewRequest(actor: Actor, facts: RequestFacts): boolean {
  if (!isActive(actor) || !inPractice(actor, facts.practiceId)) return false;
  return (
    seesWholePractice(actor) ||
    isRequestTherapist(actor, facts) ||
    isSupervisorAbove(actor, facts) ||
    // clinical services through their tasks and queue; a director or independent reviewer through theirs
    holdsOrHeldAnyTask(actor, facts)
  );
}

/** rule SEC-2: clinical services works from the preparation queue (support and the privacy officer see all). */
export function canSeePreparationQueue(actor: Actor): boolean {
  return isActive(actor) && (hasRole(actor, 'clinical_services') || seesWholePractice(actor));
}

const FORBIDDEN: Readonly<Record<Action, string>> = {
  complete_intake: 'Only the support team can complete the intake check.',
  submit_client_discussion: 'Only the assigned therapist can record the client discussion.',
  submit_supervisor_review: 'Only the assigned reviewer can record the review decision.',
  escalate_review: 'Only the assigned reviewer can ask their own supervisor to review.',
  record_invoice: 'Only the support team can record the invoice.',
  submit_preparation: 'Only the person preparing the records can send them for review.',
  approve_preparation: 'Only the assigned reviewer can approve what was prepared.',
  request_changes: 'Only the assigned reviewer can ask for changes to what was prepared.',
  record_release: 'Only the support team can record the release.',
  record_no_records: 'Only the support team or the privacy officer can answer that no records are held.',
  withdraw: 'Only the support team can withdraw a request.',
  cancel: 'Only the support team can cancel a request.',
  reopen_after_denial_review: 'Only the privacy officer can reopen a denied request for review.',
  wait_on_requester:
    'Only the person assigned to the task or the support team can set it to wait on the requester.',
  resume: 'Only the person assigned to the task or the support team can resume it.',
  reassign_task: 'Only the support team or the therapist’s supervisor can reassign a task.',
};

const CANCEL_ACCESS =
  'Only the privacy officer can cancel a request for a client’s own records or a representative’s request.';

function forbidden(action: Action, performer: Performer): ActionDecision {
  const reason = action === 'cancel' && performer === 'privacy_officer' ? CANCEL_ACCESS : FORBIDDEN[action];
  return { allowed: false, status: 403, reason };
}

/**
 * Whether the actor is the one to complete a task of `type`: they hold an active task of that type
 * or, when none is active, they held the last one (so a late attempt answers 409, not 403).
 */
function isTaskActor(actor: Actor, facts: RequestFacts, type: TaskType, task: TaskFact | undefined): boolean {
  if (task) return isActiveTaskState(task.state) ? holdsNow(actor, task) : holdsOrHeld(actor, task);
  const ofType = facts.tasks.filter((t) => t.type === type);
  const active = ofType.filter((t) => isActiveTaskState(t.state));
  return active.length > 0
    ? active.some((t) => holdsNow(actor, t))
    : ofType.some((t) => holdsOrHeld(actor, t));
}

/** The task named by `taskId`: the one acted on (task-level) or completed. */
function targetTask(facts: RequestFacts, taskId: string | undefined): TaskFact | null | undefined {
  if (taskId === undefined) return undefined;
  return facts.tasks.find((t) => t.id === taskId) ?? null;
}

/** rule SEC-2: may this actor take this action on this request? (The stage is the workflow's question.) */
export function decideAction(
  actor: Actor,
  facts: RequestFacts,
  action: Action,
  now: Date,
  taskId?: string,
): ActionDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  const task = targetTask(facts, taskId);
  if (task === null) return { allowed: false, status: 404, reason: 'Task not found.' };
  const performer = performerFor(action, facts.kind);
  const breakGlass = hasActiveBreakGlass(actor, facts, now);
  switch (performer) {
    case 'support':
      return hasRole(actor, 'support') ? ALLOWED : forbidden(action, performer);
    case 'privacy_officer':
      return hasRole(actor, 'privacy_officer') ? ALLOWED : forbidden(action, performer);
    case 'support_or_privacy_officer':
      return hasRole(actor, 'support') || hasRole(actor, 'privacy_officer')
        ? ALLOWED
        : forbidden(action, performer);
    case 'task_assignee': {
      const type = TRANSITIONS[action].completes;
      if (type === null) return forbidden(action, performer);
      if (task && task.type !== type) return forbidden(action, performer);
      if (isTaskActor(actor, facts, type, task)) return ALLOWED;
      // rule SEC-2: break-glass lets the privacy officer act as if assignee, flagged for the audit.
      return breakGlass ? VIA_BREAK_GLASS : forbidden(action, performer);
    }
    case 'assignee_or_support': {
      if (hasRole(actor, 'support')) return ALLOWED;
      // A named task that is no longer active is still "theirs": the workflow answers 409.
      const holds = task ? holdsOrHeld(actor, task) : facts.tasks.some((t) => holdsNow(actor, t));
      if (holds) return ALLOWED;
      return breakGlass ? VIA_BREAK_GLASS : forbidden(action, performer);
    }
    case 'support_or_supervisor':
      return hasRole(actor, 'support') || isSupervisorAbove(actor, facts)
        ? ALLOWED
        : forbidden(action, performer);
  }
}
