// The `release-desk` CLI: first run (practice, administrator with a one-time sign-in link), staff
// accounts, and `audit verify` against direct tampering, including a forger without the key (SEC-3).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHmac } from '../../src/server/audit/chain.js';
import { type CliIo, main } from '../../src/server/cli/main.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPractice } from '../support/factories.js';
import { randomIp } from '../support/session.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ publicUrl: 'https://records.example.org' });
});
afterAll(async () => {
  await t?.close();
});

interface Run {
  code: number;
  out: string;
  err: string;
}

function envFor(app: TestApp): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: app.databaseUrl,
    RELEASE_DESK_MASTER_KEY: app.config.masterKey.toString('base64'),
    RELEASE_DESK_AUDIT_KEY: app.config.auditKey.toString('base64'),
    RELEASE_DESK_PUBLIC_URL: app.config.publicUrl,
  };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = envFor(t)): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('usage', () => {
  it('prints help with exit 0, and exit 2 with a clear message on bad usage', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('practice create');
    expect(help.out).toContain('audit verify');
    expect((await cli(['admin', 'create', '--help'])).out).toContain('admin create --email');
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['launch', 'rockets']);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.err).toContain('unknown command "launch rockets"');
    const missing = await cli(['practice', 'create', '--name', 'Only A Name']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--state: is required/);
    expect(missing.err).toMatch(/--time-zone: is required/);
    const badZone = await cli([
      'practice',
      'create',
      '--name',
      'P',
      '--state',
      'CA',
      '--time-zone',
      'Pacific/Atlantis',
    ]);
    expect(badZone.code).toBe(2);
    expect(badZone.err).toMatch(/--time-zone: must be an IANA time zone/);
    const unknownOption = await cli(['practice', 'create', '--colour', 'blue']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toMatch(/colour/);
    const badRole = await cli(['user', 'create', '--email', 'a@b.test', '--name', 'A', '--roles', 'wizard']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/--roles/);
  });
});

describe('first run', () => {
  it('practice create, then admin create prints a one-time link; the admin sets a password and must enrol', async () => {
    const made = await cli([
      'practice',
      'create',
      '--name',
      'Harbor Counseling',
      '--state',
      'wa',
      '--time-zone',
      'America/Los_Angeles',
      '--privacy-officer-email',
      'privacy@harbor.test',
    ]);
    expect(made.code, made.err).toBe(0);
    const practiceId = /id: ([0-9a-f-]{36})/.exec(made.out)![1]!;
    const { rows } = await t.running.services.database.pool.query(
      'select name, state, time_zone, privacy_officer_email from practices where id = $1',
      [practiceId],
    );
    expect(rows[0]).toEqual({
      name: 'Harbor Counseling',
      state: 'WA',
      time_zone: 'America/Los_Angeles',
      privacy_officer_email: 'privacy@harbor.test',
    });

    const admin = await cli(['admin', 'create', '--email', 'Dana@Harbor.test', '--name', 'Dana Admin']);
    expect(admin.code, admin.err).toBe(0);
    const link = /(https:\/\/records\.example\.org\/sign-in\?token=[\w-]+)/.exec(admin.out)![1]!;
    expect(admin.out).toMatch(/valid until .*24 hours/);
    const token = new URL(link).searchParams.get('token')!;

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: randomIp(),
      payload: { token, password: 'harbor admin passphrase' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mfaEnrollmentRequired: true });
    const user = await t.running.services.database.pool.query(
      'select roles, practice_id from users where email = $1',
      ['dana@harbor.test'],
    );
    expect(user.rows[0]).toEqual({ roles: ['admin'], practice_id: practiceId });

    const audit = await t.running.services.database.pool.query<{ type: string; data: string }>(
      'select type, data::text as data from audit_events where practice_id = $1 order by seq',
      [practiceId],
    );
    expect(audit.rows.map((r) => r.type)).toEqual([
      'practice.created',
      'user.created',
      'user.sign_in_link_created',
      'user.updated',
      'auth.login_succeeded',
    ]);
    expect(audit.rows.map((r) => r.data).join()).not.toContain(token);

    const dup = await cli(['admin', 'create', '--email', 'dana@harbor.test', '--name', 'Dana Again']);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
  });

  it('user create takes roles and, with several practices, needs --practice', async () => {
    const other = await createPractice(t);
    const ambiguous = await cli([
      'user',
      'create',
      '--email',
      'sam@x.test',
      '--name',
      'Sam',
      '--roles',
      'therapist',
    ]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain(other.id);
    const ok = await cli([
      'user',
      'create',
      '--email',
      'sam@x.test',
      '--name',
      'Sam Lee',
      '--roles',
      'therapist, supervisor',
      '--practice',
      other.id,
    ]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('/sign-in?token=');
    const list = await cli(['practice', 'list']);
    expect(list.out).toContain(`${other.id}  ${other.name}`);
    const wrong = await cli([
      'user',
      'create',
      '--email',
      'z@x.test',
      '--name',
      'Z',
      '--roles',
      'support',
      '--practice',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(wrong.code).toBe(2);
  });
});

describe('audit verify (SEC-3)', () => {
  let superuser: pg.Client;
  beforeAll(async () => {
    superuser = new pg.Client({ connectionString: t.databaseUrl });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser?.end();
  });

  async function chainRows(practiceId: string) {
    const { rows } = await superuser.query(
      `select id::int as id, practice_id, seq::int as seq, at, type, actor_id, actor_name, actor_role, ip, user_agent,
              request_id, client_id, data, prev_hmac, hmac from audit_events where practice_id = $1 order by seq`,
      [practiceId],
    );
    return rows;
  }

  it('exits 0 on an intact log, and 1 naming the first broken row after a direct edit, even by a forger who rehashes', async () => {
    const made = await cli([
      'practice',
      'create',
      '--name',
      'Tamper Test',
      '--state',
      'CA',
      '--time-zone',
      'UTC',
    ]);
    const practiceId = /id: ([0-9a-f-]{36})/.exec(made.out)![1]!;
    expect(
      (await cli(['admin', 'create', '--email', 'tamper@x.test', '--name', 'T', '--practice', practiceId]))
        .code,
    ).toBe(0);
    const intact = await cli(['audit', 'verify']);
    expect(intact.code, intact.err).toBe(0);
    expect(intact.out).toMatch(/Audit log intact: \d+ rows checked/);
    expect(Number(/(\d+) rows/.exec(intact.out)![1])).toBeGreaterThanOrEqual(5);

    const rows = await chainRows(practiceId);
    const victim = rows[1]; // user.created
    await superuser.query('alter table audit_events disable trigger user');
    try {
      await superuser.query(
        `update audit_events set data = jsonb_set(data, '{roles}', '["support"]') where id = $1`,
        [victim.id],
      );
    } finally {
      await superuser.query('alter table audit_events enable trigger user');
    }
    const edited = await cli(['audit', 'verify']);
    expect(edited.code).toBe(1);
    expect(edited.out).toContain(`row id ${victim.id}`);
    expect(edited.out).toContain('content does not match its HMAC');

    // A forger recomputes this row's HMAC and every later one, with a key of their own.
    const forgedKey = Buffer.alloc(32, 7);
    const after = await chainRows(practiceId);
    let prev = after[0].hmac as string;
    await superuser.query('alter table audit_events disable trigger user');
    try {
      for (const r of after.slice(1)) {
        const hmac = rowHmac(forgedKey, prev, {
          practiceId: r.practice_id,
          seq: r.seq,
          at: r.at,
          type: r.type,
          actorId: r.actor_id,
          actorName: r.actor_name,
          actorRole: r.actor_role,
          ip: r.ip,
          userAgent: r.user_agent,
          requestId: r.request_id,
          clientId: r.client_id,
          data: r.data,
        });
        await superuser.query('update audit_events set prev_hmac = $2, hmac = $3 where id = $1', [
          r.id,
          prev,
          hmac,
        ]);
        prev = hmac;
      }
    } finally {
      await superuser.query('alter table audit_events enable trigger user');
    }
    const forged = await cli(['audit', 'verify']);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain(`row id ${victim.id}`);
  });
});

describe('any data directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-cli-'));
  // mkdtemp makes the folder mode 700; as root PostgreSQL (run as `postgres`) could not reach it and
  // the cluster would be relocated under /var/lib/release-desk, outliving the test. Keep it reachable.
  chmodSync(dir, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('works on an embedded data directory with --data-dir, ignoring DATABASE_URL, and reuses a running server', async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const made = await cli(
      [
        'practice',
        'create',
        '--data-dir',
        dir,
        '--name',
        'Dir Practice',
        '--state',
        'OR',
        '--time-zone',
        'America/Los_Angeles',
      ],
      env,
    );
    expect(made.code, made.err).toBe(0);
    expect(made.err).toContain(`the data directory ${dir}`);

    // The server is running on this directory: the CLI uses its PostgreSQL and leaves it running.
    const { startEmbeddedPostgres } = await import('../../src/server/db/embedded.js');
    const server = await startEmbeddedPostgres(dir, () => {});
    try {
      const listed = await cli(['practice', 'list', '--data-dir', dir], env);
      expect(listed.code, listed.err).toBe(0);
      expect(listed.out).toContain('Dir Practice');
      expect(listed.err).toContain('its running server');
      const still = new pg.Client({ connectionString: server.url });
      await still.connect();
      expect((await still.query('select count(*)::int as n from practices')).rows[0].n).toBe(1);
      await still.end();
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('the bin', () => {
  it('bin/release-desk.js and `npm run cli` run the same CLI', () => {
    const bin = spawnSync(process.execPath, ['bin/release-desk.js', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toContain('Usage: release-desk');
    const script = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/server/cli/main.ts', 'nonsense'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(script.status).toBe(2);
    expect(script.stderr).toContain('unknown command "nonsense"');
  }, 60_000);
});
