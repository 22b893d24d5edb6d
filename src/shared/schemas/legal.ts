// Bodies of the legal-process records on a subpoena (rule LEGAL-2): the satisfactory-assurance
// checklist of 45 CFR 164.512(e)(1)(ii)-(iv), and the privacy officer's record of how the state
// psychotherapist-patient privilege was addressed. Stored as privacy approvals.
import { z } from 'zod';

const required = (max: number) => z.string().trim().min(1, 'Required.').max(max);
const localDate = z.iso.date();

/** rule LEGAL-2: the two ways a subpoena without a court order may be answered (164.512(e)(1)(ii)). */
export const ASSURANCE_BASES = ['notice_to_client', 'qualified_protective_order'] as const;
export type AssuranceBasis = (typeof ASSURANCE_BASES)[number];

export const ASSURANCE_BASIS_LABELS: Readonly<Record<AssuranceBasis, string>> = {
  notice_to_client:
    'Written notice to the client with time to object, and no unresolved objection (164.512(e)(1)(iii))',
  qualified_protective_order: 'A qualified protective order (164.512(e)(1)(iv))',
};

export const OBJECTION_OUTCOMES = ['none_filed', 'resolved'] as const;

export const recordAssuranceSchema = z.discriminatedUnion('basis', [
  z.object({
    basis: z.literal('notice_to_client'),
    noticeSentOn: localDate.describe('When the written notice was sent to the client'),
    objectionDeadline: localDate.describe(
      "The last day to object (the practice's time zone); it must have passed",
    ),
    objections: z
      .enum(OBJECTION_OUTCOMES)
      .describe('No objection was filed, or every objection was resolved by the court'),
    note: required(4000).describe('The documentation received, and how any objection was resolved'),
  }),
  z.object({
    basis: z.literal('qualified_protective_order'),
    orderDate: localDate.describe('The date of the qualified protective order'),
    note: required(4000),
    fileId: z.uuid().nullish().describe("The order (a file of purpose 'legal_document' on this request)"),
  }),
]);

/** rule LEGAL-2: how the state psychotherapist-patient privilege was addressed. */
export const PRIVILEGE_BASES = ['client_authorization', 'court_order', 'counsel_advice'] as const;
export type PrivilegeBasis = (typeof PRIVILEGE_BASES)[number];

export const PRIVILEGE_BASIS_LABELS: Readonly<Record<PrivilegeBasis, string>> = {
  client_authorization: "The client's signed authorization",
  court_order: 'A court order',
  counsel_advice: "Counsel's advice",
};

export const recordPrivilegeSchema = z.discriminatedUnion('addressedBy', [
  z.object({
    addressedBy: z.literal('client_authorization'),
    authorizationId: z
      .uuid()
      .describe('The valid, unrevoked authorization on this request that waives the privilege'),
    note: required(4000),
  }),
  z.object({ addressedBy: z.literal('court_order'), note: required(4000) }),
  z.object({ addressedBy: z.literal('counsel_advice'), note: required(4000) }),
]);

export type RecordAssuranceInput = z.infer<typeof recordAssuranceSchema>;
export type RecordPrivilegeInput = z.infer<typeof recordPrivilegeSchema>;

/** A recorded LEGAL-2 record, as the routes answer it (the request details list it with the exceptions). */
export const legalRecordViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['satisfactory_assurance', 'privilege_addressed']),
  label: z.string().nullable(),
  note: z.string().nullable(),
  /** The checklist as recorded: basis, dates, objections, order or authorization. */
  detail: z.record(z.string(), z.unknown()),
  recordedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  recordedAt: z.string(),
});

export type LegalRecordView = z.infer<typeof legalRecordViewSchema>;
