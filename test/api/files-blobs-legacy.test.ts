// Upgrading a practice whose files were written before blobs (issue 6, rule SEC-4): each such row
// holds its own wrapped key and whole ciphertext (AAD `file:<id>`). Until it is moved it is read as
// written; at boot it moves to a blob of its practice (joining an existing blob of the same bytes);
// a row that does not open is left as it is and still refused; a released packet's file moves too
// (REL-5 allows exactly that) and can never change afterwards.
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { boot } from '../../src/server/boot.js';
import { deriveKey, seal } from '../../src/server/crypto/seal.js';
import { drizzleOn } from '../../src/server/db/connect.js';
import { MIGRATIONS_DIR } from '../../src/server/db/migrate.js';
import {
  downloadPacket,
  readyPacket,
  recordPdf,
  sha256,
  sql,
  upload,
  type World,
  world,
} from '../packets/support.js';
import { createTestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { signIn } from '../support/session.js';

/** As someone holding the database's superuser would: past the triggers that keep content unchanged. */
async function asSuperuser(w: World, text: string, params: unknown[]): Promise<void> {
  const db = await w.t.running.services.database.pool.connect();
  try {
    await db.query('begin');
    await db.query('set local session_replication_role = replica');
    await db.query(text, params);
    await db.query('commit');
  } catch (err) {
    await db.query('rollback');
    throw err;
  } finally {
    db.release();
  }
}

/** A file's content as the previous release encrypted it: its own key, the file id bound in. */
function oldStyle(masterKey: Buffer, fileId: string, data: Buffer) {
  const fileKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(Buffer.from(`file:${fileId}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const wrappedKey = seal(deriveKey(masterKey, 'file-key'), fileKey, `file:${fileId}`);
  return { wrappedKey, iv, authTag: cipher.getAuthTag(), ciphertext };
}

/** Rewrite a file's row as the previous release wrote it: its own key and ciphertext, no blob. */
async function writtenTheOldWay(w: World, fileId: string, data: Buffer, opts: { dropBlob: boolean }) {
  const fileKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', fileKey, iv);
  cipher.setAAD(Buffer.from(`file:${fileId}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const wrappedKey = seal(deriveKey(w.t.config.masterKey, 'file-key'), fileKey, `file:${fileId}`);
  const [{ blob_id: blobId }] = (await sql(w, 'select blob_id from files where id = $1', [fileId])) as [
    { blob_id: string },
  ];
  await asSuperuser(
    w,
    `update files set blob_id = null, wrapped_key = $2, iv = $3, auth_tag = $4, ciphertext = $5 where id = $1`,
    [fileId, wrappedKey, iv, cipher.getAuthTag(), ciphertext],
  );
  if (opts.dropBlob) {
    await asSuperuser(w, 'delete from file_blob_chunks where blob_id = $1', [blobId]);
    await asSuperuser(w, 'delete from file_blobs where id = $1', [blobId]);
  }
}

/** Boot another instance on the same database (what an upgraded server does), and stop it. */
async function bootOnce(w: World): Promise<string[]> {
  const lines: string[] = [];
  const running = await boot(w.t.config, {
    log: (l) => lines.push(l),
    now: w.t.clock.now,
    jobMaintenance: false,
  });
  await running.close();
  return lines;
}

const row = async (w: World, fileId: string) =>
  (
    await sql<{ blob_id: string | null; legacy: boolean }>(
      w,
      'select blob_id, ciphertext is not null as legacy from files where id = $1',
      [fileId],
    )
  )[0]!;

describe('files written before blobs (SEC-4)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('SEC-4: an old row is read as written, moved to a blob at boot (the same bytes join the practice’s blob), and reads the same after', async () => {
    const r1 = (await createRequestAs(w.as.support!, w.client.id)).id;
    const r2 = (await createRequestAs(w.as.support!, w.client.id)).id;
    const shared = await recordPdf('Intake form, signed');
    const alone = await recordPdf('Discharge summary');
    const broken = await recordPdf('A row whose ciphertext was damaged');
    const fields = { documentClass: 'progress_notes', dateFrom: '2026-01-01', dateTo: '2026-01-31' };
    const p = await upload(w, r1, 'intake.pdf', shared, fields);
    const q = await upload(w, r2, 'intake.pdf', shared, fields);
    const s = await upload(w, r1, 'discharge.pdf', alone, fields);
    const t = await upload(w, r1, 'damaged.pdf', broken, fields);
    const sharedBlob = (await row(w, q.id)).blob_id;
    await writtenTheOldWay(w, p.id, shared, { dropBlob: false }); // q still uses the blob
    await writtenTheOldWay(w, s.id, alone, { dropBlob: true });
    await writtenTheOldWay(w, t.id, broken, { dropBlob: true });
    await asSuperuser(
      w,
      'update files set ciphertext = set_byte(ciphertext, 30, get_byte(ciphertext, 30) # 1) where id = $1',
      [t.id],
    );
    expect(await row(w, p.id)).toEqual({ blob_id: null, legacy: true });

    const get = (requestId: string, fileId: string) =>
      w.as.support!.get(`/api/requests/${requestId}/files/${fileId}`);
    // Before the move: read as written.
    expect((await get(r1, p.id)).rawPayload.equals(shared)).toBe(true);
    expect((await get(r1, s.id)).rawPayload.equals(alone)).toBe(true);
    expect((await get(r1, t.id)).statusCode).toBe(500);

    const log = await bootOnce(w);
    expect(log).toContain('Moved 2 file(s) to deduplicated blobs.');
    expect(log).toContain('1 file(s) did not open with the master key and were left as they are.');
    expect(await row(w, p.id)).toEqual({ blob_id: sharedBlob, legacy: false });
    const moved = await row(w, s.id);
    expect(moved.legacy).toBe(false);
    expect(moved.blob_id).not.toBeNull();
    const [blob] = await sql(w, 'select size, sha256, chunk_count from file_blobs where id = $1', [
      moved.blob_id,
    ]);
    expect(blob).toEqual({ size: alone.length, sha256: sha256(alone), chunk_count: 1 });
    expect(await row(w, t.id)).toEqual({ blob_id: null, legacy: true });

    // After the move: the same bytes; the damaged row still refused with the integrity error.
    expect((await get(r1, p.id)).rawPayload.equals(shared)).toBe(true);
    expect((await get(r1, s.id)).rawPayload.equals(alone)).toBe(true);
    const damaged = await get(r1, t.id);
    expect(damaged.statusCode).toBe(500);
    expect(damaged.json()).toMatchObject({ error: 'file_integrity' });
    // Booting again moves nothing more.
    expect((await bootOnce(w)).some((l) => l.startsWith('Moved'))).toBe(false);
  });

  it('SEC-4, REL-5: a released packet’s file written before blobs moves at boot, and its content can never change after', async () => {
    const { request, packet } = await readyPacket(w);
    const released = await w.as.support!.post(`/api/requests/${request.id}/release`, {
      method: 'secure_download',
    });
    expect(released.statusCode, released.body).toBe(200);
    const bytes = await downloadPacket(w, request.id, packet.id);
    await writtenTheOldWay(w, packet.fileId!, bytes, { dropBlob: true });

    const log = await bootOnce(w);
    expect(log).toContain('Moved 1 file(s) to deduplicated blobs.');
    const moved = await row(w, packet.fileId!);
    expect(moved.legacy).toBe(false);
    expect(sha256(await downloadPacket(w, request.id, packet.id))).toBe(packet.sha256);

    await expect(sql(w, 'delete from files where id = $1', [packet.fileId])).rejects.toThrow(/REL-5/);
    await expect(
      sql(w, "update file_blob_chunks set ciphertext = '\\x00' where blob_id = $1", [moved.blob_id]),
    ).rejects.toThrow(/SEC-4/);
    await expect(
      sql(w, "update files set blob_id = null, ciphertext = '\\x00' where id = $1", [packet.fileId]),
    ).rejects.toThrow(/SEC-4|REL-5/);
  });
});

describe('a database of the previous release (SEC-4)', () => {
  it('SEC-4: upgrading a database whose file was written before blobs keeps the file: migration 0010 applies over it, boot moves it to a blob, it downloads byte for byte', async () => {
    // The previous release's database: every migration before 0010_file_blobs.
    const adminUrl = inject('adminUrl');
    const name = `${inject('runPrefix')}_old_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const folder = mkdtempSync(path.join(tmpdir(), 'rd-old-migrations-'));
    cpSync(MIGRATIONS_DIR, folder, { recursive: true });
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    const cut = journal.entries.findIndex((e) => e.tag.endsWith('_file_blobs'));
    expect(cut).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, cut);
    writeFileSync(journalFile, JSON.stringify(journal));
    const old = new pg.Pool({ connectionString: url.toString(), max: 1 });
    const masterKey = randomBytes(32);
    const pdf = await recordPdf('Written by the previous release');
    const ids = {
      practice: randomUUID(),
      user: randomUUID(),
      client: randomUUID(),
      request: randomUUID(),
      file: randomUUID(),
    };
    try {
      const client = await old.connect();
      try {
        await client.query('set client_min_messages = warning');
        await migrate(drizzleOn(client), { migrationsFolder: folder });
      } finally {
        client.release();
      }
      const q = (text: string, params: unknown[]) => old.query(text, params);
      await q(
        `insert into practices (id, name, state, time_zone) values ($1, 'Old Oak Counseling', 'WA', 'America/Los_Angeles')`,
        [ids.practice],
      );
      await q(
        `insert into users (id, practice_id, email, name, roles) values ($1, $2, 'th@old.test', 'Theo Therapist', '{therapist}')`,
        [ids.user, ids.practice],
      );
      await q(
        `insert into clients (id, practice_id, first_name, last_name, date_of_birth) values ($1, $2, 'Ana', 'Silva', '1990-05-01')`,
        [ids.client, ids.practice],
      );
      await q(
        `insert into requests (id, practice_id, number, kind, client_id, therapist_id, requester_name, document_classes, deliverable,
           delivery_format, received_at, channel, legal_due_at, legal_due_basis, created_by)
         values ($1, $2, 'R-OLD-1', 'client_access', $3, $4, 'Ana Silva', '{progress_notes}', 'copy', 'pdf', now(), 'email',
           now() + interval '30 days', 'law', $4)`,
        [ids.request, ids.practice, ids.client, ids.user],
      );
      const sealed = oldStyle(masterKey, ids.file, pdf);
      await q(
        `insert into files (id, practice_id, request_id, purpose, name, content_type, size, sha256, wrapped_key, iv, auth_tag,
           ciphertext, uploaded_by)
         values ($1, $2, $3, 'request', 'old.pdf', 'application/pdf', $4, $5, $6, $7, $8, $9, $10)`,
        [
          ids.file,
          ids.practice,
          ids.request,
          pdf.length,
          createHash('sha256').update(pdf).digest('hex'),
          sealed.wrappedKey,
          sealed.iv,
          sealed.authTag,
          sealed.ciphertext,
          ids.user,
        ],
      );
    } finally {
      await old.end();
      rmSync(folder, { recursive: true, force: true });
    }

    // The new release boots on it: migrations, then the move.
    const t = await createTestApp({ databaseUrl: url.toString(), masterKey });
    try {
      const [moved] = (
        await t.running.services.database.pool.query(
          'select blob_id, ciphertext is null as cleared from files where id = $1',
          [ids.file],
        )
      ).rows;
      expect(moved).toMatchObject({ cleared: true });
      expect(moved.blob_id).toEqual(expect.any(String));
      const support = await signIn(
        t,
        await createUser(
          t,
          { id: ids.practice, name: 'Old Oak Counseling', timeZone: 'America/Los_Angeles' },
          ['support'],
        ),
      );
      const res = await support.get(`/api/requests/${ids.request}/files/${ids.file}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload.equals(pdf)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
