// The words of prepared documents are health information: each version's title and body, and each
// comment, are sealed at rest (rule SEC-4) with a key derived from the master key, the associated
// data naming the row so a sealed value copied to another row fails. `keys rotate` re-seals them
// (crypto/rotate.ts SEALED_COLUMNS).
import type { Ctx } from '../context.js';
import { deriveKey, seal, unsealWithRing } from '../crypto/seal.js';

export interface VersionWords {
  title: string;
  body: string;
  /** Who the letter is addressed to when not the requester (given when the document was started). */
  recipient?: string | null;
}

const versionAad = (id: string) => `draft_version:${id}`;
const commentAad = (id: string) => `draft_comment:${id}`;
const key = (ctx: Ctx) => deriveKey(ctx.services.config.masterKey, 'draft-content');

export function sealVersion(ctx: Ctx, id: string, words: VersionWords): Buffer {
  return seal(key(ctx), Buffer.from(JSON.stringify(words), 'utf8'), versionAad(id));
}

export function openVersion(ctx: Ctx, id: string, sealed: Buffer): VersionWords {
  const raw = unsealWithRing(ctx.services.config.masterKey, 'draft-content', sealed, versionAad(id));
  const parsed = JSON.parse(raw.toString('utf8')) as Partial<VersionWords>;
  return {
    title: String(parsed.title ?? ''),
    body: String(parsed.body ?? ''),
    recipient: typeof parsed.recipient === 'string' ? parsed.recipient : null,
  };
}

export function sealComment(ctx: Ctx, id: string, body: string): Buffer {
  return seal(key(ctx), Buffer.from(body, 'utf8'), commentAad(id));
}

export function openComment(ctx: Ctx, id: string, sealed: Buffer): string {
  return unsealWithRing(ctx.services.config.masterKey, 'draft-content', sealed, commentAad(id)).toString(
    'utf8',
  );
}
