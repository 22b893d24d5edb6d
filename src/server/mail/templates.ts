// The emails' words an admin may override (issue 5): the subject and text of the instructions email
// and of each requester notice, kept in the practice settings (`mailTemplates`), with placeholders
// checked on save (an unknown one is a 400 naming it) and a preview against a sample request that
// holds no client's data (REL-2, SEC-5: the preview never reads a request).
import { eq } from 'drizzle-orm';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import { record } from '../audit/record.js';
import { authorize, practiceOf } from '../commands/user-records.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { requesterLink, requestLink } from './compose.js';
import {
  DEFAULT_TEMPLATES,
  noticeValues,
  renderTemplate,
  TEMPLATE_KEYS,
  TEMPLATE_LABELS,
  TEMPLATE_PLACEHOLDERS,
  type Template,
  type TemplateKey,
  templateFor,
  unknownPlaceholders,
} from './requester-notices.js';
import { practiceContact } from './requester-thread.js';

export interface TemplateView {
  key: TemplateKey;
  label: string;
  placeholders: string[];
  default: Template;
  /** The practice's override, or null when the shipped words are used. */
  custom: Template | null;
}

export async function listTemplates(ctx: Ctx): Promise<TemplateView[]> {
  authorize(ctx, 'manage_settings');
  const { settings } = await practiceContact(ctx.tx, practiceOf(ctx));
  return TEMPLATE_KEYS.map((key) => ({
    key,
    label: TEMPLATE_LABELS[key],
    placeholders: [...TEMPLATE_PLACEHOLDERS[key]],
    default: DEFAULT_TEMPLATES[key],
    custom: settings.mailTemplates[key] ?? null,
  }));
}

/** Refuse a template with a placeholder its key does not offer, naming each one (400). */
export function assertPlaceholders(key: TemplateKey, template: Template, path: string): void {
  const unknown = unknownPlaceholders(key, template);
  if (unknown.length === 0) return;
  const names = unknown.map((n) => `{{${n}}}`).join(', ');
  const message = `Unknown placeholder ${names} in the ${TEMPLATE_LABELS[key].toLowerCase()} template. Use: ${TEMPLATE_PLACEHOLDERS[
    key
  ]
    .map((n) => `{{${n}}}`)
    .join(' ')}.`;
  throw new BadRequestError(message, [{ path, message: `Unknown placeholder ${names}.` }]);
}

/**
 * Set (a template) or clear (null: back to the shipped words) the practice's templates, key by key;
 * the keys not given keep their state. Audited with the keys changed (not the words).
 */
export async function saveTemplates(
  ctx: Ctx,
  input: Partial<Record<TemplateKey, Template | null>>,
): Promise<TemplateView[]> {
  authorize(ctx, 'manage_settings');
  const practiceId = practiceOf(ctx);
  for (const key of TEMPLATE_KEYS) {
    const t = input[key];
    if (t) assertPlaceholders(key, t, `body.${key}`);
  }
  const [row] = await ctx.tx
    .select({ settings: practices.settings })
    .from(practices)
    .where(eq(practices.id, practiceId))
    .for('update');
  const stored = (row?.settings ?? {}) as Record<string, unknown>;
  const current = { ...parsePracticeSettings(stored).mailTemplates } as Record<string, Template>;
  const changed: string[] = [];
  for (const key of TEMPLATE_KEYS) {
    if (!(key in input)) continue;
    const t = input[key];
    if (t === undefined) continue;
    if (t === null) {
      if (key in current) changed.push(key);
      delete current[key];
    } else {
      if (JSON.stringify(current[key]) !== JSON.stringify(t)) changed.push(key);
      current[key] = { subject: t.subject, text: t.text };
    }
  }
  await ctx.tx
    .update(practices)
    .set({ settings: { ...stored, mailTemplates: current } })
    .where(eq(practices.id, practiceId));
  record(ctx, { type: 'mail.templates_changed', data: { keys: changed } });
  return listTemplates(ctx);
}

/** A sample request: made-up facts only, never a real request or client (REL-2, SEC-5). */
export const SAMPLE = {
  requestNumber: 'R-2027-0042',
  requestId: '00000000-0000-4000-8000-000000000042',
  dueDate: 'Friday 26 March 2027',
  feeTotalCents: 2550,
  endStage: 'withdrawn',
  method: 'secure_download',
  clientInitials: 'A.B.',
  instructions: [
    'Release of records R-2027-0042: Client access to their own records.',
    'Stage: Request made. Legal due date: Friday 26 March 2027.',
    '',
    'Support (anyone on the team): Check that the request is complete, confirm its kind, and note how the requester’s identity was verified (VER-1).',
  ].join('\n'),
};

/** The values of a template's placeholders for the sample request, with the practice's contact details. */
export function sampleValues(
  key: TemplateKey,
  practice: { name: string; phone: string | null; email: string | null },
  publicUrl: string,
): Record<string, string> {
  const base = noticeValues({
    requestNumber: SAMPLE.requestNumber,
    practice,
    dueDate: SAMPLE.dueDate,
    link:
      key === 'instructions'
        ? requestLink(publicUrl, SAMPLE.requestId)
        : requesterLink(publicUrl, SAMPLE.requestNumber),
    feeTotalCents: SAMPLE.feeTotalCents,
    endStage: SAMPLE.endStage,
    method: SAMPLE.method,
  });
  return { ...base, instructions: SAMPLE.instructions, clientInitials: SAMPLE.clientInitials };
}

/** Render a template (as written, or the practice's current one) against the sample request. */
export async function previewTemplate(
  ctx: Ctx,
  input: { key: TemplateKey; subject?: string | undefined; text?: string | undefined },
): Promise<Template & { sample: true }> {
  authorize(ctx, 'manage_settings');
  const { contact, settings } = await practiceContact(ctx.tx, practiceOf(ctx));
  const stored = templateFor(input.key, settings.mailTemplates);
  const template = { subject: input.subject ?? stored.subject, text: input.text ?? stored.text };
  assertPlaceholders(input.key, template, 'body');
  const values = sampleValues(input.key, contact, ctx.services.config.publicUrl);
  return { ...renderTemplate(template, values), sample: true };
}
