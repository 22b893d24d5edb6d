import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import {
  complianceAbilities,
  decideApproveException,
  decidePrepareAuthorizationForm,
  decideRecordCompliance,
  EXCEPTION_REFUSED,
  PREPARE_FORM_REFUSED,
  RECORD_REFUSED,
} from './authorizations.js';
import type { Actor, RequestFacts, TaskFact } from './facts.js';

const RELATIONS = [
  'own',
  'supervisee',
  'unrelated',
  'holds_open_task',
  'holds_waiting_task',
  'held_done_task',
  'queue_task_of_role',
  'other_practice',
  'inactive',
] as const;
type Relation = (typeof RELATIONS)[number];

const actorFor = (role: Role, rel: Relation): Actor => ({
  id: 'me',
  practiceId: 'p1',
  roles: [role],
  active: rel !== 'inactive',
});

function taskFor(rel: Relation): TaskFact {
  const base: TaskFact = {
    id: 'task-1',
    type: 'supervisor_review',
    assigneeId: 'someone-else',
    state: 'open',
  };
  switch (rel) {
    case 'holds_open_task':
    case 'other_practice':
    case 'inactive':
      return { ...base, assigneeId: 'me' };
    case 'holds_waiting_task':
      return { ...base, assigneeId: 'me', state: 'waiting_on_requester' };
    case 'held_done_task':
      return { ...base, assigneeId: 'me', state: 'done', completedBy: 'me' };
    case 'queue_task_of_role':
      return { ...base, type: 'preparation', assigneeId: null, assigneeRole: 'clinical_services' };
    default:
      return base;
  }
}

function factsFor(rel: Relation): RequestFacts {
  const everything = rel === 'other_practice' || rel === 'inactive';
  return {
    practiceId: rel === 'other_practice' ? 'p2' : 'p1',
    kind: 'authorization',
    therapistId: rel === 'own' || everything ? 'me' : 't1',
    supervisorChainOfTherapist: rel === 'supervisee' || everything ? ['me'] : ['s1'],
    tasks: [taskFor(rel)],
    breakGlassUntil: null,
  };
}

// Expected answers written from SEC-2 and the brief, independently of the implementation.
function visible(role: Role, rel: Relation): boolean {
  if (rel === 'other_practice' || rel === 'inactive') return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (['holds_open_task', 'holds_waiting_task', 'held_done_task'].includes(rel)) return true;
  if (rel === 'queue_task_of_role') return role === 'clinical_services';
  if (rel === 'own') return role === 'therapist';
  if (rel === 'supervisee') return role === 'supervisor';
  return false;
}

function mayRecord(role: Role, rel: Relation): boolean {
  if (!visible(role, rel)) return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (rel === 'queue_task_of_role') return role === 'clinical_services';
  return rel === 'holds_open_task' || rel === 'holds_waiting_task';
}

const CASES = ROLES.flatMap((role) => RELATIONS.map((rel) => ({ role, rel })));

describe('VER-1, AUTH-1, AUTH-5, SEC-2: who may record authorizations, revocations and verifications', () => {
  it.each(CASES)('$role, $rel', ({ role, rel }) => {
    const d = decideRecordCompliance(actorFor(role, rel), factsFor(rel));
    if (!visible(role, rel)) expect(d).toMatchObject({ allowed: false, status: 404 });
    else if (mayRecord(role, rel)) expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, status: 403, reason: RECORD_REFUSED });
  });
});

describe("AUTH-7, SEC-2: who may prepare the practice's authorization form", () => {
  // Written from the brief: support, the privacy officer and the request's own therapist.
  const mayPrepare = (role: Role, rel: Relation) =>
    visible(role, rel) &&
    (role === 'support' || role === 'privacy_officer' || (role === 'therapist' && rel === 'own'));
  it.each(CASES)('$role, $rel', ({ role, rel }) => {
    const d = decidePrepareAuthorizationForm(actorFor(role, rel), factsFor(rel));
    if (!visible(role, rel)) expect(d).toMatchObject({ allowed: false, status: 404 });
    else if (mayPrepare(role, rel)) expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, status: 403, reason: PREPARE_FORM_REFUSED });
  });
});

describe('AUTH-4, SEC-2: only the privacy officer approves a psychotherapy-notes exception', () => {
  it.each(CASES)('$role, $rel', ({ role, rel }) => {
    const d = decideApproveException(actorFor(role, rel), factsFor(rel));
    if (!visible(role, rel)) expect(d).toMatchObject({ allowed: false, status: 404 });
    else if (role === 'privacy_officer') expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, status: 403, reason: EXCEPTION_REFUSED });
  });

  it('AUTH-4: the abilities follow the decisions', () => {
    expect(complianceAbilities(actorFor('privacy_officer', 'unrelated'), factsFor('unrelated'))).toEqual([
      'record_authorization',
      'record_verification',
      'prepare_authorization_form',
      'approve_exception',
    ]);
    expect(complianceAbilities(actorFor('supervisor', 'supervisee'), factsFor('supervisee'))).toEqual([]);
    expect(complianceAbilities(actorFor('therapist', 'own'), factsFor('own'))).toEqual([
      'prepare_authorization_form',
    ]);
    expect(
      complianceAbilities(actorFor('therapist', 'holds_open_task'), factsFor('holds_open_task')),
    ).toEqual(['record_authorization', 'record_verification']);
  });
});
