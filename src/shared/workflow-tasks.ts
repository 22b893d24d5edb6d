// The sub-steps of the procedure: task types, their states, symbolic owners and default durations
// (issue 2, "The workflow"). The transition table in workflow.ts opens and completes these; the
// database layer resolves each symbolic owner to a user and each duration to a due date (TIME-6).
import type { Deliverable, RequestKind } from './request-kinds.js';
import type { Role } from './roles.js';

export const TASK_TYPES = [
  'intake_check',
  'client_discussion',
  'supervisor_review',
  'invoice',
  'preparation',
  'prepared_review',
  'release',
] as const;

export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_LABELS: Readonly<Record<TaskType, string>> = {
  intake_check: 'Check the intake',
  client_discussion: 'Discuss the request with the client',
  supervisor_review: 'Supervisor review',
  invoice: 'Send the invoice',
  preparation: 'Prepare the records',
  prepared_review: 'Review what was prepared',
  release: 'Release the records',
};

export const TASK_STATES = ['open', 'waiting_on_requester', 'done', 'cancelled'] as const;

export type TaskState = (typeof TASK_STATES)[number];

/** States in which a task still needs someone to act (its owner sees it in "My tasks"). */
export const ACTIVE_TASK_STATES = ['open', 'waiting_on_requester'] as const satisfies readonly TaskState[];

export function isActiveTaskState(state: TaskState): boolean {
  return state === 'open' || state === 'waiting_on_requester';
}

export const TASK_STATE_LABELS: Readonly<Record<TaskState, string>> = {
  open: 'Open',
  waiting_on_requester: 'Waiting on the requester',
  done: 'Done',
  cancelled: 'Cancelled',
};

/**
 * Who a new task goes to, symbolically. The database layer resolves:
 * - `role`: a user with that role (support: the support queue);
 * - `request_therapist`: the request's therapist;
 * - `therapist_supervisor`: the nearest supervisor of the request's therapist;
 * - `clinical_services`: the clinical-services preparation queue (may stay unassigned until taken);
 * - `next_supervisor_up`: the supervisor of whoever held the task being escalated; from the top of a
 *   chain, the privacy officer (TIME-6, REV-2);
 * - `independent_reviewer`: a licensed professional who took no part in the denial (REV-4);
 * - `original_preparer`: whoever completed the last preparation task.
 */
export type TaskOwner =
  | { kind: 'role'; role: Role }
  | { kind: 'request_therapist' }
  | { kind: 'therapist_supervisor' }
  | { kind: 'clinical_services' }
  | { kind: 'next_supervisor_up' }
  | { kind: 'independent_reviewer' }
  | { kind: 'original_preparer' };

export type TaskOwnerKind = TaskOwner['kind'];

/** Default step durations in business days; practice settings may override them (TIME-6). */
export const DEFAULT_TASK_BUSINESS_DAYS: Readonly<Record<TaskType, number>> = {
  intake_check: 1,
  client_discussion: 3,
  supervisor_review: 2,
  invoice: 1,
  preparation: 5,
  prepared_review: 2,
  release: 1,
};

export type TaskDurations = Readonly<Record<TaskType, number>>;

export interface TaskSpec {
  type: TaskType;
  owner: TaskOwner;
  /** The default duration; the database layer applies the practice's setting for `type`. */
  businessDays: number;
}

export function taskSpec(type: TaskType, owner: TaskOwner): TaskSpec {
  return { type, owner, businessDays: DEFAULT_TASK_BUSINESS_DAYS[type] };
}

export const OWNERS = {
  support: { kind: 'role', role: 'support' },
  requestTherapist: { kind: 'request_therapist' },
  therapistSupervisor: { kind: 'therapist_supervisor' },
  clinicalServices: { kind: 'clinical_services' },
  nextSupervisorUp: { kind: 'next_supervisor_up' },
  independentReviewer: { kind: 'independent_reviewer' },
  originalPreparer: { kind: 'original_preparer' },
} as const satisfies Record<string, TaskOwner>;

/** Copies are prepared by clinical services; letters, reports and verbal discussions by the therapist. */
export function preparationOwner(deliverable: Deliverable): TaskOwner {
  return deliverable === 'copy' ? OWNERS.clinicalServices : OWNERS.requestTherapist;
}

/** The task a new request starts with, at stage request_made. */
export function tasksOnCreate(): TaskSpec[] {
  return [taskSpec('intake_check', OWNERS.support)];
}

/**
 * The tasks a request of this kind is planned to pass through, in order. rule KIND-8: other legal
 * requests skip the client discussion and the invoice.
 */
export function plannedTaskPath(kind: RequestKind): TaskType[] {
  return kind === 'other_legal'
    ? TASK_TYPES.filter((t) => t !== 'client_discussion' && t !== 'invoice')
    : [...TASK_TYPES];
}

/**
 * Business days planned from the start of `task` to the end of the request (the task included),
 * for stepDueAt's compression (TIME-6).
 */
export function remainingPlannedBusinessDays(
  kind: RequestKind,
  task: TaskType,
  durations: TaskDurations = DEFAULT_TASK_BUSINESS_DAYS,
): number {
  const path = plannedTaskPath(kind);
  const start = path.indexOf(task);
  if (start === -1) return durations[task];
  return path.slice(start).reduce((sum, t) => sum + durations[t], 0);
}
