// What the policies decide over: the actor and the already-loaded facts of a request (rule SEC-2).
// Small predicates, composed by request.ts and practice.ts (architecture.md, convention 2).
import type { RequestKind } from '../../shared/request-kinds.js';
import type { Role } from '../../shared/roles.js';
import { isActiveTaskState, type TaskState, type TaskType } from '../../shared/workflow-tasks.js';

/** The signed-in user; ctx.actor satisfies it. */
export interface Actor {
  id: string;
  practiceId: string;
  roles: readonly Role[];
  active: boolean;
}

export interface TaskFact {
  id: string;
  type: TaskType;
  /** A named person, or null while the task sits in the queue of everyone with `assigneeRole`. */
  assigneeId: string | null;
  assigneeRole?: string | null;
  state: TaskState;
  /** Who completed it, when done (a queue task is held by whoever completed it). */
  completedBy?: string | null;
}

export interface RequestFacts {
  practiceId: string;
  kind: RequestKind;
  therapistId: string;
  /** Everyone above the request's therapist in the supervision chain, nearest first. */
  supervisorChainOfTherapist: readonly string[];
  tasks: readonly TaskFact[];
  /** The end of this actor's active break-glass on this request, if any. */
  breakGlassUntil?: Date | null;
}

export const isActive = (actor: Actor): boolean => actor.active;

export const inPractice = (actor: Actor, practiceId: string): boolean => actor.practiceId === practiceId;

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

export const hasAnyRole = (actor: Actor, roles: readonly Role[]): boolean =>
  roles.some((r) => hasRole(actor, r));

/** Support and the privacy officer see every request of their practice (SEC-2). */
export const seesWholePractice = (actor: Actor): boolean => hasAnyRole(actor, ['support', 'privacy_officer']);

export const isRequestTherapist = (actor: Actor, facts: Pick<RequestFacts, 'therapistId'>): boolean =>
  hasRole(actor, 'therapist') && facts.therapistId === actor.id;

/** A supervisor anywhere above the request's therapist (any depth). */
export const isSupervisorAbove = (
  actor: Actor,
  facts: Pick<RequestFacts, 'supervisorChainOfTherapist'>,
): boolean => hasRole(actor, 'supervisor') && facts.supervisorChainOfTherapist.includes(actor.id);

/** The task is the actor's to act on now: assigned to them, or open in a queue of one of their roles. */
export function holdsNow(actor: Actor, task: TaskFact): boolean {
  if (!isActiveTaskState(task.state)) return false;
  if (task.assigneeId !== null) return task.assigneeId === actor.id;
  return !!task.assigneeRole && actor.roles.some((r) => r === task.assigneeRole);
}

/** The actor holds or held the task (assigned to them now, or completed by them). */
export const holdsOrHeld = (actor: Actor, task: TaskFact): boolean =>
  holdsNow(actor, task) ||
  task.assigneeId === actor.id ||
  (!!task.completedBy && task.completedBy === actor.id);

export const holdsOrHeldAnyTask = (actor: Actor, facts: Pick<RequestFacts, 'tasks'>): boolean =>
  facts.tasks.some((t) => holdsOrHeld(actor, t));

/** The privacy officer's emergency access, with a written reason recorded elsewhere (SEC-2). */
export const hasActiveBreakGlass = (
  actor: Actor,
  facts: Pick<RequestFacts, 'breakGlassUntil'>,
  now: Date,
): boolean =>
  hasRole(actor, 'privacy_officer') &&
  !!facts.breakGlassUntil &&
  facts.breakGlassUntil.getTime() > now.getTime();

/** The types of the request's open or waiting tasks (for the workflow's allowed actions). */
export const activeTaskTypes = (facts: Pick<RequestFacts, 'tasks'>): TaskType[] => [
  ...new Set(facts.tasks.filter((t) => isActiveTaskState(t.state)).map((t) => t.type)),
];
