// A request's clocks as staff see them (ux.md, principle 2: two clocks, always visible): the legal
// date (with its one extension, TIME-2), the current step (paused while waiting on the requester,
// TIME-1), the client's needed-by date as a third date with a warning when the plan misses it, and
// the escalation ladder's rungs reached (TIME-6).
import type { z } from 'zod';
import { ROLE_LABELS, type Role } from '../../shared/roles.js';
import { calendarDaysBetween, daysLeft, formatDue, formatLocalDate, localDate } from '../../shared/time.js';
import {
  isActiveTaskState,
  TASK_LABELS,
  type TaskState,
  type TaskType,
} from '../../shared/workflow-tasks.js';
import type { EscalationRow } from '../clocks/escalations.js';
import { LADDER_LABELS, type LadderLevel } from '../clocks/ladder.js';
import type { clocksView } from '../clocks/schema.js';
import type { RequestRow, TaskRow } from '../queries/visible-requests.js';

export type { EscalationRow };

export interface ClockContext {
  row: RequestRow;
  tasks: TaskRow[];
  people: ReadonlyMap<string, string>;
  timeZone: string;
  /** The ladder's rungs climbed on this request's tasks (loaded with the request). */
  escalations?: EscalationRow[] | undefined;
}

type ClocksView = z.infer<typeof clocksView>;

function legalLabel(basis: string): string {
  return basis === 'target' ? 'Practice target' : basis === 'document' ? 'Return date' : 'Legal due date';
}

export function presentClocks(ctx: ClockContext, now: Date, ended: boolean): { clocks: ClocksView } {
  const { row } = ctx;
  const tz = ctx.timeZone;
  const year = Number(localDate(now, tz).slice(0, 4));
  const step = ctx.tasks
    .filter((t) => isActiveTaskState(t.state as TaskState))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return {
    clocks: {
      // rule TIME-1: two clocks, always visible; the legal one never pauses.
      legal: {
        dueAt: row.legalDueAt.toISOString(),
        basis: row.legalDueBasis as 'law' | 'document' | 'target',
        label: legalLabel(row.legalDueBasis),
        due: formatDue(now, row.legalDueAt, tz),
        daysLeft: ended ? null : daysLeft(now, row.legalDueAt, tz),
        overdue: !ended && row.legalDueAt.getTime() < now.getTime(),
        // rule TIME-2: the one extension, with the first date and the reason given to the requester.
        extended:
          row.extendedAt && row.originalLegalDueAt
            ? {
                from: row.originalLegalDueAt.toISOString(),
                fromDue: formatLocalDate(localDate(row.originalLegalDueAt, tz), year),
                reason: row.extensionReason ?? '',
                at: row.extendedAt.toISOString(),
              }
            : null,
      },
      step: step
        ? {
            taskId: step.id,
            label: TASK_LABELS[step.type as TaskType],
            dueAt: step.dueAt.toISOString(),
            due: formatDue(now, step.dueAt, tz),
            daysLeft: daysLeft(now, step.dueAt, tz),
            // rule TIME-1: a step waiting on the requester has its clock stopped: never overdue meanwhile.
            overdue: step.state === 'open' && step.dueAt.getTime() < now.getTime(),
            paused: step.state === 'waiting_on_requester',
          }
        : null,
      neededBy: neededBy(ctx, now, ended, step ?? null),
      ladder: ladder(ctx),
    },
  };
}

/** The client's date, a third date beside the two clocks, with a warning when the plan misses it. */
function neededBy(
  ctx: ClockContext,
  now: Date,
  ended: boolean,
  step: TaskRow | null,
): ClocksView['neededBy'] {
  const date = ctx.row.neededBy;
  if (!date) return null;
  const tz = ctx.timeZone;
  const today = localDate(now, tz);
  const year = Number(today.slice(0, 4));
  const shown = formatLocalDate(date, year);
  const view = { date, due: shown, daysLeft: ended ? null : calendarDaysBetween(today, date) };
  if (ended) return { ...view, missed: false, warning: null };
  if (date < today) return { ...view, missed: true, warning: `The client's date (${shown}) has passed.` };
  const planAt = step ? step.dueAt : ctx.row.legalDueAt;
  const planDate = localDate(planAt, tz);
  if (planDate > date) {
    const what = step ? `${TASK_LABELS[step.type as TaskType].toLowerCase()} is due` : 'the request is due';
    return {
      ...view,
      missed: true,
      warning: `The plan misses the client's date: ${what} ${formatLocalDate(planDate, year)}, after ${shown}.`,
    };
  }
  const legalDate = localDate(ctx.row.legalDueAt, tz);
  if (legalDate > date) {
    return {
      ...view,
      missed: false,
      warning: `The client needs it by ${shown}, before the ${legalLabel(ctx.row.legalDueBasis).toLowerCase()} (${formatLocalDate(legalDate, year)}): aim for the client's date.`,
    };
  }
  return { ...view, missed: false, warning: null };
}

/** rule TIME-6: the rungs climbed, oldest first, and the highest one on a task still open. */
function ladder(ctx: ClockContext): ClocksView['ladder'] {
  const rows = [...(ctx.escalations ?? [])].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.level - b.level,
  );
  const taskOf = new Map(ctx.tasks.map((t) => [t.id, t]));
  const rungs = rows.map((e) => {
    const task = taskOf.get(e.taskId);
    return {
      taskId: e.taskId,
      taskLabel: task ? TASK_LABELS[task.type as TaskType] : 'Task',
      level: e.level,
      label: LADDER_LABELS[e.level as LadderLevel] ?? `Rung ${e.level}`,
      notified: e.notifiedUserId
        ? (ctx.people.get(e.notifiedUserId) ?? 'a former staff member')
        : (ROLE_LABELS[e.notifiedRole as Role] ?? e.notifiedRole ?? 'the team'),
      at: e.createdAt.toISOString(),
    };
  });
  const open = rows.filter((e) => {
    const task = taskOf.get(e.taskId);
    return task ? isActiveTaskState(task.state as TaskState) : false;
  });
  const top = open.reduce<EscalationRow | null>((m, e) => (!m || e.level > m.level ? e : m), null);
  return { rungs, reached: top ? (LADDER_LABELS[top.level as LadderLevel] ?? null) : null };
}
