import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS, type RequestKind } from './request-kinds.js';
import {
  CLIENT_DISCUSSION_OUTCOME_LABELS,
  CLIENT_DISCUSSION_OUTCOMES,
  checkSupervisorDecision,
  clientDiscussionEffect,
  DENIAL_GROUND_LABELS,
  DENIAL_GROUNDS,
  defaultInvoiceMode,
  isDenyingDecision,
  isReviewableDenialGround,
  releaseMayWaitOnPayment,
  SUPERVISOR_DECISION_LABELS,
  SUPERVISOR_DECISIONS,
  type SupervisorDecision,
  type SupervisorDecisionContext,
} from './review-decisions.js';

const ACCESS: RequestKind[] = ['client_access', 'client_directed', 'representative'];

describe('client discussion outcomes', () => {
  const cases = REQUEST_KINDS.flatMap((kind) =>
    CLIENT_DISCUSSION_OUTCOMES.map((outcome) => {
      const access = ACCESS.includes(kind);
      const effect =
        outcome === 'client_withdraws'
          ? 'withdraw'
          : outcome === 'not_reached' && !access
            ? 'keep_open'
            : 'complete';
      return [kind, outcome, effect] as const;
    }),
  );

  it.each(cases)('REV-1: a %s request with outcome %s -> %s', (kind, outcome, effect) => {
    expect(clientDiscussionEffect(kind, outcome)).toBe(effect);
  });

  it.each(ACCESS)('REV-1: for %s, declining or not being reached never stops the request', (kind) => {
    expect(clientDiscussionEffect(kind, 'not_reached')).toBe('complete');
    expect(clientDiscussionEffect(kind, 'declined_to_discuss')).toBe('complete');
  });

  it('has a plain label for every outcome', () => {
    for (const o of CLIENT_DISCUSSION_OUTCOMES) expect(CLIENT_DISCUSSION_OUTCOME_LABELS[o]).toMatch(/^[A-Z]/);
  });
});

describe('supervisor decisions', () => {
  const letter = { denialLetter: 'Dear client, …' };
  const rules = (kind: RequestKind, decision: SupervisorDecision, context: SupervisorDecisionContext = {}) =>
    checkSupervisorDecision(kind, decision, context).map((e) => `${e.rule}:${e.field}`);

  it.each([
    // access kinds
    ['client_access', 'release', {}, []],
    ['client_access', 'decline', letter, ['REV-2:decision']],
    ['client_directed', 'decline', letter, ['REV-2:decision']],
    ['representative', 'decline', {}, ['REV-2:decision', 'REV-2:denialLetter']],
    ['client_access', 'release_narrowed', {}, ['REV-2:clientRequestedNarrowing']],
    ['client_access', 'release_narrowed', { clientRequestedNarrowing: true }, []],
    ['client_directed', 'summary', {}, ['REV-2:clientAgreedToSummary']],
    ['client_directed', 'summary', { clientAgreedToSummary: true }, []],
    ['client_access', 'deny', letter, ['REV-2:denialGround']],
    ['client_access', 'deny', { denialGround: 'psychotherapy_notes' }, ['REV-5:denialLetter']],
    [
      'client_access',
      'deny',
      { denialGround: 'psychotherapy_notes', denialLetter: '  ' },
      ['REV-5:denialLetter'],
    ],
    ['client_access', 'deny', { ...letter, denialGround: 'endanger_life_or_safety' }, []],
    ['client_access', 'deny_partial', { ...letter, denialGround: 'psychotherapy_notes' }, []],
    ['client_access', 'deny_partial', {}, ['REV-2:denialGround', 'REV-5:denialLetter']],
    ['client_access', 'deny', { ...letter, denialGround: 'representative_harm' }, ['REV-4:denialGround']],
    ['representative', 'deny', { ...letter, denialGround: 'representative_harm' }, []],
    // other kinds
    ['authorization', 'decline', letter, []],
    ['subpoena', 'decline', {}, ['REV-2:denialLetter']],
    ['court_order', 'release_narrowed', {}, []],
    ['provider_continuity', 'summary', {}, []],
    ['other_legal', 'deny', letter, []],
    ['authorization', 'deny', {}, ['REV-5:denialLetter']],
    ['authorization', 'deny', { ...letter, denialGround: 'representative_harm' }, ['REV-4:denialGround']],
  ] as const)('REV-2/REV-4/REV-5: %s, %s with %j -> %j', (kind, decision, context, expected) => {
    expect(rules(kind, decision, context)).toEqual(expected);
  });

  it.each(REQUEST_KINDS)('REV-2: every error for %s names a rule, a field and a plain message', (kind) => {
    for (const decision of SUPERVISOR_DECISIONS) {
      for (const e of checkSupervisorDecision(kind, decision)) {
        expect(e.rule).toMatch(/^REV-\d$/);
        expect(e.field).toBeTruthy();
        expect(e.message).toMatch(/^[A-Z].*\.$/);
      }
    }
  });

  it('REV-2: an unknown decision is refused', () => {
    expect(rules('authorization', 'maybe' as SupervisorDecision)).toEqual(['REV-2:decision']);
  });

  it.each(SUPERVISOR_DECISIONS.map((d) => [d, d === 'deny' || d === 'decline'] as const))(
    'REV-5: %s ends the request: %s',
    (decision, ends) => {
      expect(isDenyingDecision(decision)).toBe(ends);
      expect(SUPERVISOR_DECISION_LABELS[decision]).toMatch(/^[A-Z]/);
    },
  );

  it.each(
    DENIAL_GROUNDS.map(
      (g) =>
        [
          g,
          ['endanger_life_or_safety', 'harm_to_referenced_person', 'representative_harm'].includes(g),
        ] as const,
    ),
  )('REV-3/REV-4: ground %s is reviewable: %s', (ground, reviewable) => {
    expect(isReviewableDenialGround(ground)).toBe(reviewable);
    expect(DENIAL_GROUND_LABELS[ground]).toMatch(/^[A-Z]/);
  });
});

describe('invoice and payment', () => {
  it.each([
    ['client_access', 'no_fee'],
    ['client_directed', 'sent'],
    ['authorization', 'sent'],
    ['subpoena', 'sent'],
    ['court_order', 'sent'],
    ['representative', 'no_fee'],
    ['provider_continuity', 'no_fee'],
    ['other_legal', 'no_fee'],
  ] as const)('FEE-2/FEE-5: the default invoice for %s is %s', (kind, mode) => {
    expect(defaultInvoiceMode(kind)).toBe(mode);
  });

  it.each([
    [undefined, false],
    [null, false],
    [false, false],
    [true, true],
  ] as const)(
    'FEE-6: with rule pack permission %s the release may wait on payment: %s',
    (allows, expected) => {
      expect(releaseMayWaitOnPayment(allows)).toBe(expected);
    },
  );
});
