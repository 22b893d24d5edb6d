// Staff roles (issue 2, "The domain"). A user holds one or more of them; access follows the
// relationship to the request as well as the role (rule SEC-2, see server/policies).

export const ROLES = [
  'admin',
  'support',
  'therapist',
  'supervisor',
  'clinical_services',
  'privacy_officer',
] as const;

export type Role = (typeof ROLES)[number];

/** Plain-language names for screens. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  support: 'Support team',
  therapist: 'Therapist',
  supervisor: 'Supervisor',
  clinical_services: 'Clinical services',
  privacy_officer: 'Privacy officer',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
