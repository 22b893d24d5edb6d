// Issue 8, outage: the database's disk fills up. The cluster's data directory lives on a
// size-limited tmpfs (its WAL on another disk, see beforeAll); a ballast file leaves a few MB free
// and uploads fill the rest. Writes then fail with a clear 507 (or 503 while PostgreSQL recovers),
// never a 500; nothing acknowledged is lost or half-written; once the ballast is deleted, writes
// work again and the audit chain verifies. Needs root (mount); without it the test is skipped with
// that reason, except under CI, where it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createPractice, createUser, linkSupervisor } from '../support/factories.js';
import { type Cluster, startCluster } from './support/cluster.js';
import { type HttpAgent, signInHttp } from './support/http.js';
import { type InProcessApp, startInProcessApp } from './support/in-process.js';
import { newLedger } from './support/load.js';
import { asTestApp, paddedPdf } from './support/seed.js';
import { checkDatabase } from './support/verify.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') {
  throw new Error('The full-disk fault test mounts a tmpfs and needs root; under CI it must run.');
}
const SKIP_REASON = 'needs root to mount a size-limited tmpfs (run as root, or in CI)';

let mountDir: string;
let walDir: string | undefined;
let mounted = false;
let cluster: Cluster;
let app: InProcessApp;
let agent: HttpAgent;
let requestId: string;
let url: string;

const freeBytes = (dir: string) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

beforeAll(async () => {
  if (!isRoot) return;
  mountDir = mkdtempSync(path.join(tmpdir(), 'rd-faults-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0755', 'tmpfs', mountDir]);
  mounted = true;
  // The data files fill the disk; the WAL lives on another disk (initdb --waldir), as a practice's
  // server should have it. When the WAL's own disk fills, PostgreSQL stops outright (a PANIC: no
  // write-ahead log, no writes) and needs its space back and a restart by an administrator: seen
  // here on a loaded CI machine when the WAL shared the tmpfs and checkpoints lagged. The app then
  // answers 503 like any outage (pg-restart.test.ts); this test is about the data disk.
  walDir = mkdtempSync(path.join(tmpdir(), 'rd-faults-wal-'));
  chmodSync(walDir, 0o755); // mkdtemp is 700: PostgreSQL's OS user must reach pg_wal inside
  cluster = await startCluster({
    dataDir: path.join(mountDir, 'pgdata'),
    walDir: path.join(walDir, 'pg_wal'),
    walSegmentMb: 1,
    settings: { max_wal_size: '16MB', min_wal_size: '4MB' },
  });
  url = await cluster.createAppDatabase();
  app = await startInProcessApp({ databaseUrl: url });
  const t = asTestApp(app);
  const practice = await createPractice(t);
  const support = await createUser(t, practice, ['support']);
  const therapist = await createUser(t, practice, ['therapist']);
  await linkSupervisor(t, therapist, await createUser(t, practice, ['supervisor']));
  const client = await createClient(t, practice, therapist);
  agent = await signInHttp(app.baseUrl, support);
  const res = await agent.post('/api/requests', {
    kind: 'client_access',
    clientId: client.id,
    requester: { name: 'Alex Client', email: 'alex@example.test' },
    documentClasses: ['progress_notes'],
    dateFrom: '2025-01-01',
    dateTo: '2026-06-30',
    purpose: 'Personal use',
    deliverable: 'copy',
    deliveryFormat: 'secure_download',
    receivedAt: new Date().toISOString(),
    channel: 'email',
  });
  if (res.status !== 201) throw new Error(`create request answered ${res.status}`);
  requestId = (res.body as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
  cluster?.destroy();
  if (mounted) spawnSync('umount', ['-l', mountDir]);
  if (mountDir) rmSync(mountDir, { recursive: true, force: true });
  if (walDir) rmSync(walDir, { recursive: true, force: true });
});

describe('a full disk under the database (issue 8)', () => {
  it.skipIf(!isRoot)(
    `writes fail with a clear 507, nothing acknowledged is lost, and writes work again once space returns (${isRoot ? 'as root' : SKIP_REASON})`,
    async () => {
      const ledger = newLedger();
      // Leave about 6 MB free, then upload 1.2 MB files until the disk refuses.
      const ballast = path.join(mountDir, 'ballast');
      const leave = 6 * 1024 * 1024;
      execFileSync('fallocate', ['-l', String(Math.max(0, freeBytes(mountDir) - leave)), ballast]);
      const refused: { status: number; body: unknown }[] = [];
      for (let i = 0; i < 40 && refused.length < 3; i++) {
        const data = await paddedPdf(`Scan ${i}`, 1_200_000);
        const res = await agent.upload(requestId, { filename: `scan-${i}.pdf`, data });
        ledger.statuses[String(res.status)] = (ledger.statuses[String(res.status)] ?? 0) + 1;
        if (res.status === 201) {
          const body = res.body as { id: string; sha256: string };
          ledger.files.push({ id: body.id, requestId, sha256: body.sha256, size: data.length });
        } else refused.push({ status: res.status, body: res.body });
      }
      const whileFull = (await agent.get('/api/requests')).status;

      rmSync(ballast);
      const back = Date.now();
      let recovered = 0;
      for (let i = 0; i < 120 && recovered !== 201; i++) {
        const res = await agent.upload(requestId, {
          filename: 'after.pdf',
          data: await paddedPdf(`After ${i}`, 1000),
        });
        recovered = res.status;
        if (res.status === 201) {
          const body = res.body as { id: string; sha256: string; size: number };
          ledger.files.push({ id: body.id, requestId, sha256: body.sha256, size: body.size });
        } else await new Promise((r) => setTimeout(r, 500));
      }
      const recoveryMs = Date.now() - back;
      // Nothing corrupt: every acknowledged file reads back byte for byte.
      const unreadable: string[] = [];
      for (const f of ledger.files) {
        const got = await agent.bytes(`/api/requests/${requestId}/files/${f.id}`);
        if (!got.data || createHash('sha256').update(got.data).digest('hex') !== f.sha256)
          unreadable.push(f.id);
      }
      const findings = await checkDatabase(url, ledger, app.auditKeyBase64);
      console.log(
        [
          '[faults disk-full] tmpfs 96 MB, ballast leaving 6 MB',
          `  uploads by status: ${JSON.stringify(ledger.statuses)}; a read while full answered ${whileFull}`,
          `  refused with: ${JSON.stringify(refused[0] ?? null)}`,
          `  space back to the next acknowledged upload: ${recoveryMs} ms`,
          `  audit chain: ${findings.auditChain.ok ? 'verifies' : 'BROKEN'} (${findings.auditChain.rowsChecked} rows)`,
        ].join('\n'),
      );
      if (refused.some((r) => r.status === 503)) console.log(`  PostgreSQL log:\n${cluster.logTail(8)}`);

      expect(ledger.files.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) expect([503, 507]).toContain(r.status);
      expect(refused.map((r) => r.status)).toContain(507);
      expect(refused.find((r) => r.status === 507)?.body).toEqual({
        error: 'storage_full',
        message:
          "The database's disk is full, so nothing was saved. Ask your administrator to free space, then try again.",
      });
      expect(recovered).toBe(201);
      expect(unreadable).toEqual([]);
      expect({ ...findings, auditChain: findings.auditChain.ok }).toMatchObject({
        missingFiles: [],
        filesNotWhole: [],
        requestsWithoutCreatedEvent: [],
        requestsWithoutTasks: [],
        orphanJobs: [],
        auditChain: true,
      });
    },
    180_000,
  );
});
