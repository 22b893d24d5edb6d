import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

// No relational schema is attached: the code uses the SQL-like builder only, and building the
// relational metadata costs about a millisecond of CPU per transaction (measured by bench/).
export type Db = NodePgDatabase;

export interface Database {
  pool: pg.Pool;
  db: Db;
  url: string;
  close(): Promise<void>;
}

// Dates stay Date objects; DATE columns stay 'YYYY-MM-DD' strings (never shifted by a time zone).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function connect(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: 'release-desk' });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', () => {});
  // Nor a checked-out one between two statements (pg-pool removes its idle listener while a client
  // is lent out, and an 'error' with no listener is an uncaught exception): the broken client then
  // fails its next query, which the caller sees and answers (503).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool);
  return {
    pool,
    db,
    url,
    close: () => pool.end(),
  };
}

export function drizzleOn(client: pg.PoolClient): Db {
  return drizzle(client);
}
