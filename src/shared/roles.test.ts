import { describe, expect, it } from 'vitest';
import { isRole, ROLE_LABELS, ROLES } from './roles.js';

describe('roles', () => {
  it('lists the six roles of the domain in order', () => {
    expect(ROLES).toEqual([
      'admin',
      'support',
      'therapist',
      'supervisor',
      'clinical_services',
      'privacy_officer',
    ]);
  });

  it.each(ROLES)('has a plain label for %s', (role) => {
    expect(ROLE_LABELS[role]).toMatch(/^[A-Z][a-z ]+$/);
  });

  it.each([
    ['support', true],
    ['privacy_officer', true],
    ['Support', false],
    ['root', false],
    ['', false],
    [undefined, false],
    [3, false],
  ])('isRole(%j) is %s', (value, expected) => {
    expect(isRole(value)).toBe(expected);
  });
});
