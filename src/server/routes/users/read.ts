// Reads for the administration screens, always scoped to the caller's practice (convention 3): a
// user of another practice is simply not found.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { isRole, ROLES } from '../../../shared/roles.js';
import { parsePracticeSettings, practiceSettingsSchema } from '../../../shared/schemas/practice-settings.js';
import type { Db } from '../../db/connect.js';
import { practices, supervisionLinks, users } from '../../db/schema.js';
import { NotFoundError } from '../../errors.js';

export const userView = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
  mfaEnrolled: z.boolean(),
  supervisorId: z.uuid().nullable(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  deactivatedAt: z.iso.datetime().nullable(),
});
export type UserView = z.infer<typeof userView>;

export const practiceView = z.object({
  id: z.uuid(),
  name: z.string(),
  state: z.string(),
  timeZone: z.string(),
  privacyOfficer: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  /** The [policy] settings in force, defaults filled in (TIME-5, TIME-6, break-glass). */
  settings: practiceSettingsSchema,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  roles: users.roles,
  active: users.active,
  mfaEnrolledAt: users.mfaEnrolledAt,
  supervisorId: supervisionLinks.supervisorId,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  deactivatedAt: users.deactivatedAt,
};

function selectUsers(db: Db) {
  return db
    .select(userColumns)
    .from(users)
    .leftJoin(supervisionLinks, eq(supervisionLinks.superviseeId, users.id))
    .$dynamic();
}
type UserRow = Awaited<ReturnType<typeof selectUsers>>[number];

function present(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles.filter(isRole),
    active: row.active,
    mfaEnrolled: row.mfaEnrolledAt !== null,
    supervisorId: row.supervisorId,
    lastLoginAt: iso(row.lastLoginAt),
    createdAt: row.createdAt.toISOString(),
    deactivatedAt: iso(row.deactivatedAt),
  };
}

export async function listUsers(db: Db, practiceId: string): Promise<UserView[]> {
  const rows = await selectUsers(db)
    .where(eq(users.practiceId, practiceId))
    .orderBy(asc(users.name), asc(users.id));
  return rows.map(present);
}

export async function getUser(db: Db, practiceId: string, userId: string): Promise<UserView> {
  const [row] = await selectUsers(db).where(and(eq(users.id, userId), eq(users.practiceId, practiceId)));
  if (!row) throw new NotFoundError('user', { userId });
  return present(row);
}

export async function getPractice(db: Db, practiceId: string): Promise<z.infer<typeof practiceView>> {
  const [row] = await db.select().from(practices).where(eq(practices.id, practiceId));
  if (!row) throw new NotFoundError('practice');
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    timeZone: row.timeZone,
    privacyOfficer: {
      name: row.privacyOfficerName,
      email: row.privacyOfficerEmail,
      phone: row.privacyOfficerPhone,
    },
    settings: parsePracticeSettings(row.settings),
  };
}

export async function listSupervisionLinks(
  db: Db,
  practiceId: string,
): Promise<{ superviseeId: string; supervisorId: string; createdAt: string }[]> {
  const rows = await db
    .select()
    .from(supervisionLinks)
    .where(eq(supervisionLinks.practiceId, practiceId))
    .orderBy(asc(supervisionLinks.createdAt));
  return rows.map((r) => ({
    superviseeId: r.superviseeId,
    supervisorId: r.supervisorId,
    createdAt: r.createdAt.toISOString(),
  }));
}
