// The recipient's side of a secure link (rule REL-2), with no staff session: open it (only the
// practice's name and that a document waits), confirm the emailed code (and the second channel for
// a third party), download (counted against the limit). Every open, code attempt and download is
// audited in the link's practice with no actor (the recipient is named in the event's data).
// A link that can no longer be used answers 410 and says why, and nothing else. Wrong codes are
// counted in the same transaction that answers them, so the count survives the refusal; at
// MAX_CODE_ATTEMPTS the link locks.
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { record } from '../audit/record.js';
import { safeEqual } from '../auth/tokens.js';
import type { Ctx, RequestMeta, Services } from '../context.js';
import { clients, practices, requests } from '../db/schema.js';
import { deliveryLinks, packets } from '../db/schema-packets.js';
import { authorizations } from '../db/schema-rules.js';
import { inTransaction } from '../db/tx.js';
import { FileIntegrityError, readFileInternal } from '../documents/storage.js';
import { isRevoked } from '../rules/authorization.js';
import { codeMatches, GRANT_MINUTES, MAX_CODE_ATTEMPTS, newGrant, tokenHash } from './codes.js';
import { type LinkRow, type LinkState, linkState } from './present.js';
import type { confirmLinkSchema } from './schemas.js';

export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 410 | 500;
  error: string;
  message: string;
  /**
   * Issue 7: a link that exists but can no longer be used (410) says its request's language, and
   * nothing else about it, so the recipient's page explains it in that language.
   */
  language?: 'en' | 'es';
}
export type Outcome<T> = { ok: true; value: T } | Refusal;

const GONE: Record<Exclude<LinkState, 'active'>, Refusal> = {
  expired: {
    ok: false,
    status: 410,
    error: 'link_expired',
    message: 'This link has expired. Ask the sender for a new one.',
  },
  revoked: {
    ok: false,
    status: 410,
    error: 'link_revoked',
    message: 'This link is no longer valid. Ask the sender if you still need the document.',
  },
  used_up: {
    ok: false,
    status: 410,
    error: 'link_used_up',
    message: 'This link has been used as many times as allowed. Ask the sender for a new one.',
  },
  locked: {
    ok: false,
    status: 410,
    error: 'link_locked',
    message: 'This link is locked after too many wrong codes. Ask the sender for a new one.',
  },
};
const UNKNOWN: Refusal = { ok: false, status: 404, error: 'not_found', message: 'There is no such link.' };

/** Find the link's practice, then work in one transaction in it, with the link row locked. */
async function withLink<T>(
  services: Services,
  meta: RequestMeta,
  token: string,
  action: string,
  fn: (ctx: Ctx, link: LinkRow) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const hash = tokenHash(token);
  const [found] = await services.database.db
    .select({ practiceId: deliveryLinks.practiceId })
    .from(deliveryLinks)
    .where(eq(deliveryLinks.tokenHash, hash));
  if (!found) {
    // No practice to record it in: the refusal goes to the instance's own chain, like an unknown email at sign-in.
    await inTransaction(services, meta, null, async (ctx) => {
      record(ctx, { type: 'delivery_link.refused', data: { action, reason: 'unknown_link' } });
    });
    return UNKNOWN;
  }
  return inTransaction(
    services,
    meta,
    null,
    async (ctx) => {
      const [link] = await ctx.tx
        .select()
        .from(deliveryLinks)
        .where(eq(deliveryLinks.tokenHash, hash))
        .for('update');
      if (!link) return UNKNOWN;
      const state = linkState(link, ctx.now);
      if (state !== 'active') {
        audit(ctx, link, 'delivery_link.refused', { action, reason: state });
        const [request] = await ctx.tx
          .select({ language: requests.language })
          .from(requests)
          .where(eq(requests.id, link.requestId));
        return { ...GONE[state], language: request?.language === 'es' ? 'es' : 'en' };
      }
      return fn(ctx, link);
    },
    { practiceId: found.practiceId },
  );
}

function audit(
  ctx: Ctx,
  link: LinkRow,
  type:
    | 'delivery_link.opened'
    | 'delivery_link.code_accepted'
    | 'delivery_link.code_rejected'
    | 'delivery_link.locked'
    | 'delivery_link.refused'
    | 'delivery_link.downloaded',
  data: Record<string, unknown>,
): void {
  record(ctx, {
    type,
    requestId: link.requestId,
    data: { linkId: link.id, by: 'recipient', recipientEmail: link.recipientEmail, ...data },
  });
}

export interface OpenedLink {
  practiceName: string;
  /**
   * Issue 5: how to reach the practice (the privacy officer's phone and email, the practice's
   * records contact), for when the code does not arrive. Contact details only (REL-2).
   */
  practicePhone: string | null;
  practiceEmail: string | null;
  /** Issue 5: email is set up (SMTP_URL); without it the code waits in the outbox, read out by phone. */
  mailDelivered: boolean;
  message: string;
  /** What the confirmation asks for: always the emailed code, and the second channel if any. */
  needs: ('code' | 'phoneCode' | 'dateOfBirth')[];
  expiresAt: string;
  /** Issue 7: the request's language, for the recipient page's words ('es' for a request in Spanish). */
  language: 'en' | 'es';
}

export function openLink(services: Services, meta: RequestMeta, token: string): Promise<Outcome<OpenedLink>> {
  return withLink(services, meta, token, 'open', async (ctx, link) => {
    const [practice] = await ctx.tx
      .select({
        name: practices.name,
        phone: practices.privacyOfficerPhone,
        email: practices.privacyOfficerEmail,
      })
      .from(practices)
      .where(eq(practices.id, link.practiceId));
    const [request] = await ctx.tx
      .select({ language: requests.language })
      .from(requests)
      .where(eq(requests.id, link.requestId));
    audit(ctx, link, 'delivery_link.opened', {});
    const needs: OpenedLink['needs'] = ['code'];
    if (link.secondChannel === 'phone_code') needs.push('phoneCode');
    if (link.secondChannel === 'date_of_birth') needs.push('dateOfBirth');
    return {
      ok: true,
      value: {
        practiceName: practice?.name ?? '',
        practicePhone: practice?.phone ?? null,
        practiceEmail: practice?.email ?? null,
        mailDelivered: Boolean(ctx.services.config.mail.smtpUrl),
        message: 'A document is waiting for you. Enter the confirmation code we sent you to download it.',
        needs,
        expiresAt: link.expiresAt.toISOString(),
        language: request?.language === 'es' ? 'es' : 'en',
      },
    };
  });
}

export interface Confirmed {
  grant: string;
  grantExpiresAt: string;
  downloadsLeft: number;
}

export function confirmLink(
  services: Services,
  meta: RequestMeta,
  token: string,
  input: z.infer<typeof confirmLinkSchema>,
): Promise<Outcome<Confirmed>> {
  return withLink(services, meta, token, 'confirm', async (ctx, link) => {
    const key = ctx.services.config.masterKey;
    if (link.secondChannel === 'phone_code' && !input.phoneCode) {
      return {
        ok: false,
        status: 400,
        error: 'bad_request',
        message: 'Enter the code read out to you by phone too.',
      };
    }
    if (link.secondChannel === 'date_of_birth' && !input.dateOfBirth) {
      return {
        ok: false,
        status: 400,
        error: 'bad_request',
        message: 'Enter the client’s date of birth too.',
      };
    }
    const failed: string[] = [];
    if (!codeMatches(key, link.id, 'email', input.code, link.codeHash)) failed.push('code');
    if (
      link.secondChannel === 'phone_code' &&
      !codeMatches(key, link.id, 'phone', input.phoneCode!, link.phoneCodeHash!)
    ) {
      failed.push('phoneCode');
    }
    if (link.secondChannel === 'date_of_birth') {
      const [c] = await ctx.tx
        .select({ dob: clients.dateOfBirth })
        .from(requests)
        .innerJoin(clients, eq(clients.id, requests.clientId))
        .where(and(eq(requests.id, link.requestId), eq(requests.practiceId, link.practiceId)));
      if (!c || c.dob !== input.dateOfBirth) failed.push('dateOfBirth');
    }
    if (failed.length > 0) {
      const attempts = link.attempts + 1;
      const locks = attempts >= MAX_CODE_ATTEMPTS;
      await ctx.tx
        .update(deliveryLinks)
        .set({ attempts, ...(locks ? { lockedAt: ctx.now, grantHash: null, grantExpiresAt: null } : {}) })
        .where(eq(deliveryLinks.id, link.id));
      // rule SEC-5: which answer was wrong, never what was typed.
      audit(ctx, link, 'delivery_link.code_rejected', { attempts, failed });
      if (locks) {
        audit(ctx, link, 'delivery_link.locked', { attempts });
        return GONE.locked;
      }
      const left = MAX_CODE_ATTEMPTS - attempts;
      return {
        ok: false,
        status: 403,
        error: 'wrong_code',
        message: `That is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before the link locks.`,
      };
    }
    const grant = newGrant();
    const grantExpiresAt = new Date(ctx.now.getTime() + GRANT_MINUTES * 60_000);
    await ctx.tx
      .update(deliveryLinks)
      .set({ attempts: 0, grantHash: tokenHash(grant), grantExpiresAt })
      .where(eq(deliveryLinks.id, link.id));
    audit(ctx, link, 'delivery_link.code_accepted', { secondChannel: link.secondChannel });
    return {
      ok: true,
      value: {
        grant,
        grantExpiresAt: grantExpiresAt.toISOString(),
        downloadsLeft: link.maxDownloads - link.downloads,
      },
    };
  });
}

export interface Downloaded {
  name: string;
  data: Buffer;
  sha256: string;
}

const CONFIRM_FIRST: Refusal = {
  ok: false,
  status: 403,
  error: 'confirm_first',
  message: 'Enter the confirmation code first (or again: it is good for one download, for 15 minutes).',
};

export function downloadViaLink(
  services: Services,
  meta: RequestMeta,
  token: string,
  grant: string,
): Promise<Outcome<Downloaded>> {
  return withLink(services, meta, token, 'download', async (ctx, link) => {
    const granted =
      !!link.grantHash &&
      !!link.grantExpiresAt &&
      link.grantExpiresAt.getTime() > ctx.now.getTime() &&
      safeEqual(tokenHash(grant), link.grantHash);
    if (!granted) {
      audit(ctx, link, 'delivery_link.refused', { action: 'download', reason: 'not_confirmed' });
      return CONFIRM_FIRST;
    }
    return deliverLinkFile(ctx, link);
  });
}

/**
 * The packet of a link whose recipient has proved who they are (the grant here; the requester
 * portal's session, which proved the same emailed code, for a link with no second channel):
 * checked, read, counted against the link's limit and audited. The caller holds the link row locked.
 */
export async function deliverLinkFile(ctx: Ctx, link: LinkRow): Promise<Outcome<Downloaded>> {
  const [packet] = await ctx.tx
    .select()
    .from(packets)
    .where(and(eq(packets.id, link.packetId), eq(packets.practiceId, link.practiceId)));
  let usable = !!packet?.fileId && (packet.status === 'ready' || packet.status === 'released');
  // rule AUTH-5: belt and braces; revoking the authorization revoked the link already.
  if (usable && link.authorizationId) {
    const [a] = await ctx.tx
      .select({ revocationReceivedAt: authorizations.revocationReceivedAt })
      .from(authorizations)
      .where(eq(authorizations.id, link.authorizationId));
    usable = !!a && !isRevoked(a, ctx.now);
  }
  if (!usable) {
    audit(ctx, link, 'delivery_link.refused', { action: 'download', reason: 'packet_unavailable' });
    return GONE.revoked;
  }
  let file: Awaited<ReturnType<typeof readFileInternal>>;
  try {
    file = await readFileInternal(ctx, {
      requestId: link.requestId,
      fileId: packet!.fileId!,
      purpose: 'secure_link',
    });
  } catch (err) {
    if (!(err instanceof FileIntegrityError)) throw err;
    return {
      ok: false,
      status: 500,
      error: 'file_integrity',
      message: 'The document cannot be opened. Contact the sender.',
    };
  }
  if (file.sha256 !== packet!.sha256) {
    return {
      ok: false,
      status: 500,
      error: 'file_integrity',
      message: 'The document cannot be opened. Contact the sender.',
    };
  }
  const downloads = link.downloads + 1;
  await ctx.tx
    .update(deliveryLinks)
    .set({ downloads, grantHash: null, grantExpiresAt: null })
    .where(eq(deliveryLinks.id, link.id));
  audit(ctx, link, 'delivery_link.downloaded', {
    packetId: packet!.id,
    packetVersion: packet!.version,
    sha256: packet!.sha256,
    size: file.data.length,
    downloads,
    maxDownloads: link.maxDownloads,
  });
  return { ok: true, value: { name: file.name, data: file.data, sha256: file.sha256 } };
}
