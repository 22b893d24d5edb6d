import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import { decideFileDownload, decideFileUpload, UPLOAD_REFUSED } from './documents.js';
import type { Actor, RequestFacts, TaskFact } from './facts.js';

const RELATIONS = [
  'own',
  'supervisee',
  'unrelated',
  'holds_open_task',
  'holds_waiting_task',
  'held_done_task',
  'preparation_queue_task',
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
  const base: TaskFact = { id: 'task-1', type: 'preparation', assigneeId: 'someone-else', state: 'open' };
  switch (rel) {
    case 'holds_open_task':
    case 'other_practice':
    case 'inactive':
      return { ...base, assigneeId: 'me' };
    case 'holds_waiting_task':
      return { ...base, assigneeId: 'me', state: 'waiting_on_requester' };
    case 'held_done_task':
      return { ...base, assigneeId: 'me', state: 'done', completedBy: 'me' };
    case 'preparation_queue_task':
      return { ...base, assigneeId: null, assigneeRole: 'clinical_services' };
    default:
      return base;
  }
}

function factsFor(rel: Relation): RequestFacts {
  // In another practice, or when inactive, the actor even owns and holds everything: still invisible.
  const everything = rel === 'other_practice' || rel === 'inactive';
  return {
    practiceId: rel === 'other_practice' ? 'p2' : 'p1',
    kind: 'client_access',
    therapistId: rel === 'own' || everything ? 'me' : 't1',
    supervisorChainOfTherapist: rel === 'supervisee' || everything ? ['me'] : ['s1'],
    tasks: [taskFor(rel)],
    breakGlassUntil: null,
  };
}

// The expected answers, written from SEC-2 and the brief, independently of the implementation.
function visible(role: Role, rel: Relation): boolean {
  if (rel === 'other_practice' || rel === 'inactive') return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (['holds_open_task', 'holds_waiting_task', 'held_done_task'].includes(rel)) return true;
  // The preparation queue is clinical services' (SEC-2).
  if (rel === 'preparation_queue_task') return role === 'clinical_services';
  if (rel === 'own') return role === 'therapist';
  if (rel === 'supervisee') return role === 'supervisor';
  return false;
}

function mayUpload(role: Role, rel: Relation): boolean {
  if (!visible(role, rel)) return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (rel === 'preparation_queue_task') return role === 'clinical_services';
  return rel === 'holds_open_task' || rel === 'holds_waiting_task';
}

const CASES = ROLES.flatMap((role) => RELATIONS.map((rel) => ({ role, rel })));

describe('SEC-2: who may open a request’s files', () => {
  it.each(CASES)('$role, $rel', ({ role, rel }) => {
    const decision = decideFileDownload(actorFor(role, rel), factsFor(rel));
    if (visible(role, rel)) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, status: 404 });
  });
});

describe('SEC-2: who may add files to a request (404 unseen, 403 with a reason when seen)', () => {
  it.each(CASES)('$role, $rel', ({ role, rel }) => {
    const decision = decideFileUpload(actorFor(role, rel), factsFor(rel));
    if (mayUpload(role, rel)) expect(decision).toEqual({ allowed: true });
    else if (visible(role, rel))
      expect(decision).toEqual({ allowed: false, status: 403, reason: UPLOAD_REFUSED });
    else expect(decision).toMatchObject({ allowed: false, status: 404 });
  });

  it('SEC-2: an admin with no other role never sees files, even of a request in their practice', () => {
    const admin: Actor = { id: 'me', practiceId: 'p1', roles: ['admin'], active: true };
    const facts = factsFor('unrelated');
    expect(decideFileDownload(admin, facts)).toMatchObject({ status: 404 });
    expect(decideFileUpload(admin, facts)).toMatchObject({ status: 404 });
  });

  it('SEC-2: a therapist who also supports the practice may upload to any request', () => {
    const both: Actor = { id: 'me', practiceId: 'p1', roles: ['therapist', 'support'], active: true };
    expect(decideFileUpload(both, factsFor('unrelated'))).toEqual({ allowed: true });
  });
});
