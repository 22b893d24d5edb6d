import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DocumentClass } from '../../shared/request-kinds.js';
import type { prepareAuthorizationFormSchema } from '../../shared/schemas/authorizations.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { clients, practices } from '../db/schema.js';
import { storeFile } from '../documents/storage.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import {
  authorizationFileNames,
  authorizationFormLanguage,
  renderAuthorizationForm,
} from '../letters/authorization-form-pdf.js';
import { decidePrepareAuthorizationForm } from '../policies/authorizations.js';
import { practiceToday } from '../queries/authorizations.js';
import {
  DEFAULT_EXPIRY_EVENT,
  PLAIN_RECORD_WORDS,
  plainPurpose,
  recordDates,
} from '../rules/authorization-form.js';
import { loadForCompliance } from './record-authorization.js';

const NOTES = 'psychotherapy_notes';

function refuse(field: string, message: string): never {
  throw new BadRequestError(message, [{ path: `body.${field}`, message }]);
}

/**
 * rule AUTH-7: prepare the practice's plain-language authorization form for the client to sign, as
 * a PDF pre-filled from the request (AUTH-1's elements, AUTH-2's statements), stored encrypted on
 * the request as a file of purpose 'authorization'. Psychotherapy notes get a form of their own
 * (AUTH-4): the general form leaves them out and says so. The answer carries the fields to record
 * once the client has signed it (with preparedByPractice and the form's file id). The form is in the
 * request's language (a request made in Spanish gets the form written in Spanish, as the portal shows
 * it); the prefill stays in English, for staff's record.
 */
export async function prepareAuthorizationForm(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof prepareAuthorizationFormSchema>,
) {
  const { row } = await loadForCompliance(ctx, requestId, decidePrepareAuthorizationForm);
  const today = await practiceToday(ctx, row.practiceId);
  if (input.expiresOn && input.expiryEvent) {
    refuse('expiryEvent', 'Give an expiry date or an expiry event, not both (AUTH-1).');
  }
  if (input.expiresOn && input.expiresOn <= today) {
    refuse(
      'expiresOn',
      `The form would end on ${input.expiresOn}, before the client can sign it: choose a later date (AUTH-1).`,
    );
  }
  const requested = [...new Set(row.documentClasses)] as DocumentClass[];
  const others = requested.filter((c) => c !== NOTES);
  if (input.psychotherapyNotesOnly && !requested.includes(NOTES)) {
    refuse('psychotherapyNotesOnly', 'This request does not ask for psychotherapy notes (AUTH-4).');
  }
  // rule AUTH-4: never one form for psychotherapy notes and other records.
  const notesOnly = input.psychotherapyNotesOnly || (requested.includes(NOTES) && others.length === 0);
  const documentClasses: DocumentClass[] = notesOnly ? [NOTES] : others;
  const leftOut = requested.filter((c) => !documentClasses.includes(c));

  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, row.practiceId));
  const [client] = await ctx.tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, row.clientId), eq(clients.practiceId, row.practiceId)));
  if (!practice || !client) throw new NotFoundError('request', { requestId });

  const purpose = input.purpose || row.purpose;
  const expiryEvent = input.expiresOn ? null : input.expiryEvent || DEFAULT_EXPIRY_EVENT;
  const clientName = `${client.firstName} ${client.lastName}`;
  const language = authorizationFormLanguage(row.language);
  const { pdf } = await renderAuthorizationForm({
    language,
    facts: {
      practice: {
        name: practice.name,
        privacyOfficerName: practice.privacyOfficerName,
        privacyOfficerEmail: practice.privacyOfficerEmail,
        privacyOfficerPhone: practice.privacyOfficerPhone,
      },
      client: { name: clientName, dateOfBirth: client.dateOfBirth, address: client.address },
      recipient: {
        name: row.requesterName,
        organization: row.requesterOrganization,
        address: row.requesterAddress,
        email: row.requesterEmail,
      },
      documentClasses,
      leftOut,
      dateFrom: row.dateFrom,
      dateTo: row.dateTo,
      purpose,
      expiresOn: input.expiresOn ?? null,
      expiryEvent,
      psychotherapyNotesOnly: notesOnly,
    },
    reference: row.number,
    today,
    createdAt: ctx.now,
  });
  const file = await storeFile(ctx, {
    requestId: row.id,
    purpose: 'authorization',
    name: authorizationFileNames(language, row.number, notesOnly).form,
    contentType: 'application/pdf',
    data: pdf,
  });
  // rule SEC-5: the audit names the file and its kind, not what the form says.
  record(ctx, {
    type: 'authorization.form_prepared',
    requestId: row.id,
    clientId: row.clientId,
    data: { fileId: file.id, sha256: file.sha256, psychotherapyNotesOnly: notesOnly, leftOut, language },
  });

  const recipient = [row.requesterName, row.requesterOrganization].filter(Boolean).join(', ');
  return {
    file,
    /** What to record once the client has signed this form (plus the signer and the date). */
    prefill: {
      description: [
        ...documentClasses.map((c) => PLAIN_RECORD_WORDS[c]),
        recordDates(row.dateFrom, row.dateTo),
      ].join('; '),
      discloser: practice.name,
      recipient,
      purpose: plainPurpose(purpose),
      expiresOn: input.expiresOn ?? null,
      expiryEvent,
      statementRevocation: true,
      statementConditioning: true,
      statementRedisclosure: true,
      psychotherapyNotesOnly: notesOnly,
      documentClasses,
      dateFrom: row.dateFrom,
      dateTo: row.dateTo,
      preparedByPractice: true as const,
      formFileId: file.id,
    },
  };
}
