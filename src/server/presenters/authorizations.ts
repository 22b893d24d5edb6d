// What staff see of a request's compliance records: each authorization with its validation (every
// failing element by name, AUTH-1…AUTH-4, AUTH-7) and the record of the signer's copy, the
// verifications (VER-1, REP-1), the privacy officer's psychotherapy-notes exceptions (AUTH-4), and
// the release blockers with what to do.
import {
  type AuthorizationView,
  type ComplianceAbility,
  type ExceptionView,
  PROOF_KIND_LABELS,
  type ProofKind,
  type ReleaseBlocker,
  type SignerCopyMethod,
  type VerificationView,
} from '../../shared/schemas/authorizations.js';
import type { Actor } from '../context.js';
import { complianceAbilities } from '../policies/authorizations.js';
import type { RequestFacts } from '../policies/facts.js';
import { legalAbilities } from '../policies/legal.js';
import type {
  ApprovalRow,
  Compliance,
  ValidatedAuthorization,
  VerificationRow,
} from '../queries/authorizations.js';

type People = ReadonlyMap<string, string>;

function person(people: People, id: string | null) {
  return id ? { id, name: people.get(id) ?? 'Former staff member' } : null;
}

export function presentAuthorization(a: ValidatedAuthorization, people: People): AuthorizationView {
  const r = a.row;
  return {
    id: r.id,
    description: r.description,
    discloser: r.discloser,
    recipient: r.recipient,
    purpose: r.purpose,
    expiresOn: r.expiresOn,
    expiryEvent: r.expiryEvent,
    signedOn: r.signedOn,
    signerName: r.signerName,
    signedByRepresentative: r.signedByRepresentative,
    representativeAuthority: r.representativeAuthority,
    statementRevocation: r.statementRevocation,
    statementConditioning: r.statementConditioning,
    statementRedisclosure: r.statementRedisclosure,
    improperCompound: r.improperCompound,
    conditionsTreatment: r.conditionsTreatment,
    knownFalse: r.knownFalse,
    psychotherapyNotesOnly: r.psychotherapyNotesOnly,
    part2Consent: r.part2Consent,
    documentClasses: r.documentClasses,
    dateFrom: r.dateFrom,
    dateTo: r.dateTo,
    fileId: r.fileId,
    preparedByPractice: r.preparedByPractice,
    formFileId: r.formFileId,
    signerCopy:
      r.signerCopyMethod && r.signerCopyGivenOn
        ? { method: r.signerCopyMethod as SignerCopyMethod, givenOn: r.signerCopyGivenOn }
        : null,
    recordedBy: person(people, r.createdBy),
    recordedAt: r.createdAt.toISOString(),
    revocation: r.revocationReceivedAt
      ? {
          receivedAt: r.revocationReceivedAt.toISOString(),
          by: person(people, r.revokedBy),
          note: r.revocationNote,
        }
      : null,
    valid: a.validation.valid,
    failures: a.validation.failures,
  };
}

export function presentVerification(v: VerificationRow, people: People): VerificationView {
  return {
    id: v.id,
    subject: v.subject as VerificationView['subject'],
    method: v.method,
    proofKind: v.proofKind,
    proofKindLabel: v.proofKind ? (PROOF_KIND_LABELS[v.proofKind as ProofKind] ?? v.proofKind) : null,
    fileId: v.fileId,
    notes: v.notes,
    verifiedBy: person(people, v.verifiedBy),
    verifiedAt: v.verifiedAt.toISOString(),
  };
}

const detailText = (detail: Record<string, unknown>, key: string): string | null =>
  typeof detail[key] === 'string' ? detail[key] : null;

export function presentException(a: ApprovalRow, people: People): ExceptionView {
  return {
    id: a.id,
    kind: a.kind,
    exception: detailText(a.detail, 'exception'),
    label: detailText(a.detail, 'label'),
    note: detailText(a.detail, 'note'),
    approvedBy: person(people, a.approvedBy),
    approvedAt: a.approvedAt.toISOString(),
  };
}

/** The approvals listed with the exceptions: AUTH-4's, and a subpoena's LEGAL-2 records. */
const SHOWN_APPROVALS = new Set(['psychotherapy_notes', 'satisfactory_assurance', 'privilege_addressed']);

export interface ComplianceDetails {
  authorizations: AuthorizationView[];
  verifications: VerificationView[];
  exceptions: ExceptionView[];
  releaseBlockers: ReleaseBlocker[];
  complianceAbilities: ComplianceAbility[];
}

/**
 * The part of the request details about these records. `extra.compliance` is loaded with the other
 * extras (queries/request-details.ts); without it the lists are empty.
 */
export function presentComplianceDetails(
  actor: Actor,
  facts: RequestFacts,
  extra: { breakGlassUntil: Date | null; compliance?: Compliance },
): ComplianceDetails {
  const c = extra.compliance;
  return {
    authorizations: c ? c.authorizations.map((a) => presentAuthorization(a, c.people)) : [],
    verifications: c ? c.verifications.map((v) => presentVerification(v, c.people)) : [],
    exceptions: c
      ? c.approvals.filter((a) => SHOWN_APPROVALS.has(a.kind)).map((a) => presentException(a, c.people))
      : [],
    releaseBlockers: c?.releaseBlockers ?? [],
    complianceAbilities: [...complianceAbilities(actor, facts), ...legalAbilities(actor, facts)],
  };
}
