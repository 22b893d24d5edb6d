// An approved letter or report as the recipient gets it: the practice's letterhead, the date, the
// recipient, the title and the therapist's words, every page numbered with the request's reference
// (pdf/letter.ts). Stored encrypted as a prepared record of the request (purpose 'record', class
// 'letters_and_reports', the request's dates of service) in the approving command's transaction, so
// it can go in the packet, where SCOPE-1 checks it like any record.
import type { Ctx } from '../context.js';
import { type FileMeta, storeFile } from '../documents/storage.js';
import { frame, paragraphs } from '../letters/letterhead.js';
import { letterContext } from '../letters/store.js';
import { type LetterInput, renderLetter } from '../pdf/letter.js';
import type { RequestRow } from '../queries/visible-requests.js';
import type { VersionWords } from './seal.js';

/** The letter's pages from the approved words (pure but for the request's facts). */
export async function draftLetter(ctx: Ctx, row: RequestRow, words: VersionWords): Promise<LetterInput> {
  const { facts } = await letterContext(ctx, row, 'en'); // the therapist's words: the English frame
  // Addressed to the requester on the request, or to whom the document was started for.
  const addressed = words.recipient ? { ...facts, recipient: { name: words.recipient } } : facts;
  return frame(addressed, words.title, paragraphs(words.body));
}

/** `letter-to-a-court-v2-R-2027-0001.pdf`: what it is, which version, which request. */
export function renderingName(templateLabel: string, number: number, requestNumber: string): string {
  const slug = templateLabel
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'letter'}-v${number}-${requestNumber}.pdf`;
}

export async function storeApprovedRendering(
  ctx: Ctx,
  row: RequestRow,
  words: VersionWords,
  name: string,
): Promise<FileMeta> {
  const data = await renderLetter(await draftLetter(ctx, row, words));
  return storeFile(ctx, {
    requestId: row.id,
    purpose: 'record',
    name,
    contentType: 'application/pdf',
    data,
    documentClass: 'letters_and_reports',
    dateFrom: row.dateFrom,
    dateTo: row.dateTo,
  });
}
