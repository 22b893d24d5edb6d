// What the backup tests share: running the CLI in-process, a practice with a thread and files made
// through the API, and the measures of "an identical practice": every row per table (as PostgreSQL
// renders it), every file's bytes decrypted and hashed against its recorded SHA-256, the audit chain.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { boot } from '../../src/server/boot.js';
import { type CliIo, main } from '../../src/server/cli/main.js';
import { type Config, loadConfig } from '../../src/server/config.js';
import { connect } from '../../src/server/db/connect.js';
import { readBlob, sha256Hex } from '../../src/server/documents/blobs.js';
import { recordPdf } from '../packets/support.js';
import { type TestApp, testClock } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';
import { uploadTo } from '../support/uploads.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every row of every public table as PostgreSQL renders it (microseconds, jsonb, bytea), sorted. */
export async function dumpWith(c: pg.ClientBase): Promise<Record<string, string[]>> {
  const { rows: tables } = await c.query<{ name: string }>(
    "select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1",
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await c.query<{ j: string }>(`select row_to_json(t)::text as j from public."${name}" t`);
    out[name] = rows.map((r) => r.j).sort();
  }
  return out;
}

export async function dump(url: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("set timezone to 'UTC'");
    return await dumpWith(c);
  } finally {
    await c.end();
  }
}

export const counts = (d: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.length]));

/**
 * Every file's content read back with the master key (each chunk authenticated) and hashed: the
 * SHA-256 its files row records, and its size. Returns how many files were checked.
 */
export async function checkFileHashes(url: string, masterKey: Buffer): Promise<number> {
  const database = connect(url, { max: 2 });
  try {
    const { rows } = await database.pool.query<{
      id: string;
      blob_id: string;
      practice_id: string;
      sha256: string;
      size: number;
    }>('select id, blob_id, practice_id, sha256, size from files where blob_id is not null order by id');
    for (const f of rows) {
      const data = await readBlob(database.db, masterKey, { blobId: f.blob_id, practiceId: f.practice_id });
      expect(data, `file ${f.id} opens`).not.toBeNull();
      expect(sha256Hex(data!), `file ${f.id}`).toBe(f.sha256);
      expect(data!.length, `file ${f.id}`).toBe(f.size);
    }
    return rows.length;
  } finally {
    await database.close();
  }
}

export interface Seeded {
  support: Agent;
  requestIds: string[];
  clientId: string;
  users: TestUser[];
}

/** A practice with a client, a request, a message and an uploaded file, made through the API. */
export async function seedPractice(t: TestApp): Promise<Seeded> {
  const practice = await createPractice(t);
  const support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
  const therapist = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
  const client = await createClient(t, practice, therapist, { firstName: 'Maria' });
  const agent = await signIn(t, support);
  const request = await createRequestAs(agent, client.id);
  await writeOnce(t, agent, request.id, 0);
  return { support: agent, requestIds: [request.id], clientId: client.id, users: [support, therapist] };
}

/** One acknowledged write through the API: a message, and every third time a new file. */
export async function writeOnce(t: TestApp, agent: Agent, requestId: string, i: number): Promise<void> {
  t.clock.advance(61_000);
  const res = await agent.post(`/api/requests/${requestId}/messages`, {
    thread: 'internal',
    body: `Load message ${i}: called the client back ${randomBytes(3).toString('hex')}.`,
  });
  expect(res.statusCode, res.body).toBe(200);
  if (i % 3 === 0) {
    const pdf = await recordPdf(`Progress note ${i} ${randomBytes(6).toString('hex')}`);
    const up = await uploadTo(t, agent, requestId, { filename: `note-${i}.pdf`, data: pdf });
    expect(up.statusCode, up.body).toBe(201);
  }
}

/** The app on a database or data directory of the test's choosing (createTestApp makes its own). */
export async function startApp(overrides: Partial<Config>): Promise<TestApp> {
  const clock = testClock();
  const config = loadConfig({}, { logLevel: 'silent', ...overrides });
  const running = await boot(config, { log: () => {}, now: clock.now, jobMaintenance: false });
  const app = await buildApp(running.services);
  await app.ready();
  return {
    app,
    running,
    config,
    clock,
    databaseUrl: running.services.database.url,
    async close() {
      await app.close();
      await running.close();
    },
  };
}
