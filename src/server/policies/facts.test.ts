import { describe, expect, it } from 'vitest';
import {
  type Actor,
  activeTaskTypes,
  hasActiveBreakGlass,
  holdsNow,
  holdsOrHeld,
  isSupervisorAbove,
  type TaskFact,
} from './facts.js';

const me: Actor = { id: 'me', practiceId: 'p1', roles: ['clinical_services'], active: true };
const task = (over: Partial<TaskFact>): TaskFact => ({
  id: 'x',
  type: 'preparation',
  assigneeId: null,
  state: 'open',
  ...over,
});

describe('predicates', () => {
  it.each([
    ['assigned to me, open', task({ assigneeId: 'me' }), true, true],
    ['assigned to me, waiting', task({ assigneeId: 'me', state: 'waiting_on_requester' }), true, true],
    ['assigned to me, done', task({ assigneeId: 'me', state: 'done' }), false, true],
    ['assigned to someone else', task({ assigneeId: 'you' }), false, false],
    ['in my role’s queue', task({ assigneeRole: 'clinical_services' }), true, true],
    ['in another role’s queue', task({ assigneeRole: 'support' }), false, false],
    [
      'in my queue but done by someone else',
      task({ assigneeRole: 'clinical_services', state: 'done', completedBy: 'you' }),
      false,
      false,
    ],
    [
      'done by me from the queue',
      task({ assigneeRole: 'clinical_services', state: 'done', completedBy: 'me' }),
      false,
      true,
    ],
    ['no assignee and no queue', task({}), false, false],
  ] as const)('SEC-2: a task %s: holds now %s, holds or held %s', (_t, t, now, ever) => {
    expect(holdsNow(me, t)).toBe(now);
    expect(holdsOrHeld(me, t)).toBe(ever);
  });

  it('lists the types of active tasks once each', () => {
    expect(
      activeTaskTypes({
        tasks: [
          task({ type: 'preparation', state: 'done' }),
          task({ type: 'prepared_review' }),
          task({ type: 'prepared_review', state: 'waiting_on_requester' }),
          task({ type: 'release', state: 'cancelled' }),
        ],
      }),
    ).toEqual(['prepared_review']);
  });

  it.each([
    [['privacy_officer'], 60_000, true],
    [['privacy_officer'], 0, false],
    [['privacy_officer'], -1, false],
    [['support'], 60_000, false],
  ] as const)('SEC-2: break-glass for %j ending in %i ms is active: %s', (roles, ms, active) => {
    const now = new Date('2026-10-15T17:00:00Z');
    const actor = { ...me, roles: [...roles] };
    expect(hasActiveBreakGlass(actor, { breakGlassUntil: new Date(now.getTime() + ms) }, now)).toBe(active);
  });

  it('SEC-2: a supervisor anywhere above the therapist, with the supervisor role', () => {
    const sup: Actor = { ...me, roles: ['supervisor'] };
    expect(isSupervisorAbove(sup, { supervisorChainOfTherapist: ['a', 'b', 'me'] })).toBe(true);
    expect(isSupervisorAbove(sup, { supervisorChainOfTherapist: ['a'] })).toBe(false);
    expect(isSupervisorAbove(me, { supervisorChainOfTherapist: ['me'] })).toBe(false);
  });
});
