import type { z } from 'zod';
import type { recordAuthorizationSchema } from '../../shared/schemas/authorizations.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { authorizations } from '../db/schema-rules.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import type { ComplianceDecision } from '../policies/authorizations.js';
import { decideRecordCompliance } from '../policies/authorizations.js';
import type { RequestFacts } from '../policies/facts.js';
import { fileOnRequest, practiceToday, validate } from '../queries/authorizations.js';
import { findVisibleRequest, type LoadedRequest } from '../queries/visible-requests.js';
import { impossibleDates } from '../rules/authorization.js';

type Decide = (actor: NonNullable<Ctx['actor']>, facts: RequestFacts) => ComplianceDecision;

/** Load and lock the request through the scoped query, then ask the policy (404, or 403 with the reason). */
export async function loadForCompliance(
  ctx: Ctx,
  requestId: string,
  decide: Decide = decideRecordCompliance,
): Promise<LoadedRequest> {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const decision = decide(ctx.actor!, loaded.facts);
  if (!decision.allowed) {
    if (decision.status === 404) throw new NotFoundError('request', { requestId });
    throw new ForbiddenError(decision.reason, { requestId });
  }
  return loaded;
}

/** A file named on a record must be on this request (and, for an authorization's scan, of that purpose). */
export async function checkFile(
  ctx: Ctx,
  loaded: LoadedRequest,
  fileId: string | null | undefined,
  purpose?: 'authorization',
  field = 'fileId',
): Promise<void> {
  if (!fileId) return;
  const file = await fileOnRequest(ctx, loaded.row, fileId);
  if (!file || (purpose && file.purpose !== purpose)) {
    const what = purpose ? `an uploaded file of purpose '${purpose}'` : 'an uploaded file';
    throw new BadRequestError(`${field} must name ${what} on this request.`, [
      { path: `body.${field}`, message: `Not ${what} on this request.` },
    ]);
  }
}

/**
 * rule AUTH-1…AUTH-4: record the client's authorization as its structured fields. An incomplete or
 * defective form is recorded as received (its validation names each failing element and it blocks
 * release); impossible dates are refused with a 400 naming the field and the rule. rule AUTH-7: a
 * form the practice prepared (preparedByPractice, and the prepared PDF in formFileId) is not valid
 * until the signer's copy is recorded (record-signer-copy.ts).
 */
export async function recordAuthorization(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof recordAuthorizationSchema>,
) {
  const loaded = await loadForCompliance(ctx, requestId);
  const { row } = loaded;
  const today = await practiceToday(ctx, row.practiceId);
  const fields = {
    description: input.description || null,
    discloser: input.discloser || null,
    recipient: input.recipient || null,
    purpose: input.purpose || null,
    expiresOn: input.expiresOn ?? null,
    expiryEvent: input.expiryEvent || null,
    signedOn: input.signedOn ?? null,
    signerName: input.signerName || null,
    signedByRepresentative: input.signedByRepresentative,
    representativeAuthority: input.representativeAuthority || null,
    statementRevocation: input.statementRevocation,
    statementConditioning: input.statementConditioning,
    statementRedisclosure: input.statementRedisclosure,
    improperCompound: input.improperCompound,
    conditionsTreatment: input.conditionsTreatment,
    knownFalse: input.knownFalse,
    psychotherapyNotesOnly: input.psychotherapyNotesOnly,
    part2Consent: input.part2Consent,
    documentClasses: [...new Set(input.documentClasses)],
    dateFrom: input.dateFrom ?? null,
    dateTo: input.dateTo ?? null,
    fileId: input.fileId ?? null,
    preparedByPractice: input.preparedByPractice,
    formFileId: input.formFileId ?? null,
  };
  const errors = impossibleDates(fields, today);
  if (errors.length > 0) {
    throw new BadRequestError(
      `Please check the dates: ${errors.map((e) => e.message).join(' ')}`,
      errors.map((e) => ({ path: `body.${e.field}`, message: e.message })),
    );
  }
  if (fields.formFileId && !fields.preparedByPractice) {
    const message =
      "formFileId names the practice's own form: set preparedByPractice too, so the signer's copy is asked for (AUTH-7).";
    throw new BadRequestError(message, [{ path: 'body.preparedByPractice', message }]);
  }
  await checkFile(ctx, loaded, fields.fileId, 'authorization');
  await checkFile(ctx, loaded, fields.formFileId, 'authorization', 'formFileId');
  const [inserted] = await ctx.tx
    .insert(authorizations)
    .values({
      ...fields,
      practiceId: row.practiceId,
      requestId: row.id,
      clientId: row.clientId,
      createdBy: ctx.actor!.id,
      createdAt: ctx.now,
    })
    .returning();
  const validated = validate(inserted!, today, ctx.now);
  // rule SEC-5: the audit entry names the failing elements, not what the form says.
  record(ctx, {
    type: 'authorization.recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      authorizationId: inserted!.id,
      valid: validated.validation.valid,
      failingElements: validated.validation.failures.map((f) => f.element),
      psychotherapyNotesOnly: fields.psychotherapyNotesOnly,
      part2Consent: fields.part2Consent,
      preparedByPractice: fields.preparedByPractice,
    },
  });
  return validated;
}
