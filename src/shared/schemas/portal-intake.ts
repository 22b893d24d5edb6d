// The public request form at /request (issue 7): the requester's five plain choices, each mapped
// onto a request kind (KIND-1…6), and only the fields that kind needs. Shared by the server (the
// edge's validation) and the portal's web form (the same rules, before anything is sent).
import { z } from 'zod';
import type { Deliverable, DeliveryFormat, DocumentClass, RequestKind } from '../request-kinds.js';

/** The five choices, in the order the form offers them. */
export const PORTAL_INTAKE_KINDS = [
  'own_records',
  'send_to_someone',
  'parent_guardian',
  'third_party',
  'legal_process',
] as const;
export type PortalIntakeKind = (typeof PORTAL_INTAKE_KINDS)[number];

export const LEGAL_DOCUMENT_KINDS = ['subpoena', 'court_order'] as const;
export type LegalDocumentKind = (typeof LEGAL_DOCUMENT_KINDS)[number];

/** rule KIND-1, KIND-2, KIND-6, KIND-3, KIND-4/KIND-5: the request kind each choice is recorded as. */
export function requestKindFor(
  kind: PortalIntakeKind,
  legalDocument?: LegalDocumentKind | null,
): RequestKind {
  switch (kind) {
    case 'own_records':
      return 'client_access';
    case 'send_to_someone':
      return 'client_directed';
    case 'parent_guardian':
      return 'representative';
    case 'third_party':
      return 'authorization';
    case 'legal_process':
      return legalDocument === 'court_order' ? 'court_order' : 'subpoena';
  }
}

/** The records a requester can name in plain words (psychotherapy notes are asked for separately by staff). */
export const PORTAL_RECORD_CLASSES = [
  'progress_notes',
  'assessments',
  'treatment_plans',
  'letters_and_reports',
  'billing',
] as const satisfies readonly DocumentClass[];

export const PORTAL_DELIVERABLES = ['copy', 'letter_or_report'] as const satisfies readonly Deliverable[];
export const PORTAL_DELIVERY_FORMATS = [
  'secure_download',
  'mail',
  'pickup',
  'inspection',
] as const satisfies readonly DeliveryFormat[];

export const PORTAL_LANGUAGES = ['en', 'es'] as const;
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number];

/** The uploads a submission may carry, by the form's field name (at most MAX_INTAKE_FILES in all). */
export const INTAKE_FILE_FIELDS = ['authorization', 'legal_document', 'id_document', 'other'] as const;
export type IntakeFileField = (typeof INTAKE_FILE_FIELDS)[number];
export const MAX_INTAKE_FILES = 5;

/** The proof-of-work: SHA-256(challenge + ":" + nonce) starts with `difficulty` zero bits. */
export const powSolutionSchema = z.object({
  challenge: z.string().min(10).max(400),
  nonce: z.string().regex(/^[0-9]{1,12}$/, 'The proof of work is malformed.'),
});
export type PowSolution = z.infer<typeof powSolutionSchema>;

export const powChallengeSchema = z.object({
  challenge: z.string(),
  difficulty: z.number().int(),
  expiresAt: z.iso.datetime(),
});
export type PowChallenge = z.infer<typeof powChallengeSchema>;

const line = (max: number) => z.string().trim().min(1, 'Required.').max(max);
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
const email = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.').max(320));
/** A honeypot: hidden from people, so anything in it came from a robot. */
const honeypot = z.string().max(200).optional();

export const intakeCodeRequestSchema = z.object({
  practiceId: z.uuid(),
  email,
  language: z.enum(PORTAL_LANGUAGES).default('en'),
  pow: powSolutionSchema,
  website: honeypot,
});
export type IntakeCodeRequest = z.input<typeof intakeCodeRequestSchema>;

export const intakeSubmissionSchema = z
  .object({
    practiceId: z.uuid(),
    kind: z.enum(PORTAL_INTAKE_KINDS),
    language: z.enum(PORTAL_LANGUAGES).default('en'),
    /** The address the code went to: where every email about the request goes. */
    email,
    code: z
      .string()
      .trim()
      .regex(/^[0-9]{6}$/, 'Enter the 6-digit code from the email.'),
    pow: powSolutionSchema,
    website: honeypot,
    /** The client whose records are asked for: matched against the practice's clients. */
    client: z.object({
      firstName: line(100),
      lastName: line(100),
      dateOfBirth: z.iso.date('Enter the date of birth as YYYY-MM-DD.'),
    }),
    /** The person asking, when not the client (a parent, a third party, the serving party). */
    requester: z
      .object({
        name: line(200),
        organization: optionalLine(200),
        relationship: optionalLine(200),
      })
      .nullish(),
    phone: optionalLine(50),
    address: optionalLine(500),
    /** Where the client wants the copy sent (KIND-2). */
    recipient: z
      .object({
        name: line(200),
        organization: optionalLine(200),
        address: optionalLine(500),
        email: z.string().trim().toLowerCase().pipe(z.email().max(320)).nullish(),
      })
      .nullish(),
    records: z.array(z.enum(PORTAL_RECORD_CLASSES)).min(1, 'Choose at least one kind of record.').max(5),
    dateFrom: z.iso.date().nullish(),
    dateTo: z.iso.date().nullish(),
    purpose: optionalLine(1000),
    deliverable: z.enum(PORTAL_DELIVERABLES).default('copy'),
    deliveryFormat: z.enum(PORTAL_DELIVERY_FORMATS).default('secure_download'),
    neededBy: z.iso.date().nullish(),
    legalDocument: z.enum(LEGAL_DOCUMENT_KINDS).nullish(),
    /** rule TIME-5: the return or compliance date on a subpoena or order. */
    documentDueDate: z.iso.date().nullish(),
  })
  .superRefine((v, ctx) => {
    const need = (cond: boolean, path: string[], message: string) => {
      if (cond) ctx.addIssue({ code: 'custom', path, message });
    };
    const selfAsking = v.kind === 'own_records' || v.kind === 'send_to_someone';
    need(!selfAsking && !v.requester, ['requester'], 'Tell us who you are.');
    need(
      selfAsking && !!v.requester,
      ['requester'],
      'Only someone asking for another person gives their own name.',
    );
    need(
      v.kind === 'send_to_someone' && !v.recipient,
      ['recipient'],
      'Tell us who should receive the records (KIND-2).',
    );
    need(
      v.kind !== 'send_to_someone' && !!v.recipient,
      ['recipient'],
      'Only a copy sent to someone else has a recipient.',
    );
    need(
      v.kind === 'parent_guardian' && !v.requester?.relationship,
      ['requester', 'relationship'],
      'Tell us how you are related to the client (KIND-6).',
    );
    need(v.kind === 'third_party' && !v.purpose, ['purpose'], 'Tell us what the records are for (AUTH-1).');
    need(
      v.kind === 'legal_process' && !v.legalDocument,
      ['legalDocument'],
      'Choose a subpoena or a court order.',
    );
    need(
      v.kind !== 'legal_process' && !!v.legalDocument,
      ['legalDocument'],
      'Only legal process has a legal document.',
    );
    need(
      v.kind === 'legal_process' && !v.documentDueDate,
      ['documentDueDate'],
      'Enter the return or compliance date from the document (TIME-5).',
    );
    need(
      !!v.dateFrom && !!v.dateTo && v.dateFrom! > v.dateTo!,
      ['dateTo'],
      'The end of the date range is before its start.',
    );
  });
export type IntakeSubmission = z.output<typeof intakeSubmissionSchema>;
export type IntakeSubmissionInput = z.input<typeof intakeSubmissionSchema>;

/** Which uploads each choice must carry (the rest are optional). */
export function requiredFiles(kind: PortalIntakeKind): IntakeFileField[] {
  if (kind === 'third_party') return ['authorization'];
  if (kind === 'legal_process') return ['legal_document'];
  return [];
}

/** Support names the real client of a request the form could not match (issue 7; VER-1 stays support's). */
export const matchPortalClientSchema = z.object({
  clientId: z.uuid(),
  /** Needed only when the client has no assigned therapist. */
  therapistId: z.uuid().nullish(),
});

export const intakeReceiptSchema = z.object({
  number: z.string(),
  practiceName: z.string(),
  email: z.string(),
  files: z.number().int(),
});
export type IntakeReceipt = z.infer<typeof intakeReceiptSchema>;

export const intakePracticeSchema = z.object({
  practiceId: z.uuid(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** Without outgoing email no code can be sent: the form says to call instead. */
  emailCodes: z.boolean(),
});
export type IntakePractice = z.infer<typeof intakePracticeSchema>;
