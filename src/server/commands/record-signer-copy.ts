import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { recordSignerCopySchema } from '../../shared/schemas/authorizations.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { authorizations } from '../db/schema-rules.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { namesOf, practiceToday, validate } from '../queries/authorizations.js';
import { signerCopyDateError } from '../rules/authorization.js';
import { loadForCompliance } from './record-authorization.js';

/**
 * rule AUTH-7: record that the signer of the practice's form was given a copy, how and when. Once:
 * the record is never changed (a second one is a 409 naming AUTH-7, and a trigger keeps it so). The
 * day may not be before the signature nor in the future (400 naming the field and the rule). Same
 * standing as recording the authorization.
 */
export async function recordSignerCopy(
  ctx: Ctx,
  requestId: string,
  authorizationId: string,
  input: z.infer<typeof recordSignerCopySchema>,
) {
  const { row } = await loadForCompliance(ctx, requestId);
  const [auth] = await ctx.tx
    .select()
    .from(authorizations)
    .where(
      and(
        eq(authorizations.id, authorizationId),
        eq(authorizations.requestId, row.id),
        eq(authorizations.practiceId, row.practiceId),
      ),
    )
    .for('update');
  if (!auth) throw new NotFoundError('authorization', { requestId, authorizationId });
  if (auth.signerCopyGivenOn) {
    throw new ConflictError(
      `The signer's copy is already recorded (${auth.signerCopyMethod}, ${auth.signerCopyGivenOn}); it is never changed (AUTH-7).`,
      { requestId, authorizationId, rule: 'AUTH-7' },
    );
  }
  const today = await practiceToday(ctx, row.practiceId);
  const error = signerCopyDateError(input.givenOn, auth.signedOn, today);
  if (error) throw new BadRequestError(error, [{ path: 'body.givenOn', message: error }]);

  const [updated] = await ctx.tx
    .update(authorizations)
    .set({ signerCopyMethod: input.method, signerCopyGivenOn: input.givenOn })
    .where(eq(authorizations.id, auth.id))
    .returning();
  const validated = validate(updated!, today, ctx.now);
  record(ctx, {
    type: 'authorization.signer_copy_recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      authorizationId: auth.id,
      method: input.method,
      givenOn: input.givenOn,
      preparedByPractice: auth.preparedByPractice,
      valid: validated.validation.valid,
    },
  });
  return {
    authorization: validated,
    people: await namesOf(
      ctx,
      row.practiceId,
      [auth.createdBy, auth.revokedBy].filter((x): x is string => !!x),
    ),
  };
}
