// rule AUTH-1, AUTH-2, AUTH-7, VER-1: the client reads and signs the practice's authorization form in
// the portal. One transaction: the form and the signed PDF stored with the request (purpose
// 'authorization'), the authorization recorded with its elements and the signer's copy (method
// 'portal': the copy is on the portal page, and the email says so without carrying it), staff told on
// the internal thread, the client on the requester thread, all audited with no staff actor.
// Signing twice is refused: an authorization is changed only by revoking it in writing (AUTH-5) and
// signing a new one, which staff prepare.
import { and, eq } from 'drizzle-orm';
import type { PortalLanguage } from '../../../shared/schemas/portal.js';
import type { PortalSignBody, PortalSigned, PortalSignView } from '../../../shared/schemas/portal-sign.js';
import { record } from '../../audit/record.js';
import type { Ctx } from '../../context.js';
import { files, requests, threadMessages } from '../../db/schema.js';
import { authorizations } from '../../db/schema-rules.js';
import { type OpenedFile, readFile, storeFile } from '../../documents/storage.js';
import { ConflictError } from '../../errors.js';
import { authorizationFileNames } from '../../letters/authorization-form-pdf.js';
import { queueThreadEmails } from '../../mail/dispatch.js';
import { validate } from '../../queries/authorizations.js';
import type { PortalAccess } from '../access.js';
import { portalActor } from '../intake/practice.js';
import { loadPortalRequest } from '../status.js';
import { formLanguage, formSections, portalForm, signState } from './form.js';
import { signedPdf } from './signed-pdf.js';
import { signWords } from './words.js';

export const signUrls = (number: string) => {
  const base = `/api/portal/requests/${encodeURIComponent(number)}/authorization`;
  return { pdf: `${base}.pdf`, signed: `${base}/signed.pdf` };
};

/** Storage and the record need a `created_by`: the portal's own inactive staff row, never in the audit. */
async function asPortal<T>(ctx: Ctx, practiceId: string, fn: () => Promise<T>): Promise<T> {
  ctx.actor = await portalActor(ctx.tx, practiceId);
  try {
    return await fn();
  } finally {
    ctx.actor = null;
  }
}

/** "March 1, 2027 at 10:00:00 AM PST", or in Spanish "1 de marzo de 2027, 10:00:00 a.m. PST". */
function dateTimeIn(at: Date, timeZone: string, language: PortalLanguage = 'en'): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'long',
  }).format(at);
}

/** What the page shows: the form's sections and hash, or why there is nothing to sign here. */
export async function authorizationView(
  ctx: Ctx,
  access: PortalAccess,
  opts: { summary?: boolean } = {},
): Promise<PortalSignView> {
  const request = await loadPortalRequest(ctx, access);
  const { state, signed } = await signState(ctx, request);
  const urls = signUrls(request.number);
  const base = {
    formLanguage: formLanguage(request),
    signed: signed
      ? {
          signedAt: signed.createdAt.toISOString(),
          signerName: signed.signerName ?? '',
          formSha256: (await fileSha(ctx, signed.formFileId)) ?? '',
          downloadUrl: urls.signed,
        }
      : null,
  };
  if (state !== 'to_sign' || opts.summary) {
    return { ...base, state, title: null, sections: [], sha256: null, pdfUrl: null, signerName: null };
  }
  const form = await portalForm(ctx, request);
  // rule SEC-3: reading the form (health information: the client's name, birth date, records) is audited.
  record(ctx, {
    type: 'portal.authorization_viewed',
    requestId: request.id,
    clientId: request.clientId,
    data: { by: 'requester', requesterEmail: access.requesterEmail, formSha256: form.sha256 },
  });
  return {
    ...base,
    state,
    title: form.title,
    sections: formSections(form.title, form.blocks),
    sha256: form.sha256,
    pdfUrl: urls.pdf,
    signerName: form.clientName,
  };
}

async function fileSha(ctx: Ctx, fileId: string | null): Promise<string | null> {
  if (!fileId) return null;
  const [row] = await ctx.tx.select({ sha256: files.sha256 }).from(files).where(eq(files.id, fileId));
  return row?.sha256 ?? null;
}

/** The exact PDF to sign (the bytes whose SHA-256 the page shows); audited. */
export async function authorizationPdf(
  ctx: Ctx,
  access: PortalAccess,
): Promise<{ name: string; data: Buffer; sha256: string }> {
  const request = await loadPortalRequest(ctx, access);
  const { state } = await signState(ctx, request);
  if (state !== 'to_sign') throw new ConflictError(signWords(access.language).nothingToSign);
  const form = await portalForm(ctx, request);
  record(ctx, {
    type: 'portal.authorization_viewed',
    requestId: request.id,
    clientId: request.clientId,
    data: { by: 'requester', requesterEmail: access.requesterEmail, formSha256: form.sha256, pdf: true },
  });
  return {
    name: authorizationFileNames(form.language, request.number).form,
    data: form.pdf,
    sha256: form.sha256,
  };
}

/** rule AUTH-1, AUTH-7: sign. `drawn` is the drawn mark already decoded safely (or null when typed). */
export async function signAuthorization(
  ctx: Ctx,
  access: PortalAccess,
  body: PortalSignBody,
  drawn: Buffer | null,
): Promise<PortalSigned> {
  const words = signWords(access.language);
  // One signature at a time per request: the row lock makes a second, concurrent one wait and then see the first.
  await ctx.tx
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.id, access.requestId), eq(requests.practiceId, access.practiceId)))
    .for('update');
  const request = await loadPortalRequest(ctx, access);
  const { state } = await signState(ctx, request);
  if (state === 'signed') throw new ConflictError(words.alreadySigned, { rule: 'AUTH-5' });
  if (state !== 'to_sign') throw new ConflictError(words.nothingToSign);
  const form = await portalForm(ctx, request);
  if (form.sha256 !== body.sha256) {
    throw new ConflictError(words.formChanged, { currentSha256: form.sha256 });
  }
  const ip = ctx.meta.ip ?? 'unknown';
  // The signature page is in the form's language; staff's note in English.
  const signedAtText = dateTimeIn(ctx.now, form.timeZone, form.language);
  const signedAtEnglish = dateTimeIn(ctx.now, form.timeZone);
  // Named in the form's language: the name is printed on the signature page and the signer downloads both.
  const names = authorizationFileNames(form.language, request.number);
  const formFileName = names.form;
  const signed = await signedPdf(
    form.pdf,
    {
      language: form.language,
      practiceName: form.practiceName,
      requestNumber: request.number,
      clientName: form.clientName,
      signature: body.signature,
      drawn,
      signedAtText,
      ip,
      requesterEmail: access.requesterEmail,
      formSha256: form.sha256,
      formFileName,
    },
    ctx.now,
  );

  const { formFile, signedFile, auth } = await asPortal(ctx, request.practiceId, async () => {
    const formFile = await storeFile(ctx, {
      requestId: request.id,
      purpose: 'authorization',
      name: formFileName,
      contentType: 'application/pdf',
      data: form.pdf,
    });
    const signedFile = await storeFile(ctx, {
      requestId: request.id,
      purpose: 'authorization',
      name: names.signed,
      contentType: 'application/pdf',
      data: signed,
    });
    const [auth] = await ctx.tx
      .insert(authorizations)
      .values({
        practiceId: request.practiceId,
        requestId: request.id,
        clientId: request.clientId,
        ...form.fields,
        expiresOn: null,
        signedOn: form.today,
        signerName: form.clientName,
        signedByRepresentative: false,
        statementRevocation: true,
        statementConditioning: true,
        statementRedisclosure: true,
        fileId: signedFile.id,
        preparedByPractice: true,
        formFileId: formFile.id,
        // rule AUTH-7: the signer's copy is given here, at once: on the portal page, and by email a link to it.
        signerCopyMethod: 'portal',
        signerCopyGivenOn: form.today,
        createdBy: ctx.actor!.id,
        createdAt: ctx.now,
      })
      .returning();
    return { formFile, signedFile, auth: auth! };
  });
  const { validation } = validate(auth, form.today, ctx.now);
  // The form carries every element (AUTH-1, AUTH-2): a failure here is a bug; nothing is kept.
  if (!validation.valid) {
    throw new ConflictError(words.nothingToSign, { failing: validation.failures.map((f) => f.element) });
  }

  const staffBody = words.staffNote({
    clientName: form.clientName,
    signedAt: signedAtEnglish,
    ip,
    email: access.requesterEmail,
    method: body.signature.method,
    sha256: form.sha256,
    formLanguage: form.language,
  });
  const messages = await ctx.tx
    .insert(threadMessages)
    .values([
      {
        practiceId: request.practiceId,
        requestId: request.id,
        thread: 'internal',
        authorId: null,
        kind: 'portal_signed',
        subject: `Release of records ${request.number}: the client signed the authorization in the portal`,
        body: staffBody,
        idempotencyKey: `portal-signed:${auth.id}:internal`,
        createdAt: ctx.now,
      },
      {
        practiceId: request.practiceId,
        requestId: request.id,
        thread: 'requester',
        authorId: null,
        kind: 'portal_signed',
        subject: `Release of records ${request.number}`,
        body: signWords(form.language).requesterNote(signedAtText),
        idempotencyKey: `portal-signed:${auth.id}:requester`,
        createdAt: ctx.now,
      },
    ])
    .returning({ id: threadMessages.id, thread: threadMessages.thread });
  await queueThreadEmails(
    ctx,
    messages.map((m) => m.id),
  );

  // rule SEC-5: the audit names files, hashes and the method, never the form's words or the drawing.
  const common = { requestId: request.id, clientId: request.clientId };
  record(ctx, {
    type: 'portal.authorization_signed',
    ...common,
    data: {
      by: 'requester',
      requesterEmail: access.requesterEmail,
      authorizationId: auth.id,
      method: body.signature.method,
      formFileId: formFile.id,
      formSha256: form.sha256,
      signedFileId: signedFile.id,
      signedSha256: signedFile.sha256,
    },
  });
  record(ctx, {
    type: 'authorization.recorded',
    ...common,
    data: {
      by: 'requester',
      authorizationId: auth.id,
      valid: true,
      failingElements: [],
      psychotherapyNotesOnly: auth.psychotherapyNotesOnly,
      part2Consent: false,
      preparedByPractice: true,
    },
  });
  record(ctx, {
    type: 'authorization.signer_copy_recorded',
    ...common,
    data: { by: 'requester', authorizationId: auth.id, method: 'portal', givenOn: form.today, valid: true },
  });
  for (const m of messages) {
    record(ctx, {
      type: 'thread.message_posted',
      requestId: request.id,
      data: { messageId: m.id, thread: m.thread, kind: 'portal_signed' },
    });
  }
  return {
    signedAt: ctx.now.toISOString(),
    signerName: form.clientName,
    formSha256: form.sha256,
    signedSha256: signedFile.sha256,
    downloadUrl: signUrls(request.number).signed,
  };
}

/** rule AUTH-7: the signer's copy, through the one read path (audited as a download, and as the requester's). */
export async function signedCopy(ctx: Ctx, access: PortalAccess): Promise<OpenedFile> {
  const request = await loadPortalRequest(ctx, access);
  const { signed } = await signState(ctx, request);
  if (!signed?.fileId) throw new ConflictError(signWords(access.language).notSignedYet);
  const fileId = signed.fileId;
  // readFile checks the practice's policy for the portal's own row; this session's request and its
  // portal-signed authorization were checked above, so only that one file is ever read here.
  const file = await asPortal(ctx, request.practiceId, () => readFile(ctx, request.id, fileId));
  record(ctx, {
    type: 'portal.signed_copy_downloaded',
    requestId: request.id,
    clientId: request.clientId,
    data: { by: 'requester', requesterEmail: access.requesterEmail, authorizationId: signed.id, fileId },
  });
  return file;
}
