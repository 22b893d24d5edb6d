import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import type { Actor } from './facts.js';
import {
  canBreakGlass,
  canCreateRequest,
  canManageClients,
  canManageSettings,
  canManageUsers,
  canReadAuditLog,
  canViewClient,
} from './practice.js';
import { canSeePreparationQueue } from './request.js';

const actor = (roles: Role[], active = true, practiceId = 'p1'): Actor => ({
  id: 'me',
  practiceId,
  roles,
  active,
});

const POLICIES = {
  canManageUsers: [canManageUsers, ['admin']],
  canManageSettings: [canManageSettings, ['admin']],
  canReadAuditLog: [canReadAuditLog, ['privacy_officer', 'admin']],
  canBreakGlass: [canBreakGlass, ['privacy_officer']],
  canCreateRequest: [canCreateRequest, ['support', 'privacy_officer']],
  canManageClients: [canManageClients, ['support', 'privacy_officer']],
  canSeePreparationQueue: [canSeePreparationQueue, ['clinical_services', 'support', 'privacy_officer']],
} as const satisfies Record<string, readonly [(a: Actor, practiceId?: string) => boolean, readonly Role[]]>;

describe('practice-level abilities', () => {
  const cases = Object.entries(POLICIES).flatMap(([name, [fn, roles]]) =>
    ROLES.map((role) => ({ name, fn, role, want: (roles as readonly Role[]).includes(role) })),
  );

  it.each(cases)('SEC-2: $name for $role is $want', ({ fn, role, want }) => {
    expect(fn(actor([role]))).toBe(want);
    expect(fn(actor([role], false))).toBe(false); // an inactive account can do nothing
  });

  it.each(Object.entries(POLICIES).filter(([name]) => name !== 'canSeePreparationQueue'))(
    'SEC-2: %s never reaches into another practice',
    (_name, [fn]) => {
      const all = actor([...ROLES]);
      expect(fn(all, 'p1')).toBe(true);
      expect(fn(all, 'p2')).toBe(false);
    },
  );

  it('SEC-2: a user holding several roles has the union of their abilities', () => {
    const both = actor(['admin', 'support']);
    expect(canManageUsers(both)).toBe(true);
    expect(canCreateRequest(both)).toBe(true);
    expect(canBreakGlass(both)).toBe(false);
  });
});

describe('client visibility', () => {
  const client = { practiceId: 'p1', therapistId: 't1', supervisorChainOfTherapist: ['s1', 'd1'] };
  const as = (id: string, roles: Role[], practiceId = 'p1'): Actor => ({
    id,
    practiceId,
    roles,
    active: true,
  });

  it.each([
    ['the client’s therapist', as('t1', ['therapist']), true],
    ['another therapist', as('t2', ['therapist']), false],
    ['the direct supervisor', as('s1', ['supervisor']), true],
    ['the supervisor two levels up', as('d1', ['supervisor']), true],
    ['an unrelated supervisor', as('s9', ['supervisor']), false],
    ['support', as('u1', ['support']), true],
    ['the privacy officer', as('po', ['privacy_officer']), true],
    ['an admin', as('a1', ['admin']), false],
    ['clinical services', as('c1', ['clinical_services']), false],
    ['support of another practice', as('u1', ['support'], 'p2'), false],
    ['the therapist id without the therapist role', as('t1', ['admin']), false],
  ] as const)('SEC-2: %s sees the client: %s', (_who, a, want) => {
    expect(canViewClient(a, client)).toBe(want);
  });

  it.each([
    ['support', as('u1', ['support']), true],
    ['the privacy officer', as('po', ['privacy_officer']), true],
    ['a therapist', as('t1', ['therapist']), false],
    ['a supervisor', as('s1', ['supervisor']), false],
  ] as const)('SEC-2: a client with no therapist yet is seen by %s: %s', (_who, a, want) => {
    expect(canViewClient(a, { practiceId: 'p1', therapistId: null, supervisorChainOfTherapist: [] })).toBe(
      want,
    );
  });

  it('SEC-2: an inactive therapist no longer sees their client', () => {
    expect(canViewClient({ id: 't1', practiceId: 'p1', roles: ['therapist'], active: false }, client)).toBe(
      false,
    );
  });
});
