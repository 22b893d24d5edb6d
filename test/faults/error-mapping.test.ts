// Issue 8: what the error handler answers for each database failure, as the driver raises it and as
// Drizzle wraps it (DrizzleQueryError keeps the driver's error as its `cause`: before, a wrapped
// 57P01 or 40P01 fell through to a 500). The faults themselves are produced for real in
// pg-restart.test.ts, disk-full.test.ts and deadlock.test.ts; this table pins every code.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../../src/server/http/error-handler.js';

const logged: string[] = [];
const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => logged.push(line) } } });
let thrown: unknown = null;

beforeAll(async () => {
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw thrown;
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) =>
  new DrizzleQueryError('select 1 where name = $1', ['Maya Client'], cause as Error);

const UNAVAILABLE = {
  error: 'unavailable',
  message: 'The database is not reachable right now. Nothing was saved. Try again in a moment.',
};
const CONFLICT = {
  error: 'unavailable',
  message: 'Another change to the same records got in the way. Nothing was saved. Try again in a moment.',
};
const FULL = {
  error: 'storage_full',
  message:
    "The database's disk is full, so nothing was saved. Ask your administrator to free space, then try again.",
};

const cases: [string, unknown, number, object, string | undefined][] = [
  ['57P01 admin_shutdown (a restart)', pgError('57P01'), 503, UNAVAILABLE, '5'],
  ['57P01 wrapped by Drizzle', wrapped(pgError('57P01')), 503, UNAVAILABLE, '5'],
  ['57P03 cannot_connect_now (recovering)', wrapped(pgError('57P03')), 503, UNAVAILABLE, '5'],
  ['08006 connection_failure', pgError('08006'), 503, UNAVAILABLE, '5'],
  ['ECONNREFUSED (server down)', wrapped(pgError('ECONNREFUSED')), 503, UNAVAILABLE, '5'],
  [
    'a connection that ended mid-query',
    wrapped(new Error('Connection terminated unexpectedly')),
    503,
    UNAVAILABLE,
    '5',
  ],
  ['40P01 deadlock outside a transaction', wrapped(pgError('40P01')), 503, CONFLICT, '1'],
  ['40001 serialization failure', pgError('40001'), 503, CONFLICT, '1'],
  [
    '53100 disk_full',
    wrapped(pgError('53100', 'could not extend file: No space left on device')),
    507,
    FULL,
    undefined,
  ],
];

describe('database failures answer 503 or 507, never 500 (issue 8)', () => {
  it.each(cases)('%s', async (_name, err, status, body, retryAfter) => {
    thrown = err;
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(body);
    expect(res.headers['retry-after']).toBe(retryAfter);
  });

  it("a bug is still a 500 that says nothing of the query, and the log keeps the driver's words but not the parameters (SEC-5)", async () => {
    logged.length = 0;
    thrown = wrapped(pgError('42703', 'column "x" does not exist'));
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/Maya|select/);
    const line = logged.join('\n');
    expect(line).toContain('column \\"x\\" does not exist');
    expect(line).toContain('42703');
    expect(line).not.toMatch(/Maya/);
  });
});
