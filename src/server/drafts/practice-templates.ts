// The practice's own templates beside the built-in ones (issue 6, procedure step 4): an admin writes
// a title and a body with {{placeholders}} for the request's facts; a document started from one has
// them filled in, like a built-in template. Only the placeholders offered are accepted (a 400 naming
// any other), so a template cannot reach for anything else.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Deliverable } from '../../shared/request-kinds.js';
import {
  DRAFT_TEMPLATE_PLACEHOLDERS,
  DRAFT_TEMPLATES,
  type DraftKind,
  type DraftTemplateKey,
  type DraftTemplatePlaceholder,
  type DraftTemplateView,
  type PracticeTemplateView,
} from '../../shared/schemas/drafts.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { draftTemplates } from '../db/schema-drafts.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { fillTemplate, TEMPLATES, type TemplateFacts, templatesFor } from './templates.js';

type Row = typeof draftTemplates.$inferSelect;

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Which deliverables a kind of document answers: notes prepare a verbal discussion only. */
export const deliverablesOf = (kind: DraftKind): readonly Deliverable[] =>
  kind === 'verbal_notes' ? ['verbal'] : ['letter_or_report', 'copy'];

/** Every {{placeholder}} a text names that is not offered, in order, once each. */
export function unknownPlaceholders(...texts: string[]): string[] {
  const allowed = new Set<string>(DRAFT_TEMPLATE_PLACEHOLDERS);
  const unknown = texts.flatMap((t) => [...t.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
  return [...new Set(unknown.filter((n) => !allowed.has(n)))];
}

export function assertKnownPlaceholders(title: string, body: string): void {
  const unknown = unknownPlaceholders(title, body);
  if (unknown.length === 0) return;
  const message = `A template may only use these placeholders: ${DRAFT_TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}. Not known: ${unknown.map((u) => `{{${u}}}`).join(', ')}.`;
  throw new BadRequestError(message, [{ path: 'body.body', message }]);
}

const VALUES = (f: TemplateFacts): Record<DraftTemplatePlaceholder, string> => ({
  client: f.clientName,
  dateOfBirth: f.dateOfBirth,
  recipient: f.recipient,
  purpose: f.purpose,
  datesOfService: f.datesOfService,
  records: f.records,
  therapist: f.therapistName,
  practice: f.practiceName,
});

/** Fill the placeholders in one pass (a value is never read as a template itself). */
export function fillText(text: string, facts: TemplateFacts): string {
  const values = VALUES(facts) as Record<string, string>;
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

export async function practiceTemplateRows(ctx: Ctx, practiceId: string): Promise<Row[]> {
  return ctx.tx
    .select()
    .from(draftTemplates)
    .where(eq(draftTemplates.practiceId, practiceId))
    .orderBy(asc(draftTemplates.label), asc(draftTemplates.id));
}

export async function presentPracticeTemplates(ctx: Ctx, rows: Row[]): Promise<PracticeTemplateView[]> {
  const ids = [...new Set(rows.map((r) => r.updatedBy))];
  const names = ids.length
    ? new Map(
        (
          await ctx.tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
        ).map((u) => [u.id, u.name]),
      )
    : new Map<string, string>();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as DraftKind,
    label: r.label,
    description: r.description,
    title: r.title,
    body: r.body,
    active: r.active,
    updatedBy: { id: r.updatedBy, name: names.get(r.updatedBy) ?? 'Unknown' },
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** The templates a request's document may start from: the built-in ones, then the practice's own. */
export async function templatesForRequest(
  ctx: Ctx,
  practiceId: string,
  deliverable: Deliverable,
): Promise<DraftTemplateView[]> {
  const own = (await practiceTemplateRows(ctx, practiceId))
    .filter((r) => r.active && deliverablesOf(r.kind as DraftKind).includes(deliverable))
    .map((r) => ({
      key: r.id,
      builtIn: false,
      kind: r.kind as DraftKind,
      label: r.label,
      description: r.description,
    }));
  return [...templatesFor(deliverable), ...own];
}

/** Each template's name (built-in and the practice's own, active or not), by key. */
export async function templateLabels(ctx: Ctx, practiceId: string): Promise<Map<string, string>> {
  const labels = new Map<string, string>(
    (Object.entries(TEMPLATES) as [DraftTemplateKey, { label: string }][]).map(([k, t]) => [k, t.label]),
  );
  for (const r of await practiceTemplateRows(ctx, practiceId)) labels.set(r.id, r.label);
  return labels;
}

export interface ResolvedTemplate {
  kind: DraftKind;
  label: string;
  deliverables: readonly Deliverable[];
  fill(facts: TemplateFacts): { title: string; body: string };
}

/** A built-in template by key, or an active one of the practice's own by id (404 otherwise). */
export async function resolveTemplate(ctx: Ctx, practiceId: string, key: string): Promise<ResolvedTemplate> {
  if ((DRAFT_TEMPLATES as readonly string[]).includes(key)) {
    const t = TEMPLATES[key as DraftTemplateKey];
    return {
      kind: t.kind,
      label: t.label,
      deliverables: t.for,
      fill: (f) => fillTemplate(key as DraftTemplateKey, f),
    };
  }
  const [row] = await ctx.tx
    .select()
    .from(draftTemplates)
    .where(and(eq(draftTemplates.id, key), eq(draftTemplates.practiceId, practiceId)));
  if (!row) throw new NotFoundError('template', { template: key });
  if (!row.active) {
    throw new ConflictError(`The template "${row.label}" is no longer offered: choose another one.`, {
      template: key,
    });
  }
  const kind = row.kind as DraftKind;
  return {
    kind,
    label: row.label,
    deliverables: deliverablesOf(kind),
    fill: (f) => ({ title: fillText(row.title, f), body: fillText(row.body, f) }),
  };
}
