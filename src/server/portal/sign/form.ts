// rule AUTH-7, AUTH-1, AUTH-2: the practice's plain-language authorization form as the portal shows it
// to the client for signing: the same words (rules/authorization-form.ts) filled from the request,
// rendered the same way as staff's prepared form; for a request made in Spanish, the whole form in
// plain Spanish (rules/authorization-form-es.ts: the form signed, not a summary), rendered by the one
// renderer staff's prepared form uses (letters/authorization-form-pdf.ts); deterministic for a day (the
// PDF's creation date is the start of the practice's day), so the SHA-256 the client saw identifies the exact
// document and a change to the request since (its scope, the purpose) shows as another hash.
//
// Who signs here (the rulebook's words): KIND-2 "the client asks, in writing and signed, that a copy
// go to a named third party" and the release gate records that signed direction as an authorization;
// the portal requester of such a request is the client, so the client signs here. KIND-3 is a third
// party asking "with the client's signed authorization" (164.508): the requester is not the client and
// cannot sign for them (AUTH-1: the individual's signature), so the portal never offers them the form.
// KIND-1 and KIND-6 are the right of access (no authorization); KIND-4/5/7/8 need none from the client.
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DocumentClass } from '../../../shared/request-kinds.js';
import type { PortalLanguage } from '../../../shared/schemas/portal.js';
import type { PortalSignSection, PortalSignState } from '../../../shared/schemas/portal-sign.js';
import { type LocalDate, localDate, startOfLocalDay } from '../../../shared/time.js';
import type { Ctx } from '../../context.js';
import { clients, practices } from '../../db/schema.js';
import { authorizations } from '../../db/schema-rules.js';
import { authorizationFormLanguage, renderAuthorizationForm } from '../../letters/authorization-form-pdf.js';
import type { LetterBlock } from '../../pdf/letter.js';
import {
  type AuthorizationFormFacts,
  DEFAULT_EXPIRY_EVENT,
  PLAIN_RECORD_WORDS,
  plainPurpose,
  recordDates,
} from '../../rules/authorization-form.js';
import type { RequestRow } from '../status.js';

const NOTES = 'psychotherapy_notes';
const ENDED = ['released', 'denied', 'no_records', 'withdrawn', 'cancelled'];

/** rule KIND-2, AUTH-1: the recipient the client named, from the request's own fields (null when none). */
export function namedRecipient(r: {
  recipientName: string | null;
  recipientOrganization: string | null;
  recipientEmail: string | null;
  recipientAddress: string | null;
}): { name: string; organization: string | null; address: string | null; email: string | null } | null {
  if (!r.recipientName) return null;
  return {
    name: r.recipientName,
    organization: r.recipientOrganization,
    address: r.recipientAddress,
    email: r.recipientEmail,
  };
}

export type PortalAuthorizationRow = typeof authorizations.$inferSelect;

export interface SignFacts {
  kind: string;
  requesterRelationship: string | null;
  stage: string;
  recipientName: string | null;
  recipientOrganization: string | null;
  recipientEmail: string | null;
  recipientAddress: string | null;
  /** The request's authorizations not revoked. */
  authorizations: readonly { signerCopyMethod: string | null; preparedByPractice: boolean }[];
}

/** rule KIND-2, KIND-3, AUTH-1, AUTH-5: whether this requester signs the form here (pure). */
export function signDecision(f: SignFacts): PortalSignState {
  if (f.authorizations.some((a) => a.signerCopyMethod === 'portal' && a.preparedByPractice)) return 'signed';
  if (f.kind === 'authorization') return 'client_signs';
  if (f.kind !== 'client_directed') return 'not_needed';
  // The client's own direction: the portal requester must be the client (not a recipient on the thread).
  if (f.requesterRelationship !== 'client') return 'client_signs';
  // Ended, already holding an authorization (a new one follows a written revocation), or no recipient named.
  if (ENDED.includes(f.stage) || f.authorizations.length > 0 || !namedRecipient(f)) {
    return 'practice_prepares';
  }
  return 'to_sign';
}

/** The decision for a loaded request, with the portal-signed record if any. */
export async function signState(
  ctx: Ctx,
  request: RequestRow,
): Promise<{ state: PortalSignState; signed: PortalAuthorizationRow | null }> {
  const rows = await ctx.tx
    .select()
    .from(authorizations)
    .where(
      and(
        eq(authorizations.requestId, request.id),
        eq(authorizations.practiceId, request.practiceId),
        isNull(authorizations.revocationReceivedAt),
      ),
    );
  const state = signDecision({ ...request, authorizations: rows });
  const signed = rows.find((a) => a.signerCopyMethod === 'portal' && a.preparedByPractice) ?? null;
  return { state, signed: state === 'signed' ? signed : null };
}

/** The form's language: the request's (a request made in Spanish signs a Spanish form). */
export function formLanguage(request: { language: string | null }): PortalLanguage {
  return authorizationFormLanguage(request.language);
}

export interface PortalForm {
  language: PortalLanguage;
  title: string;
  blocks: LetterBlock[];
  pdf: Buffer;
  sha256: string;
  clientName: string;
  today: LocalDate;
  timeZone: string;
  practiceName: string;
  /**
   * The authorization's fields as the form fills them (AUTH-1, AUTH-2), for the record once signed:
   * in English whatever the form's language (staff read the record; the signed PDF is the form itself).
   */
  fields: {
    description: string;
    discloser: string;
    recipient: string;
    purpose: string;
    expiryEvent: string;
    psychotherapyNotesOnly: boolean;
    documentClasses: DocumentClass[];
    dateFrom: string | null;
    dateTo: string | null;
  };
}

/** rule AUTH-7: the form for this request, today, as exact bytes and its SHA-256. */
export async function portalForm(ctx: Ctx, request: RequestRow): Promise<PortalForm> {
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, request.practiceId));
  const [client] = await ctx.tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, request.clientId), eq(clients.practiceId, request.practiceId)));
  const timeZone = practice!.timeZone;
  const today = localDate(ctx.now, timeZone);
  // rule AUTH-4: psychotherapy notes never share a form with other records.
  const requested = [...new Set(request.documentClasses)] as DocumentClass[];
  const others = requested.filter((c) => c !== NOTES);
  const notesOnly = requested.includes(NOTES) && others.length === 0;
  const documentClasses: DocumentClass[] = notesOnly ? [NOTES] : others;
  const named = namedRecipient(request);
  const clientName = `${client!.firstName} ${client!.lastName}`;
  const language = formLanguage(request);
  const facts: AuthorizationFormFacts = {
    practice: {
      name: practice!.name,
      privacyOfficerName: practice!.privacyOfficerName,
      privacyOfficerEmail: practice!.privacyOfficerEmail,
      privacyOfficerPhone: practice!.privacyOfficerPhone,
    },
    client: { name: clientName, dateOfBirth: client!.dateOfBirth, address: client!.address },
    recipient: named ?? { name: '', organization: null, address: null, email: null },
    documentClasses,
    leftOut: requested.filter((c) => !documentClasses.includes(c)),
    dateFrom: request.dateFrom,
    dateTo: request.dateTo,
    purpose: request.purpose,
    expiresOn: null,
    expiryEvent: DEFAULT_EXPIRY_EVENT,
    psychotherapyNotesOnly: notesOnly,
  };
  const form = await renderAuthorizationForm({
    language,
    facts,
    reference: request.number,
    today,
    createdAt: startOfLocalDay(today, timeZone),
  });
  const { pdf } = form;
  return {
    language,
    title: form.title,
    blocks: form.blocks,
    pdf,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    clientName,
    today,
    timeZone,
    practiceName: practice!.name,
    fields: {
      description: [
        ...documentClasses.map((c) => PLAIN_RECORD_WORDS[c]),
        recordDates(request.dateFrom, request.dateTo),
      ].join('; '),
      discloser: practice!.name,
      recipient: named
        ? [named.name, named.organization, named.address, named.email].filter(Boolean).join(', ')
        : '',
      purpose: plainPurpose(request.purpose),
      expiryEvent: DEFAULT_EXPIRY_EVENT,
      psychotherapyNotesOnly: notesOnly,
      documentClasses,
      dateFrom: request.dateFrom,
      dateTo: request.dateTo,
    },
  };
}

/** The form's blocks as sections for the page (the blanks to sign on are the page's own controls). */
export function formSections(title: string, blocks: readonly LetterBlock[]): PortalSignSection[] {
  const sections: PortalSignSection[] = [{ heading: title, blocks: [] }];
  for (const b of blocks) {
    const current = sections.at(-1)!;
    if (b.type === 'heading') sections.push({ heading: b.text, blocks: [] });
    else if (b.type === 'paragraph') current.blocks.push({ type: 'paragraph', text: b.text });
    else if (b.type === 'list') current.blocks.push({ type: 'list', items: [...b.items] });
    else if (b.type === 'fields') {
      current.blocks.push({ type: 'fields', rows: b.rows.map(([label, value]) => ({ label, value })) });
    }
  }
  return sections.filter((s) => s.blocks.length > 0);
}
