// The abilities attached to every response about a request (architecture.md, convention 2): the
// workflow's allowed actions at the stage, filtered by the policy. The UI shows buttons from these
// and never re-derives the rules.
import type { RequestKind } from '../../shared/request-kinds.js';
import {
  type Action,
  allowedActionsAt,
  isTaskAction,
  type Stage,
  TRANSITIONS,
} from '../../shared/workflow.js';
import { isActiveTaskState } from '../../shared/workflow-tasks.js';
import { type Actor, activeTaskTypes, type RequestFacts } from './facts.js';
import { decideAction } from './request.js';

/**
 * The actions this actor may take now on the request: the workflow's allowed actions at the stage
 * (given the active tasks) that the policy also grants. Every response carries them (convention 2).
 */
export function requestAbilities(
  actor: Actor,
  facts: RequestFacts,
  stage: Stage,
  kind: RequestKind,
  now: Date,
): Action[] {
  const withKind = { ...facts, kind };
  return allowedActionsAt(stage, kind, activeTaskTypes(facts)).filter(
    (action) => decideAction(actor, withKind, action, now).allowed,
  );
}

/** The actions this actor may take now on one task of the request (its buttons in the "Now" panel). */
export function taskAbilities(
  actor: Actor,
  facts: RequestFacts,
  stage: Stage,
  kind: RequestKind,
  now: Date,
  taskId: string,
): Action[] {
  const task = facts.tasks.find((t) => t.id === taskId);
  if (!task || !isActiveTaskState(task.state)) return [];
  const withKind = { ...facts, kind };
  return allowedActionsAt(stage, kind, activeTaskTypes(facts)).filter((action) => {
    const t = TRANSITIONS[action];
    const fits = isTaskAction(action) ? !!t.task?.from.includes(task.state) : t.completes === task.type;
    return fits && decideAction(actor, withKind, action, now, taskId).allowed;
  });
}
