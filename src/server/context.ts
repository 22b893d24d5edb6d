// The context every command runs in: who acts, the open transaction, the time, and where the call
// came from (architecture.md, convention 1).
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { AuditEvent } from '../shared/audit-events.js';
import type { Role } from '../shared/roles.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/connect.js';

export interface Actor {
  id: string;
  practiceId: string;
  name: string;
  email: string;
  roles: Role[];
  active: boolean;
  isDemo: boolean;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface Services {
  config: Config;
  database: Database;
  boss: PgBoss;
  /** The clock; tests move it. */
  now: () => Date;
}

export interface PendingAudit {
  event: AuditEvent;
  practiceId: string | null;
  at: Date;
}

export interface Ctx {
  actor: Actor | null;
  /** The practice the work happens in (the actor's, or the one a system job acts for). */
  practiceId: string | null;
  tx: Db;
  client: pg.PoolClient;
  now: Date;
  meta: RequestMeta;
  services: Services;
  /** Events recorded by the command; appended to the chain as the transaction's last statement. */
  pendingAudit: PendingAudit[];
}

export const SYSTEM_META: RequestMeta = { ip: null, userAgent: 'release-desk', requestId: 'system' };
