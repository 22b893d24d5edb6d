import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import { ACTIONS, type Action, TRANSITIONS } from '../../shared/workflow.js';
import type { TaskType } from '../../shared/workflow-tasks.js';
import type { Actor, RequestFacts } from './facts.js';
import { canViewRequest, decideAction } from './request.js';

const NOW = new Date('2026-10-15T17:00:00Z');
const RELATIONS = [
  'own',
  'supervisee_direct',
  'supervisee_two_down',
  'unrelated',
  'holds_task',
  'other_practice',
  'inactive',
  'break_glass',
  'break_glass_expired',
] as const;
type Relation = (typeof RELATIONS)[number];

const actorFor = (role: Role, rel: Relation): Actor => ({
  id: 'me',
  practiceId: 'p1',
  roles: [role],
  active: rel !== 'inactive',
});

/** The task an action works on: the one it completes, or (task-level actions) a preparation task. */
const taskTypeFor = (action: Action): TaskType => TRANSITIONS[action].completes ?? 'preparation';

function factsFor(action: Action, rel: Relation): RequestFacts {
  // In another practice or when inactive the actor even owns and holds everything: still invisible.
  const everything = rel === 'other_practice' || rel === 'inactive';
  return {
    practiceId: rel === 'other_practice' ? 'p2' : 'p1',
    kind: 'authorization',
    therapistId: rel === 'own' || everything ? 'me' : 't1',
    supervisorChainOfTherapist:
      rel === 'supervisee_direct' || everything
        ? ['me', 'd1']
        : rel === 'supervisee_two_down'
          ? ['s1', 'me']
          : ['s1', 'd1'],
    tasks: [
      {
        id: 'task-intake',
        type: 'intake_check',
        assigneeId: 'u-support',
        state: 'done',
        completedBy: 'u-support',
      },
      {
        id: 'task-1',
        type: taskTypeFor(action),
        assigneeId: rel === 'holds_task' || everything ? 'me' : 'someone-else',
        state: 'open',
      },
    ],
    breakGlassUntil:
      rel === 'break_glass'
        ? new Date(NOW.getTime() + 3_600_000)
        : rel === 'break_glass_expired'
          ? new Date(NOW.getTime() - 60_000)
          : null,
  };
}

// The expected answers, written from SEC-2 and the list of who does what.
function visible(role: Role, rel: Relation): boolean {
  if (rel === 'other_practice' || rel === 'inactive') return false;
  if (role === 'support' || role === 'privacy_officer' || rel === 'holds_task') return true;
  if (rel === 'own') return role === 'therapist';
  if (rel === 'supervisee_direct' || rel === 'supervisee_two_down') return role === 'supervisor';
  return false;
}

const ASSIGNEE_ACTIONS: Action[] = [
  'submit_client_discussion',
  'submit_supervisor_review',
  'escalate_review',
  'submit_preparation',
  'approve_preparation',
  'request_changes',
];
const SUPPORT_ACTIONS: Action[] = [
  'complete_intake',
  'record_invoice',
  'record_release',
  'withdraw',
  'cancel',
];

type Expected = 'allowed' | 'break-glass' | 403 | 404;

function expected(role: Role, rel: Relation, action: Action): Expected {
  if (!visible(role, rel)) return 404;
  const glass = role === 'privacy_officer' && rel === 'break_glass' ? 'break-glass' : 403;
  if (SUPPORT_ACTIONS.includes(action)) return role === 'support' ? 'allowed' : 403;
  if (action === 'reopen_after_denial_review') return role === 'privacy_officer' ? 'allowed' : 403;
  if (action === 'record_no_records')
    return role === 'support' || role === 'privacy_officer' ? 'allowed' : 403;
  if (ASSIGNEE_ACTIONS.includes(action)) return rel === 'holds_task' ? 'allowed' : glass;
  if (action === 'wait_on_requester' || action === 'resume') {
    return role === 'support' || rel === 'holds_task' ? 'allowed' : glass;
  }
  // reassign_task
  const supervisorAbove =
    role === 'supervisor' && (rel === 'supervisee_direct' || rel === 'supervisee_two_down');
  return role === 'support' || supervisorAbove ? 'allowed' : 403;
}

const outcome = (d: ReturnType<typeof decideAction>): Expected =>
  d.allowed ? (d.viaBreakGlass ? 'break-glass' : 'allowed') : d.status;

describe('request visibility', () => {
  const cases = ROLES.flatMap((role) => RELATIONS.map((rel) => ({ role, rel, sees: visible(role, rel) })));

  it.each(cases)('SEC-2: a $role with relation "$rel" sees the request: $sees', ({ role, rel, sees }) => {
    expect(canViewRequest(actorFor(role, rel), factsFor('complete_intake', rel))).toBe(sees);
  });
});

describe('every role x every action x every relationship', () => {
  const cases = ROLES.flatMap((role) =>
    ACTIONS.flatMap((action) =>
      RELATIONS.map((rel) => ({ role, action, rel, want: expected(role, rel, action) })),
    ),
  );

  it.each(cases)('SEC-2: $role ($rel) -> $action: $want', ({ role, action, rel, want }) => {
    const facts = factsFor(action, rel);
    const taskId = TRANSITIONS[action].task ? 'task-1' : undefined;
    const decision = decideAction(actorFor(role, rel), facts, action, NOW, taskId);
    expect(outcome(decision)).toBe(want);
    if (!decision.allowed) expect(decision.reason).toMatch(/^[A-Z].*\.$/);
  });
});

describe('relationships in detail', () => {
  const base: RequestFacts = {
    practiceId: 'p1',
    kind: 'client_access',
    therapistId: 't1',
    supervisorChainOfTherapist: ['s1', 'd1'],
    tasks: [],
    breakGlassUntil: null,
  };
  const user = (id: string, roles: Role[], active = true): Actor => ({ id, practiceId: 'p1', roles, active });
  const therapist = user('t1', ['therapist']);
  const supervisor = user('s1', ['supervisor', 'therapist']);
  const director = user('d1', ['supervisor']);
  const support = user('u1', ['support']);
  const privacy = user('po', ['privacy_officer']);
  const clinical = user('c1', ['clinical_services']);

  it('SEC-2: the therapist is told why the supervisor review is not theirs', () => {
    const facts = {
      ...base,
      tasks: [{ id: 'r', type: 'supervisor_review' as const, assigneeId: 's1', state: 'open' as const }],
    };
    expect(decideAction(therapist, facts, 'submit_supervisor_review', NOW)).toEqual({
      allowed: false,
      status: 403,
      reason: 'Only the assigned reviewer can record the review decision.',
    });
    expect(decideAction(support, facts, 'submit_client_discussion', NOW)).toEqual({
      allowed: false,
      status: 403,
      reason: 'Only the assigned therapist can record the client discussion.',
    });
  });

  it.each([
    ['client_access', 'privacy', true],
    ['client_access', 'support', false],
    ['representative', 'privacy', true],
    ['representative', 'support', false],
    ['client_directed', 'support', true],
    ['client_directed', 'privacy', false],
    ['subpoena', 'support', true],
    ['other_legal', 'privacy', false],
  ] as const)('SEC-2, KIND-1/KIND-6: cancelling a %s request as %s is allowed: %s', (kind, who, allowed) => {
    const decision = decideAction(who === 'privacy' ? privacy : support, { ...base, kind }, 'cancel', NOW);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed && who === 'support') expect(decision.reason).toContain('Only the privacy officer');
  });

  it('SEC-2: after escalation the director holds the review and sees the request; the supervisor no longer submits', () => {
    const facts: RequestFacts = {
      ...base,
      supervisorChainOfTherapist: ['s1'], // the director is outside the recorded chain here
      tasks: [
        { id: 'r1', type: 'supervisor_review', assigneeId: 's1', state: 'done', completedBy: 's1' },
        { id: 'r2', type: 'supervisor_review', assigneeId: 'd1', state: 'open' },
      ],
    };
    expect(canViewRequest(director, facts)).toBe(true);
    expect(decideAction(director, facts, 'submit_supervisor_review', NOW)).toEqual({
      allowed: true,
      viaBreakGlass: false,
    });
    expect(decideAction(supervisor, facts, 'submit_supervisor_review', NOW)).toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(decideAction(supervisor, facts, 'submit_supervisor_review', NOW, 'r1')).toMatchObject({
      allowed: true,
    });
  });

  it('SEC-2: an independent reviewer from another team sees the request through their task (REV-4)', () => {
    const reviewer = user('x9', ['therapist']);
    const facts: RequestFacts = {
      ...base,
      tasks: [{ id: 'r3', type: 'supervisor_review', assigneeId: 'x9', state: 'open' }],
    };
    expect(canViewRequest(reviewer, facts)).toBe(true);
    expect(decideAction(reviewer, facts, 'submit_supervisor_review', NOW, 'r3').allowed).toBe(true);
    expect(canViewRequest(reviewer, { ...facts, tasks: [] })).toBe(false);
  });

  it('SEC-2: a task that is no longer active stays "theirs" (the workflow answers 409, not 403)', () => {
    const facts: RequestFacts = {
      ...base,
      tasks: [{ id: 'cd', type: 'client_discussion', assigneeId: 't1', state: 'done', completedBy: 't1' }],
    };
    expect(decideAction(therapist, facts, 'submit_client_discussion', NOW).allowed).toBe(true);
    expect(decideAction(therapist, facts, 'resume', NOW, 'cd').allowed).toBe(true);
    expect(decideAction(supervisor, facts, 'submit_client_discussion', NOW)).toMatchObject({ status: 403 });
  });

  it('SEC-2: no task of the type yet means it is nobody’s (403)', () => {
    expect(decideAction(supervisor, base, 'submit_supervisor_review', NOW)).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('SEC-2: clinical services sees the preparation queue and any request with their task, in any state', () => {
    const queued: RequestFacts = {
      ...base,
      tasks: [
        { id: 'p', type: 'preparation', assigneeId: null, assigneeRole: 'clinical_services', state: 'open' },
      ],
    };
    expect(canViewRequest(clinical, queued)).toBe(true);
    expect(decideAction(clinical, queued, 'submit_preparation', NOW, 'p').allowed).toBe(true);
    expect(canViewRequest(therapist, { ...queued, therapistId: 'someone' })).toBe(false);
    const doneByOther = {
      ...queued,
      tasks: [{ ...queued.tasks[0]!, state: 'done' as const, completedBy: 'c2' }],
    };
    expect(canViewRequest(clinical, doneByOther)).toBe(false);
    const doneByMe = {
      ...queued,
      tasks: [{ ...queued.tasks[0]!, state: 'done' as const, completedBy: 'c1' }],
    };
    expect(canViewRequest(clinical, doneByMe)).toBe(true);
    const assigned = {
      ...queued,
      tasks: [{ ...queued.tasks[0]!, assigneeId: 'c1', state: 'cancelled' as const }],
    };
    expect(canViewRequest(clinical, assigned)).toBe(true);
  });

  it('SEC-2: the privacy officer holds an escalation from the top of a chain through the queue, not break-glass', () => {
    const facts: RequestFacts = {
      ...base,
      tasks: [
        {
          id: 'r',
          type: 'supervisor_review',
          assigneeId: null,
          assigneeRole: 'privacy_officer',
          state: 'open',
        },
      ],
    };
    expect(decideAction(privacy, facts, 'submit_supervisor_review', NOW)).toEqual({
      allowed: true,
      viaBreakGlass: false,
    });
  });

  it('SEC-2: break-glass is flagged only when it is what grants the action, and ends on time', () => {
    const facts: RequestFacts = {
      ...base,
      tasks: [{ id: 'cd', type: 'client_discussion', assigneeId: 't1', state: 'open' }],
      breakGlassUntil: new Date(NOW.getTime() + 1),
    };
    expect(decideAction(privacy, facts, 'submit_client_discussion', NOW)).toEqual({
      allowed: true,
      viaBreakGlass: true,
    });
    expect(decideAction(privacy, facts, 'reopen_after_denial_review', NOW)).toEqual({
      allowed: true,
      viaBreakGlass: false,
    });
    expect(
      decideAction(privacy, { ...facts, breakGlassUntil: NOW }, 'submit_client_discussion', NOW),
    ).toMatchObject({
      status: 403,
    });
    expect(decideAction(support, facts, 'submit_client_discussion', NOW)).toMatchObject({ status: 403 });
    expect(decideAction(privacy, facts, 'reassign_task', NOW, 'cd')).toMatchObject({ status: 403 });
  });

  it('SEC-2: an unknown task is not found; a task of another type is not this action’s', () => {
    const facts: RequestFacts = {
      ...base,
      tasks: [{ id: 'cd', type: 'client_discussion', assigneeId: 't1', state: 'open' }],
    };
    expect(decideAction(therapist, facts, 'resume', NOW, 'nope')).toEqual({
      allowed: false,
      status: 404,
      reason: 'Task not found.',
    });
    expect(decideAction(therapist, facts, 'submit_preparation', NOW, 'cd')).toMatchObject({ status: 403 });
  });

  it.each([
    [['admin'], false],
    [['admin', 'therapist'], true],
    [['therapist'], true],
    [['clinical_services'], false],
  ] as const)('SEC-2: a user with roles %j who is the request’s therapist sees it: %s', (roles, sees) => {
    expect(canViewRequest(user('t1', [...roles]), base)).toBe(sees);
  });

  it('SEC-2: an inactive user sees nothing, even their own requests (404)', () => {
    expect(decideAction(user('t1', ['therapist'], false), base, 'withdraw', NOW)).toEqual({
      allowed: false,
      status: 404,
      reason: 'Request not found.',
    });
  });
});
