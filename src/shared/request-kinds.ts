// Request kinds and the vocabulary of what is asked (compliance.md KIND, SCOPE-3, REL-1, TIME-1).
// Every request is classified at intake because fees, deadlines, notices and logging differ.

export const REQUEST_KINDS = [
  'client_access',
  'client_directed',
  'authorization',
  'subpoena',
  'court_order',
  'representative',
  'provider_continuity',
  'other_legal',
] as const;

export type RequestKind = (typeof REQUEST_KINDS)[number];

export type KindRuleId =
  | 'KIND-1'
  | 'KIND-2'
  | 'KIND-3'
  | 'KIND-4'
  | 'KIND-5'
  | 'KIND-6'
  | 'KIND-7'
  | 'KIND-8';

/** The rule that defines each kind. */
export const KIND_RULE_IDS: Readonly<Record<RequestKind, KindRuleId>> = {
  client_access: 'KIND-1',
  client_directed: 'KIND-2',
  authorization: 'KIND-3',
  subpoena: 'KIND-4',
  court_order: 'KIND-5',
  representative: 'KIND-6',
  provider_continuity: 'KIND-7',
  other_legal: 'KIND-8',
};

export const KIND_LABELS: Readonly<Record<RequestKind, string>> = {
  client_access: 'Client asks for their own records',
  client_directed: 'Client directs a copy to someone else',
  authorization: 'Third party with the client’s authorization',
  subpoena: 'Subpoena',
  court_order: 'Court order',
  representative: 'Parent, guardian or other representative',
  provider_continuity: 'Another provider, for treatment',
  other_legal: 'Other legal requirement',
};

export function isRequestKind(value: unknown): value is RequestKind {
  return typeof value === 'string' && (REQUEST_KINDS as readonly string[]).includes(value);
}

// rule KIND-1, KIND-2, KIND-6: the access kinds (45 CFR 164.524), with their own deadline (TIME-2),
// fee limits and review rules (REV-1, REV-2).
export const ACCESS_KINDS = [
  'client_access',
  'client_directed',
  'representative',
] as const satisfies readonly RequestKind[];

export function isAccessKind(kind: RequestKind): boolean {
  return (ACCESS_KINDS as readonly RequestKind[]).includes(kind);
}

// rule KIND-4, KIND-5: legal process that carries its own return or compliance date (TIME-5).
export function isLegalProcessKind(kind: RequestKind): boolean {
  return kind === 'subpoena' || kind === 'court_order';
}

// rule KIND-8: each subtype has its own conditions.
export const OTHER_LEGAL_SUBTYPES = [
  'required_by_law',
  'public_health_or_abuse',
  'health_oversight',
  'law_enforcement',
  'serious_threat',
] as const;

export type OtherLegalSubtype = (typeof OTHER_LEGAL_SUBTYPES)[number];

export const OTHER_LEGAL_SUBTYPE_LABELS: Readonly<Record<OtherLegalSubtype, string>> = {
  required_by_law: 'Required by law',
  public_health_or_abuse: 'Public health or abuse report',
  health_oversight: 'Health oversight or licensing board',
  law_enforcement: 'Law enforcement',
  serious_threat: 'Serious threat (duty to warn)',
};

export const DELIVERABLES = ['copy', 'letter_or_report', 'verbal'] as const;

export type Deliverable = (typeof DELIVERABLES)[number];

export const DELIVERABLE_LABELS: Readonly<Record<Deliverable, string>> = {
  copy: 'A copy of records',
  letter_or_report: 'A letter or report from the therapist',
  verbal: 'A verbal discussion',
};

// rule TIME-1: the channel a request arrived on (the legal clock starts on any channel).
export const CHANNELS = ['portal', 'email', 'fax', 'mail', 'phone', 'in_person'] as const;

export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  portal: 'Portal',
  email: 'Email',
  fax: 'Fax',
  mail: 'Mail',
  phone: 'Phone',
  in_person: 'In person',
};

// rule SCOPE-3: every document carries a class from upload.
export const DOCUMENT_CLASSES = [
  'progress_notes',
  'psychotherapy_notes',
  'assessments',
  'treatment_plans',
  'letters_and_reports',
  'billing',
  'part2',
  'third_party',
] as const;

export type DocumentClass = (typeof DOCUMENT_CLASSES)[number];

export const DOCUMENT_CLASS_LABELS: Readonly<Record<DocumentClass, string>> = {
  progress_notes: 'Progress notes',
  psychotherapy_notes: 'Psychotherapy notes',
  assessments: 'Assessments',
  treatment_plans: 'Treatment plans',
  letters_and_reports: 'Letters and reports',
  billing: 'Billing records',
  part2: 'Substance-use (Part 2) records',
  third_party: 'Records from other sources',
};

// rule REL-1: deliver in the form and format asked for when readily producible.
export const DELIVERY_FORMATS = ['secure_download', 'mail', 'pickup', 'inspection', 'fax', 'email'] as const;

export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

export const DELIVERY_FORMAT_LABELS: Readonly<Record<DeliveryFormat, string>> = {
  secure_download: 'Secure download link',
  mail: 'By mail',
  pickup: 'Pick up in person',
  inspection: 'Look at the records in person',
  fax: 'Fax',
  email: 'Email',
};
