// Which practice the public form is for, and who a portal submission is recorded as.
import { count, eq, sql } from 'drizzle-orm';
import type { IntakePractice } from '../../../shared/schemas/portal-intake.js';
import type { Actor, Services } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { practices, users } from '../../db/schema.js';
import { practiceContact } from '../../mail/requester-thread.js';

/**
 * The practice the form at /request serves: the one named, or the instance's only practice (one
 * deployment usually holds one practice; a group links to /request?practice=<id>). Null if unknown.
 */
export async function intakePractice(
  services: Services,
  practiceId: string | null,
): Promise<IntakePractice | null> {
  const db = services.database.db;
  let id = practiceId;
  if (!id) {
    const [n] = await db.select({ n: count() }).from(practices);
    if ((n?.n ?? 0) !== 1) return null;
    const [only] = await db.select({ id: practices.id }).from(practices);
    id = only!.id;
  }
  const [exists] = await db.select({ id: practices.id }).from(practices).where(eq(practices.id, id));
  if (!exists) return null;
  const { contact } = await practiceContact(db, id);
  return {
    practiceId: id,
    name: contact.name,
    phone: contact.phone,
    email: contact.email,
    emailCodes: Boolean(services.config.mail.smtpUrl),
  };
}

const PORTAL_NAME = 'Online request form';

/**
 * The portal's own staff row, one per practice, so a request and its uploads have a `created_by`
 * and an `uploaded_by` (both required) without naming a person. It is inactive and has no password:
 * nobody signs in as it, no task goes to it (queues are by role), and the audit events of a
 * submission carry no actor at all (the caller clears the actor before they are written).
 */
export async function portalActor(tx: Db, practiceId: string): Promise<Actor> {
  const email = `portal-intake+${practiceId}@release-desk.invalid`;
  await tx
    .insert(users)
    .values({ practiceId, email, name: PORTAL_NAME, roles: ['support'], active: false, passwordHash: null })
    .onConflictDoNothing();
  const [row] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  // In memory only: allowed to record a request for this practice (the portal's own authority is
  // the emailed code and the proof of work), while the stored row stays unusable for signing in.
  return {
    id: row!.id,
    practiceId,
    name: PORTAL_NAME,
    email,
    roles: ['support'],
    active: true,
    isDemo: false,
  };
}
