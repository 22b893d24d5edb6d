// What a staff member may do in general, from their roles (issue 2 "Accounts and access", rule SEC-2).
// These are role-level abilities for GET /api/me and the admin screens; what someone may do with one
// record also depends on their relationship to it and lives in src/server/policies.
import type { Role } from '../../shared/roles.js';

export const ABILITIES = [
  'manage_users',
  'manage_settings',
  'read_audit_log',
  'create_request',
  'view_all_requests',
  'break_glass',
] as const;
export type Ability = (typeof ABILITIES)[number];

const BY_ROLE: Readonly<Record<Role, readonly Ability[]>> = {
  // Admin: users and settings only, no request content unless they hold another role (SEC-2).
  admin: ['manage_users', 'manage_settings', 'read_audit_log'],
  support: ['create_request', 'view_all_requests'],
  therapist: [],
  supervisor: [],
  clinical_services: [],
  privacy_officer: ['read_audit_log', 'create_request', 'view_all_requests', 'break_glass'],
};

export function abilitiesFor(roles: readonly Role[]): Ability[] {
  const held = new Set(roles.flatMap((r) => BY_ROLE[r] ?? []));
  return ABILITIES.filter((a) => held.has(a));
}

export function hasAbility(actor: { roles: readonly Role[] } | null, ability: Ability): boolean {
  return actor !== null && abilitiesFor(actor.roles).includes(ability);
}
