// Reading the account a sign-in is about, and turning a user row into the Actor commands see.
import { eq, sql } from 'drizzle-orm';
import { isRole } from '../../shared/roles.js';
import type { Actor } from '../context.js';
import type { Db } from '../db/connect.js';
import { practices, users } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

export function toActor(user: UserRow): Actor {
  return {
    id: user.id,
    practiceId: user.practiceId,
    name: user.name,
    email: user.email,
    roles: user.roles.filter(isRole),
    active: user.active,
    isDemo: user.isDemo,
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return row ?? null;
}

/** The user row, locked until the transaction ends (failures and enrolment serialise on it). */
export async function lockUser(tx: Db, userId: string): Promise<UserRow | null> {
  const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  return row ?? null;
}

export async function practiceName(db: Db, practiceId: string): Promise<string> {
  const [row] = await db.select({ name: practices.name }).from(practices).where(eq(practices.id, practiceId));
  return row?.name ?? 'Release Desk';
}
