// One typed, validated configuration object read from the environment (architecture.md, convention 11).
// A bad value stops start-up with a message naming the variable.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { registerPreviousMasterKeys } from './crypto/seal.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** "127.0.0.1, 10.0.0.0/8, ::1": the reverse proxies whose X-Forwarded-* headers are believed. */
const trustedProxies = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]), {
        error:
          "true, false, or the proxies' addresses (IPv4/IPv6, optionally as CIDR ranges), comma-separated",
      })
      .min(1),
  );

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

const SWEEP_MINUTES_MESSAGE = 'a whole number of minutes that divides an hour (1-30), e.g. 5.';
/** CLOCKS_SWEEP_MINUTES: pg-boss's cron runs the sweep every N minutes of the hour, so N divides 60. */
const sweepMinutes = z.coerce
  .number({ error: SWEEP_MINUTES_MESSAGE })
  .refine((m) => Number.isInteger(m) && m >= 1 && m <= 30 && 60 % m === 0, { error: SWEEP_MINUTES_MESSAGE });

const envSchema = z.object({
  RELEASE_DESK_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  RELEASE_DESK_MASTER_KEY: z.string().optional(),
  RELEASE_DESK_MASTER_KEY_FILE: z.string().optional(),
  /** During `keys rotate`: the master key being retired, still accepted for reading. */
  RELEASE_DESK_PREVIOUS_MASTER_KEY: z.string().optional(),
  RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE: z.string().optional(),
  RELEASE_DESK_AUDIT_KEY: z.string().optional(),
  RELEASE_DESK_AUDIT_KEY_FILE: z.string().optional(),
  RELEASE_DESK_PUBLIC_URL: z.url().optional(),
  RELEASE_DESK_IDLE_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /**
   * Behind a reverse proxy (SEC-4): `true` trusts the one hop in front of the app (the proxy on the
   * same machine: client addresses and https come from the last X-Forwarded-* entry it added), or a
   * comma-separated list of the proxies' addresses or CIDR ranges (trusted only when the connection
   * comes from one of them). `false`: X-Forwarded-* is ignored.
   */
  TRUST_PROXY: z.union([bool, trustedProxies]).default(false),
  /** Serve HTTPS directly (PEM files): both or neither. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often the server sweeps the clocks (rule TIME-6): every 5 minutes unless set. */
  CLOCKS_SWEEP_MINUTES: sweepMinutes.default(5),
});

// Email (issue 5). With no SMTP_URL the thread still works: messages are kept in the app's outbox.
const mailEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// (STARTTLS when offered) or smtps:// (implicit TLS) URL')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  MAIL_REPLY_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, 'must be a domain name')
    .optional(),
  MAIL_REPLY_LOCAL_PART: z
    .string()
    .regex(/^[a-z0-9._-]+$/i, 'letters, digits, dot, dash or underscore')
    .default('records'),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).optional(),
  IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[^/\s]+/, 'must be an imap:// (STARTTLS when offered) or imaps:// (implicit TLS) URL')
    .optional(),
  IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  IMAP_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  MAIL_INCLUDE_STAFF_MESSAGE_TEXT: bool.default(false),
  MAIL_MAX_MESSAGE_MB: z.coerce.number().int().min(1).max(100).default(30),
  /**
   * How long the SMTP client waits for each reply of the mail server: RFC 5321's 10 minutes unless
   * the practice's relay is known to answer sooner (mail/transport.ts says why it matters).
   */
  SMTP_REPLY_TIMEOUT_SECONDS: z.coerce.number().int().min(30).max(600).default(600),
});

export interface MailConfig {
  /** Outbound SMTP (secret: it may carry a password; never logged, never shown). Unset: the outbox. */
  smtpUrl?: string;
  /** The From header of every email ("Practice records <records@practice.example>"). */
  from: string;
  /** The domain of the reply addresses records+<token>@<domain>. */
  replyDomain: string;
  replyLocalPart: string;
  /** The built-in SMTP receiver listens here when set. */
  inboundSmtpPort?: number;
  inboundSmtpHost: string;
  /** A mailbox polled over IMAP (secret: never logged). */
  imapUrl?: string;
  imapMailbox: string;
  imapPollSeconds: number;
  /** The practice's mail system is covered by its BAA: staff messages' text may go out by email. */
  includeStaffMessageText: boolean;
  maxMessageBytes: number;
  /** SMTP_REPLY_TIMEOUT_SECONDS (30-600; absent: 600, RFC 5321's wait after DATA). */
  replyTimeoutSeconds?: number;
}

/** The email settings from the environment (the tests build them this way too). */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv, host = '127.0.0.1'): MailConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = mailEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError(
      'MAIL_FROM is required when SMTP_URL is set: the address emails come from, e.g. MAIL_FROM="Practice records <records@practice.example>".',
    );
  }
  const fromDomain = e.MAIL_FROM?.match(/@([^>\s]+)>?\s*$/)?.[1];
  if (e.MAIL_FROM && !fromDomain) throw new ConfigError('MAIL_FROM: must contain an email address.');
  if ((e.INBOUND_SMTP_PORT !== undefined || e.IMAP_URL) && !e.MAIL_REPLY_DOMAIN && !fromDomain) {
    throw new ConfigError(
      'MAIL_REPLY_DOMAIN is required to receive email (INBOUND_SMTP_PORT or IMAP_URL): replies are matched by the address records+<token>@MAIL_REPLY_DOMAIN.',
    );
  }
  const replyDomain = (e.MAIL_REPLY_DOMAIN ?? fromDomain ?? 'release-desk.invalid').toLowerCase();
  return {
    smtpUrl: e.SMTP_URL,
    from: e.MAIL_FROM ?? `Release Desk <${e.MAIL_REPLY_LOCAL_PART}@${replyDomain}>`,
    replyDomain,
    replyLocalPart: e.MAIL_REPLY_LOCAL_PART.toLowerCase(),
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST ?? host,
    imapUrl: e.IMAP_URL,
    imapMailbox: e.IMAP_MAILBOX,
    imapPollSeconds: e.IMAP_POLL_SECONDS,
    includeStaffMessageText: e.MAIL_INCLUDE_STAFF_MESSAGE_TEXT,
    maxMessageBytes: e.MAIL_MAX_MESSAGE_MB * 1024 * 1024,
    replyTimeoutSeconds: e.SMTP_REPLY_TIMEOUT_SECONDS,
  };
}

// Online payment through Stripe Checkout (issue 7). Both keys or neither: without them the
// requester is told how to pay the practice directly and support records the payment.
const stripeEnvSchema = z.object({
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_live_… or sk_test_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'must be the webhook signing secret (whsec_…)')
    .optional(),
  /** For tests and local stand-ins only: where the stripe client sends its API calls. */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
});

export interface StripeSettings {
  /** Secret: never logged, never shown. */
  secretKey: string;
  /** Secret: verifies the webhook's signature (never logged). */
  webhookSecret: string;
  /**
   * Where the stripe client sends API calls instead of api.stripe.com (the client's host, port and
   * protocol options). For tests and local stand-ins only (STRIPE_API_BASE).
   */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
  /** The client's retries on a network error or a 5xx (each with the same idempotency key). */
  maxNetworkRetries: number;
  /** Each API call's timeout. */
  timeoutMs: number;
}

/** Stripe's settings from the environment: both keys or neither, or a start-up error naming what is missing. */
export function stripeConfigFromEnv(env: NodeJS.ProcessEnv): StripeSettings | null {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = stripeEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (!e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    if (e.STRIPE_API_BASE)
      throw new ConfigError('STRIPE_API_BASE is set without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.');
    return null;
  }
  if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET) {
    const missing = e.STRIPE_SECRET_KEY ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY';
    throw new ConfigError(
      `${missing} is required too: online payment needs both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (or neither, to take payments directly).`,
    );
  }
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    apiBase: e.STRIPE_API_BASE ? apiBaseOf(new URL(e.STRIPE_API_BASE)) : undefined,
    maxNetworkRetries: 2,
    timeoutMs: 20_000,
  };
}

/** "http://127.0.0.1:12111" -> the stripe client's host, port and protocol options. */
export function apiBaseOf(url: URL): NonNullable<StripeSettings['apiBase']> {
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** Set when the practice runs its own PostgreSQL; otherwise the embedded server is started. */
  databaseUrl?: string;
  masterKey: Buffer;
  /** Keys retired by `keys rotate`, still accepted for reading while a rotation runs. */
  previousMasterKeys?: Buffer[];
  auditKey: Buffer;
  publicUrl: string;
  idleTimeoutMinutes: number;
  /** true: the one proxy hop in front; a list: only these proxy addresses/ranges; false: none. */
  trustProxy: boolean | string[];
  /** Serve HTTPS directly with this certificate and key (PEM); null: plain HTTP (or TLS at a proxy). */
  tls: { cert: Buffer; key: Buffer } | null;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** The clocks sweep's period in minutes (CLOCKS_SWEEP_MINUTES, 1-30 dividing an hour; the server only). */
  clocksSweepMinutes: number;
  /** A demo server: seeded data, demo logins, a banner on every page. */
  demo: boolean;
  /** Email: outbound SMTP or the outbox, the built-in receiver, IMAP polling (issue 5). */
  mail: MailConfig;
  /** Online payment through Stripe Checkout (issue 7); null: payments are taken directly. */
  stripe: StripeSettings | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // An empty variable (e.g. `DATABASE_URL=` in a compose file) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.RELEASE_DESK_DATA_DIR);
  const databaseUrl = overrides.databaseUrl ?? e.DATABASE_URL;
  const masterKey =
    overrides.masterKey ??
    readKey(
      'RELEASE_DESK_MASTER_KEY',
      e.RELEASE_DESK_MASTER_KEY,
      e.RELEASE_DESK_MASTER_KEY_FILE,
      dataDir,
      databaseUrl,
    );
  const previousMasterKeys = overrides.previousMasterKeys ?? readPreviousKey(e, dataDir, databaseUrl);
  registerPreviousMasterKeys(masterKey, previousMasterKeys);
  const auditKey =
    overrides.auditKey ??
    readKey(
      'RELEASE_DESK_AUDIT_KEY',
      e.RELEASE_DESK_AUDIT_KEY,
      e.RELEASE_DESK_AUDIT_KEY_FILE,
      dataDir,
      databaseUrl,
    );
  const host = overrides.host ?? e.HOST;
  const port = overrides.port ?? e.PORT;
  const tls = overrides.tls !== undefined ? overrides.tls : readTls(e.TLS_CERT_FILE, e.TLS_KEY_FILE);
  return {
    dataDir,
    host,
    port,
    databaseUrl,
    masterKey,
    previousMasterKeys,
    auditKey,
    publicUrl:
      overrides.publicUrl ??
      e.RELEASE_DESK_PUBLIC_URL ??
      `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    idleTimeoutMinutes: overrides.idleTimeoutMinutes ?? e.RELEASE_DESK_IDLE_TIMEOUT_MINUTES,
    trustProxy: overrides.trustProxy ?? e.TRUST_PROXY,
    tls,
    logLevel: overrides.logLevel ?? e.LOG_LEVEL,
    clocksSweepMinutes: overrides.clocksSweepMinutes ?? e.CLOCKS_SWEEP_MINUTES,
    demo: overrides.demo ?? false,
    mail: overrides.mail ?? mailConfigFromEnv(env, host),
    stripe: overrides.stripe !== undefined ? overrides.stripe : stripeConfigFromEnv(env),
  };
}

function readTls(certFile: string | undefined, keyFile: string | undefined): Config['tls'] {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile)
    throw new ConfigError(
      `${certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'} is required too: HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE (or neither).`,
    );
  for (const [name, file] of [
    ['TLS_CERT_FILE', certFile],
    ['TLS_KEY_FILE', keyFile],
  ] as const) {
    if (!existsSync(file)) throw new ConfigError(`${name}: no such file: ${file}`);
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/**
 * A 32-byte key, base64 or hex. In the embedded mode it is generated once in the data directory;
 * with DATABASE_URL every instance must be given the same key, so it is required.
 */
function readKey(
  name: string,
  value: string | undefined,
  file: string | undefined,
  dataDir: string,
  databaseUrl: string | undefined,
): Buffer {
  if (value && file) throw new ConfigError(`Set either ${name} or ${name}_FILE, not both.`);
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`${name}_FILE: no such file: ${file}`);
    return decodeKey(`${name}_FILE`, readFileSync(file, 'utf8'));
  }
  if (value) return decodeKey(name, value);
  if (databaseUrl) {
    throw new ConfigError(
      `${name} (or ${name}_FILE) is required when DATABASE_URL is set, so that every instance uses the same key. ` +
        'Generate one with: openssl rand -base64 32',
    );
  }
  const secrets = path.join(dataDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const keyFile = path.join(secrets, name === 'RELEASE_DESK_MASTER_KEY' ? 'master.key' : 'audit.key');
  if (!existsSync(keyFile))
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return decodeKey(keyFile, readFileSync(keyFile, 'utf8'));
}

/**
 * The previous master key of a rotation (`keys rotate`): RELEASE_DESK_PREVIOUS_MASTER_KEY(_FILE), or
 * in the embedded mode secrets/master.key.previous, which the rotation leaves behind.
 */
function readPreviousKey(
  e: z.infer<typeof envSchema>,
  dataDir: string,
  databaseUrl: string | undefined,
): Buffer[] {
  const name = 'RELEASE_DESK_PREVIOUS_MASTER_KEY';
  const value = e.RELEASE_DESK_PREVIOUS_MASTER_KEY;
  const file = e.RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE;
  if (value && file) throw new ConfigError(`Set either ${name} or ${name}_FILE, not both.`);
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`${name}_FILE: no such file: ${file}`);
    return [decodeKey(`${name}_FILE`, readFileSync(file, 'utf8'))];
  }
  if (value) return [decodeKey(name, value)];
  const kept = path.join(dataDir, 'secrets', 'master.key.previous');
  if (!databaseUrl && !e.RELEASE_DESK_MASTER_KEY && !e.RELEASE_DESK_MASTER_KEY_FILE && existsSync(kept))
    return [decodeKey(kept, readFileSync(kept, 'utf8'))];
  return [];
}

function decodeKey(name: string, raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new ConfigError(`${name}: must be 32 bytes, base64 or hex encoded (got ${key.length} bytes).`);
  return key;
}
