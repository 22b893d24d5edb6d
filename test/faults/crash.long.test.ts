// Issue 8, crash: a write load through the HTTP API (intakes, the intake transition, uploads,
// requester messages) against the real app process, SIGKILLed at random moments and started again
// each time (20 kills with --full, 5 CI-sized). Afterwards every acknowledged write is there and
// whole, nothing is half-written, the audit chain verifies, every email that was due arrived at a
// real SMTP sink (by distinct Message-ID), and raw duplicates are counted and printed.
// Two legs: the embedded PostgreSQL (each kill leaves its server running: the stale-server case) and
// a separate PostgreSQL cluster passed as DATABASE_URL (which is itself SIGKILLed every third time).
import { createHash, randomInt } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mailSendExpirySeconds } from '../../src/server/jobs/send.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../support/factories.js';
import { type Cluster, startCluster } from './support/cluster.js';
import { signInHttp } from './support/http.js';
import { type AppProcess, launchApp, removeEmbedded } from './support/launcher.js';
import { startLoad } from './support/load.js';
import { asTestApp, withBootedApp } from './support/seed.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { checkDatabase, databaseUrlOf, waitForMail } from './support/verify.js';

const FULL = process.env.RELEASE_DESK_FAULTS_FULL === '1';
const KILLS = FULL ? 20 : 5;
const WORKERS = 4;
/** The SMTP reply wait the app is started with (SMTP_REPLY_TIMEOUT_SECONDS). */
const REPLY_WAIT_SECONDS = 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function crashRun(leg: 'embedded' | 'cluster') {
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    await crashRunIn(leg, cleanups);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

async function crashRunIn(leg: 'embedded' | 'cluster', cleanups: (() => Promise<void> | void)[]) {
  const sink: SmtpSink = await startSmtpSink();
  cleanups.push(() => sink.stop());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rd-faults-crash-'));
  chmodSync(dataDir, 0o755); // reachable by root's `postgres` user, so the cluster is not relocated
  let cluster: Cluster | null = null;
  let databaseUrl: string | undefined;
  if (leg === 'cluster') {
    cluster = await startCluster();
    const c = cluster;
    cleanups.push(() => c.destroy());
    databaseUrl = await cluster.createAppDatabase();
  }
  const app: AppProcess = await launchApp({
    dataDir,
    databaseUrl,
    // The sink answers at once, so the relay's reply wait is set to a minute, as a practice may for a
    // relay it knows (SMTP_REPLY_TIMEOUT_SECONDS): a send cut by a kill is retried ~2 minutes on, not 12.
    env: {
      SMTP_URL: sink.url,
      MAIL_FROM: 'Riverbend records <records@mail.practice.test>',
      SMTP_REPLY_TIMEOUT_SECONDS: String(REPLY_WAIT_SECONDS),
    },
  });
  cleanups.push(async () => {
    await app.stop();
    removeEmbedded(dataDir);
  });

  const seeded = await withBootedApp(app, async (s) => {
    const t = asTestApp(s);
    const practice = await createPractice(t);
    const support = await createUser(t, practice, ['support']);
    const supervisor = await createUser(t, practice, ['supervisor']);
    const clientIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const therapist = await createUser(t, practice, ['therapist']);
      await linkSupervisor(t, therapist, supervisor);
      clientIds.push((await createClient(t, practice, therapist, { email: `client${i}@example.test` })).id);
    }
    return { support, clientIds };
  });

  await app.start();
  const agent = await signInHttp(app.baseUrl, seeded.support);
  const load = startLoad({ agent, clientIds: seeded.clientIds, workers: WORKERS });
  const restartMs: number[] = [];
  let postgresKills = 0;
  for (let k = 1; k <= KILLS; k++) {
    // A random moment: anywhere from mid-first-request to several requests in.
    await sleep(1000 + randomInt(5000));
    await app.kill('SIGKILL');
    if (cluster && k % 3 === 0) {
      // The database crashes too: PostgreSQL's crash recovery must keep every acknowledged commit.
      cluster.kill();
      cluster.start();
      postgresKills++;
    }
    restartMs.push(await app.start());
  }
  await sleep(3000);
  await load.stop();
  const { ledger } = load;

  // Every email that was due reaches the sink once the app runs undisturbed.
  const url = databaseUrlOf(app);
  const mailStarted = Date.now();
  // A job whose process was killed mid-send is retried once past its expiry (jobs/send.ts: 2 minutes
  // with this reply wait), which pg-boss's maintenance notices within 30 s; two minutes more for the
  // retry to go out.
  const mail = await waitForMail(url, ledger, (mailSendExpirySeconds(REPLY_WAIT_SECONDS) + 30 + 120) * 1000);
  const due = new Set(mail.due);
  for (let i = 0; i < 60 && [...due].some((m) => !sink.distinct().has(m)); i++) await sleep(500);
  const mailDrainMs = Date.now() - mailStarted;
  const notArrived = [...due].filter((m) => !sink.distinct().has(m));

  // Every acknowledged file reads back, byte for byte, through the download route.
  const unreadable: string[] = [];
  for (const f of ledger.files) {
    const got = await agent.bytes(`/api/requests/${f.requestId}/files/${f.id}`);
    const sha = got.data ? createHash('sha256').update(got.data).digest('hex') : null;
    if (got.status !== 200 || sha !== f.sha256) unreadable.push(`${f.id}: ${got.status}`);
  }
  const findings = await checkDatabase(url, ledger, app.auditKey);

  const acknowledged =
    ledger.requests.length + ledger.intakes.length + ledger.files.length + ledger.messages.length;
  console.log(
    [
      `[faults crash ${leg}] kills: ${KILLS} of the app${cluster ? `, ${postgresKills} of PostgreSQL too` : ' (its embedded PostgreSQL left running each time)'}`,
      `  acknowledged writes: ${acknowledged} (requests ${ledger.requests.length}, intake transitions ${ledger.intakes.length}, uploads ${ledger.files.length}, messages ${ledger.messages.length})`,
      `  answers by status: ${JSON.stringify(ledger.statuses)}`,
      `  restart to ready: median ${median(restartMs)} ms, max ${Math.max(...restartMs)} ms`,
      `  emails due ${due.size}, arrived (distinct Message-ID) ${[...due].filter((m) => sink.distinct().has(m)).length}, raw arrivals ${sink.received.length}, raw duplicates ${sink.duplicates()} (${[...sink.repeated().values()].join(',') || 'none'}), drained in ${mailDrainMs} ms`,
      `  audit chain: ${findings.auditChain.ok ? 'verifies' : 'BROKEN'} (${findings.auditChain.rowsChecked} rows)`,
    ].join('\n'),
  );
  if (ledger.failures.length > 0) console.log('  5xx answers:', JSON.stringify(ledger.failures));

  expect(ledger.requests.length).toBeGreaterThan(0);
  expect(ledger.files.length).toBeGreaterThan(0);
  expect(ledger.messages.length).toBeGreaterThan(0);
  // A kill drops connections (no answer); it never makes the app answer 500.
  expect(ledger.statuses['500'] ?? 0).toBe(0);
  expect({
    ...findings,
    auditChain: findings.auditChain.ok,
    unreadable,
    mailPending: mail.pending,
    mailFailed: mail.failed,
    messagesWithoutEmail: mail.messagesWithoutEmail,
    notArrived,
  }).toEqual({
    missingRequests: [],
    requestsWithoutCreatedEvent: [],
    requestsWithoutTasks: [],
    missingIntakes: [],
    missingFiles: [],
    filesNotWhole: [],
    missingMessages: [],
    orphanJobs: [],
    auditChain: true,
    unreadable: [],
    mailPending: 0,
    mailFailed: 0,
    messagesWithoutEmail: [],
    notArrived: [],
  });
}

// The two legs are independent (own data directory, database, port and sink): run side by side.
describe.concurrent('crash: the app SIGKILLed under a write load', () => {
  it('on the embedded PostgreSQL (left running by each kill): every acknowledged write whole, audit chain verifies, every due email arrived', async () => {
    await crashRun('embedded');
  });

  it('on a separate PostgreSQL cluster (DATABASE_URL, itself killed every third time): the same', async () => {
    await crashRun('cluster');
  });
});
