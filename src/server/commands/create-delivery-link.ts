// Send a secure link to a packet (rule REL-2): load the request (scoped, locked) -> authorize ->
// the packet is ready (or released) and nothing blocks release (the release gate, AUTH-5 included)
// -> store the link with only the hashes of its token and codes -> post two messages on the requester
// thread saying that a link and a code were sent, and queue their two emails, which alone carry the
// link and the code (rule SEC-5: staff read threads through the request API; support reads a code
// only through the audited Outbox read-code), with no health information in them -> audit. The phone code (third-party recipients) is answered once,
// to the staff member who will read it out; it is never stored in clear.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { practices, threadMessages } from '../db/schema.js';
import { deliveryLinks, type SecondChannel } from '../db/schema-packets.js';
import {
  codeHash,
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_MAX_DOWNLOADS,
  newCode,
  newLinkToken,
  tokenHash,
} from '../delivery/codes.js';
import { type LinkView, presentLinks } from '../delivery/present.js';
import type { createLinkSchema } from '../delivery/schemas.js';
import { enforceFileDecision } from '../documents/storage.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { queueThreadEmails } from '../mail/dispatch.js';
import { packetOf } from '../packets/queries.js';
import { decideLinkManagement } from '../policies/packets.js';
import { loadCompliance } from '../queries/authorizations.js';
import { findVisibleRequest } from '../queries/visible-requests.js';
import { isRevoked } from '../rules/authorization.js';
import { assertReleasable } from '../rules/release-gate.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The language of the request's emails to the requester (issue 7): Spanish for a request made in Spanish. */
export type LinkLanguage = 'en' | 'es';

/** rule REL-2: no health information in the subject or body; only the practice and that something waits. */
export function linkMessage(
  practiceName: string,
  url: string,
  expiresAt: Date,
  language: LinkLanguage = 'en',
) {
  const until = expiresAt.toISOString().slice(0, 10);
  if (language === 'es') {
    return {
      subject: `${practiceName} tiene un documento para usted`,
      body:
        `${practiceName} tiene un documento para usted. Abra este enlace seguro para descargarlo:\n\n${url}\n\n` +
        `Le pediremos el código de confirmación que le enviamos en otro mensaje. El enlace funciona hasta el ` +
        `${until}. Si no esperaba este mensaje, puede ignorarlo.`,
    };
  }
  return {
    subject: `A document from ${practiceName} is waiting for you`,
    body:
      `${practiceName} has a document waiting for you. Open this secure link to download it:\n\n${url}\n\n` +
      `You will be asked for the confirmation code we send you in a separate message. The link works until ` +
      `${until}. If you did not expect this, you can ignore this message.`,
  };
}

export function codeMessage(practiceName: string, code: string, language: LinkLanguage = 'en') {
  if (language === 'es') {
    return {
      subject: `Su código de confirmación de ${practiceName}`,
      body: `Su código de confirmación es ${code}. Escríbalo en la página que abre el enlace seguro. No lo comparta con nadie.`,
    };
  }
  return {
    subject: `Your confirmation code from ${practiceName}`,
    body: `Your confirmation code is ${code}. Enter it on the page the secure link opens. Never share it.`,
  };
}

/** rule SEC-5: what the requester thread says of the link email (the link itself is only in the email). */
export const LINK_ON_THREAD = "A secure download link was sent to the recipient's address.";
/** rule SEC-5: what the requester thread says of the code email (the code itself is only in the email). */
export const LINK_CODE_ON_THREAD =
  "A confirmation code for the secure link was sent to the recipient's address.";

export interface CreatedLink {
  link: LinkView;
  /** The code to read out by phone (second channel, third-party recipients): shown once. */
  phoneCode: string | null;
}

export async function createDeliveryLink(
  ctx: Ctx,
  requestId: string,
  packetId: string,
  input: z.infer<typeof createLinkSchema>,
): Promise<CreatedLink> {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decideLinkManagement(ctx.actor!, loaded.facts), row.id);
  const packet = await packetOf(ctx, row, packetId);
  if (packet.status !== 'ready' && packet.status !== 'released') {
    throw new ConflictError(
      `Version ${packet.version} of the packet is ${packet.status}: a link can only be sent to a packet that is ready or released.`,
      { requestId: row.id, packetId, status: packet.status },
    );
  }
  // Nothing goes out while anything blocks release (AUTH-5: a revocation received a second ago).
  const compliance = await loadCompliance(ctx, row);
  assertReleasable(row.id, compliance.releaseBlockers);

  const recipientEmail = input.recipientEmail ?? row.requesterEmail;
  if (!recipientEmail) {
    const message =
      'The requester has no email address on the request: give the address to send the link to.';
    throw new BadRequestError(message, [{ path: 'body.recipientEmail', message }]);
  }
  // rule REL-2: a third-party recipient passes a second channel besides the emailed code.
  const thirdParty = row.kind !== 'client_access';
  const secondChannel: SecondChannel = input.secondChannel ?? (thirdParty ? 'phone_code' : 'none');
  if (thirdParty && secondChannel === 'none') {
    const message =
      'The recipient is not the client: choose a second channel (a code read out by phone, or the client’s date of birth) (REL-2).';
    throw new BadRequestError(message, [{ path: 'body.secondChannel', message }]);
  }
  // rule AUTH-5: the link relies on the valid authorization on record, when there is one.
  const reliedOn = compliance.authorizations.find(
    (a) => a.validation.valid && !isRevoked(a.row, ctx.now),
  )?.row;

  const id = randomUUID();
  const token = newLinkToken();
  const code = newCode();
  const phoneCode = secondChannel === 'phone_code' ? newCode() : null;
  const masterKey = ctx.services.config.masterKey;
  const expiresAt = new Date(ctx.now.getTime() + (input.expiresInDays ?? DEFAULT_EXPIRY_DAYS) * DAY_MS);
  await ctx.tx.insert(deliveryLinks).values({
    id,
    practiceId: row.practiceId,
    requestId: row.id,
    packetId: packet.id,
    tokenHash: tokenHash(token),
    recipientName: input.recipientName ?? row.requesterName,
    recipientEmail,
    secondChannel,
    codeHash: codeHash(masterKey, id, 'email', code),
    phoneCodeHash: phoneCode ? codeHash(masterKey, id, 'phone', phoneCode) : null,
    expiresAt,
    maxDownloads: input.maxDownloads ?? DEFAULT_MAX_DOWNLOADS,
    authorizationId: reliedOn?.id ?? null,
    createdBy: ctx.actor!.id,
    createdAt: ctx.now,
  });

  const [practice] = await ctx.tx
    .select({ name: practices.name })
    .from(practices)
    .where(eq(practices.id, row.practiceId));
  const practiceName = practice?.name ?? 'Your provider';
  const url = `${ctx.services.config.publicUrl.replace(/\/$/, '')}/links/${token}`;
  // Issue 7: the emails speak the request's language; the thread's words stay the staff's.
  const language: LinkLanguage = row.language === 'es' ? 'es' : 'en';
  const linkEmail = linkMessage(practiceName, url, expiresAt, language);
  const codeEmail = codeMessage(practiceName, code, language);
  const messages = await ctx.tx
    .insert(threadMessages)
    .values([
      {
        practiceId: row.practiceId,
        requestId: row.id,
        thread: 'requester',
        authorId: ctx.actor!.id,
        kind: 'secure_link',
        subject: linkEmail.subject,
        // rule SEC-5: the thread never holds the link's token.
        body: LINK_ON_THREAD,
        idempotencyKey: `delivery-link:${id}:link`,
        createdAt: ctx.now,
      },
      {
        practiceId: row.practiceId,
        requestId: row.id,
        thread: 'requester',
        authorId: ctx.actor!.id,
        kind: 'secure_link_code',
        subject: codeEmail.subject,
        // rule SEC-5: the thread never holds the code.
        body: LINK_CODE_ON_THREAD,
        idempotencyKey: `delivery-link:${id}:code`,
        createdAt: ctx.now,
      },
    ])
    .returning({ id: threadMessages.id, kind: threadMessages.kind });
  // The link and the code travel in their emails alone, queued in this transaction so the mail job
  // never composes them from the thread (the code email is carriesCode: the Outbox lists it without
  // its text; the Outbox masks the link's token).
  await queueThreadEmails(
    ctx,
    messages.map((m) => m.id),
    Object.fromEntries(
      messages.map((m) => [m.id, m.kind === 'secure_link_code' ? codeEmail.body : linkEmail.body]),
    ),
  );
  record(ctx, {
    type: 'delivery_link.created',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      linkId: id,
      packetId: packet.id,
      packetVersion: packet.version,
      packetSha256: packet.sha256,
      recipientEmail,
      secondChannel,
      expiresAt: expiresAt.toISOString(),
      maxDownloads: input.maxDownloads ?? DEFAULT_MAX_DOWNLOADS,
      authorizationId: reliedOn?.id ?? null,
      messageIds: messages.map((m) => m.id),
    },
  });
  const [link] = await presentLinks(ctx, row, { ids: [id] });
  return { link: link!, phoneCode };
}
