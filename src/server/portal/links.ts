// The status link in every requester email (issue 7; rules REL-2, SEC-5): a 256-bit random token
// (only its SHA-256 is stored) that opens the portal's door for one request, and the 6-digit code
// emailed to the requester's address when they ask for it (stored as an HMAC bound to the link,
// good for CODE_MINUTES, at most CODES_PER_HOUR). A right code makes a portal session (session.ts);
// MAX_CODE_ATTEMPTS wrong codes in a row lock the link (a newer email brings a new one). Every
// open, code sent, code tried and refusal is audited in the request's practice with no staff actor;
// a wrong or expired token is one plain answer that never says whether a request exists.
import { eq } from 'drizzle-orm';
import type { PortalLanguage, PortalLinkView } from '../../shared/schemas/portal.js';
import { record } from '../audit/record.js';
import type { Ctx, RequestMeta, Services } from '../context.js';
import { requests, threadMessages } from '../db/schema.js';
import { portalLinks } from '../db/schema-portal.js';
import { inTransaction } from '../db/tx.js';
import { codeHash, codeMatches, MAX_CODE_ATTEMPTS, newCode, tokenHash } from '../delivery/codes.js';
import { queueThreadEmails } from '../mail/dispatch.js';
import { practiceContact } from '../mail/requester-thread.js';
import { createPortalSession, type IssuedPortalSession } from './session.js';
import { maskEmail, wordsFor } from './words.js';

export const CODE_MINUTES = 15;
export const CODES_PER_HOUR = 5;
export const PORTAL_CODE_KIND = 'portal_code';
/** What the requester thread says of a portal code (the code itself is only in the email). */
export const CODE_ON_THREAD = "A code was sent to the requester's address.";

export type LinkRow = typeof portalLinks.$inferSelect;

export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 410 | 429;
  error: string;
  message: string;
}
export type Outcome<T> = { ok: true; value: T } | Refusal;

function audit(
  ctx: Ctx,
  link: LinkRow,
  type:
    | 'portal.link_opened'
    | 'portal.refused'
    | 'portal.code_sent'
    | 'portal.code_accepted'
    | 'portal.code_rejected'
    | 'portal.link_locked',
  data: Record<string, unknown> = {},
): void {
  record(ctx, {
    type,
    requestId: link.requestId,
    data: { linkId: link.id, by: 'requester', requesterEmail: link.email, ...data },
  });
}

/** Work on the link in one transaction in its practice, the row locked; unknown, expired and locked refused. */
async function withLink<T>(
  services: Services,
  meta: RequestMeta,
  token: string,
  language: PortalLanguage,
  action: string,
  fn: (ctx: Ctx, link: LinkRow) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const words = wordsFor(language);
  const gone: Refusal = { ok: false, status: 404, error: 'link_not_found', message: words.linkGone };
  const hash = tokenHash(token);
  const [found] = await services.database.db
    .select({ practiceId: portalLinks.practiceId })
    .from(portalLinks)
    .where(eq(portalLinks.tokenHash, hash));
  if (!found) {
    // No practice to record it in: the instance's own chain (as an unknown secure link).
    await inTransaction(services, meta, null, async (ctx) => {
      record(ctx, { type: 'portal.refused', data: { action, reason: 'unknown_link' } });
    });
    return gone;
  }
  return inTransaction(
    services,
    meta,
    null,
    async (ctx) => {
      const [link] = await ctx.tx
        .select()
        .from(portalLinks)
        .where(eq(portalLinks.tokenHash, hash))
        .for('update');
      if (!link) return gone;
      if (link.expiresAt.getTime() <= ctx.now.getTime()) {
        audit(ctx, link, 'portal.refused', { action, reason: 'expired' });
        // The same words as an unknown link: an old link says nothing of the request.
        return gone;
      }
      if (link.lockedAt) {
        audit(ctx, link, 'portal.refused', { action, reason: 'locked' });
        return { ok: false, status: 410, error: 'link_locked', message: words.locked };
      }
      return fn(ctx, link);
    },
    { practiceId: found.practiceId },
  );
}

export function openStatusLink(
  services: Services,
  meta: RequestMeta,
  token: string,
  language: PortalLanguage,
): Promise<Outcome<PortalLinkView>> {
  return withLink(services, meta, token, language, 'open', async (ctx, link) => {
    const { contact } = await practiceContact(ctx.tx, link.practiceId);
    const [request] = await ctx.tx
      .select({ language: requests.language })
      .from(requests)
      .where(eq(requests.id, link.requestId));
    audit(ctx, link, 'portal.link_opened');
    return {
      ok: true,
      value: {
        practiceName: contact.name,
        practicePhone: contact.phone,
        practiceEmail: contact.email,
        maskedEmail: maskEmail(link.email),
        mailDelivered: Boolean(ctx.services.config.mail.smtpUrl),
        language: request?.language === 'es' ? 'es' : 'en',
      },
    };
  });
}

/** Email a new code to the link's address (on the requester thread, so it leaves like every requester email). */
export function sendStatusCode(
  services: Services,
  meta: RequestMeta,
  token: string,
  language: PortalLanguage,
): Promise<Outcome<{ sentTo: string; expiresAt: string }>> {
  return withLink(services, meta, token, language, 'send_code', async (ctx, link) => {
    const words = wordsFor(language);
    const windowOpen = link.codeWindowStart && ctx.now.getTime() - link.codeWindowStart.getTime() < 3_600_000;
    const sent = windowOpen ? link.codesSent : 0;
    if (sent >= CODES_PER_HOUR) {
      audit(ctx, link, 'portal.refused', { action: 'send_code', reason: 'too_many_codes' });
      return { ok: false, status: 429, error: 'too_many_codes', message: words.tooManyCodes };
    }
    const code = newCode();
    const expiresAt = new Date(ctx.now.getTime() + CODE_MINUTES * 60_000);
    await ctx.tx
      .update(portalLinks)
      .set({
        codeHash: codeHash(ctx.services.config.masterKey, link.id, 'portal', code),
        codeSentAt: ctx.now,
        codeExpiresAt: expiresAt,
        codesSent: sent + 1,
        codeWindowStart: windowOpen ? link.codeWindowStart : ctx.now,
      })
      .where(eq(portalLinks.id, link.id));
    const { contact } = await practiceContact(ctx.tx, link.practiceId);
    const [message] = await ctx.tx
      .insert(threadMessages)
      .values({
        practiceId: link.practiceId,
        requestId: link.requestId,
        thread: 'requester',
        authorId: null,
        kind: PORTAL_CODE_KIND,
        subject: words.codeSubject(contact.name),
        // rule SEC-5: the thread (read by staff through the request API) never holds the code.
        body: CODE_ON_THREAD,
        idempotencyKey: `portal-code:${link.id}:${sent + 1}:${ctx.now.getTime()}`,
        createdAt: ctx.now,
      })
      .returning({ id: threadMessages.id });
    // The code travels in the email alone (carriesCode: the Outbox lists it without its text).
    await queueThreadEmails(ctx, [message!.id], {
      [message!.id]: words.codeBody(contact.name, code, CODE_MINUTES),
    });
    // rule SEC-5: that a code was sent, never the code.
    audit(ctx, link, 'portal.code_sent', { messageId: message!.id, codesSent: sent + 1 });
    return { ok: true, value: { sentTo: maskEmail(link.email), expiresAt: expiresAt.toISOString() } };
  });
}

export interface Confirmed {
  session: IssuedPortalSession;
  requestNumber: string;
  language: PortalLanguage;
}

export function confirmStatusCode(
  services: Services,
  meta: RequestMeta,
  token: string,
  code: string,
  language: PortalLanguage,
): Promise<Outcome<Confirmed>> {
  return withLink(services, meta, token, language, 'confirm', async (ctx, link) => {
    const words = wordsFor(language);
    if (!link.codeHash || !link.codeExpiresAt) {
      return { ok: false, status: 400, error: 'no_code', message: words.noCodeYet };
    }
    if (link.codeExpiresAt.getTime() <= ctx.now.getTime()) {
      audit(ctx, link, 'portal.code_rejected', { reason: 'expired' });
      return { ok: false, status: 403, error: 'code_expired', message: words.codeExpired };
    }
    if (!codeMatches(ctx.services.config.masterKey, link.id, 'portal', code, link.codeHash)) {
      const attempts = link.attempts + 1;
      const locks = attempts >= MAX_CODE_ATTEMPTS;
      await ctx.tx
        .update(portalLinks)
        .set({ attempts, ...(locks ? { lockedAt: ctx.now, codeHash: null } : {}) })
        .where(eq(portalLinks.id, link.id));
      audit(ctx, link, 'portal.code_rejected', { attempts });
      if (locks) {
        audit(ctx, link, 'portal.link_locked', { attempts });
        return { ok: false, status: 410, error: 'link_locked', message: words.locked };
      }
      return {
        ok: false,
        status: 403,
        error: 'wrong_code',
        message: words.wrongCode(MAX_CODE_ATTEMPTS - attempts),
      };
    }
    // A code is good once.
    await ctx.tx
      .update(portalLinks)
      .set({ attempts: 0, codeHash: null, codeExpiresAt: null })
      .where(eq(portalLinks.id, link.id));
    const [request] = await ctx.tx
      .select({ number: requests.number, language: requests.language })
      .from(requests)
      .where(eq(requests.id, link.requestId));
    const session = await createPortalSession(ctx, link);
    audit(ctx, link, 'portal.code_accepted');
    return {
      ok: true,
      value: {
        session,
        requestNumber: request!.number,
        language: request!.language === 'es' ? 'es' : 'en',
      },
    };
  });
}
