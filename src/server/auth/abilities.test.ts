import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/roles.js';
import { abilitiesFor, hasAbility } from './abilities.js';

describe('role abilities (SEC-2)', () => {
  it.each([
    ['admin', ['manage_users', 'manage_settings', 'read_audit_log']],
    ['support', ['create_request', 'view_all_requests']],
    ['therapist', []],
    ['supervisor', []],
    ['clinical_services', []],
    ['privacy_officer', ['read_audit_log', 'create_request', 'view_all_requests', 'break_glass']],
  ] as const)('%s may %j', (role, expected) => {
    expect(abilitiesFor([role])).toEqual(expected);
  });

  it('SEC-2: only admins manage users; several roles add up without repeats', () => {
    for (const role of ROLES) expect(hasAbility({ roles: [role] }, 'manage_users')).toBe(role === 'admin');
    expect(abilitiesFor(['admin', 'privacy_officer', 'admin'])).toEqual([
      'manage_users',
      'manage_settings',
      'read_audit_log',
      'create_request',
      'view_all_requests',
      'break_glass',
    ]);
    expect(hasAbility(null, 'read_audit_log')).toBe(false);
  });
});
