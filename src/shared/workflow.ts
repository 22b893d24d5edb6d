// THE transition table (architecture.md, convention 4): stage x action -> next stage, who may act,
// which tasks close and open, which audit event. Commands, the database check on the stage column,
// the UI's stepper and its buttons all read this one table.
import type { RequestKind } from './request-kinds.js';
import {
  CLIENT_DISCUSSION_OUTCOMES,
  checkSupervisorDecision,
  clientDiscussionEffect,
  type FieldError,
  INVOICE_MODES,
  isDenyingDecision,
} from './review-decisions.js';
import { ACTIONS, type Action, type Performer } from './workflow-actions.js';
import { isEndStage, OPEN_STAGES, PROCEDURE_STAGES, STAGE_LABELS, type Stage } from './workflow-stages.js';
import {
  OWNERS,
  preparationOwner,
  TASK_LABELS,
  TASK_STATE_LABELS,
  type TaskSpec,
  type TaskState,
  type TaskType,
  taskSpec,
} from './workflow-tasks.js';
import type {
  PlanContext,
  RequestState,
  StepperStage,
  Transition,
  TransitionInput,
  TransitionPlan,
  TransitionRefusal,
} from './workflow-types.js';

export {
  ACTION_LABELS,
  ACTIONS,
  type Action,
  isAction,
  type Performer,
  TRANSITION_AUDIT_TYPES,
  type TransitionAuditType,
} from './workflow-actions.js';
export {
  END_STAGES,
  type EndStage,
  isEndStage,
  isStage,
  OPEN_STAGES,
  type OpenStage,
  PROCEDURE_STAGES,
  type ProcedureStage,
  STAGE_LABELS,
  STAGES,
  type Stage,
} from './workflow-stages.js';
export type {
  PlanContext,
  RequestState,
  StageRule,
  StepperStage,
  Transition,
  TransitionInput,
  TransitionPlan,
  TransitionRefusal,
} from './workflow-types.js';

const none = (): TaskSpec[] => [];
const skipsClientDiscussion = (kind: RequestKind) => kind === 'other_legal';
const skipsInvoice = (kind: RequestKind) => kind === 'other_legal';
const preparation = (c: PlanContext) => [taskSpec('preparation', preparationOwner(c.deliverable))];
const supervisorReview = () => [taskSpec('supervisor_review', OWNERS.therapistSupervisor)];
const ALL_OPEN: readonly Stage[] = OPEN_STAGES;
const ANY_ACTIVE_TASK: readonly TaskState[] = ['open', 'waiting_on_requester'];

const discussionGoesOn = (c: PlanContext) =>
  c.input.outcome !== undefined && clientDiscussionEffect(c.kind, c.input.outcome) === 'complete';

const reviewGoesOn = (c: PlanContext) =>
  c.input.decision !== undefined && !isDenyingDecision(c.input.decision);

export const TRANSITIONS: Readonly<Record<Action, Transition>> = {
  complete_intake: {
    action: 'complete_intake',
    from: ['request_made'],
    completes: 'intake_check',
    // rule KIND-8: other legal requests skip the client discussion.
    opens: (c) =>
      skipsClientDiscussion(c.kind)
        ? supervisorReview()
        : [taskSpec('client_discussion', OWNERS.requestTherapist)],
    to: 'client_review',
    who: 'support',
    auditType: 'request.intake_completed',
    requires: [],
    rules: ['KIND-8'],
  },
  submit_client_discussion: {
    action: 'submit_client_discussion',
    from: ['client_review'],
    appliesTo: (kind) => !skipsClientDiscussion(kind),
    completes: 'client_discussion',
    // rule REV-1: "not reached" keeps the task open for non-access kinds (a recorded attempt).
    completesWhen: (c) =>
      c.input.outcome !== undefined && clientDiscussionEffect(c.kind, c.input.outcome) !== 'keep_open',
    opens: (c) => (discussionGoesOn(c) ? supervisorReview() : []),
    to: (c) => (c.input.outcome === 'client_withdraws' ? 'withdrawn' : 'same'),
    who: 'task_assignee',
    auditType: 'request.client_discussion_submitted',
    requires: ['outcome'],
    validate: (c) =>
      c.input.outcome && !CLIENT_DISCUSSION_OUTCOMES.includes(c.input.outcome)
        ? [{ field: 'outcome', rule: 'REV-1', message: 'Choose one of the listed outcomes.' }]
        : [],
    rules: ['REV-1'],
  },
  submit_supervisor_review: {
    action: 'submit_supervisor_review',
    from: ['client_review'],
    completes: 'supervisor_review',
    // rule KIND-8: other legal requests skip the invoice; KIND-7 keeps it, with no fee by default.
    opens: (c) =>
      !reviewGoesOn(c) ? [] : skipsInvoice(c.kind) ? preparation(c) : [taskSpec('invoice', OWNERS.support)],
    to: (c) => (!reviewGoesOn(c) ? 'denied' : skipsInvoice(c.kind) ? 'preparation' : 'invoice'),
    who: 'task_assignee',
    auditType: 'request.supervisor_review_submitted',
    requires: ['decision'],
    // rule REV-2, REV-4, REV-5
    validate: (c) => (c.input.decision ? checkSupervisorDecision(c.kind, c.input.decision, c.input) : []),
    rules: ['REV-2', 'REV-3', 'REV-4', 'REV-5', 'KIND-8'],
  },
  escalate_review: {
    action: 'escalate_review',
    from: ['client_review'],
    completes: 'supervisor_review',
    // rule REV-2, TIME-6: escalation to the supervisor's own supervisor is always available.
    opens: () => [taskSpec('supervisor_review', OWNERS.nextSupervisorUp)],
    to: 'same',
    who: 'task_assignee',
    auditType: 'request.review_escalated',
    requires: [],
    rules: ['REV-2', 'TIME-6'],
  },
  record_invoice: {
    action: 'record_invoice',
    from: ['invoice'],
    appliesTo: (kind) => !skipsInvoice(kind),
    completes: 'invoice',
    // rule FEE-6: payment is tracked alongside; preparation does not wait on it.
    opens: preparation,
    to: 'preparation',
    who: 'support',
    auditType: 'request.invoice_recorded',
    requires: ['invoiceMode'],
    validate: (c) =>
      c.input.invoiceMode && !INVOICE_MODES.includes(c.input.invoiceMode)
        ? [{ field: 'invoiceMode', message: 'Choose: invoice sent, no fee, or fee waived.' }]
        : [],
    rules: ['FEE-6'],
  },
  submit_preparation: {
    action: 'submit_preparation',
    from: ['preparation'],
    completes: 'preparation',
    opens: () => [taskSpec('prepared_review', OWNERS.therapistSupervisor)],
    to: 'same',
    who: 'task_assignee',
    auditType: 'request.preparation_submitted',
    requires: [],
    rules: [],
  },
  approve_preparation: {
    action: 'approve_preparation',
    from: ['preparation'],
    completes: 'prepared_review',
    opens: () => [taskSpec('release', OWNERS.support)],
    to: 'same',
    who: 'task_assignee',
    auditType: 'request.preparation_approved',
    requires: [],
    rules: [],
  },
  request_changes: {
    action: 'request_changes',
    from: ['preparation'],
    completes: 'prepared_review',
    opens: () => [taskSpec('preparation', OWNERS.originalPreparer)],
    to: 'same',
    who: 'task_assignee',
    auditType: 'request.preparation_changes_requested',
    requires: ['reason'],
    rules: [],
  },
  record_release: {
    action: 'record_release',
    from: ['preparation'],
    completes: 'release',
    opens: none,
    // rule REL-3: the database layer writes the disclosure entry in the same transaction.
    to: 'released',
    who: 'support',
    auditType: 'request.released',
    requires: [],
    rules: ['REL-3'],
  },
  record_no_records: {
    action: 'record_no_records',
    from: ['request_made', 'client_review', 'preparation'],
    completes: null,
    opens: none,
    // rule REV-7: a request never just closes: it ends with a written answer.
    to: 'no_records',
    who: 'support_or_privacy_officer',
    auditType: 'request.no_records_recorded',
    requires: ['writtenAnswer'],
    rules: ['REV-7'],
  },
  withdraw: {
    action: 'withdraw',
    from: ALL_OPEN,
    completes: null,
    opens: none,
    to: 'withdrawn',
    who: 'support',
    auditType: 'request.withdrawn',
    requires: ['reason', 'messageToRequester'],
    rules: [],
  },
  cancel: {
    action: 'cancel',
    from: ALL_OPEN,
    completes: null,
    opens: none,
    to: 'cancelled',
    who: 'support',
    // Cancelling a client's own or a representative's request needs the privacy officer (issue 2).
    whoByKind: { client_access: 'privacy_officer', representative: 'privacy_officer' },
    auditType: 'request.cancelled',
    requires: ['reason', 'messageToRequester'],
    rules: ['KIND-1', 'KIND-6'],
  },
  reopen_after_denial_review: {
    action: 'reopen_after_denial_review',
    from: ['denied'],
    completes: null,
    // rule REV-4: reviewed by a licensed professional who took no part in the denial.
    opens: () => [taskSpec('supervisor_review', OWNERS.independentReviewer)],
    to: 'client_review',
    who: 'privacy_officer',
    auditType: 'request.denial_review_reopened',
    requires: ['reason'],
    rules: ['REV-4'],
  },
  // rule TIME-1: waiting on the requester pauses that task's step clock, never the legal clock.
  wait_on_requester: {
    action: 'wait_on_requester',
    from: ALL_OPEN,
    completes: null,
    opens: none,
    to: 'same',
    who: 'assignee_or_support',
    auditType: 'task.waiting_on_requester',
    requires: ['reason'],
    task: { from: ['open'], to: 'waiting_on_requester' },
    rules: ['TIME-1'],
  },
  resume: {
    action: 'resume',
    from: ALL_OPEN,
    completes: null,
    opens: none,
    to: 'same',
    who: 'assignee_or_support',
    auditType: 'task.resumed',
    requires: [],
    task: { from: ['waiting_on_requester'], to: 'open' },
    rules: ['TIME-1'],
  },
  reassign_task: {
    action: 'reassign_task',
    from: ALL_OPEN,
    completes: null,
    opens: none,
    to: 'same',
    who: 'support_or_supervisor',
    auditType: 'task.reassigned',
    requires: [],
    task: { from: ANY_ACTIVE_TASK, to: 'same' },
    rules: [],
  },
};

export function transitionFor(action: Action): Transition {
  return TRANSITIONS[action];
}

/** Actions on a single task (any open stage), as opposed to actions that move the request. */
export function isTaskAction(action: Action): boolean {
  return TRANSITIONS[action].task !== undefined;
}

/** Who may take the action on a request of this kind (symbolic; see server/policies). */
export function performerFor(action: Action, kind: RequestKind): Performer {
  const t = TRANSITIONS[action];
  return t.whoByKind?.[kind] ?? t.who;
}

/**
 * Actions the workflow allows now. With `activeTaskTypes` (the types of the request's open or
 * waiting tasks), an action that completes a task needs that task to be active.
 */
export function allowedActionsAt(
  stage: Stage,
  kind: RequestKind,
  activeTaskTypes?: readonly TaskType[],
): Action[] {
  return ACTIONS.filter((action) => {
    const t = TRANSITIONS[action];
    if (!t.from.includes(stage) || (t.appliesTo && !t.appliesTo(kind))) return false;
    if (activeTaskTypes && t.completes && !activeTaskTypes.includes(t.completes)) return false;
    if (activeTaskTypes && t.task && activeTaskTypes.length === 0) return false;
    return true;
  });
}

function conflict(request: RequestState, detail: string | null): TransitionRefusal {
  const allowedActions = allowedActionsAt(request.stage, request.kind, request.activeTaskTypes);
  const moving = allowedActions.filter((a) => !isTaskAction(a));
  const where = `Not allowed at stage "${STAGE_LABELS[request.stage]}"${detail ? `: ${detail}` : ''}.`;
  // rule SEC-2: a 409 names the stage and the actions allowed now.
  return {
    ok: false,
    status: 409,
    message: `${where} Allowed now: ${moving.length > 0 ? moving.join(', ') : 'none'}`,
    allowedActions,
  };
}

function missingFields(t: Transition, input: TransitionInput): FieldError[] {
  return t.requires
    .filter((field) => {
      const value = input[field];
      return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    })
    .map((field) => ({ field, message: 'Required.' }));
}

/**
 * Check an action against the table and say what it does. Authorization is separate
 * (server/policies: 404/403); this answers 409 for the wrong stage or task, 400 for bad input.
 */
export function planTransition(
  request: RequestState,
  action: Action,
  input: TransitionInput = {},
): TransitionPlan | TransitionRefusal {
  const t = TRANSITIONS[action];
  if (!t.from.includes(request.stage) || (t.appliesTo && !t.appliesTo(request.kind)))
    return conflict(request, null);
  if (request.activeTaskTypes && t.completes && !request.activeTaskTypes.includes(t.completes)) {
    return conflict(request, `there is no open task "${TASK_LABELS[t.completes]}"`);
  }
  if (t.task && request.targetTask) {
    if (!t.task.from.includes(request.targetTask.state)) {
      return conflict(request, `the task is ${TASK_STATE_LABELS[request.targetTask.state].toLowerCase()}`);
    }
  }
  const c: PlanContext = { kind: request.kind, deliverable: request.deliverable, input };
  const errors = [...missingFields(t, input), ...(t.validate?.(c) ?? [])];
  if (errors.length > 0) {
    return {
      ok: false,
      status: 400,
      message: errors.map((e) => `${e.field}: ${e.message}`).join(' '),
      errors,
    };
  }
  const next = typeof t.to === 'function' ? t.to(c) : t.to;
  const to = next === 'same' ? request.stage : next;
  const completes = t.completes && (t.completesWhen?.(c) ?? true) ? t.completes : null;
  return {
    ok: true,
    action,
    from: request.stage,
    to,
    completes,
    opens: t.opens(c),
    closesOpenTasks: to !== request.stage && isEndStage(to),
    taskState: t.task ? t.task.to : null,
    auditType: t.auditType,
  };
}

export function stepperStages(kind: RequestKind): StepperStage[] {
  return PROCEDURE_STAGES.map((stage) => ({
    stage,
    label: STAGE_LABELS[stage],
    skipped: stage === 'invoice' && skipsInvoice(kind),
  }));
}
