// What a staff member sees of a request: whitelisted fields, both clocks, the one-line status, and
// the caller's abilities (architecture.md, convention 2: the UI shows buttons from these).
import {
  DELIVERABLE_LABELS,
  type Deliverable,
  KIND_LABELS,
  type RequestKind,
} from '../../shared/request-kinds.js';
import { ROLE_LABELS, type Role } from '../../shared/roles.js';
import type { ResolvedRules } from '../../shared/rule-packs.js';
import { daysLeft, formatDue } from '../../shared/time.js';
import { type Action, STAGE_LABELS, type Stage, stepperStages } from '../../shared/workflow.js';
import { OPEN_STAGES } from '../../shared/workflow-stages.js';
import {
  isActiveTaskState,
  TASK_LABELS,
  type TaskState,
  type TaskType,
} from '../../shared/workflow-tasks.js';
import { isExtendable } from '../clocks/extension.js';
import type { Actor } from '../context.js';
import { requestAbilities, taskAbilities } from '../policies/abilities.js';
import { canUploadFiles } from '../policies/documents.js';
import { holdsNow, type RequestFacts } from '../policies/facts.js';
import { canBreakGlass, canCreateRequest } from '../policies/practice.js';
import {
  canExtendDeadline,
  canQuoteFee,
  canRecordPayment,
  canWriteToRequester,
} from '../policies/request-support.js';
import type { RequestRow, TaskRow } from '../queries/visible-requests.js';
import { presentComplianceDetails } from './authorizations.js';
import { type EscalationRow, presentClocks } from './clocks.js';
import { presentRequestRules } from './rules.js';

export interface PersonRef {
  id: string;
  name: string;
}

export interface RequestContext {
  row: RequestRow;
  tasks: TaskRow[];
  facts: RequestFacts;
  client: {
    id: string;
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    isMinor: boolean;
    /** Issue 7: a provisional client from the public form, not matched to a client yet. */
    portalUnmatched?: boolean;
  };
  people: Map<string, string>;
  timeZone: string;
  /** The escalation ladder's rungs on this request's tasks (TIME-6). */
  escalations?: EscalationRow[];
}

export type ExtraAbility =
  | 'post_internal_message'
  | 'post_requester_message'
  | 'upload_file'
  | 'break_glass'
  | 'record_payment'
  /** rule TIME-2: the one extension is still possible, and this person may send it. */
  | 'extend_deadline'
  /** rules FEE-1…5: this person quotes the fee for the request. */
  | 'quote_fee'
  /** issue 7: a request held on a provisional client from the online form; this person may match it. */
  | 'match_client';

function person(people: Map<string, string>, id: string | null): PersonRef | null {
  return id ? { id, name: people.get(id) ?? 'Former staff member' } : null;
}

function ownerLabel(people: Map<string, string>, t: TaskRow): string {
  if (t.assigneeId) return people.get(t.assigneeId) ?? 'a former staff member';
  return `the ${ROLE_LABELS[t.assigneeRole as Role]?.toLowerCase() ?? 'team'}`;
}

/** "Waiting on Dr. Rivera: discuss the request with the client" (ux.md, principle 3). */
export function statusLine(row: RequestRow, tasks: TaskRow[], people: Map<string, string>): string {
  const stage = row.stage as Stage;
  const active = tasks
    .filter((t) => isActiveTaskState(t.state as TaskState))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (active.length === 0) {
    return stage === 'released'
      ? 'Released: the records went to the requester.'
      : `Closed: ${STAGE_LABELS[stage]}.`;
  }
  const first = active[0]!;
  if (first.state === 'waiting_on_requester')
    return `Waiting on the requester (${TASK_LABELS[first.type as TaskType].toLowerCase()}).`;
  return `Waiting on ${ownerLabel(people, first)}: ${TASK_LABELS[first.type as TaskType].toLowerCase()}.`;
}

export function presentTask(actor: Actor, ctx: RequestContext, t: TaskRow, now: Date) {
  const tz = ctx.timeZone;
  return {
    id: t.id,
    type: t.type as TaskType,
    label: TASK_LABELS[t.type as TaskType],
    state: t.state as TaskState,
    assignee: person(ctx.people, t.assigneeId),
    assigneeRole: t.assigneeRole,
    owner: ownerLabel(ctx.people, t),
    isMine: holdsNow(actor, { ...t, type: t.type as TaskType, state: t.state as TaskState }),
    openedAt: t.openedAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    due: formatDue(now, t.dueAt, tz),
    daysLeft: daysLeft(now, t.dueAt, tz),
    // rule TIME-1: a task waiting on the requester has its step clock stopped: never overdue meanwhile.
    overdue: t.state === 'open' && t.dueAt.getTime() < now.getTime(),
    waitingSince: t.waitingSince?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    completedBy: person(ctx.people, t.completedBy),
    result: t.result ?? null,
    abilities: taskAbilities(
      actor,
      ctx.facts,
      ctx.row.stage as Stage,
      ctx.row.kind as RequestKind,
      now,
      t.id,
    ),
  };
}

export function presentRequestSummary(actor: Actor, ctx: RequestContext, now: Date) {
  const { row } = ctx;
  const ended = isEnded(row.stage);
  return {
    ...presentRequestBasics(ctx, now),
    abilities: [
      ...requestAbilities(actor, ctx.facts, row.stage as Stage, row.kind as RequestKind, now),
      ...extraAbilities(actor, ctx, ended, now),
    ] as (Action | ExtraAbility)[],
  };
}

function isEnded(stage: string): boolean {
  return !(OPEN_STAGES as readonly string[]).includes(stage);
}

/**
 * What a request's summary says without its abilities: My tasks builds up to 200 cards a call from
 * it and shows no abilities (issue 8: computing them per card was a measurable share of the call).
 */
export function presentRequestBasics(ctx: RequestContext, now: Date) {
  const { row } = ctx;
  return {
    id: row.id,
    number: row.number,
    kind: row.kind as RequestKind,
    kindLabel: KIND_LABELS[row.kind as RequestKind],
    kindSubtype: row.kindSubtype,
    stage: row.stage as Stage,
    stageLabel: STAGE_LABELS[row.stage as Stage],
    status: statusLine(row, ctx.tasks, ctx.people),
    client: {
      id: ctx.client.id,
      name: `${ctx.client.firstName} ${ctx.client.lastName}`,
      isMinor: ctx.client.isMinor,
      unmatched: ctx.client.portalUnmatched === true,
    },
    therapist: person(ctx.people, row.therapistId),
    requester: { name: row.requesterName, organization: row.requesterOrganization },
    receivedAt: row.receivedAt.toISOString(),
    // rule TIME-1, TIME-2, TIME-6: both clocks, the client's needed-by date and the ladder.
    ...presentClocks(ctx, now, isEnded(row.stage)),
  };
}

function extraAbilities(actor: Actor, ctx: RequestContext, ended: boolean, now: Date): ExtraAbility[] {
  const out: ExtraAbility[] = ['post_internal_message'];
  if (canWriteToRequester(actor)) out.push('post_requester_message');
  if (canUploadFiles(actor, ctx.facts)) out.push('upload_file');
  if (
    canRecordPayment(actor) &&
    !['denied', 'no_records', 'withdrawn', 'cancelled'].includes(ctx.row.stage)
  ) {
    out.push('record_payment');
  }
  if (canBreakGlass(actor, ctx.row.practiceId) && !ended) out.push('break_glass');
  // rule TIME-2: once, for access kinds, before the legal date passes.
  if (
    !ended &&
    canExtendDeadline(actor) &&
    isExtendable(ctx.row.kind as RequestKind) &&
    !ctx.row.extendedAt &&
    now.getTime() <= ctx.row.legalDueAt.getTime()
  ) {
    out.push('extend_deadline');
  }
  if (!ended && canQuoteFee(actor)) out.push('quote_fee');
  // issue 7: the same policy and conditions as matchPortalClient (portal/intake/unmatched.ts).
  if (
    ctx.client.portalUnmatched === true &&
    ctx.row.stage === 'request_made' &&
    canCreateRequest(actor, ctx.row.practiceId)
  ) {
    out.push('match_client');
  }
  return out;
}

export function presentRequestDetails(
  actor: Actor,
  ctx: RequestContext,
  now: Date,
  extra: {
    thread: {
      id: string;
      thread: string;
      authorId: string | null;
      kind: string;
      subject: string;
      body: string;
      createdAt: Date;
    }[];
    invoice: Record<string, unknown> | null;
    disclosure: Record<string, unknown> | null;
    history: { at: Date; type: string; actorName: string | null; data: Record<string, unknown> }[];
    breakGlassUntil: Date | null;
    /** rule TIME-3: the rules the request is decided under (queries/rule-packs.ts, rulesForRequest). */
    rules: ResolvedRules;
  },
) {
  const { row } = ctx;
  return {
    ...presentRequestSummary(actor, ctx, now),
    client: {
      id: ctx.client.id,
      name: `${ctx.client.firstName} ${ctx.client.lastName}`,
      dateOfBirth: ctx.client.dateOfBirth,
      isMinor: ctx.client.isMinor,
      unmatched: ctx.client.portalUnmatched === true,
    },
    requester: {
      name: row.requesterName,
      organization: row.requesterOrganization,
      relationship: row.requesterRelationship,
      email: row.requesterEmail,
      phone: row.requesterPhone,
      address: row.requesterAddress,
    },
    // rule KIND-2: whom the client directs the copy to (null when none is named).
    recipient: row.recipientName
      ? {
          name: row.recipientName,
          organization: row.recipientOrganization,
          email: row.recipientEmail,
          address: row.recipientAddress,
        }
      : null,
    asked: {
      documentClasses: row.documentClasses,
      dateFrom: row.dateFrom,
      dateTo: row.dateTo,
      purpose: row.purpose,
      deliverable: row.deliverable as Deliverable,
      deliverableLabel: DELIVERABLE_LABELS[row.deliverable as Deliverable],
      deliveryFormat: row.deliveryFormat,
      neededBy: row.neededBy,
      documentDueDate: row.documentDueDate,
    },
    channel: row.channel,
    notes: row.notes,
    approvedScope: row.approvedScope ?? null,
    end: row.endedAt ? { reason: row.endReason, letter: row.endLetter, at: row.endedAt.toISOString() } : null,
    stepper: stepperStages(row.kind as RequestKind).map((s) => ({
      ...s,
      state: stepState(row.stage as Stage, s.stage, s.skipped),
    })),
    tasks: ctx.tasks.map((t) => presentTask(actor, ctx, t, now)),
    thread: extra.thread.map((m) => ({
      id: m.id,
      thread: m.thread as 'internal' | 'requester',
      author: m.authorId ? person(ctx.people, m.authorId) : null,
      kind: m.kind,
      subject: m.subject,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
    invoice: extra.invoice,
    disclosure: extra.disclosure,
    history: extra.history.map((h) => ({
      at: h.at.toISOString(),
      type: h.type,
      actorName: h.actorName,
      data: h.data,
    })),
    breakGlassUntil: extra.breakGlassUntil?.toISOString() ?? null,
    ...presentComplianceDetails(actor, ctx.facts, extra),
    ...presentRequestRules(extra),
  };
}

const ORDER: Stage[] = ['request_made', 'client_review', 'invoice', 'preparation', 'released'];

function stepState(
  current: Stage,
  stage: Stage,
  skipped: boolean,
): 'done' | 'current' | 'upcoming' | 'skipped' | 'stopped' {
  if (skipped) return 'skipped';
  const ci = ORDER.indexOf(current);
  const si = ORDER.indexOf(stage);
  if (ci === -1) return 'stopped';
  if (current === 'released') return 'done';
  if (si < ci) return 'done';
  return si === ci ? 'current' : 'upcoming';
}

export type RequestSummary = ReturnType<typeof presentRequestSummary>;
export type RequestDetails = ReturnType<typeof presentRequestDetails>;
