// Reads of a request's compliance records: its authorizations (each with its validation as of now),
// verifications, the privacy officer's approvals, and the release blockers computed from them. The
// caller has already loaded the request through the scoped query (visible-requests.ts).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { ReleaseBlocker } from '../../shared/schemas/authorizations.js';
import { type LocalDate, localDate } from '../../shared/time.js';
import type { Ctx } from '../context.js';
import { files, practices, users } from '../db/schema.js';
import { authorizations, privacyApprovals, verifications } from '../db/schema-rules.js';
import { type AuthorizationValidation, isRevoked, validateAuthorization } from '../rules/authorization.js';
import { releaseBlockers, scopeClasses } from '../rules/release-gate.js';
import { effectiveScope } from '../rules/scope.js';
import type { RequestRow } from './visible-requests.js';

export type AuthorizationRow = typeof authorizations.$inferSelect;
export type VerificationRow = typeof verifications.$inferSelect;
export type ApprovalRow = typeof privacyApprovals.$inferSelect;

export interface ValidatedAuthorization {
  row: AuthorizationRow;
  validation: AuthorizationValidation;
}

export interface Compliance {
  today: LocalDate;
  authorizations: ValidatedAuthorization[];
  verifications: VerificationRow[];
  approvals: ApprovalRow[];
  releaseBlockers: ReleaseBlocker[];
  /** Names of the staff the records mention. */
  people: Map<string, string>;
}

export async function practiceToday(ctx: Ctx, practiceId: string): Promise<LocalDate> {
  const [p] = await ctx.tx
    .select({ tz: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return localDate(ctx.now, p?.tz ?? 'UTC');
}

export function validate(row: AuthorizationRow, today: LocalDate, now: Date): ValidatedAuthorization {
  return { row, validation: validateAuthorization(row, { today, now }) };
}

/** Everything the release gate and the request details need, read in the caller's transaction. */
export async function loadCompliance(ctx: Ctx, row: RequestRow): Promise<Compliance> {
  const today = await practiceToday(ctx, row.practiceId);
  const authRows = await ctx.tx
    .select()
    .from(authorizations)
    .where(and(eq(authorizations.practiceId, row.practiceId), eq(authorizations.requestId, row.id)))
    .orderBy(asc(authorizations.createdAt), asc(authorizations.id));
  const verificationRows = await ctx.tx
    .select()
    .from(verifications)
    .where(and(eq(verifications.practiceId, row.practiceId), eq(verifications.requestId, row.id)))
    .orderBy(asc(verifications.verifiedAt), asc(verifications.id));
  const approvalRows = await ctx.tx
    .select()
    .from(privacyApprovals)
    .where(and(eq(privacyApprovals.practiceId, row.practiceId), eq(privacyApprovals.requestId, row.id)))
    .orderBy(asc(privacyApprovals.approvedAt), asc(privacyApprovals.id));
  const validated = authRows.map((a) => validate(a, today, ctx.now));
  // rule SCOPE-1: the prepared records (purpose 'record'), checked against the authorized scope.
  const recordFiles = await ctx.tx
    .select({
      name: files.name,
      documentClass: files.documentClass,
      dateFrom: files.dateFrom,
      dateTo: files.dateTo,
    })
    .from(files)
    .where(
      and(eq(files.practiceId, row.practiceId), eq(files.requestId, row.id), eq(files.purpose, 'record')),
    )
    .orderBy(asc(files.createdAt), asc(files.name), asc(files.id));
  const blockers = releaseBlockers({
    kind: row.kind as RequestKind,
    kindSubtype: row.kindSubtype,
    documentClasses: scopeClasses(row),
    authorizations: validated.map((a) => ({
      ...a.validation,
      id: a.row.id,
      psychotherapyNotesOnly: a.row.psychotherapyNotesOnly,
      part2Consent: a.row.part2Consent,
      revoked: isRevoked(a.row, ctx.now),
      scope: { documentClasses: a.row.documentClasses, dateFrom: a.row.dateFrom, dateTo: a.row.dateTo },
    })),
    verifications: verificationRows,
    approvals: approvalRows,
    records: {
      files: recordFiles,
      scope: effectiveScope(row),
      requested: { documentClasses: row.documentClasses, dateFrom: row.dateFrom, dateTo: row.dateTo },
    },
  });
  const ids = [
    ...authRows.flatMap((a) => [a.createdBy, a.revokedBy]),
    ...verificationRows.map((v) => v.verifiedBy),
    ...approvalRows.map((a) => a.approvedBy),
  ].filter((id): id is string => !!id);
  return {
    today,
    authorizations: validated,
    verifications: verificationRows,
    approvals: approvalRows,
    releaseBlockers: blockers,
    people: await namesOf(ctx, row.practiceId, ids),
  };
}

export async function namesOf(ctx: Ctx, practiceId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await ctx.tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.practiceId, practiceId), inArray(users.id, unique)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A file on this very request (optionally of one purpose), or null. */
export async function fileOnRequest(
  ctx: Ctx,
  row: RequestRow,
  fileId: string,
): Promise<{ id: string; purpose: string } | null> {
  const [file] = await ctx.tx
    .select({ id: files.id, purpose: files.purpose })
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.requestId, row.id), eq(files.practiceId, row.practiceId)));
  return file ?? null;
}
