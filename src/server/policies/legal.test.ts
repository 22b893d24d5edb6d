import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import type { Actor, RequestFacts, TaskFact } from './facts.js';
import {
  ASSURANCE_REFUSED,
  decideRecordAssurance,
  decideRecordPrivilege,
  PRIVILEGE_REFUSED,
} from './legal.js';

const RELATIONS = [
  'own',
  'supervisee',
  'unrelated',
  'holds_open_task',
  'held_done_task',
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
  if (rel === 'held_done_task') return { ...base, assigneeId: 'me', state: 'done', completedBy: 'me' };
  if (rel === 'holds_open_task' || rel === 'other_practice' || rel === 'inactive') {
    return { ...base, assigneeId: 'me' };
  }
  return base;
}

function factsFor(rel: Relation): RequestFacts {
  const everything = rel === 'other_practice' || rel === 'inactive';
  return {
    practiceId: rel === 'other_practice' ? 'p2' : 'p1',
    kind: 'subpoena',
    therapistId: rel === 'own' || everything ? 'me' : 't1',
    supervisorChainOfTherapist: rel === 'supervisee' || everything ? ['me'] : ['s1'],
    tasks: [taskFor(rel)],
    breakGlassUntil: null,
  };
}

// Expected answers written from SEC-2 and LEGAL-2, independently of the implementation.
function visible(role: Role, rel: Relation): boolean {
  if (rel === 'other_practice' || rel === 'inactive') return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (rel === 'holds_open_task' || rel === 'held_done_task') return true;
  if (rel === 'own') return role === 'therapist';
  if (rel === 'supervisee') return role === 'supervisor';
  return false;
}

const CASES = ROLES.flatMap((role) => RELATIONS.map((rel) => ({ role, rel })));

describe('LEGAL-2, SEC-2: who records the satisfactory-assurance checklist', () => {
  it.each(CASES)('LEGAL-2: $role, $rel', ({ role, rel }) => {
    const d = decideRecordAssurance(actorFor(role, rel), factsFor(rel));
    if (!visible(role, rel)) expect(d).toMatchObject({ allowed: false, status: 404 });
    else if (role === 'support' || role === 'privacy_officer') expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, status: 403, reason: ASSURANCE_REFUSED });
  });
});

describe('LEGAL-2, SEC-2: only the privacy officer records how privilege was addressed', () => {
  it.each(CASES)('LEGAL-2: $role, $rel', ({ role, rel }) => {
    const d = decideRecordPrivilege(actorFor(role, rel), factsFor(rel));
    if (!visible(role, rel)) expect(d).toMatchObject({ allowed: false, status: 404 });
    else if (role === 'privacy_officer') expect(d).toEqual({ allowed: true });
    else expect(d).toEqual({ allowed: false, status: 403, reason: PRIVILEGE_REFUSED });
  });
});
