// rule SEC-4, SEC-5: an outbound email's body is sealed at rest. The requester's emails carry what
// opens the portal and the packet (a status-link token, the portal's 6-digit code, a secure link and
// its code) and an instructions email may carry health information; in PostgreSQL they are one
// AES-256-GCM value (text and HTML as JSON) under a key derived from the master key, bound to its
// row (AAD `outbound:<id>`), re-wrapped by `keys rotate` (crypto/rotate.ts SEALED_COLUMNS). The body
// is opened only to send it (send.ts), to show it masked in the Outbox and to read a code out on
// purpose (views.ts, audited). Rows written before migration 0015 hold it in plain until boot seals
// them (`sealLegacyOutboundEmails`); until then they read as written.
import type pg from 'pg';
import { deriveKey, seal, unsealWithRing } from '../crypto/seal.js';

export interface EmailBody {
  text: string;
  html: string;
}

const PURPOSE = 'outbound-mail';
const aad = (id: string) => `outbound:${id}`;

/** The sealed body of the email with this id (the row's `body_sealed`). */
export function sealOutboundBody(masterKey: Buffer, id: string, body: EmailBody): Buffer {
  const plain = Buffer.from(JSON.stringify({ text: body.text, html: body.html }), 'utf8');
  try {
    return seal(deriveKey(masterKey, PURPOSE), plain, aad(id));
  } finally {
    plain.fill(0);
  }
}

/** The columns an insert of an outbound email sets for its body. */
export function sealedBodyColumns(masterKey: Buffer, id: string, body: EmailBody) {
  return { bodySealed: sealOutboundBody(masterKey, id, body), text: null, html: null };
}

export class UnopenableEmailError extends Error {
  constructor(id: string) {
    super(`The body of email ${id} does not open with the master key.`);
  }
}

/**
 * The body of an outbound email row: opened with the master key's ring (a rotation may be under
 * way), or as written for a row from before 0015. Throws UnopenableEmailError when no key opens it.
 */
export function openOutboundBody(
  masterKey: Buffer,
  row: { id: string; bodySealed: Buffer | null; text: string | null; html: string | null },
): EmailBody {
  if (!row.bodySealed) return { text: row.text ?? '', html: row.html ?? '' };
  let plain: Buffer;
  try {
    plain = unsealWithRing(masterKey, PURPOSE, row.bodySealed, aad(row.id));
  } catch {
    throw new UnopenableEmailError(row.id);
  }
  const parsed = JSON.parse(plain.toString('utf8')) as EmailBody;
  plain.fill(0);
  return { text: parsed.text, html: parsed.html };
}

export interface SealLegacyResult {
  sealed: number;
}

/**
 * Seal every body still in plain (rows written before migration 0015, or restored from a backup
 * made before it), one small transaction per batch; rows another instance holds are skipped (sealed
 * at its next boot). SQL cannot seal: the key never leaves the application.
 */
export async function sealLegacyOutboundEmails(
  pool: pg.Pool,
  masterKey: Buffer,
  opts: { batchSize?: number } = {},
): Promise<SealLegacyResult> {
  const batchSize = opts.batchSize ?? 200;
  const result: SealLegacyResult = { sealed: 0 };
  for (;;) {
    const client = await pool.connect();
    let count = 0;
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; text: string; html: string }>(
        `select id::text as id, text, html from outbound_emails
          where body_sealed is null order by id limit $1 for update skip locked`,
        [batchSize],
      );
      count = rows.length;
      for (const row of rows) {
        await client.query(
          'update outbound_emails set body_sealed = $1, text = null, html = null where id = $2::uuid',
          [sealOutboundBody(masterKey, row.id, row), row.id],
        );
      }
      await client.query('commit');
      result.sealed += count;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    if (count < batchSize) return result;
  }
}
