// rule REV-6: the red flags the supervisor sees as chips, each with a one-line reason.
export const RED_FLAG_CODES = [
  'psychotherapy_notes',
  'minor_client',
  'representative_unproven',
  'custody_or_litigation',
  'subpoena_without_assurance',
  'part2_material',
  'authorization_expiring',
  'identity_unverified',
  'duplicate_request',
  // added by a person
  'safety_concern',
  'relationship_concern',
  'other',
] as const;

export type RedFlagCode = (typeof RED_FLAG_CODES)[number];

/** The flags a supervisor or therapist may add by hand; the others are raised by the system. */
export const MANUAL_RED_FLAG_CODES = [
  'custody_or_litigation',
  'safety_concern',
  'relationship_concern',
  'other',
] as const;

export const RED_FLAG_LABELS: Readonly<Record<RedFlagCode, string>> = {
  psychotherapy_notes: 'Psychotherapy notes requested',
  minor_client: 'The client is a minor',
  representative_unproven: "Representative's authority not proven",
  custody_or_litigation: 'Custody or litigation context',
  subpoena_without_assurance: 'Subpoena without satisfactory assurance',
  part2_material: 'Substance-use (Part 2) material in scope',
  authorization_expiring: 'Authorization about to expire',
  identity_unverified: "Requester's identity not verified",
  duplicate_request: 'Second request for the same records',
  safety_concern: 'Safety concern',
  relationship_concern: 'Concern for the therapeutic relationship',
  other: 'Other concern',
};

export interface RedFlag {
  code: RedFlagCode;
  label: string;
  reason: string;
  source: 'system' | 'staff';
}
