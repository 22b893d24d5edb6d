// Each test builds its own practice and people (no shared fixtures; architecture.md convention 9).
import { randomBytes, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { deriveKey, seal } from '../../src/server/crypto/seal.js';
import { clients, practices, supervisionLinks, users } from '../../src/server/db/schema.js';
import type { Role } from '../../src/shared/roles.js';
import type { TestApp } from './app.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

export interface TestPractice {
  id: string;
  name: string;
  timeZone: string;
}

export async function createPractice(
  t: TestApp,
  fields: Partial<typeof practices.$inferInsert> = {},
): Promise<TestPractice> {
  const [row] = await t.running.services.database.db
    .insert(practices)
    .values({
      name: `Practice ${randomUUID().slice(0, 6)}`,
      // A state with no shipped rule pack, so access requests get HIPAA's 30 days (TIME-2). A state
      // with a pack (CA, TX, NY) applies its shorter deadline and lower caps even before counsel
      // confirms them (TIME-3): tests about state rules ask for the state explicitly.
      state: 'WA',
      timeZone: 'America/Los_Angeles',
      ...fields,
    })
    .returning();
  return { id: row!.id, name: row!.name, timeZone: row!.timeZone };
}

export interface TestUser {
  id: string;
  practiceId: string;
  email: string;
  name: string;
  roles: Role[];
  password: string;
  /** Base32 TOTP secret of an enrolled user (compute codes with totpCode). */
  totpSecret: string | null;
}

export async function createUser(
  t: TestApp,
  practice: TestPractice,
  roles: Role[],
  opts: { name?: string; email?: string; enrolled?: boolean; isDemo?: boolean; active?: boolean } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID();
  const enrolled = opts.enrolled ?? true;
  const secret = enrolled ? new OTPAuth.Secret({ size: 20 }) : null;
  const masterKey = t.config.masterKey;
  const email = opts.email ?? `${roles[0]}-${randomBytes(4).toString('hex')}@practice.test`;
  const name = opts.name ?? `${roles[0]} ${id.slice(0, 4)}`;
  await t.running.services.database.db.insert(users).values({
    id,
    practiceId: practice.id,
    email,
    name,
    roles,
    passwordHash: await passwordHash,
    active: opts.active ?? true,
    isDemo: opts.isDemo ?? false,
    mfaSecretEnc: secret
      ? seal(deriveKey(masterKey, 'mfa-secret'), Buffer.from(secret.base32), `user:${id}`)
      : null,
    mfaEnrolledAt: secret ? new Date() : null,
  });
  return {
    id,
    practiceId: practice.id,
    email,
    name,
    roles,
    password: TEST_PASSWORD,
    totpSecret: secret?.base32 ?? null,
  };
}

export function totpCode(secretBase32: string, at = Date.now()): string {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    digits: 6,
    period: 30,
  }).generate({
    timestamp: at,
  });
}

export async function linkSupervisor(t: TestApp, supervisee: TestUser, supervisor: TestUser): Promise<void> {
  await t.running.services.database.db
    .insert(supervisionLinks)
    .values({ practiceId: supervisee.practiceId, superviseeId: supervisee.id, supervisorId: supervisor.id });
}

export async function createClient(
  t: TestApp,
  practice: TestPractice,
  therapist: TestUser | null,
  fields: Partial<typeof clients.$inferInsert> = {},
): Promise<{ id: string; firstName: string; lastName: string }> {
  const [row] = await t.running.services.database.db
    .insert(clients)
    .values({
      practiceId: practice.id,
      firstName: 'Alex',
      lastName: `Client-${randomBytes(3).toString('hex')}`,
      dateOfBirth: '1990-04-12',
      therapistId: therapist?.id ?? null,
      email: 'alex@example.test',
      ...fields,
    })
    .returning();
  return { id: row!.id, firstName: row!.firstName, lastName: row!.lastName };
}
