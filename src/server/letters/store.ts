// Rendering a letter and keeping it on its request: the PDF is written from the letter's words and
// stored encrypted as a 'letter' file in the command's own transaction, so the letter, the change it
// tells of and the audit event commit or vanish together. Letter files are kept six years
// (migration 0004's trigger); nothing here deletes one.
import { eq } from 'drizzle-orm';
import { localDate } from '../../shared/time.js';
import { longDate } from '../clocks/messages.js';
import type { Ctx } from '../context.js';
import { clients, practices, type requests } from '../db/schema.js';
import { type FileMeta, storeFile } from '../documents/storage.js';
import { type LetterInput, renderLetter } from '../pdf/letter.js';
import type { LetterFacts, LetterLanguage, PracticeFacts, RecipientFacts } from './letterhead.js';
import { askedEs, longDateEs } from './letterhead-es.js';

type RequestRow = typeof requests.$inferSelect;

/** Render the letter and store it on the request as a 'letter' file named `<name>-<number>.pdf`. */
export async function storeLetter(
  ctx: Ctx,
  request: { id: string; number: string },
  name: string,
  letter: LetterInput,
): Promise<FileMeta> {
  const data = await renderLetter(letter);
  return storeFile(ctx, {
    requestId: request.id,
    purpose: 'letter',
    name: `${name}-${request.number}.pdf`,
    contentType: 'application/pdf',
    data,
  });
}

export interface LetterContext {
  facts: LetterFacts;
  practice: PracticeFacts;
  timeZone: string;
  /** The client the records are about, "Alex Client". */
  clientName: string;
  /** The client as a letter's recipient (their name and address on file). */
  client: RecipientFacts;
  /** A long date in the practice's zone and the request's language: "Monday 2 November 2026". */
  long: (at: Date) => string;
  /** A local date (YYYY-MM-DD) written out in the request's language. */
  day: (date: string) => string;
  /** Issue 7: the request's language; the letter builders write Spanish for 'es'. */
  language: LetterLanguage;
  /** "your records" / "records about Alex Client", in the request's language. */
  asked: (kind: string) => string;
}

/** The facts a letter about this request starts from, read in the command's transaction. */
export async function letterContext(
  ctx: Ctx,
  row: RequestRow,
  /** Issue 7: the request's language by default; a letter in someone else's words passes 'en'. */
  languageOverride?: LetterLanguage,
): Promise<LetterContext> {
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, row.practiceId));
  const [client] = await ctx.tx
    .select({ firstName: clients.firstName, lastName: clients.lastName, address: clients.address })
    .from(clients)
    .where(eq(clients.id, row.clientId));
  const timeZone = practice?.timeZone ?? 'UTC';
  const practiceFacts: PracticeFacts = {
    name: practice?.name ?? 'The practice',
    privacyOfficerName: practice?.privacyOfficerName ?? null,
    privacyOfficerPhone: practice?.privacyOfficerPhone ?? null,
    privacyOfficerEmail: practice?.privacyOfficerEmail ?? null,
  };
  const language: LetterLanguage = languageOverride ?? (row.language === 'es' ? 'es' : 'en');
  const day = (date: string) => (language === 'es' ? longDateEs(date) : longDate(date));
  const long = (at: Date) => day(localDate(at, timeZone));
  const clientName = client ? `${client.firstName} ${client.lastName}` : 'the client';
  const asked = (kind: string) =>
    language === 'es'
      ? askedEs(kind === 'client_access', clientName)
      : kind === 'client_access'
        ? 'your records'
        : `records about ${clientName}`;
  return {
    facts: {
      practice: practiceFacts,
      recipient: {
        name: row.requesterName,
        organization: row.requesterOrganization,
        address: row.requesterAddress,
      },
      number: row.number,
      date: long(ctx.now),
      createdAt: ctx.now,
      language,
    },
    practice: practiceFacts,
    timeZone,
    clientName,
    client: { name: clientName, address: client?.address ?? null },
    long,
    day,
    language,
    asked,
  };
}
