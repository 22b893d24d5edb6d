// Bodies and views of the compliance records on a request: the client's authorization as structured
// fields (AUTH-1…AUTH-4), its revocation (AUTH-5), the practice's own form and the signer's copy
// (AUTH-7), how identity and authority were verified (VER-1, REP-1), the privacy officer's
// psychotherapy-notes exceptions (AUTH-4), and what blocks release.
import { z } from 'zod';
import { DOCUMENT_CLASSES } from '../request-kinds.js';

const text = (max: number) => z.string().trim().max(max).nullish();
const required = (max: number) => z.string().trim().min(1, 'Required.').max(max);
const localDate = z.iso.date();

/**
 * rule AUTH-1…AUTH-4: the form as received. Elements may be missing (the validation result names
 * each one); only impossible dates are refused at once.
 */
export const recordAuthorizationSchema = z.object({
  description: text(2000).describe('A specific description of the information (AUTH-1)'),
  discloser: text(500).describe('Who may disclose (AUTH-1)'),
  recipient: text(500).describe('Who receives it (AUTH-1)'),
  purpose: text(1000).describe('Each purpose; "at the request of the individual" suffices (AUTH-1)'),
  expiresOn: localDate.nullish().describe('The expiration date (AUTH-1), or give expiryEvent'),
  expiryEvent: text(500).describe('The expiration event (AUTH-1), or give expiresOn'),
  signedOn: localDate.nullish().describe('The date of the signature (AUTH-1)'),
  signerName: text(300).describe('Who signed (AUTH-1)'),
  signedByRepresentative: z.boolean().default(false),
  representativeAuthority: text(1000).describe("The representative's authority, when one signed (AUTH-1)"),
  statementRevocation: z
    .boolean()
    .default(false)
    .describe('The right to revoke in writing, and how (AUTH-2)'),
  statementConditioning: z
    .boolean()
    .default(false)
    .describe('Whether treatment may be conditioned on signing (AUTH-2)'),
  statementRedisclosure: z
    .boolean()
    .default(false)
    .describe('That the recipient may redisclose it and protection may be lost (AUTH-2)'),
  improperCompound: z.boolean().default(false).describe('An improper compound authorization (AUTH-3)'),
  conditionsTreatment: z.boolean().default(false).describe('It conditions treatment on signing (AUTH-3)'),
  knownFalse: z.boolean().default(false).describe('Known to be materially false (AUTH-3)'),
  psychotherapyNotesOnly: z
    .boolean()
    .default(false)
    .describe('An authorization for psychotherapy notes only (AUTH-4)'),
  part2Consent: z.boolean().default(false).describe("The patient's written Part 2 consent (LEGAL-3)"),
  documentClasses: z.array(z.enum(DOCUMENT_CLASSES)).max(DOCUMENT_CLASSES.length).default([]),
  dateFrom: localDate.nullish(),
  dateTo: localDate.nullish(),
  fileId: z
    .uuid()
    .nullish()
    .describe("The uploaded scan (a file of purpose 'authorization' on this request)"),
  preparedByPractice: z
    .boolean()
    .default(false)
    .describe("Signed on the form the practice prepared: the signer's copy must then be recorded (AUTH-7)"),
  formFileId: z
    .uuid()
    .nullish()
    .describe(
      "The practice's prepared form it was signed on (a file of purpose 'authorization' on this request; AUTH-7)",
    ),
});

/** rule AUTH-7: how the signer of the practice's form was given their copy. */
export const SIGNER_COPY_METHODS = ['email', 'mail', 'in_person', 'portal'] as const;
export type SignerCopyMethod = (typeof SIGNER_COPY_METHODS)[number];

export const recordSignerCopySchema = z.object({
  method: z.enum(SIGNER_COPY_METHODS),
  givenOn: localDate.describe(
    'The day the signer was given the copy: not before the signature, not in the future (AUTH-7)',
  ),
});

/**
 * rule AUTH-7: the practice's plain-language form, pre-filled from the request. The expiry is a date
 * or an event (default: one year after the client signs); psychotherapy notes get a form of their
 * own (AUTH-4).
 */
export const prepareAuthorizationFormSchema = z.object({
  expiresOn: localDate.nullish().describe('The day the permission ends (AUTH-1), or give expiryEvent'),
  expiryEvent: text(300).describe('The event that ends the permission, in plain words (AUTH-1)'),
  purpose: text(500).describe("The purpose in plain words (default: the request's purpose)"),
  psychotherapyNotesOnly: z
    .boolean()
    .default(false)
    .describe('A separate form for psychotherapy notes only (AUTH-4)'),
});

/** rule AUTH-5: effective from receipt, in writing. */
export const recordRevocationSchema = z.object({
  receivedAt: z.iso.datetime({ offset: true }).describe('When the written revocation was received'),
  note: required(2000),
});

export const VERIFICATION_SUBJECTS = ['identity', 'authority'] as const;

/** rule REP-1: the proof of a representative's (or third party's) authority. */
export const PROOF_KINDS = [
  'custody_order',
  'guardianship',
  'power_of_attorney',
  'executor_letters',
  'birth_certificate',
  'other_document',
] as const;

export type ProofKind = (typeof PROOF_KINDS)[number];

export const PROOF_KIND_LABELS: Readonly<Record<ProofKind, string>> = {
  custody_order: 'Custody order',
  guardianship: 'Guardianship papers',
  power_of_attorney: 'Power of attorney',
  executor_letters: 'Letters of an executor or administrator',
  birth_certificate: 'Birth certificate (a parent of a minor)',
  other_document: 'Another document proving authority',
};

/** rule VER-1: the method is free text; who verified and when come from the caller and the clock. */
export const recordVerificationSchema = z.object({
  subject: z.enum(VERIFICATION_SUBJECTS),
  method: required(500),
  proofKind: z.enum(PROOF_KINDS).nullish(),
  fileId: z.uuid().nullish(),
  notes: text(2000),
});

/**
 * rule AUTH-4: the narrow cases of 45 CFR 164.508(a)(2) in which psychotherapy notes may be used or
 * disclosed without the client's authorization, each only with the privacy officer's approval.
 */
export const PSYCHOTHERAPY_NOTE_EXCEPTIONS = [
  'originator_treatment',
  'training_program',
  'defend_legal_action',
  'hhs_compliance_review',
  'required_by_law',
  'oversight_of_originator',
  'coroner_or_medical_examiner',
  'serious_threat',
] as const;

export type PsychotherapyNoteException = (typeof PSYCHOTHERAPY_NOTE_EXCEPTIONS)[number];

export const PSYCHOTHERAPY_NOTE_EXCEPTION_LABELS: Readonly<Record<PsychotherapyNoteException, string>> = {
  originator_treatment:
    'Used by the therapist who wrote the notes, to treat the client (164.508(a)(2)(i)(A))',
  training_program:
    'The practice’s supervised training program for mental-health students or staff (164.508(a)(2)(i)(B))',
  defend_legal_action: 'To defend the practice in a legal action the client brought (164.508(a)(2)(i)(C))',
  hhs_compliance_review: 'HHS investigating the practice’s compliance (164.502(a)(2)(ii))',
  required_by_law: 'Required by law, such as a court order that expressly compels them (164.512(a))',
  oversight_of_originator: 'Health oversight of the therapist who wrote the notes (164.512(d))',
  coroner_or_medical_examiner: 'A coroner or medical examiner (164.512(g)(1))',
  serious_threat: 'To prevent or lessen a serious and imminent threat to health or safety (164.512(j)(1)(i))',
};

export const recordExceptionSchema = z.object({
  kind: z.literal('psychotherapy_notes'),
  exception: z.enum(PSYCHOTHERAPY_NOTE_EXCEPTIONS),
  note: required(4000),
});

// Views (the response schemas of the routes and of the request details).

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const validationFailureSchema = z.object({
  element: z.string(),
  rule: z.string(),
  message: z.string(),
});

export const authorizationViewSchema = z.object({
  id: z.string(),
  description: z.string().nullable(),
  discloser: z.string().nullable(),
  recipient: z.string().nullable(),
  purpose: z.string().nullable(),
  expiresOn: z.string().nullable(),
  expiryEvent: z.string().nullable(),
  signedOn: z.string().nullable(),
  signerName: z.string().nullable(),
  signedByRepresentative: z.boolean(),
  representativeAuthority: z.string().nullable(),
  statementRevocation: z.boolean(),
  statementConditioning: z.boolean(),
  statementRedisclosure: z.boolean(),
  improperCompound: z.boolean(),
  conditionsTreatment: z.boolean(),
  knownFalse: z.boolean(),
  psychotherapyNotesOnly: z.boolean(),
  part2Consent: z.boolean(),
  documentClasses: z.array(z.string()),
  dateFrom: z.string().nullable(),
  dateTo: z.string().nullable(),
  fileId: z.string().nullable(),
  preparedByPractice: z.boolean(),
  formFileId: z.string().nullable(),
  /** rule AUTH-7: how and when the signer was given their copy (null until recorded). */
  signerCopy: z.object({ method: z.enum(SIGNER_COPY_METHODS), givenOn: z.string() }).nullable(),
  recordedBy: person,
  recordedAt: z.string(),
  revocation: z.object({ receivedAt: z.string(), by: person, note: z.string().nullable() }).nullable(),
  valid: z.boolean(),
  failures: z.array(validationFailureSchema),
});

/** rule AUTH-7: the prepared form (a stored file) and what to record once the client signs it. */
export const authorizationFormViewSchema = z.object({
  file: z.object({
    id: z.string(),
    name: z.string(),
    purpose: z.literal('authorization'),
    contentType: z.literal('application/pdf'),
    size: z.number().int(),
    sha256: z.string(),
    createdAt: z.string(),
  }),
  /** The files route that downloads it (audited). */
  downloadUrl: z.string(),
  /** The body of POST …/authorizations once signed, less the signer's name and the date. */
  prefill: z.object({
    description: z.string(),
    discloser: z.string(),
    recipient: z.string(),
    purpose: z.string(),
    expiresOn: z.string().nullable(),
    expiryEvent: z.string().nullable(),
    statementRevocation: z.boolean(),
    statementConditioning: z.boolean(),
    statementRedisclosure: z.boolean(),
    psychotherapyNotesOnly: z.boolean(),
    documentClasses: z.array(z.string()),
    dateFrom: z.string().nullable(),
    dateTo: z.string().nullable(),
    preparedByPractice: z.literal(true),
    formFileId: z.string(),
  }),
});
export type AuthorizationFormView = z.infer<typeof authorizationFormViewSchema>;

export const verificationViewSchema = z.object({
  id: z.string(),
  subject: z.enum(VERIFICATION_SUBJECTS),
  method: z.string(),
  proofKind: z.string().nullable(),
  proofKindLabel: z.string().nullable(),
  fileId: z.string().nullable(),
  notes: z.string().nullable(),
  verifiedBy: person,
  verifiedAt: z.string(),
});

export const exceptionViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  exception: z.string().nullable(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  approvedBy: person,
  approvedAt: z.string(),
});

export const releaseBlockerSchema = z.object({ rule: z.string(), message: z.string() });

export const COMPLIANCE_ABILITIES = [
  'record_authorization',
  'prepare_authorization_form',
  'record_verification',
  'approve_exception',
  // rule LEGAL-2: a subpoena's checklist (support, privacy officer) and privilege record (privacy officer)
  'record_satisfactory_assurance',
  'record_privilege',
] as const;

export type ComplianceAbility = (typeof COMPLIANCE_ABILITIES)[number];

/** What the request details carry about authorizations, verifications and release blockers. */
export const complianceDetailsShape = {
  authorizations: z.array(authorizationViewSchema),
  verifications: z.array(verificationViewSchema),
  exceptions: z.array(exceptionViewSchema),
  /** Why the Release button is disabled: each rule and what to do (empty when nothing blocks). */
  releaseBlockers: z.array(releaseBlockerSchema),
  complianceAbilities: z.array(z.enum(COMPLIANCE_ABILITIES)),
};

export type AuthorizationView = z.infer<typeof authorizationViewSchema>;
export type VerificationView = z.infer<typeof verificationViewSchema>;
export type ExceptionView = z.infer<typeof exceptionViewSchema>;
export type ReleaseBlocker = z.infer<typeof releaseBlockerSchema>;
