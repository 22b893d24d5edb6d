import type { RecordAssuranceInput } from '../../shared/schemas/legal.js';
import { OPEN_STAGES, type Stage } from '../../shared/workflow.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { privacyApprovals } from '../db/schema-rules.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ComplianceDecision } from '../policies/authorizations.js';
import type { RequestFacts } from '../policies/facts.js';
import { decideRecordAssurance } from '../policies/legal.js';
import { fileOnRequest, practiceToday } from '../queries/authorizations.js';
import type { LoadedRequest } from '../queries/visible-requests.js';
import {
  ASSURANCE_KIND,
  assuranceLabel,
  assuranceProblem,
  type ChecklistProblem,
} from '../rules/legal-process.js';
import { loadForCompliance } from './record-authorization.js';

type Decide = (actor: NonNullable<Ctx['actor']>, facts: RequestFacts) => ComplianceDecision;

/**
 * rule LEGAL-2: load and lock the request through the scoped query, ask the policy (404, or 403 with
 * the reason), and make sure it is an open subpoena: a subpoena with a court order is a court order
 * (KIND-5) and needs neither record.
 */
export async function loadOpenSubpoena(ctx: Ctx, requestId: string, decide: Decide): Promise<LoadedRequest> {
  const loaded = await loadForCompliance(ctx, requestId, decide);
  const { row } = loaded;
  if (row.kind !== 'subpoena') {
    throw new ConflictError(
      `Only a subpoena without a court order needs satisfactory assurance and a privilege record; this request is of kind '${row.kind}' (LEGAL-2).`,
      { requestId, rule: 'LEGAL-2', kind: row.kind },
    );
  }
  if (!(OPEN_STAGES as readonly Stage[]).includes(row.stage as Stage)) {
    throw new ConflictError(
      `The request is ${row.stage}: legal-process records are added only while it is open (LEGAL-2).`,
      { requestId, rule: 'LEGAL-2', stage: row.stage, allowedActions: [] },
    );
  }
  return loaded;
}

/** A refused checklist: 400 naming the field for impossible dates, 409 while the facts do not hold yet. */
export function checklistError(requestId: string, p: ChecklistProblem): Error {
  if (p.status === 400)
    return new BadRequestError(p.message, [{ path: `body.${p.field}`, message: p.message }]);
  return new ConflictError(p.message, { requestId, rule: 'LEGAL-2', field: p.field });
}

/**
 * rule LEGAL-2: the satisfactory-assurance checklist of a subpoena without a court order
 * (164.512(e)(1)(ii)-(iv)): written notice to the client whose time to object has passed with no
 * unresolved objection, or a qualified protective order. Stored as a privacy approval of kind
 * 'satisfactory_assurance' with the checklist in its detail.
 */
export async function recordSatisfactoryAssurance(ctx: Ctx, requestId: string, input: RecordAssuranceInput) {
  const { row } = await loadOpenSubpoena(ctx, requestId, decideRecordAssurance);
  const today = await practiceToday(ctx, row.practiceId);
  const problem = assuranceProblem(input, today);
  if (problem) throw checklistError(row.id, problem);
  if (input.basis === 'qualified_protective_order' && input.fileId) {
    const file = await fileOnRequest(ctx, row, input.fileId);
    if (file?.purpose !== 'legal_document') {
      const message = "Not an uploaded file of purpose 'legal_document' on this request.";
      throw new BadRequestError(`fileId must name the order: ${message} (LEGAL-2)`, [
        { path: 'body.fileId', message },
      ]);
    }
  }
  const detail: Record<string, unknown> = {
    ...input,
    ...(input.basis === 'qualified_protective_order' ? { fileId: input.fileId ?? null } : {}),
    label: assuranceLabel(input),
    checkedOn: today,
  };
  const [inserted] = await ctx.tx
    .insert(privacyApprovals)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      kind: ASSURANCE_KIND,
      detail,
      approvedBy: ctx.actor!.id,
      approvedAt: ctx.now,
    })
    .returning();
  const { note: _note, label: _label, ...checklist } = detail;
  record(ctx, {
    type: 'privacy.assurance_recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: { approvalId: inserted!.id, ...checklist },
  });
  return inserted!;
}
