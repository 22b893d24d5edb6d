// The escalation ladder (rule TIME-6), as pure functions the sweep applies: how many business days
// a step is overdue, and which rungs are due for it. A request never sits silent.
import type { PracticeSettings } from '../../shared/schemas/practice-settings.js';
import { businessDaysBetween, type Holidays, localDate } from '../../shared/time.js';

/** The rungs, as stored in task_escalations.level. */
export const LADDER_LEVELS = {
  assignee: 1,
  supervisor: 2,
  secondSupervisor: 3,
  privacyOfficer: 4,
} as const;

export type LadderLevel = (typeof LADDER_LEVELS)[keyof typeof LADDER_LEVELS];

export const LADDER_LABELS: Readonly<Record<LadderLevel, string>> = {
  1: 'Assignee reminded',
  2: 'Supervisor told',
  3: "Supervisor's supervisor told",
  4: 'Privacy officer told',
};

/** Who a rung tells: a person, or everyone holding a role (a queue, or the privacy officer). */
export type Notify = { userId: string } | { role: string };

export interface Rung {
  level: LadderLevel;
  notify: Notify;
  /** The business days overdue at which this rung is climbed. */
  threshold: number;
}

/**
 * rule TIME-6: business days overdue, or null while the step is not late. The first business day
 * after the due date (or a non-business day right after it) counts as 0; each business day that
 * begins after that adds one, so weekends and the practice's holidays never climb a rung.
 */
export function businessDaysOverdue(
  dueAt: Date,
  now: Date,
  timeZone: string,
  holidays: Holidays,
): number | null {
  if (now.getTime() <= dueAt.getTime()) return null;
  const days = businessDaysBetween(localDate(dueAt, timeZone), localDate(now, timeZone), holidays);
  return Math.max(0, days - 1);
}

/** The thresholds in rung order, each at least the one before it. */
export function ladderThresholds(settings: PracticeSettings): Record<LadderLevel, number> {
  const l = settings.ladderBusinessDays;
  const supervisor = Math.max(l.assignee, l.supervisor);
  const secondSupervisor = Math.max(supervisor, l.secondSupervisor);
  return {
    1: l.assignee,
    2: supervisor,
    3: secondSupervisor,
    4: Math.max(secondSupervisor, l.privacyOfficer),
  };
}

export interface LadderTask {
  assigneeId: string | null;
  assigneeRole: string | null;
}

/**
 * rule TIME-6: every rung due at `overdue` business days, lowest first. A named assignee climbs
 * assignee → supervisor → supervisor's supervisor → privacy officer; from the top of a chain it goes
 * straight to the privacy officer. A queue task (a role) goes to that team, then the privacy officer.
 * `chain` is the assignee's active supervisors, nearest first.
 */
export function rungsDue(
  task: LadderTask,
  chain: readonly string[],
  overdue: number,
  thresholds: Record<LadderLevel, number>,
): Rung[] {
  const privacyOfficer = { role: 'privacy_officer' };
  const plan: Rung[] = [];
  if (task.assigneeId) {
    plan.push({ level: 1, notify: { userId: task.assigneeId }, threshold: thresholds[1] });
    const [first, second] = chain;
    if (first) plan.push({ level: 2, notify: { userId: first }, threshold: thresholds[2] });
    if (first && second) plan.push({ level: 3, notify: { userId: second }, threshold: thresholds[3] });
    const topAt = !first ? thresholds[2] : !second ? thresholds[3] : thresholds[4];
    plan.push({ level: 4, notify: privacyOfficer, threshold: topAt });
  } else {
    const role = task.assigneeRole ?? 'privacy_officer';
    plan.push({ level: 1, notify: { role }, threshold: thresholds[1] });
    if (role !== 'privacy_officer') plan.push({ level: 4, notify: privacyOfficer, threshold: thresholds[2] });
  }
  return plan.filter((r) => r.threshold <= overdue);
}

/**
 * The legal-date notice due now for the privacy officer (TIME-6 over the TIME-2/TIME-5 date), as
 * its key suffix: 'passed', or the tightest threshold reached ("5 days before", "1 day before").
 * Null when none is due or a notice at least as tight was already posted for this due date.
 */
export function legalNoticeDue(
  daysLeft: number,
  passed: boolean,
  thresholds: readonly number[],
  posted: ReadonlySet<string>,
): string | null {
  if (passed) return posted.has('passed') ? null : 'passed';
  const reached = thresholds.filter((t) => daysLeft <= t);
  if (reached.length === 0) return null;
  const tightest = Math.min(...reached);
  const tighterPosted = [...posted].some((p) => p !== 'passed' && Number(p) <= tightest);
  return tighterPosted ? null : String(tightest);
}
