// Who is on each thread (issue 5). The internal thread: support, the therapist, the therapist's
// supervisor, whoever holds or held a task on the request (clinical services, an escalation), and the
// privacy officer (the top of every ladder). The requester thread: the requester (and the recipient
// of a secure link) and support. Nothing from the internal thread ever reaches the requester.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Role } from '../../shared/roles.js';
import type { Db } from '../db/connect.js';
import { type requests, tasks, users } from '../db/schema.js';
import { deliveryLinks } from '../db/schema-packets.js';
import { supervisorChain } from '../queries/supervision.js';
import { bareAddress } from './addresses.js';

export interface Participant {
  email: string;
  userId: string | null;
  name: string;
  /** 'staff', 'requester' (the requester or a link's recipient). */
  side: 'staff' | 'requester';
}

type RequestRow = typeof requests.$inferSelect;

async function staffByIds(tx: Db, practiceId: string, ids: string[]): Promise<Participant[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.practiceId, practiceId), eq(users.active, true), inArray(users.id, ids)));
  return rows.map((u) => ({
    email: u.email.toLowerCase(),
    userId: u.id,
    name: u.name,
    side: 'staff' as const,
  }));
}

async function staffByRoles(tx: Db, practiceId: string, roles: Role[]): Promise<Participant[]> {
  if (roles.length === 0) return [];
  const rows = await tx
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .where(and(eq(users.practiceId, practiceId), eq(users.active, true)));
  return rows
    .filter((u) => u.roles.some((r) => (roles as string[]).includes(r)))
    .map((u) => ({ email: u.email.toLowerCase(), userId: u.id, name: u.name, side: 'staff' as const }));
}

function unique(list: Participant[]): Participant[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    if (seen.has(p.email)) return false;
    seen.add(p.email);
    return true;
  });
}

/** Everyone on the request's internal thread. */
export async function internalParticipants(tx: Db, request: RequestRow): Promise<Participant[]> {
  const taskRows = await tx
    .select({
      assigneeId: tasks.assigneeId,
      assigneeRole: tasks.assigneeRole,
      completedBy: tasks.completedBy,
      state: tasks.state,
    })
    .from(tasks)
    .where(eq(tasks.requestId, request.id));
  const [supervisor] = await supervisorChain(tx, request.therapistId);
  const ids = new Set<string>([request.therapistId]);
  if (supervisor) ids.add(supervisor);
  const queueRoles = new Set<Role>(['support', 'privacy_officer']);
  for (const t of taskRows) {
    if (t.assigneeId) ids.add(t.assigneeId);
    if (t.completedBy) ids.add(t.completedBy);
    if (!t.assigneeId && t.assigneeRole && (t.state === 'open' || t.state === 'waiting_on_requester')) {
      queueRoles.add(t.assigneeRole as Role);
    }
  }
  return unique([
    ...(await staffByIds(tx, request.practiceId, [...ids])),
    ...(await staffByRoles(tx, request.practiceId, [...queueRoles])),
  ]);
}

/** Everyone on the requester thread: the requester, any secure link's recipient, and support. */
export async function requesterParticipants(tx: Db, request: RequestRow): Promise<Participant[]> {
  const outside: Participant[] = [];
  const requester = bareAddress(request.requesterEmail);
  if (requester)
    outside.push({ email: requester, userId: null, name: request.requesterName, side: 'requester' });
  const links = await tx
    .select({ email: deliveryLinks.recipientEmail, name: deliveryLinks.recipientName })
    .from(deliveryLinks)
    .where(eq(deliveryLinks.requestId, request.id));
  for (const l of links) {
    const email = bareAddress(l.email);
    if (email) outside.push({ email, userId: null, name: l.name, side: 'requester' });
  }
  return unique([...outside, ...(await staffByRoles(tx, request.practiceId, ['support']))]);
}

export async function participantsOf(
  tx: Db,
  request: RequestRow,
  thread: 'internal' | 'requester',
): Promise<Participant[]> {
  return thread === 'internal' ? internalParticipants(tx, request) : requesterParticipants(tx, request);
}

/** A staff member of the practice by address (for replies that match no thread participant). */
export async function staffByEmail(tx: Db, practiceId: string, email: string) {
  const [row] = await tx
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.practiceId, practiceId),
        eq(users.active, true),
        sql`lower(${users.email}) = ${email.toLowerCase()}`,
      ),
    );
  return row ?? null;
}
