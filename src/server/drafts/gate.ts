// What the workflow waits for from prepared documents (procedure step 4, the supervisor's Task #2):
// - approving what was prepared for a `letter_or_report` request needs every letter and report on
//   it to have an approved latest version, and for a `verbal` request approved preparation notes;
// - recording a verbal release needs approved preparation notes (what may and may not be said,
//   within the authorized scope: SCOPE-1, SCOPE-2);
// - only an approved, current version goes out: a rendering superseded by a later version is never
//   put in a packet nor released with one (REL-5).
// The rules are pure (table-tested in gate.test.ts); the asserts load the facts in the command's
// transaction and answer 409 in plain words.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Deliverable } from '../../shared/request-kinds.js';
import { DRAFT_KIND_LABELS, type DraftKind, type DraftVersionState } from '../../shared/schemas/drafts.js';
import type { Ctx } from '../context.js';
import { draftVersions } from '../db/schema-drafts.js';
import { ConflictError } from '../errors.js';
import type { RequestRow } from '../queries/visible-requests.js';
import { templateLabels } from './practice-templates.js';
import { draftsOf, versionsOf } from './queries.js';

export interface GateDraft {
  kind: DraftKind;
  /** The template's name: "Letter to a court". */
  label: string;
  /** The latest version's number and state; null when none was saved. */
  latest: { number: number; state: DraftVersionState } | null;
}

const WAITING: Readonly<Record<DraftVersionState, string>> = {
  draft: 'has not been sent to the supervisor yet',
  submitted: 'is waiting for the supervisor',
  changes_requested: 'needs the changes the supervisor asked for',
  approved: 'is approved',
};

const name = (d: GateDraft) => d.label || DRAFT_KIND_LABELS[d.kind];
const approved = (d: GateDraft) => d.latest?.state === 'approved';
const pending = (d: GateDraft) =>
  d.latest
    ? `${name(d)}: version ${d.latest.number} ${WAITING[d.latest.state]}.`
    : `${name(d)}: no version yet.`;

export const LETTER_NEEDED =
  'This request is answered with a letter or report: write it from a template under Letters & notes and have the supervisor approve it (procedure step 4).';
export const NOTES_NEEDED =
  'A verbal discussion is prepared with notes the supervisor approves (what may and may not be said, within the authorized scope: SCOPE-1): write them under Letters & notes and send them for review (procedure step 4).';

/**
 * What still stands between this request and the supervisor's approval of what was prepared, in
 * plain sentences; empty when nothing does. Procedure step 4: only an approved letter or report,
 * and only a discussion prepared with approved notes, can be released.
 */
export function outstandingDocuments(deliverable: Deliverable, drafts: readonly GateDraft[]): string[] {
  if (deliverable === 'letter_or_report') {
    const written = drafts.filter((d) => d.kind === 'letter' || d.kind === 'report');
    if (written.length === 0) return [LETTER_NEEDED];
    return written.filter((d) => !approved(d)).map(pending);
  }
  if (deliverable === 'verbal') {
    const notes = drafts.filter((d) => d.kind === 'verbal_notes');
    if (notes.some(approved)) return notes.filter((d) => !approved(d)).map(pending);
    return [NOTES_NEEDED, ...notes.map(pending)];
  }
  return [];
}

/** Procedure step 4 with REL-1: a verbal release is recorded only after its notes were approved. */
export function verbalNotesApproved(drafts: readonly GateDraft[]): boolean {
  return drafts.some((d) => d.kind === 'verbal_notes' && approved(d));
}

export async function gateDrafts(ctx: Ctx, row: RequestRow): Promise<GateDraft[]> {
  const [rows, versions] = [await draftsOf(ctx, row), await versionsOf(ctx, row)];
  const labels = await templateLabels(ctx, row.practiceId);
  return rows.map((d) => {
    const latest = versions.find((v) => v.draftId === d.id); // newest first
    return {
      kind: d.kind as DraftKind,
      label: labels.get(d.template) ?? '',
      latest: latest ? { number: latest.number, state: latest.state as DraftVersionState } : null,
    };
  });
}

/** Procedure step 4: the check `approve_preparation` runs before the request moves on (409). */
export async function assertDocumentsApproved(ctx: Ctx, row: RequestRow): Promise<void> {
  const outstanding = outstandingDocuments(row.deliverable as Deliverable, await gateDrafts(ctx, row));
  if (outstanding.length === 0) return;
  throw new ConflictError(
    `What was prepared cannot be approved yet: only an approved letter or report, or a discussion prepared with approved notes, can be released (procedure step 4). ${outstanding.join(' ')}`,
    { requestId: row.id, stage: row.stage, outstanding },
  );
}

/** Procedure step 4, REL-1: recording a verbal release needs the supervisor's approved notes (409). */
export async function assertVerbalNotesApproved(ctx: Ctx, row: RequestRow): Promise<void> {
  if (verbalNotesApproved(await gateDrafts(ctx, row))) return;
  throw new ConflictError(
    'A verbal discussion is recorded as a release only after the supervisor approved its preparation notes (what may and may not be said; procedure step 4). Nothing was recorded.',
    { requestId: row.id, stage: row.stage, rule: 'REL-1' },
  );
}

/** The renderings among `fileIds` of a letter or report version a later version superseded. */
export async function supersededRenderings(
  ctx: Ctx,
  row: Pick<RequestRow, 'id' | 'practiceId'>,
  fileIds: readonly string[],
): Promise<{ fileId: string; number: number }[]> {
  if (fileIds.length === 0) return [];
  return ctx.tx
    .select({ fileId: draftVersions.fileId, number: draftVersions.number })
    .from(draftVersions)
    .where(
      and(
        eq(draftVersions.requestId, row.id),
        eq(draftVersions.practiceId, row.practiceId),
        inArray(draftVersions.fileId, [...fileIds]),
        isNotNull(draftVersions.supersededAt),
      ),
    ) as Promise<{ fileId: string; number: number }[]>;
}

/**
 * Only the approved, current version of a letter or report goes out (procedure step 4, REL-5): a
 * packet holding a superseded version is refused (409), whoever chose it.
 */
export async function assertCurrentDocuments(
  ctx: Ctx,
  row: Pick<RequestRow, 'id' | 'practiceId'>,
  fileIds: readonly string[],
): Promise<void> {
  const old = await supersededRenderings(ctx, row, fileIds);
  if (old.length === 0) return;
  throw new ConflictError(
    `Only the approved, latest version of a letter or report can be released: ${old
      .map((o) => `version ${o.number}`)
      .join(
        ', ',
      )} was replaced by a later version. Leave it out, and use the approved latest version (procedure step 4, REL-5).`,
    { requestId: row.id, rule: 'REL-5', fileIds: old.map((o) => o.fileId) },
  );
}
