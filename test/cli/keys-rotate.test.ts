// `release-desk keys rotate` (SEC-4): every file key (now each blob's key) and sealed secret moves to
// a new master key in batches while the server keeps working; then the old key is refused at boot, a
// tampered chunk is still refused, an interrupted rotation is resumed by running the command again,
// and each finished rotation is one `keys.rotated` row in the practice's audit chain (SEC-3).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { boot, type Running } from '../../src/server/boot.js';
import { type CliIo, main } from '../../src/server/cli/main.js';
import { loadConfig } from '../../src/server/config.js';
import { rotateMasterKey, SEALED_COLUMNS } from '../../src/server/crypto/rotate.js';
import { deriveKey, unseal } from '../../src/server/crypto/seal.js';
import { fingerprint, KeyMismatchError } from '../../src/server/db/keys.js';
import { recordPdf, sha256, sql, toRelease, upload, type World, world } from '../packets/support.js';
import type { TestApp } from '../support/app.js';
import { agentFor, auditRows } from '../support/session.js';

function envFor(app: TestApp, masterKey = app.config.masterKey): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: app.databaseUrl,
    RELEASE_DESK_MASTER_KEY: masterKey.toString('base64'),
    RELEASE_DESK_AUDIT_KEY: app.config.auditKey.toString('base64'),
    RELEASE_DESK_PUBLIC_URL: app.config.publicUrl,
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function keyFile(key: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rd-key-')), 'new.key');
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return file;
}

/** A second instance on the same database, with the keys given. */
async function instance(w: World, masterKey: Buffer, previousMasterKeys: Buffer[] = []): Promise<TestApp> {
  const config = loadConfig(
    {},
    {
      dataDir: mkdtempSync(path.join(tmpdir(), 'rd-app-')),
      databaseUrl: w.t.databaseUrl,
      masterKey,
      previousMasterKeys,
      auditKey: w.t.config.auditKey,
      logLevel: 'silent',
    },
  );
  const running: Running = await boot(config, { log: () => {}, now: w.t.clock.now, jobMaintenance: false });
  const app = await buildApp(running.services);
  await app.ready();
  return {
    ...w.t,
    app,
    running,
    config,
    async close() {
      await app.close();
      await running.close();
    },
  };
}

/** Change stored content as a superuser could: past the triggers that keep it unchanged. */
async function tamper(w: World, text: string, params: unknown[]): Promise<void> {
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

/** Download through another instance, as the support person already signed in. */
async function download(w: World, on: TestApp, requestId: string, fileId: string) {
  const a = w.as.support!;
  return agentFor(on, a.user, { cookie: a.cookie, csrfToken: a.csrfToken, ip: a.ip }).get(
    `/api/requests/${requestId}/files/${fileId}`,
  );
}

/** Every sealed value of the database opens with this key's derived keys (and only counts them). */
async function sealedOpenWith(w: World, key: Buffer): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  for (const t of SEALED_COLUMNS) {
    const rows = await sql(
      w,
      `select ${t.key}::text as k, ${t.select}, ${t.column} as sealed from ${t.table} where ${t.column} is not null`,
    );
    for (const row of rows) {
      try {
        unseal(deriveKey(key, t.purpose), row.sealed as Buffer, t.aad(row));
        ok++;
      } catch {
        failed++;
      }
    }
  }
  return { ok, failed };
}

describe('keys rotate (SEC-4)', () => {
  let w: World;
  let requestId: string;
  let fileIds: string[];
  let pdfs: Buffer[];
  const opened: TestApp[] = [];

  beforeAll(async () => {
    w = await world();
    const r = await toRelease(w);
    requestId = r.id;
    pdfs = [
      await recordPdf('Progress note A'),
      await recordPdf('Progress note B'),
      await recordPdf('Note C'),
    ];
    fileIds = [];
    for (const [i, pdf] of pdfs.entries()) {
      const f = await upload(w, r.id, `note-${i}.pdf`, pdf, {
        documentClass: 'progress_notes',
        dateFrom: '2026-02-01',
        dateTo: '2026-03-31',
      });
      fileIds.push(f.id);
    }
  });
  afterAll(async () => {
    for (const t of opened) await t.close();
    await w?.t.close();
  });

  it('SEC-4: an interrupted rotation leaves both keys readable (either key opens), refuses another new key, and resumes', async () => {
    const oldKey = w.t.config.masterKey;
    const newKey = randomBytes(32);
    const before = await sealedOpenWith(w, oldKey);
    const chunksDigest = async () =>
      (
        await sql(
          w,
          "select md5(string_agg(ciphertext, '' order by blob_id, index)) as d from file_blob_chunks",
        )
      )[0]!.d;
    const chunksBefore = await chunksDigest();
    expect(before.failed).toBe(0);
    expect(before.ok).toBeGreaterThanOrEqual(3 + 4); // three files' blobs and the staff's TOTP secrets
    const blobKeys = await sql(w, 'select count(*)::int as n from file_blobs');
    expect(blobKeys[0]?.n).toBeGreaterThanOrEqual(3);

    const partial = await rotateMasterKey(w.t.running.services.database.pool, [oldKey], newKey, {
      auditKey: w.t.config.auditKey,
      batchSize: 1,
      // One batch finds no legacy files.wrapped_key (every file here is a blob), then two blob keys.
      stopAfterBatches: 3,
    });
    expect(partial.complete).toBe(false);
    expect(partial.rewrapped).toBe(2);
    const mid = await sealedOpenWith(w, newKey);
    expect(mid.ok).toBe(2);
    const [next] = await sql(w, `select fingerprint from instance_keys where purpose = 'master:next'`);
    expect(next?.fingerprint).toBe(fingerprint(newKey));

    // An instance restarted with the new key (and the old one as previous) reads every file.
    const during = await instance(w, newKey, [oldKey]);
    opened.push(during);
    for (const [i, id] of fileIds.entries()) {
      const res = await download(w, during, requestId, id);
      expect(res.statusCode, res.body).toBe(200);
      expect(sha256(res.rawPayload)).toBe(sha256(pdfs[i]!));
    }
    // The CLI still on the old key boots mid-rotation; a rotation to a different key is refused.
    const stillOld = await cli(['keys', 'rotate', '--new-key-file', keyFile(randomBytes(32))], envFor(w.t));
    expect(stillOld.code).toBe(1);
    expect(stillOld.err).toContain('A rotation to another key');

    const resumed = await cli(['keys', 'rotate', '--new-key-file', keyFile(newKey)], envFor(w.t));
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('Rotated:');
    const after = await sealedOpenWith(w, newKey);
    expect(after).toEqual({ ok: before.ok, failed: 0 });
    // Only the blobs' keys were re-wrapped: not one chunk of content was re-encrypted.
    expect(await chunksDigest()).toBe(chunksBefore);
    expect((await sealedOpenWith(w, oldKey)).ok).toBe(0);
    const keys = await sql(w, `select purpose, fingerprint from instance_keys where purpose like 'master%'`);
    expect(keys).toEqual([{ purpose: 'master', fingerprint: fingerprint(newKey) }]);
  });

  it('SEC-4: after rotation the files open with the new key alone, the old key is refused at boot, a tampered ciphertext is still refused', async () => {
    const [{ fingerprint: fp }] = (await sql(
      w,
      `select fingerprint from instance_keys where purpose = 'master'`,
    )) as [{ fingerprint: string }];
    const oldKey = w.t.config.masterKey;
    const newKey = opened[0]!.config.masterKey;
    expect(fingerprint(newKey)).toBe(fp);

    const fresh = await instance(w, newKey);
    opened.push(fresh);
    for (const [i, id] of fileIds.entries()) {
      const res = await download(w, fresh, requestId, id);
      expect(res.statusCode, res.body).toBe(200);
      expect(sha256(res.rawPayload)).toBe(sha256(pdfs[i]!));
    }

    await expect(instance(w, oldKey)).rejects.toBeInstanceOf(KeyMismatchError);
    const cliOld = await cli(['audit', 'verify'], envFor(w.t, oldKey));
    expect(cliOld.code).toBe(1);
    expect(cliOld.err).toContain('not the one this database was set up with');

    await tamper(
      w,
      `update file_blob_chunks set ciphertext = overlay(ciphertext placing '\\xff'::bytea from 20 for 1)
        where blob_id = (select blob_id from files where id = $1)`,
      [fileIds[1]],
    );
    const tampered = await download(w, fresh, requestId, fileIds[1]!);
    expect(tampered.statusCode).toBe(500);
    expect(tampered.json()).toMatchObject({ error: 'file_integrity' });
    // A wrapped key copied to another blob does not open there either (the blob id is bound in).
    await sql(
      w,
      `update file_blobs set wrapped_key = (select b.wrapped_key from file_blobs b join files f on f.blob_id = b.id where f.id = $1)
        where id = (select blob_id from files where id = $2)`,
      [fileIds[0], fileIds[2]],
    );
    expect((await download(w, fresh, requestId, fileIds[2]!)).statusCode).toBe(500);
  });

  it('SEC-4: keys rotate refuses bad usage before touching the database', async () => {
    const missing = await cli(['keys', 'rotate', '--new-key-file', '/nonexistent/new.key'], envFor(w.t));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--new-key-file: no such file');
    const bad = await cli(['keys', 'rotate', '--batch-size', '0'], envFor(w.t));
    expect(bad.code).toBe(2);
    const short = keyFile(randomBytes(16));
    const wrong = await cli(
      ['keys', 'rotate', '--new-key-file', short],
      envFor(w.t, opened[0]!.config.masterKey),
    );
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('must be 32 bytes');
  });

  it('SEC-4: without --new-key-file the new key is generated next to the current key file, its path printed, and the database switches to it', async () => {
    const current = opened[0]!.config.masterKey;
    const currentFile = keyFile(current);
    const env = {
      ...envFor(w.t),
      RELEASE_DESK_MASTER_KEY: undefined,
      RELEASE_DESK_MASTER_KEY_FILE: currentFile,
    };
    const run = await cli(['keys', 'rotate', '--batch-size', '2'], env);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`New master key written to ${currentFile}.next`);
    expect(run.out).toContain(`RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE=${currentFile}`);
    const generated = Buffer.from(readFileSync(`${currentFile}.next`, 'utf8').trim(), 'base64');
    expect((statSync(`${currentFile}.next`).mode & 0o777).toString(8)).toBe('600');
    const [{ fingerprint: fp }] = (await sql(
      w,
      `select fingerprint from instance_keys where purpose = 'master'`,
    )) as [{ fingerprint: string }];
    expect(fp).toBe(fingerprint(generated));
    // Tampered rows stay refused and are reported, the others moved.
    expect(run.err).toContain('opens with no key');
    const moved = await sealedOpenWith(w, generated);
    expect(moved.failed).toBe(1); // the wrapped key copied to another blob
    const again = await instance(w, generated);
    opened.push(again);
    expect((await download(w, again, requestId, fileIds[0]!)).statusCode).toBe(200);
  });

  it('SEC-3, SEC-4: each finished rotation is one keys.rotated row in the practice’s audit chain (start, finish, counts, no key material), and audit verify still verifies', async () => {
    const [practice] = await sql(w, 'select id from practices');
    const rows = await auditRows(w.t, 'keys.rotated');
    // The interrupted run recorded nothing; the resumed one and the one to a generated key one each.
    expect(rows.map((r) => r.practiceId)).toEqual([practice!.id, practice!.id]);
    const [first, second] = rows.map((r) => r.data) as Array<Record<string, unknown>>;
    expect(first).toMatchObject({
      alreadyNew: 2, // the two values the interrupted run had moved
      unopenable: 0,
      newKeyFingerprint: fingerprint(opened[0]!.config.masterKey),
    });
    expect(first!.rewrapped).toEqual(expect.any(Number));
    expect(Date.parse(String(first!.startedAt))).toBeLessThanOrEqual(Date.parse(String(first!.finishedAt)));
    const latest = opened[opened.length - 1]!.config.masterKey;
    expect(second).toMatchObject({ unopenable: 1, newKeyFingerprint: fingerprint(latest) });
    expect(Number(second!.rewrapped) + Number(second!.alreadyNew)).toBe(
      Number(first!.rewrapped) + Number(first!.alreadyNew) - 1,
    );
    const text = JSON.stringify(rows);
    for (const key of [w.t.config.masterKey, opened[0]!.config.masterKey, latest]) {
      expect(text).not.toContain(key.toString('base64'));
      expect(text).not.toContain(key.toString('hex'));
    }
    const verify = await cli(['audit', 'verify'], envFor(w.t, latest));
    expect(verify.code, verify.err).toBe(0);
  });
});
