// An admin adds or edits one of the practice's own templates for letters, reports and notes (issue
// 6, procedure step 4): admin only (403), unknown {{placeholders}} refused (400 naming them), the
// template saved and audited (its name and kind, never anything of a client), one transaction.
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { PracticeTemplateView, practiceTemplateSchema } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftTemplates } from '../db/schema-drafts.js';
import { assertKnownPlaceholders, presentPracticeTemplates } from '../drafts/practice-templates.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { canManageSettings } from '../policies/practice.js';

export const TEMPLATES_REFUSED = 'Only an administrator can add or change the practice’s templates.';

export async function saveDraftTemplate(
  ctx: Ctx,
  input: z.infer<typeof practiceTemplateSchema>,
  templateId?: string,
): Promise<PracticeTemplateView> {
  const actor = ctx.actor!;
  if (!canManageSettings(actor, actor.practiceId)) throw new ForbiddenError(TEMPLATES_REFUSED);
  assertKnownPlaceholders(input.title, input.body);
  const values = { ...input, updatedBy: actor.id, updatedAt: ctx.now };
  let row: typeof draftTemplates.$inferSelect | undefined;
  if (templateId) {
    [row] = await ctx.tx
      .update(draftTemplates)
      .set(values)
      .where(and(eq(draftTemplates.id, templateId), eq(draftTemplates.practiceId, actor.practiceId)))
      .returning();
    if (!row) throw new NotFoundError('template', { templateId });
  } else {
    [row] = await ctx.tx
      .insert(draftTemplates)
      .values({ ...values, practiceId: actor.practiceId, createdAt: ctx.now })
      .returning();
  }
  record(ctx, {
    type: 'draft.template_saved',
    data: {
      templateId: row!.id,
      kind: row!.kind,
      label: row!.label,
      active: row!.active,
      created: !templateId,
    },
  });
  return (await presentPracticeTemplates(ctx, [row!]))[0]!;
}
