// The form's steps for each choice (one question per screen), the answers it keeps, and the
// submission it sends. Pure: the pages render the steps, this decides which ones and what they send.
import type {
  IntakeFileField,
  IntakeSubmissionInput,
  LegalDocumentKind,
  PortalIntakeKind,
  PowSolution,
} from '../../../shared/schemas/portal-intake';
import { PORTAL_RECORD_CLASSES, requiredFiles } from '../../../shared/schemas/portal-intake';

export type StepId =
  | 'choice'
  | 'requester'
  | 'client'
  | 'recipient'
  | 'records'
  | 'purpose'
  | 'legal'
  | 'delivery'
  | 'documents'
  | 'email'
  | 'code';

/** The screens before the confirmation, in order, for a choice (the choice screen first). */
export function stepsFor(kind: PortalIntakeKind | null): StepId[] {
  if (!kind) return ['choice'];
  const steps: StepId[] = ['choice'];
  const selfAsking = kind === 'own_records' || kind === 'send_to_someone';
  if (!selfAsking) steps.push('requester');
  steps.push('client');
  if (kind === 'send_to_someone') steps.push('recipient');
  steps.push('records');
  if (kind === 'third_party') steps.push('purpose');
  if (kind === 'legal_process') steps.push('legal');
  if (kind !== 'legal_process') steps.push('delivery');
  if (kind !== 'own_records' && kind !== 'send_to_someone') steps.push('documents');
  steps.push('email', 'code');
  return steps;
}

export type RecordClass = (typeof PORTAL_RECORD_CLASSES)[number];
export type DeliveryFormat = 'secure_download' | 'mail' | 'pickup' | 'inspection';

export interface Answers {
  kind: PortalIntakeKind | null;
  requesterName: string;
  organization: string;
  relationship: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  recipientName: string;
  recipientOrganization: string;
  recipientAddress: string;
  recipientEmail: string;
  records: RecordClass[];
  dateFrom: string;
  dateTo: string;
  purpose: string;
  legalDocument: LegalDocumentKind | null;
  documentDueDate: string;
  deliveryFormat: DeliveryFormat;
  email: string;
  phone: string;
  code: string;
  /** The honeypot: a hidden field people never see, so it stays empty. */
  website: string;
}

export const EMPTY_ANSWERS: Answers = {
  kind: null,
  requesterName: '',
  organization: '',
  relationship: '',
  firstName: '',
  lastName: '',
  dateOfBirth: '',
  recipientName: '',
  recipientOrganization: '',
  recipientAddress: '',
  recipientEmail: '',
  records: [...PORTAL_RECORD_CLASSES],
  dateFrom: '',
  dateTo: '',
  purpose: '',
  legalDocument: null,
  documentDueDate: '',
  deliveryFormat: 'secure_download',
  email: '',
  phone: '',
  code: '',
  website: '',
};

export type Files = Partial<Record<IntakeFileField, File>>;

/** Which documents the documents screen offers for a choice, required ones first. */
export function documentFields(kind: PortalIntakeKind): { field: IntakeFileField; required: boolean }[] {
  const required = requiredFiles(kind);
  const offered: IntakeFileField[] =
    kind === 'third_party'
      ? ['authorization', 'id_document', 'other']
      : kind === 'legal_process'
        ? ['legal_document', 'other']
        : ['id_document', 'other'];
  return offered.map((field) => ({ field, required: required.includes(field) }));
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

export function submission(
  practiceId: string,
  language: 'en' | 'es',
  a: Answers,
  pow: PowSolution,
): IntakeSubmissionInput {
  const kind = a.kind!;
  const selfAsking = kind === 'own_records' || kind === 'send_to_someone';
  return {
    practiceId,
    kind,
    language,
    email: a.email.trim(),
    code: a.code.trim(),
    pow,
    website: a.website,
    client: { firstName: a.firstName.trim(), lastName: a.lastName.trim(), dateOfBirth: a.dateOfBirth },
    requester: selfAsking
      ? null
      : {
          name: a.requesterName.trim(),
          organization: orNull(a.organization),
          relationship: orNull(a.relationship),
        },
    phone: orNull(a.phone),
    recipient:
      kind === 'send_to_someone'
        ? {
            name: a.recipientName.trim(),
            organization: orNull(a.recipientOrganization),
            address: orNull(a.recipientAddress),
            email: orNull(a.recipientEmail),
          }
        : null,
    records: a.records,
    dateFrom: orNull(a.dateFrom),
    dateTo: orNull(a.dateTo),
    purpose: orNull(a.purpose),
    deliveryFormat: kind === 'legal_process' ? 'secure_download' : a.deliveryFormat,
    legalDocument: kind === 'legal_process' ? a.legalDocument : null,
    documentDueDate: kind === 'legal_process' ? orNull(a.documentDueDate) : null,
  };
}
