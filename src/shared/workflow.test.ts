import { describe, expect, it } from 'vitest';
import type { RequestKind } from './request-kinds.js';
import {
  ACTION_LABELS,
  ACTIONS,
  type Action,
  allowedActionsAt,
  END_STAGES,
  isEndStage,
  isTaskAction,
  OPEN_STAGES,
  planTransition,
  type RequestState,
  STAGE_LABELS,
  STAGES,
  type Stage,
  stepperStages,
  TRANSITION_AUDIT_TYPES,
  TRANSITIONS,
  type TransitionInput,
  transitionFor,
} from './workflow.js';

const OPEN: Stage[] = ['request_made', 'client_review', 'invoice', 'preparation'];
const FROM: Record<Action, Stage[]> = {
  complete_intake: ['request_made'],
  submit_client_discussion: ['client_review'],
  submit_supervisor_review: ['client_review'],
  escalate_review: ['client_review'],
  record_invoice: ['invoice'],
  submit_preparation: ['preparation'],
  approve_preparation: ['preparation'],
  request_changes: ['preparation'],
  record_release: ['preparation'],
  record_no_records: ['request_made', 'client_review', 'preparation'],
  withdraw: OPEN,
  cancel: OPEN,
  reopen_after_denial_review: ['denied'],
  wait_on_requester: OPEN,
  resume: OPEN,
  reassign_task: OPEN,
};
const say = { reason: 'The requester asked us to stop.', messageToRequester: 'We have closed your request.' };
const VALID: Record<Action, TransitionInput> = {
  complete_intake: {},
  submit_client_discussion: { outcome: 'go_ahead' },
  submit_supervisor_review: { decision: 'release' },
  escalate_review: {},
  record_invoice: { invoiceMode: 'sent' },
  submit_preparation: {},
  approve_preparation: {},
  request_changes: { reason: 'Add the letter’s second page.' },
  record_release: {},
  record_no_records: { writtenAnswer: 'We hold no records for these dates; try the county clinic.' },
  withdraw: say,
  cancel: say,
  reopen_after_denial_review: { reason: 'The client asked for a review of the denial.' },
  wait_on_requester: { reason: 'Waiting for a signed authorization.' },
  resume: {},
  reassign_task: {},
};
const req = (
  stage: Stage,
  kind: RequestKind = 'authorization',
  extra: Partial<RequestState> = {},
): RequestState => ({
  stage,
  kind,
  deliverable: 'copy',
  ...extra,
});

describe('stages', () => {
  it('has the five procedure stages and four ends', () => {
    expect(STAGES).toHaveLength(9);
    expect([...OPEN_STAGES, ...END_STAGES].sort()).toEqual([...STAGES].sort());
  });

  it.each(STAGES.map((s) => [s, (END_STAGES as readonly Stage[]).includes(s)] as const))(
    'isEndStage(%s) is %s',
    (s, end) => {
      expect(isEndStage(s)).toBe(end);
    },
  );

  it.each(STAGES)('stage %s has a plain label', (s) => expect(STAGE_LABELS[s]).toMatch(/^[A-Z][a-z ]+$/));

  it.each([
    ['client_access', false],
    ['subpoena', false],
    ['provider_continuity', false],
    ['other_legal', true],
  ] as const)('KIND-8: the stepper for %s marks the invoice skipped: %s', (kind, skipped) => {
    const steps = stepperStages(kind);
    expect(steps.map((s) => s.stage)).toEqual([
      'request_made',
      'client_review',
      'invoice',
      'preparation',
      'released',
    ]);
    expect(steps.map((s) => s.label)).toEqual([
      'Request made',
      'Client review',
      'Invoice',
      'Preparation',
      'Released',
    ]);
    expect(steps.filter((s) => s.skipped).map((s) => s.stage)).toEqual(skipped ? ['invoice'] : []);
  });
});

describe('the transition table', () => {
  it('has exactly one row per action, each with a label, a distinct audit event and known stages', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
    for (const action of ACTIONS) {
      const t = transitionFor(action);
      expect(t.action).toBe(action);
      expect(ACTION_LABELS[action]).toBeTruthy();
      expect(TRANSITION_AUDIT_TYPES).toContain(t.auditType);
      for (const s of t.from) expect(STAGES).toContain(s);
    }
    expect(new Set(ACTIONS.map((a) => TRANSITIONS[a].auditType)).size).toBe(ACTIONS.length);
  });

  const matrix = ACTIONS.flatMap((action) =>
    STAGES.map((stage) => [action, stage, FROM[action].includes(stage)] as const),
  );

  it.each(matrix)(
    'SEC-2: %s at stage %s is allowed: %s (otherwise 409 naming the stage)',
    (action, stage, allowed) => {
      const result = planTransition(req(stage), action, VALID[action]);
      if (allowed) {
        expect(result.ok).toBe(true);
        return;
      }
      expect(result).toMatchObject({ ok: false, status: 409 });
      if (result.ok || result.status !== 409) throw new Error('expected a 409');
      expect(result.message).toContain(`Not allowed at stage "${STAGE_LABELS[stage]}"`);
      expect(result.allowedActions).toEqual(allowedActionsAt(stage, 'authorization'));
      expect(result.allowedActions).not.toContain(action);
    },
  );

  it('SEC-2: the 409 names the stage and the actions allowed now', () => {
    expect(planTransition(req('invoice'), 'submit_preparation')).toEqual({
      ok: false,
      status: 409,
      message: 'Not allowed at stage "Invoice". Allowed now: record_invoice, withdraw, cancel',
      allowedActions: [
        'record_invoice',
        'withdraw',
        'cancel',
        'wait_on_requester',
        'resume',
        'reassign_task',
      ],
    });
    expect(planTransition(req('released'), 'withdraw', say)).toEqual({
      ok: false,
      status: 409,
      message: 'Not allowed at stage "Released". Allowed now: none',
      allowedActions: [],
    });
  });

  it.each([
    ['request_made', ['complete_intake', 'record_no_records', 'withdraw', 'cancel']],
    [
      'client_review',
      [
        'submit_client_discussion',
        'submit_supervisor_review',
        'escalate_review',
        'record_no_records',
        'withdraw',
        'cancel',
      ],
    ],
    ['invoice', ['record_invoice', 'withdraw', 'cancel']],
    [
      'preparation',
      [
        'submit_preparation',
        'approve_preparation',
        'request_changes',
        'record_release',
        'record_no_records',
        'withdraw',
        'cancel',
      ],
    ],
    ['denied', ['reopen_after_denial_review']],
    ['released', []],
    ['no_records', []],
    ['withdrawn', []],
    ['cancelled', []],
  ] as const)('allowedActionsAt(%s) moves the request by %j', (stage, expected) => {
    expect(allowedActionsAt(stage, 'authorization').filter((a) => !isTaskAction(a))).toEqual(expected);
  });

  it('KIND-8: there is no client discussion to submit for an other-legal request', () => {
    expect(allowedActionsAt('client_review', 'other_legal')).not.toContain('submit_client_discussion');
    expect(
      planTransition(req('client_review', 'other_legal'), 'submit_client_discussion', {
        outcome: 'go_ahead',
      }),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it('an action completing a task needs that task open, when the open tasks are known', () => {
    const state = req('client_review', 'authorization', { activeTaskTypes: ['client_discussion'] });
    expect(allowedActionsAt('client_review', 'authorization', ['client_discussion'])).toEqual([
      'submit_client_discussion',
      'record_no_records',
      'withdraw',
      'cancel',
      'wait_on_requester',
      'resume',
      'reassign_task',
    ]);
    const refused = planTransition(state, 'submit_supervisor_review', { decision: 'release' });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.message).toBe(
      'Not allowed at stage "Client review": there is no open task "Supervisor review". Allowed now: submit_client_discussion, record_no_records, withdraw, cancel',
    );
  });

  it.each([
    ['wait_on_requester', 'open', true],
    ['wait_on_requester', 'waiting_on_requester', false],
    ['resume', 'waiting_on_requester', true],
    ['resume', 'open', false],
    ['reassign_task', 'open', true],
    ['reassign_task', 'waiting_on_requester', true],
    ['reassign_task', 'done', false],
    ['wait_on_requester', 'cancelled', false],
  ] as const)('TIME-1: %s on a task that is %s is allowed: %s', (action, state, allowed) => {
    const result = planTransition(
      req('preparation', 'authorization', { targetTask: { type: 'preparation', state } }),
      action,
      VALID[action],
    );
    expect(result.ok).toBe(allowed);
    if (!result.ok) expect(result).toMatchObject({ status: 409 });
  });

  it.each([
    ['wait_on_requester', 'waiting_on_requester'],
    ['resume', 'open'],
    ['reassign_task', 'same'],
  ] as const)('TIME-1: %s sets the task to %s and leaves the stage', (action, taskState) => {
    expect(planTransition(req('invoice'), action, VALID[action])).toMatchObject({
      ok: true,
      from: 'invoice',
      to: 'invoice',
      completes: null,
      opens: [],
      taskState,
      closesOpenTasks: false,
    });
  });
});

describe('bad input answers 400 naming the fields', () => {
  it.each([
    ['submit_client_discussion', 'client_review', {}, ['outcome']],
    ['submit_supervisor_review', 'client_review', {}, ['decision']],
    ['record_invoice', 'invoice', {}, ['invoiceMode']],
    ['record_no_records', 'preparation', { writtenAnswer: '   ' }, ['writtenAnswer']],
    ['withdraw', 'invoice', { reason: 'asked' }, ['messageToRequester']],
    ['cancel', 'request_made', {}, ['reason', 'messageToRequester']],
    ['reopen_after_denial_review', 'denied', { reason: null }, ['reason']],
    ['request_changes', 'preparation', {}, ['reason']],
    ['wait_on_requester', 'client_review', {}, ['reason']],
    ['submit_supervisor_review', 'client_review', { decision: 'deny' }, ['denialLetter']],
    ['submit_supervisor_review', 'client_review', { decision: 'decline' }, ['denialLetter']],
  ] as const)('REV-5/REV-7: %s at %s with %j misses %j', (action, stage, input, fields) => {
    const result = planTransition(req(stage), action, input);
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (result.ok || result.status !== 400) throw new Error('expected a 400');
    expect(result.errors.map((e) => e.field)).toEqual(fields);
  });

  it('REV-2: an access request cannot be declined (400 naming the rule)', () => {
    const result = planTransition(req('client_review', 'client_access'), 'submit_supervisor_review', {
      decision: 'decline',
      denialLetter: 'We decline.',
    });
    expect(result).toMatchObject({ ok: false, status: 400, errors: [{ field: 'decision', rule: 'REV-2' }] });
  });
});
