import { and, eq } from 'drizzle-orm';
import type { RecordPrivilegeInput } from '../../shared/schemas/legal.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { authorizations, privacyApprovals } from '../db/schema-rules.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { decideRecordPrivilege } from '../policies/legal.js';
import { practiceToday, validate } from '../queries/authorizations.js';
import { isRevoked } from '../rules/authorization.js';
import { PRIVILEGE_KIND, privilegeLabel } from '../rules/legal-process.js';
import { loadOpenSubpoena } from './record-satisfactory-assurance.js';

/**
 * rule LEGAL-2: state psychotherapist-patient privilege is often stricter than HIPAA, so before a
 * subpoena is answered the privacy officer records how it was addressed: the client's authorization
 * (a valid, unrevoked one on this request), a court order, or counsel's advice. Stored as a privacy
 * approval of kind 'privilege_addressed'.
 */
export async function recordPrivilegeDecision(ctx: Ctx, requestId: string, input: RecordPrivilegeInput) {
  const { row } = await loadOpenSubpoena(ctx, requestId, decideRecordPrivilege);
  if (input.addressedBy === 'client_authorization') {
    const [auth] = await ctx.tx
      .select()
      .from(authorizations)
      .where(
        and(
          eq(authorizations.id, input.authorizationId),
          eq(authorizations.requestId, row.id),
          eq(authorizations.practiceId, row.practiceId),
        ),
      );
    if (!auth) {
      const message = 'Not an authorization recorded on this request.';
      throw new BadRequestError(
        `authorizationId must name the client's authorization: ${message} (LEGAL-2)`,
        [{ path: 'body.authorizationId', message }],
      );
    }
    if (isRevoked(auth, ctx.now)) {
      throw new ConflictError(
        'The client revoked this authorization: it cannot address privilege. Record a new authorization, a court order, or counsel’s advice (LEGAL-2, AUTH-5).',
        { requestId: row.id, rule: 'LEGAL-2', authorizationId: auth.id },
      );
    }
    const { validation } = validate(auth, await practiceToday(ctx, row.practiceId), ctx.now);
    if (!validation.valid) {
      const failing = validation.failures.map((f) => f.element).join(', ');
      throw new ConflictError(
        `This authorization is not valid (${failing}): it cannot address privilege. Record a complete, unexpired authorization, a court order, or counsel’s advice (LEGAL-2, AUTH-3).`,
        { requestId: row.id, rule: 'LEGAL-2', authorizationId: auth.id },
      );
    }
  }
  const [inserted] = await ctx.tx
    .insert(privacyApprovals)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      kind: PRIVILEGE_KIND,
      detail: { ...input, label: privilegeLabel(input) },
      approvedBy: ctx.actor!.id,
      approvedAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'privacy.privilege_recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      approvalId: inserted!.id,
      addressedBy: input.addressedBy,
      ...(input.addressedBy === 'client_authorization' ? { authorizationId: input.authorizationId } : {}),
    },
  });
  return inserted!;
}
