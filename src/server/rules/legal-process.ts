// rule LEGAL-2: a subpoena without a court order (164.512(e)(1)(ii)-(iv)). HIPAA permits but does not
// compel the release, and state psychotherapist-patient privilege is often stricter, so release is
// unlocked only when the satisfactory-assurance checklist is met AND the privacy officer recorded how
// privilege was addressed. Pure: the commands check a checklist with it, the release gate and the
// red flags read the recorded approvals through it.
import {
  ASSURANCE_BASIS_LABELS,
  PRIVILEGE_BASIS_LABELS,
  type RecordAssuranceInput,
  type RecordPrivilegeInput,
} from '../../shared/schemas/legal.js';
import { addCalendarDays, type LocalDate } from '../../shared/time.js';

export const ASSURANCE_KIND = 'satisfactory_assurance';
export const PRIVILEGE_KIND = 'privilege_addressed';

/** Why a checklist cannot be recorded: 400 for impossible dates, 409 while the facts do not yet hold. */
export interface ChecklistProblem {
  status: 400 | 409;
  field: string;
  message: string;
}

/**
 * rule LEGAL-2: the checklist as of `today` in the practice's time zone. A due date means the end of
 * that day (TIME-1), so the client's time to object is over only from the day after the deadline.
 */
export function assuranceProblem(input: RecordAssuranceInput, today: LocalDate): ChecklistProblem | null {
  if (input.basis === 'qualified_protective_order') {
    if (input.orderDate > today) {
      return {
        status: 400,
        field: 'orderDate',
        message: `orderDate ${input.orderDate} is after today (${today}, the practice's time zone): record the qualified protective order once it is entered (LEGAL-2).`,
      };
    }
    return null;
  }
  if (input.noticeSentOn > today) {
    return {
      status: 400,
      field: 'noticeSentOn',
      message: `noticeSentOn ${input.noticeSentOn} is after today (${today}, the practice's time zone): record the notice once it was sent (LEGAL-2).`,
    };
  }
  if (input.objectionDeadline < input.noticeSentOn) {
    return {
      status: 400,
      field: 'objectionDeadline',
      message: `objectionDeadline ${input.objectionDeadline} is before noticeSentOn ${input.noticeSentOn}: the client must have time to object after the notice (LEGAL-2).`,
    };
  }
  if (input.objectionDeadline >= today) {
    return {
      status: 409,
      field: 'objectionDeadline',
      message: `The client's time to object runs until the end of ${input.objectionDeadline} (the practice's time zone): satisfactory assurance by notice can be recorded from ${addCalendarDays(input.objectionDeadline, 1)}, if no objection is pending then (LEGAL-2).`,
    };
  }
  return null;
}

/** One line for the request page: what the checklist rests on. */
export function assuranceLabel(input: RecordAssuranceInput): string {
  if (input.basis === 'qualified_protective_order') {
    return `${ASSURANCE_BASIS_LABELS.qualified_protective_order}, dated ${input.orderDate}`;
  }
  const objections =
    input.objections === 'none_filed' ? 'no objection was filed' : 'every objection was resolved';
  return `${ASSURANCE_BASIS_LABELS.notice_to_client}: notice sent ${input.noticeSentOn}, time to object ended ${input.objectionDeadline}, ${objections}`;
}

export function privilegeLabel(input: RecordPrivilegeInput): string {
  const by = PRIVILEGE_BASIS_LABELS[input.addressedBy];
  return `Psychotherapist-patient privilege addressed by ${by.charAt(0).toLowerCase()}${by.slice(1)}`;
}

/** A recorded privacy approval, as the gate and the red flags see it. */
export interface LegalApproval {
  kind: string;
  detail?: Record<string, unknown> | null;
}

export interface SubpoenaRecords {
  assurance: boolean;
  privilege: boolean;
  /** A privilege record rests only on an authorization that is revoked or no longer valid. */
  privilegeAuthorizationLapsed: boolean;
}

/**
 * What is on record for LEGAL-2. A privilege record that rests on the client's authorization counts
 * only while that authorization is valid and unrevoked (AUTH-5: a revocation blocks at once).
 */
export function subpoenaRecords(
  approvals: readonly LegalApproval[],
  usableAuthorizationIds: ReadonlySet<string>,
): SubpoenaRecords {
  const privileges = approvals.filter((a) => a.kind === PRIVILEGE_KIND);
  const counts = (a: LegalApproval) =>
    a.detail?.addressedBy !== 'client_authorization' ||
    usableAuthorizationIds.has(String(a.detail?.authorizationId));
  const privilege = privileges.some(counts);
  return {
    assurance: approvals.some((a) => a.kind === ASSURANCE_KIND),
    privilege,
    privilegeAuthorizationLapsed: !privilege && privileges.length > 0,
  };
}

/** rule LEGAL-2: the release gate's message for a subpoena, or null when both are on record. */
export function subpoenaBlockerMessage(r: SubpoenaRecords): string | null {
  if (r.assurance && r.privilege) return null;
  const missing: string[] = [];
  if (!r.assurance) {
    missing.push(
      'satisfactory assurance (written notice to the client whose time to object has passed with no unresolved objection, or a qualified protective order; 164.512(e)(1)(ii)-(iv))',
    );
  }
  if (!r.privilege) {
    missing.push(
      r.privilegeAuthorizationLapsed
        ? "the privacy officer's record of how psychotherapist-patient privilege is addressed: the authorization it relied on is revoked or no longer valid"
        : "the privacy officer's record of how psychotherapist-patient privilege was addressed (the client's authorization, a court order, or counsel's advice)",
    );
  }
  return `A subpoena without a court order is released only with ${missing.join(' and ')}. Record ${missing.length === 2 ? 'both' : 'it'} before release (LEGAL-2).`;
}
