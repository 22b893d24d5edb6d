import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/roles.js';
import { requestAbilities, taskAbilities } from './abilities.js';
import type { Actor, RequestFacts } from './facts.js';

const NOW = new Date('2026-10-15T17:00:00Z');
const user = (id: string, roles: Role[]): Actor => ({ id, practiceId: 'p1', roles, active: true });
const therapist = user('t1', ['therapist']);
const supervisor = user('s1', ['supervisor']);
const support = user('u1', ['support']);
const privacy = user('po', ['privacy_officer']);
const admin = user('a1', ['admin']);
const clinical = user('c1', ['clinical_services']);

const atDiscussion: RequestFacts = {
  practiceId: 'p1',
  kind: 'authorization',
  therapistId: 't1',
  supervisorChainOfTherapist: ['s1', 'd1'],
  tasks: [
    {
      id: 'i',
      type: 'intake_check',
      assigneeId: null,
      assigneeRole: 'support',
      state: 'done',
      completedBy: 'u1',
    },
    { id: 'cd', type: 'client_discussion', assigneeId: 't1', state: 'open' },
  ],
};
const atPreparation: RequestFacts = {
  ...atDiscussion,
  tasks: [
    {
      id: 'p',
      type: 'preparation',
      assigneeId: null,
      assigneeRole: 'clinical_services',
      state: 'waiting_on_requester',
    },
  ],
};

describe('request abilities', () => {
  it.each([
    ['therapist', therapist, ['submit_client_discussion', 'wait_on_requester', 'resume']],
    ['supervisor', supervisor, ['reassign_task']],
    [
      'support',
      support,
      ['record_no_records', 'withdraw', 'cancel', 'wait_on_requester', 'resume', 'reassign_task'],
    ],
    ['privacy officer', privacy, ['record_no_records']],
    ['admin', admin, []],
    ['clinical services', clinical, []],
  ] as const)('SEC-2: at the client discussion the %s may %j', (_who, actor, expected) => {
    expect(requestAbilities(actor, atDiscussion, 'client_review', 'authorization', NOW)).toEqual(expected);
  });

  it('SEC-2: with break-glass the privacy officer may also act on the therapist’s task', () => {
    const facts = { ...atDiscussion, breakGlassUntil: new Date(NOW.getTime() + 60_000) };
    expect(requestAbilities(privacy, facts, 'client_review', 'authorization', NOW)).toEqual([
      'submit_client_discussion',
      'record_no_records',
      'wait_on_requester',
      'resume',
    ]);
  });

  it('SEC-2, KIND-1: for a client’s own records, cancelling is the privacy officer’s, not support’s', () => {
    const facts = { ...atDiscussion, kind: 'client_access' as const };
    expect(requestAbilities(support, facts, 'client_review', 'client_access', NOW)).not.toContain('cancel');
    expect(requestAbilities(privacy, facts, 'client_review', 'client_access', NOW)).toContain('cancel');
  });

  it('SEC-2: a request at an end offers nothing but the denial review to the privacy officer', () => {
    const ended = { ...atDiscussion, tasks: [] };
    expect(requestAbilities(support, ended, 'released', 'authorization', NOW)).toEqual([]);
    expect(requestAbilities(privacy, ended, 'denied', 'authorization', NOW)).toEqual([
      'reopen_after_denial_review',
    ]);
    expect(requestAbilities(support, ended, 'denied', 'authorization', NOW)).toEqual([]);
  });

  it('SEC-2: a request the actor cannot see has no abilities', () => {
    expect(
      requestAbilities({ ...support, practiceId: 'p2' }, atDiscussion, 'client_review', 'authorization', NOW),
    ).toEqual([]);
  });
});

describe('task abilities', () => {
  it.each([
    ['clinical services', clinical, ['submit_preparation', 'resume']],
    ['support', support, ['resume', 'reassign_task']],
    ['supervisor', supervisor, ['reassign_task']],
    ['therapist', therapist, []],
  ] as const)(
    'TIME-1: on a queued preparation waiting on the requester, %s may %j',
    (_who, actor, expected) => {
      expect(taskAbilities(actor, atPreparation, 'preparation', 'authorization', NOW, 'p')).toEqual(expected);
    },
  );

  it('offers nothing on a finished or unknown task', () => {
    expect(taskAbilities(support, atDiscussion, 'client_review', 'authorization', NOW, 'i')).toEqual([]);
    expect(taskAbilities(support, atDiscussion, 'client_review', 'authorization', NOW, 'zzz')).toEqual([]);
  });

  it('the therapist’s open discussion: record it or set it to wait', () => {
    expect(taskAbilities(therapist, atDiscussion, 'client_review', 'authorization', NOW, 'cd')).toEqual([
      'submit_client_discussion',
      'wait_on_requester',
    ]);
  });
});
