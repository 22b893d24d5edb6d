// `backup <file>` / `restore <file>`: the way data moves to a new PostgreSQL major (the embedded
// server ships no pg_dump). A request with its thread, a file and a disclosure, made through the API,
// is backed up (encrypted: no plaintext row in the file) and restored into a new database with the
// master key alone: every row comes back exactly, the audit chain verifies, and the file opens. Live
// data, a damaged, cut or extended file and a wrong key are refused before anything is written.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { sealedLines } from '../../src/server/backup/sealed-stream.js';
import { fingerprint } from '../../src/server/db/keys.js';
import { cli, dump } from '../backup/support.js';
import { recordPdf } from '../packets/support.js';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, runJobs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

// A real PDF (uploads are checked for structure), unique to the run so no earlier file matches it.
const PDF = await recordPdf(`Progress note ${randomBytes(8).toString('hex')}`);

function envFor(databaseUrl: string, keys: { masterKey: Buffer; auditKey: Buffer }): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl,
    RELEASE_DESK_MASTER_KEY: keys.masterKey.toString('base64'),
    RELEASE_DESK_AUDIT_KEY: keys.auditKey.toString('base64'),
  };
}

/** What a restore is given: the database and the master key, nothing else. */
function masterOnly(databaseUrl: string, masterKey: Buffer): NodeJS.ProcessEnv {
  return { DATABASE_URL: databaseUrl, RELEASE_DESK_MASTER_KEY: masterKey.toString('base64') };
}

/** The decrypted content of a backup, as text lines (the test reads it; the app never keeps it). */
async function contentLines(file: string, masterKey: Buffer): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of sealedLines(file, masterKey)) lines.push(line.toString('utf8').trimEnd());
  return lines;
}

async function count(url: string, table: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>(`select count(*)::int as n from public."${table}"`)).rows[0]!.n;
  } finally {
    await c.end();
  }
}

function upload(t: TestApp, agent: Agent, requestId: string, data: Buffer) {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nrequest\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="signed request.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}

/** Where the last chunk's frame starts: walk the frames (u8 flags, u32 length, body, 16-byte tag). */
function lastChunkStart(raw: Buffer): number {
  let pos = 12 + raw.readUInt32BE(8);
  for (;;) {
    const next = pos + 5 + raw.readUInt32BE(pos + 1) + 16;
    if (raw[pos] === 1) return pos;
    pos = next;
  }
}

describe('backup <file> and restore <file>', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-backup-'));
  chmodSync(dir, 0o755); // reachable by PostgreSQL's OS user: no relocated cluster left behind
  const file = path.join(dir, 'release-desk-backup.rdb');
  let source: TestApp;
  let env: NodeJS.ProcessEnv;
  const users: Record<string, TestUser> = {};
  let requestId: string;
  let fileId: string;

  beforeAll(async () => {
    source = await createTestApp();
    env = envFor(source.databaseUrl, source.config);
    const practice = await createPractice(source, {
      settings: { note: 'jsonb survives', n: 12345678901234 },
    });
    // Beyond a JavaScript number: only PostgreSQL's own rendering keeps it exact.
    await source.running.services.database.pool.query(
      `update practices set settings = settings || '{"big": 123456789012345678901234567890.5}' where id = $1`,
      [practice.id],
    );
    users.support = await createUser(source, practice, ['support'], { name: 'Sam Support' });
    users.therapist = await createUser(source, practice, ['therapist'], { name: 'Dr. Rivera' });
    users.supervisor = await createUser(source, practice, ['supervisor', 'therapist'], { name: 'Dr. Chen' });
    users.clinical = await createUser(source, practice, ['clinical_services'], { name: 'Casey Clinical' });
    await linkSupervisor(source, users.therapist, users.supervisor);
    const client = await createClient(source, practice, users.therapist, { firstName: 'Maria' });
    const as: Record<string, Agent> = {};
    for (const [k, u] of Object.entries(users)) as[k] = await signIn(source, u);
    const ok = async (agent: Agent, url: string, body: unknown) => {
      source.clock.advance(61_000);
      const res = await agent.post(`/api/requests/${requestId}/${url}`, body);
      expect(res.statusCode, res.body).toBe(200);
    };
    requestId = (await createRequestAs(as.support!, client.id)).id;
    const up = await upload(source, as.support!, requestId, PDF);
    expect(up.statusCode, up.body).toBe(201);
    fileId = up.json().id;
    await ok(as.support!, 'messages', {
      thread: 'internal',
      body: 'Client called: wants it before the move.',
    });
    await ok(as.support!, 'intake', {
      verification: { method: 'Called the client back at the number on file' },
    });
    await ok(as.therapist!, 'client-discussion', { outcome: 'go_ahead', need: 'New therapist' });
    await ok(as.supervisor!, 'supervisor-review', { decision: 'release', consequences: 'Low risk.' });
    await runJobs(source);
    await ok(as.support!, 'invoice', { mode: 'no_fee' });
    await ok(as.clinical!, 'preparation', { notes: 'Progress notes, 2025-2026' });
    await ok(as.supervisor!, 'preparation/approval', {});
    await ok(as.support!, 'messages', { thread: 'requester', body: 'Your records are ready.' });
    await ok(as.support!, 'release', { method: 'secure_download' });
    // The last steps' jobs stay queued, so the backup has unfinished jobs to warn about.
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-4: backup <file> writes one encrypted 0600 file: no client name, message or row in plaintext', async () => {
    const run = await cli(['backup', file], env);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Encrypted backup written to .*release-desk-backup\.rdb: \d+ rows in \d+ tables/);
    expect(run.out).toContain('master key, which is NOT in it');
    expect(run.err).toMatch(/Warning: \d+ queued job\(s\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.tmp`)).toBe(false);

    const raw = readFileSync(file);
    expect(raw.subarray(0, 8).toString('latin1')).toBe('RDBACKUP');
    const words = [
      'Maria',
      'wants it before the move',
      'Your records are ready',
      'Alex Client',
      'Dr. Rivera',
    ];
    const content = (await contentLines(file, source.config.masterKey)).join('\n');
    for (const w of words) {
      expect(content, w).toContain(w); // in the backup…
      expect(raw.includes(Buffer.from(w, 'utf8')), w).toBe(false); // …but never readable in the file
    }
    for (const w of ['"t":"clients"', 'thread_messages', '"first_name"', '%PDF']) {
      expect(raw.includes(Buffer.from(w, 'utf8')), w).toBe(false);
    }
    // The unencrypted start names the master key (by fingerprint) and nothing about the practice.
    const preamble = JSON.parse(raw.subarray(12, 12 + raw.readUInt32BE(8)).toString('utf8'));
    expect(preamble).toEqual({
      format: 'release-desk-backup',
      version: 2,
      fileId: expect.stringMatching(/^[0-9a-f]{32}$/),
      cipher: 'aes-256-gcm',
      kdf: 'hkdf-sha256',
      masterKey: fingerprint(source.config.masterKey),
    });
  });

  it('the decrypted content: a header, a line per row (bytea base64, microseconds), a checksum trailer', async () => {
    const lines = await contentLines(file, source.config.masterKey);
    const header = JSON.parse(lines[0]!);
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(header).toMatchObject({ format: 'release-desk-backup', version: 2, appVersion: pkg.version });
    expect(header.migration.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(header.auditKey, 'base64').equals(source.config.auditKey)).toBe(true);
    expect(JSON.stringify(header)).not.toContain(source.config.masterKey.toString('base64'));
    const before = await dump(source.databaseUrl);
    expect(Object.keys(header.tables).sort()).toEqual(Object.keys(before).sort());
    expect(header.tables).not.toHaveProperty('__drizzle_migrations');
    for (const [name, rows] of Object.entries(before)) expect(header.tables[name], name).toBe(rows.length);
    // Parents before children.
    const order = Object.keys(header.tables);
    expect(order.indexOf('practices')).toBeLessThan(order.indexOf('users'));
    expect(order.indexOf('requests')).toBeLessThan(order.indexOf('disclosures'));
    const rows = lines.slice(1, -1).map((l) => JSON.parse(l));
    expect(rows).toHaveLength(lines.length - 2);
    // A file's content is its blob's chunks (SEC-4), parents before children.
    const blobId = rows.find((r) => r.t === 'files' && r.r.id === fileId).r.blob_id;
    const chunkRow = rows.find((r) => r.t === 'file_blob_chunks' && r.r.blob_id === blobId).r;
    expect(chunkRow.ciphertext).toEqual({ $b64: expect.stringMatching(/^[A-Za-z0-9+/=]+$/) });
    expect(order.indexOf('file_blobs')).toBeLessThan(order.indexOf('files'));
    expect(order.indexOf('file_blobs')).toBeLessThan(order.indexOf('file_blob_chunks'));
    expect(lines.join('\n')).toMatch(/"created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"/);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      trailer: 'release-desk-backup',
      lines: lines.length - 1,
    });
    expect(rows.some((r) => r.t === 'disclosures')).toBe(true);
    expect(rows.filter((r) => r.t === 'thread_messages').length).toBeGreaterThanOrEqual(3);
  });

  it('restore <file> into a new, empty database with the master key alone: every row back, the chain verifies, the file opens', async () => {
    const target = await createTestDatabase();
    const auditOut = path.join(dir, 'audit.key');
    const run = await cli(
      ['restore', file, '--audit-key-out', auditOut],
      masterOnly(target, source.config.masterKey),
    );
    expect(run.code, run.err).toBe(0);
    // With DATABASE_URL the instances are given the audit key: the one the backup carried.
    expect(statSync(auditOut).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(auditOut, 'utf8').trim(), 'base64').equals(source.config.auditKey)).toBe(
      true,
    );
    expect(run.out).toMatch(/audit_events\s+\d+/);
    expect(run.out).toMatch(/Audit log intact: \d+ rows checked in 1 chain/);

    const [before, after] = [await dump(source.databaseUrl), await dump(target)];
    for (const name of Object.keys(before)) expect(after[name]?.length, name).toBe(before[name]!.length);
    expect(after).toEqual(before); // every row, deep-equal to the microsecond
    expect(after.disclosures).toHaveLength(1);

    const restored = await createTestApp({
      databaseUrl: target,
      masterKey: source.config.masterKey,
      auditKey: source.config.auditKey,
    });
    try {
      // The password and TOTP secret (sealed with the master key) work; new audit rows get new ids.
      const support = await signIn(restored, users.support!);
      const res = await support.get(`/api/requests/${requestId}/files/${fileId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload.equals(PDF)).toBe(true);
      const details = await support.get(`/api/requests/${requestId}`);
      expect(details.json()).toMatchObject({ stage: 'released' });
      const chain = await verifyChains(restored.running.services.database.pool, source.config.auditKey);
      expect(chain.ok).toBe(true);
      expect(chain.rowsChecked).toBeGreaterThan(before.audit_events!.length);
    } finally {
      await restored.close();
    }
  });

  it('refuses a database that holds a practice, and changes nothing', async () => {
    const before = await dump(source.databaseUrl);
    const run = await cli(['restore', file], env);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/already holds 1 practice\(s\).*never merged into live data/s);
    expect(await dump(source.databaseUrl)).toEqual(before);
  });

  it('SEC-4: refuses a changed, cut, extended or missing file before opening any database', async () => {
    const target = await createTestDatabase();
    const keys = masterOnly(target, source.config.masterKey);
    const raw = readFileSync(file);
    const variant = (name: string, data: Buffer) => {
      const p = path.join(dir, name);
      writeFileSync(p, data);
      return p;
    };
    const flipped = Buffer.from(raw);
    flipped[Math.floor(raw.length / 2)]! ^= 0x01;
    const changed = await cli(['restore', variant('changed.rdb', flipped)], keys);
    expect(changed.code).toBe(1);
    expect(changed.err).toMatch(/is damaged: a part of it fails its authentication/);
    expect(changed.err).not.toContain('Using ');

    // Cut at the start of the last chunk: every chunk left is whole and authentic, but the final
    // one is missing.
    const cut = await cli(['restore', variant('cut.rdb', raw.subarray(0, lastChunkStart(raw)))], keys);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/ends before the backup's last part/);

    const extended = await cli(
      ['restore', variant('extended.rdb', Buffer.concat([raw, raw.subarray(12, 64)]))],
      keys,
    );
    expect(extended.code).toBe(1);
    expect(extended.err).toMatch(/has bytes after the backup's last part/);

    const missing = await cli(['restore', path.join(dir, 'nope.rdb')], keys);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Cannot read/);
    expect(await count(target, 'instance_keys')).toBe(0); // never even booted
  });

  it("SEC-4: refuses a master key other than the backup's, naming both fingerprints, before anything is written", async () => {
    const target = await createTestDatabase();
    const wrong = randomBytes(32);
    const auditOut = path.join(dir, 'never.key');
    const run = await cli(['restore', file, '--audit-key-out', auditOut], masterOnly(target, wrong));
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      `encrypted with the master key whose fingerprint is ${fingerprint(source.config.masterKey)}`,
    );
    expect(run.err).toContain(fingerprint(wrong));
    expect(run.err).toContain('Nothing was changed');
    expect(run.err).not.toContain('Using ');
    expect(existsSync(auditOut)).toBe(false);
    expect(await count(target, 'instance_keys')).toBe(0); // never even booted
  });

  it('refuses an audit key other than the one the backup carries, and changes nothing', async () => {
    const target = await createTestDatabase();
    const run = await cli(
      ['restore', file],
      envFor(target, { masterKey: source.config.masterKey, auditKey: randomBytes(32) }),
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/The audit key in RELEASE_DESK_AUDIT_KEY .* is not the backed-up installation's/);
    expect(await count(target, 'instance_keys')).toBe(0);
    const noKey = await cli(['restore', file], masterOnly(target, source.config.masterKey));
    expect(noKey.code).toBe(1);
    expect(noKey.err).toMatch(/--audit-key-out <file>/);
  });

  it('refuses to back up while a master key rotation is under way (rows under two keys), writing nothing', async () => {
    const pool = source.running.services.database.pool;
    await pool.query("insert into instance_keys (purpose, fingerprint) values ('master:next', $1)", [
      fingerprint(randomBytes(32)),
    ]);
    try {
      const during = path.join(dir, 'during-rotation.rdb');
      const run = await cli(['backup', during], env);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/master key rotation is in progress/);
      expect(existsSync(during) || existsSync(`${during}.tmp`)).toBe(false);
    } finally {
      await pool.query("delete from instance_keys where purpose = 'master:next'");
    }
  });

  it('usage: a file is required; backup create --out and backup restore --in are the same commands', async () => {
    expect((await cli(['backup'], env)).code).toBe(2);
    expect((await cli(['backup', 'create'], env)).code).toBe(2);
    expect((await cli(['restore', 'a.rdb', 'b.rdb'], env)).code).toBe(2);
    const help = await cli(['restore', '--help'], env);
    expect(help.out).toContain('never\nmerged into live data');
    const aliasFile = path.join(dir, 'alias.rdb');
    const made = await cli(['backup', 'create', '--out', aliasFile], env);
    expect(made.code, made.err).toBe(0);
    const target = await createTestDatabase();
    const restored = await cli(['backup', 'restore', '--in', aliasFile], envFor(target, source.config));
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/Audit log intact/);
  });
});
