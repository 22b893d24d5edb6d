// The load generator for the staff sessions, run as a child process (bench/sessions.ts forks it) so
// its memory and event loop are not the app's. Each session is one signed-in staff member with its
// own cookie and CSRF token, looping until the deadline: pick an action, send it, wait a think time.
// Reports every latency per action and every failure (non-2xx, network error, timeout).
import http from 'node:http';

export type Action = 'details' | 'queue' | 'list' | 'message';

export interface ClientSession {
  cookie: string;
  csrfToken: string;
  /** The X-Forwarded-For the session signed in from (the app trusts the proxy in the bench). */
  ip: string;
  /** Requests this member may open, and open ones they may post on. */
  readIds: string[];
  writeIds: string[];
}

export interface ClientConfig {
  base: string;
  seconds: number;
  /** Think time between a session's actions: uniform in [0, 2 × thinkMs]. */
  thinkMs: number;
  /** Relative weights of the actions. */
  mix: Record<Action, number>;
  sessions: ClientSession[];
}

export interface ClientResult {
  seconds: number;
  latencies: Record<Action, number[]>;
  /** "action status" (or "action error: code") -> count, for every failure. */
  failures: Record<string, number>;
  ok: number;
}

// As patient as a browser is likely to be; a slower answer counts as an error.
const TIMEOUT_MS = 120_000;

function send(
  agent: http.Agent,
  base: URL,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, agent, headers, timeout: TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

export async function runClients(config: ClientConfig): Promise<ClientResult> {
  const base = new URL(config.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.sessions.length + 10 });
  const latencies: Record<Action, number[]> = { details: [], queue: [], list: [], message: [] };
  const failures: Record<string, number> = {};
  let ok = 0;
  const actions = Object.entries(config.mix) as [Action, number][];
  const total = actions.reduce((a, [, w]) => a + w, 0);
  const choose = (s: ClientSession): Action => {
    let r = Math.random() * total;
    for (const [a, w] of actions) {
      r -= w;
      if (r < 0) return a === 'message' && s.writeIds.length === 0 ? 'details' : a;
    }
    return 'details';
  };
  const t0 = performance.now();
  const deadline = t0 + config.seconds * 1000;
  let n = 0;
  await Promise.all(
    config.sessions.map(async (s) => {
      // Spread the sessions' first actions over the first think time.
      await new Promise((r) => setTimeout(r, Math.random() * config.thinkMs));
      while (performance.now() < deadline) {
        const action = choose(s);
        const headers: Record<string, string> = {
          cookie: `rd_session=${s.cookie}`,
          'x-forwarded-for': s.ip,
        };
        let method: 'GET' | 'POST' = 'GET';
        let path: string;
        let body: string | undefined;
        if (action === 'details') path = `/api/requests/${pick(s.readIds)}`;
        else if (action === 'queue') path = '/api/me/tasks';
        else if (action === 'list') path = '/api/requests?limit=50';
        else {
          method = 'POST';
          path = `/api/requests/${pick(s.writeIds)}/messages`;
          body = JSON.stringify({ thread: 'internal', body: `Bench note ${++n}: checked the file.` });
          headers['content-type'] = 'application/json';
          headers['x-csrf-token'] = s.csrfToken;
        }
        const start = performance.now();
        try {
          const status = await send(agent, base, method, path, headers, body);
          if (status >= 200 && status < 300) {
            latencies[action].push(performance.now() - start);
            ok += 1;
          } else {
            const k = `${action} ${status}`;
            failures[k] = (failures[k] ?? 0) + 1;
          }
        } catch (err) {
          const k = `${action} error: ${(err as Error).message}`;
          failures[k] = (failures[k] ?? 0) + 1;
        }
        if (config.thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * config.thinkMs));
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - t0) / 1000, latencies, failures, ok };
}

// Forked by sessions.ts: one config in, one result out, over IPC.
if (process.send) {
  process.once('message', (config: ClientConfig) => {
    void runClients(config).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (err: Error) => process.send!({ error: err.stack ?? String(err) }, () => process.exit(1)),
    );
  });
}
