import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS } from './request-kinds.js';
import {
  DEFAULT_TASK_BUSINESS_DAYS,
  isActiveTaskState,
  plannedTaskPath,
  preparationOwner,
  remainingPlannedBusinessDays,
  TASK_LABELS,
  TASK_STATE_LABELS,
  TASK_STATES,
  TASK_TYPES,
  taskSpec,
  tasksOnCreate,
} from './workflow-tasks.js';

describe('tasks', () => {
  it.each([
    ['intake_check', 1],
    ['client_discussion', 3],
    ['supervisor_review', 2],
    ['invoice', 1],
    ['preparation', 5],
    ['prepared_review', 2],
    ['release', 1],
  ] as const)('TIME-6: %s takes %i business days by default', (type, days) => {
    expect(DEFAULT_TASK_BUSINESS_DAYS[type]).toBe(days);
    expect(taskSpec(type, { kind: 'role', role: 'support' }).businessDays).toBe(days);
    expect(TASK_LABELS[type]).toMatch(/^[A-Z]/);
  });

  it.each([
    ['open', true],
    ['waiting_on_requester', true],
    ['done', false],
    ['cancelled', false],
  ] as const)('TIME-1: a task that is %s is active: %s', (state, active) => {
    expect(isActiveTaskState(state)).toBe(active);
    expect(TASK_STATE_LABELS[state]).toMatch(/^[A-Z]/);
  });

  it('lists four task states', () => expect(TASK_STATES).toHaveLength(4));

  it.each([
    ['copy', { kind: 'clinical_services' }],
    ['letter_or_report', { kind: 'request_therapist' }],
    ['verbal', { kind: 'request_therapist' }],
  ] as const)('preparation of a %s goes to %j', (deliverable, owner) => {
    expect(preparationOwner(deliverable)).toEqual(owner);
  });

  it('a new request starts with the intake check for support', () => {
    expect(tasksOnCreate()).toEqual([
      { type: 'intake_check', owner: { kind: 'role', role: 'support' }, businessDays: 1 },
    ]);
  });

  it.each(REQUEST_KINDS)('KIND-8: the planned path of %s', (kind) => {
    const path = plannedTaskPath(kind);
    expect(path).toEqual(
      kind === 'other_legal'
        ? TASK_TYPES.filter((t) => t !== 'client_discussion' && t !== 'invoice')
        : [...TASK_TYPES],
    );
  });

  it.each([
    ['authorization', 'intake_check', 15],
    ['authorization', 'client_discussion', 14],
    ['authorization', 'supervisor_review', 11],
    ['authorization', 'preparation', 8],
    ['authorization', 'release', 1],
    ['other_legal', 'intake_check', 11],
    ['other_legal', 'supervisor_review', 10],
    ['other_legal', 'invoice', 1],
  ] as const)('TIME-6: a %s request has %s onwards planned at %i business days', (kind, task, days) => {
    expect(remainingPlannedBusinessDays(kind, task)).toBe(days);
  });

  it('TIME-6: practice durations replace the defaults', () => {
    expect(
      remainingPlannedBusinessDays('authorization', 'preparation', {
        ...DEFAULT_TASK_BUSINESS_DAYS,
        preparation: 10,
      }),
    ).toBe(13);
  });
});
