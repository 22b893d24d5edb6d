// A real IMAP server for the mail tests: Debian's Dovecot (`dovecot-imapd`), started as
// `dovecot -F -c <temp>/dovecot.conf` on a free port of 127.0.0.1, with one passwd-file user and a
// Maildir in a temp directory (never /etc/dovecot). Messages are seeded by IMAP APPEND.
// Under CI=true a missing Dovecot fails the test run; elsewhere the tests that need it are skipped.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_BIN =
  ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p)) ?? null;

/** True when Dovecot can be used; under CI=true its absence is an error, never a skip. */
export function dovecotAvailable(): boolean {
  if (DOVECOT_BIN) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      'Dovecot is not installed (apt-get install dovecot-imapd): CI needs it for the IMAP tests.',
    );
  }
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  /** imap://user:pass@127.0.0.1:port */
  url: string;
  append(raw: string | Buffer, mailbox?: string): Promise<void>;
  stop(): Promise<void>;
}

function idOf(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} user`);
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

export async function startDovecot(): Promise<Dovecot> {
  if (!DOVECOT_BIN) throw new Error('Dovecot is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const user = 'records';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const root = userInfo().uid === 0;
  // Mail processes never run as root: as root they run as `nobody`, who owns the mail home.
  const owner = root ? idOf('nobody') : { uid: userInfo().uid, gid: userInfo().gid };
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  if (root) chownSync(home, owner.uid, owner.gid);
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const conf = [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${path.join(dir, 'run')}`,
    `state_dir = ${path.join(dir, 'state')}`,
    `log_path = ${path.join(dir, 'dovecot.log')}`,
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `first_valid_uid = ${Math.min(owner.uid, 1) || 0}`,
    ...(root
      ? ['default_internal_user = dovecot', 'default_login_user = dovenull']
      : [`default_internal_user = ${userInfo().username}`, `default_login_user = ${userInfo().username}`]),
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${path.join(dir, 'passwd')}\n}`,
    `userdb {\n  driver = static\n  args = uid=${owner.uid} gid=${owner.gid} home=${home}/%u\n}`,
    'mail_location = maildir:~/Maildir',
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n}`,
    'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
    '',
  ].join('\n');
  const confPath = path.join(dir, 'dovecot.conf');
  writeFileSync(confPath, conf);
  const child: ChildProcess = spawn(DOVECOT_BIN, ['-F', '-c', confPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `imap://${user}:${password}@127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user, pass: password },
        logger: false,
      });
      await c.connect();
      await c.logout();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        const log = existsSync(path.join(dir, 'dovecot.log'))
          ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8')
          : '';
        throw new Error(`Dovecot did not start: ${(err as Error).message}\n${stderr}\n${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    port,
    user,
    password,
    url,
    async append(raw, mailbox = 'INBOX') {
      const c = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user, pass: password },
        logger: false,
      });
      await c.connect();
      try {
        await c.append(mailbox, raw);
      } finally {
        await c.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      try {
        execFileSync('true');
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
