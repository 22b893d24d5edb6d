// Table test of the prepared-documents policy (rule SEC-2): every role × every relationship × each
// decision, the expected answers written from the brief, independently of the implementation.
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import {
  decideDraftReview,
  decideDraftView,
  decideDraftWrite,
  draftAbilities,
  OWN_VERSION_REFUSED,
  REVIEW_REFUSED,
  type ReviewerFact,
  WRITE_REFUSED,
} from './drafts.js';
import type { Actor, RequestFacts, TaskFact } from './facts.js';

const RELATIONS = [
  'own_therapist',
  'holds_preparation',
  'held_preparation_done',
  'preparation_queue',
  'nearest_supervisor',
  'higher_supervisor',
  'holds_prepared_review',
  'privacy_queue_reviewer',
  'unrelated',
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

function tasksFor(rel: Relation): TaskFact[] {
  const prep: TaskFact = { id: 't-prep', type: 'preparation', assigneeId: 't1', state: 'open' };
  switch (rel) {
    case 'holds_preparation':
    case 'other_practice':
    case 'inactive':
      return [{ ...prep, assigneeId: 'me' }];
    case 'held_preparation_done':
      return [{ ...prep, assigneeId: 'me', state: 'done', completedBy: 'me' }];
    case 'preparation_queue':
      return [{ ...prep, assigneeId: null, assigneeRole: 'clinical_services' }];
    case 'holds_prepared_review':
      return [
        { ...prep, state: 'done', completedBy: 't1' },
        { id: 't-rev', type: 'prepared_review', assigneeId: 'me', state: 'open' },
      ];
    default:
      return [prep];
  }
}

function factsFor(rel: Relation): RequestFacts {
  const everything = rel === 'other_practice' || rel === 'inactive';
  return {
    practiceId: rel === 'other_practice' ? 'p2' : 'p1',
    kind: 'authorization',
    therapistId: rel === 'own_therapist' || everything ? 'me' : 't1',
    supervisorChainOfTherapist:
      rel === 'nearest_supervisor' || everything
        ? ['me', 's2']
        : rel === 'higher_supervisor'
          ? ['s1', 'me']
          : ['s1'],
    tasks: tasksFor(rel),
    breakGlassUntil: null,
  };
}

const reviewerFor = (rel: Relation): ReviewerFact =>
  rel === 'nearest_supervisor' || rel === 'other_practice' || rel === 'inactive'
    ? { assigneeId: 'me', assigneeRole: null }
    : rel === 'privacy_queue_reviewer'
      ? { assigneeId: null, assigneeRole: 'privacy_officer' }
      : { assigneeId: 's1', assigneeRole: null };

// The expected answers (SEC-2 and the brief).
function visible(role: Role, rel: Relation): boolean {
  if (rel === 'other_practice' || rel === 'inactive') return false;
  if (role === 'support' || role === 'privacy_officer') return true;
  if (rel === 'own_therapist') return role === 'therapist';
  if (rel === 'nearest_supervisor' || rel === 'higher_supervisor') return role === 'supervisor';
  if (rel === 'holds_preparation' || rel === 'held_preparation_done' || rel === 'holds_prepared_review')
    return true;
  if (rel === 'preparation_queue') return role === 'clinical_services';
  return false;
}

function writes(role: Role, rel: Relation): boolean {
  if (!visible(role, rel)) return false;
  return rel === 'holds_preparation' || (rel === 'preparation_queue' && role === 'clinical_services');
}

function reviews(role: Role, rel: Relation): boolean {
  if (!visible(role, rel)) return false;
  return (
    // The workflow's resolved reviewer is that person, whatever else they hold.
    rel === 'nearest_supervisor' ||
    rel === 'holds_prepared_review' ||
    (rel === 'privacy_queue_reviewer' && role === 'privacy_officer')
  );
}

const cases = ROLES.flatMap((role) => RELATIONS.map((rel) => [role, rel] as const));

describe('prepared documents policy (SEC-2)', () => {
  it.each(cases)('SEC-2: %s, %s: view, write, review and abilities', (role, rel) => {
    const actor = actorFor(role, rel);
    const facts = factsFor(rel);
    const reviewer = reviewerFor(rel);
    const seen = visible(role, rel);

    expect(decideDraftView(actor, facts)).toEqual(
      seen ? { allowed: true } : { allowed: false, status: 404, reason: 'Request not found.' },
    );
    expect(decideDraftWrite(actor, facts)).toEqual(
      !seen
        ? { allowed: false, status: 404, reason: 'Request not found.' }
        : writes(role, rel)
          ? { allowed: true }
          : { allowed: false, status: 403, reason: WRITE_REFUSED },
    );
    expect(decideDraftReview(actor, facts, reviewer, 't1')).toEqual(
      !seen
        ? { allowed: false, status: 404, reason: 'Request not found.' }
        : reviews(role, rel)
          ? { allowed: true }
          : { allowed: false, status: 403, reason: REVIEW_REFUSED },
    );
    const expected = [
      ...(writes(role, rel) ? ['create_draft', 'write_version', 'submit_version'] : []),
      ...(reviews(role, rel) ? ['review_version'] : []),
    ];
    expect(draftAbilities(actor, facts, reviewer)).toEqual(expected);
  });

  it('SEC-2: the supervisor never approves a version they wrote themselves', () => {
    const actor = actorFor('supervisor', 'nearest_supervisor');
    expect(
      decideDraftReview(actor, factsFor('nearest_supervisor'), reviewerFor('nearest_supervisor'), 'me'),
    ).toEqual({ allowed: false, status: 403, reason: OWN_VERSION_REFUSED });
  });
});
