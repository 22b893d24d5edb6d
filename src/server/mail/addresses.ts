// Reply addresses and Message-IDs (issue 5). Each thread has its own reply address
// records+<token>@<domain>: the token is 128 random bits (base32), so it cannot be guessed; it only
// routes a reply to its thread, and the sender must still be a participant of that thread.
import { randomBytes } from 'node:crypto';
import type { MailConfig } from '../config.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 128 random bits as 26 lower-case base32 characters (case-insensitive, safe in a local part). */
export function newReplyToken(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, 26);
}

export function replyAddress(mail: MailConfig, token: string): string {
  return `${mail.replyLocalPart}+${token}@${mail.replyDomain}`;
}

/** The plus tokens of addresses at our reply domain (To, Cc, Delivered-To, the envelope…). */
export function tokensIn(mail: MailConfig, addresses: readonly string[]): string[] {
  const found: string[] = [];
  for (const raw of addresses) {
    const address = bareAddress(raw);
    if (!address) continue;
    const at = address.lastIndexOf('@');
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (domain !== mail.replyDomain) continue;
    const plus = local.indexOf('+');
    if (plus < 0 || local.slice(0, plus) !== mail.replyLocalPart) continue;
    const token = local.slice(plus + 1);
    if (/^[a-z2-7]{26}$/.test(token) && !found.includes(token)) found.push(token);
  }
  return found;
}

/** "Ana <Ana@X.org>" -> "ana@x.org"; null when there is no address. */
export function bareAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const angle = raw.match(/<([^<>\s]+@[^<>\s]+)>/);
  const candidate = (angle?.[1] ?? raw).trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(candidate) ? candidate : null;
}

/** A stable Message-ID for an outbound email: the same on every retry. */
export function messageIdFor(mail: MailConfig, outboundId: string): string {
  return `<${outboundId}@${mail.replyDomain}>`;
}

/** "<a@b>" with angle brackets, lower-cased domain untouched; null for nothing usable. */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const m = raw.trim().match(/<?([^<>\s]+)>?/);
  return m ? `<${m[1]}>` : null;
}

/** mailparser gives References as a string for one id and an array for several. */
export function normalizeReferences(raw: string | string[] | null | undefined): string[] {
  const list = Array.isArray(raw) ? raw : raw ? raw.split(/\s+/) : [];
  return list.map(normalizeMessageId).filter((v): v is string => v !== null);
}
