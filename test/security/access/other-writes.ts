// The access matrix's other allowed writes (rule SEC-2): the practice-level writes of the roles that
// may make them (access/expectations.ts), each on a target made for it (a new colleague, supervision
// link, letter template, triaged message…), and each role's writes about themselves (sign-in, second
// factor, sign-out, password) on a session of their own. They change what the whole practice reads,
// so the matrix sends them after every other cell. What is due: past the policy — 2xx, or a precise
// refusal that is not 403/404 (the stage's 409, a business rule's 400/422, with its error code).
import { randomUUID } from 'node:crypto';
import { inboundEmails } from '../../../src/server/db/schema-mail.js';
import { signInToPortal } from '../../portal/support.js';
import { createClient, createUser, linkSupervisor } from '../../support/factories.js';
import { createRequestAs, intakeBody } from '../../support/requests.js';
import { fillUrl, type RouteEntry } from '../../support/route-inventory.js';
import { agentFor, freshCode, randomIp, sessionCookie } from '../../support/session.js';
import { STAFF_ROLES, type StaffRole } from '../support/world.js';
import { validBody } from './helpers.js';
import { type AccessWorld, send } from './setup.js';
import { judge, type WriteCellResult } from './writes.js';

/** A message waiting in triage, as the receiver leaves one it could not keep (too large): no raw body. */
async function triagedMessage(a: AccessWorld): Promise<string> {
  const id = randomUUID();
  await a.t.running.services.database.db.insert(inboundEmails).values({
    id,
    practiceId: a.w.practice.id,
    via: 'smtp',
    dedupeKey: `matrix:${id}`,
    fromAddress: 'someone@else.test',
    subject: 'Records, please',
    status: 'triage',
    reason: 'matched no thread',
    rawSize: 40_000_000,
    receivedAt: a.t.clock.now(),
  });
  return id;
}

/** An email of the practice's outbox that carries a code (the requester's portal code). */
async function codeEmail(a: AccessWorld): Promise<string> {
  const { rows } = await a.t.running.services.database.pool.query<{ id: string }>(
    'select id from outbound_emails where practice_id = $1 and carries_code order by created_at limit 1',
    [a.w.practice.id],
  );
  if (!rows[0]) throw new Error('no outbound email carrying a code');
  return rows[0].id;
}

/**
 * One allowed practice-level write as `who`, on a target of its own: the URL's ids and the body's
 * (a colleague, a supervisee, a client of the own therapist) are made for this cell.
 */
export async function sendPracticeWrite(
  a: AccessWorld,
  route: RouteEntry,
  who: StaffRole,
): Promise<WriteCellResult> {
  const { t, w } = a;
  const colleague = () => createUser(t, w.practice, ['therapist']);
  const ids: Record<string, string> = {};
  const hints: Record<string, string[]> = {};
  let label = 'practice';
  if (route.paramNames.includes('userId')) {
    ids.userId = (await colleague()).id;
    label = 'a new colleague';
  }
  if (route.key === 'POST /api/supervision-links') {
    hints.superviseeId = [(await colleague()).id];
    hints.supervisorId = [(await createUser(t, w.practice, ['supervisor'])).id];
    label = 'a new colleague and supervisor';
  }
  if (route.key === 'DELETE /api/supervision-links/:superviseeId') {
    const supervisee = await colleague();
    await linkSupervisor(t, supervisee, await createUser(t, w.practice, ['supervisor']));
    ids.superviseeId = supervisee.id;
    label = 'a new supervision link';
  }
  // Bodies as the web app sends them (schema sampling rarely finds one that passes the business rules).
  let known: unknown;
  if (route.key === 'POST /api/requests') {
    const client = await createClient(t, w.practice, w.users.therapist);
    known = intakeBody(client.id, { receivedAt: t.clock.now().toISOString() });
    label = 'a new client';
  }
  if (route.key === 'POST /api/clients')
    known = {
      firstName: 'Robin',
      lastName: `Matrix-${randomUUID().slice(0, 6)}`,
      dateOfBirth: '1990-04-12',
      therapistId: w.users.therapist.id,
    };
  if (route.key === 'PUT /api/drafts/templates/:templateId') {
    const made = await w.agents.admin.post('/api/drafts/templates', validBody(route, {}).body);
    if (made.statusCode >= 300) throw new Error(`template: ${made.statusCode} ${made.body}`);
    const json = made.json() as { id?: string; template?: { id: string } };
    ids.templateId = (json.template?.id ?? json.id) as string;
    label = 'a new letter template';
  }
  if (route.url.startsWith('/api/mail/triage/:id')) {
    ids.id = await triagedMessage(a);
    label = 'a new triaged message';
  }
  if (route.key === 'POST /api/mail/outbox/:id/read-code') {
    ids.id = await codeEmail(a);
    label = 'the requester’s code email';
  }
  const body = known && route.schemas.body?.safeParse(known).success ? known : validBody(route, hints).body;
  const res = await send(a, w.agents[who], route, fillUrl(route, ids), body);
  return { due: 'may', res, wrong: judge('may', res), label };
}

export interface SelfCell {
  key: string;
  who: StaffRole;
  out: WriteCellResult;
}

/**
 * A one-time sign-in link for each role's account, issued by the administrator before any of the
 * self writes (the first of them ends the administrator's other sessions too): its token.
 */
export async function signInLinks(a: AccessWorld): Promise<Record<StaffRole, string>> {
  const out = {} as Record<StaffRole, string>;
  for (const who of STAFF_ROLES) {
    const res = await a.w.agents.admin.post(`/api/users/${a.w.users[who].id}/sign-in-link`, {});
    if (res.statusCode !== 200) throw new Error(`sign-in link: ${res.statusCode} ${res.body}`);
    const url = new URL((res.json() as { signInLink: { url: string } }).signInLink.url);
    out[who] = url.searchParams.get('token') ?? '';
  }
  return out;
}

/**
 * Each role's writes about themselves, as a person makes them: the sign-in link the administrator
 * sent (setting a new password, which ends every other session of the account by design: so these
 * come last), the password step and the second factor of a new sign-in, enrolling again (refused:
 * the account has its authenticator), the password change, and signing out.
 */
export async function sendSelfWrites(a: AccessWorld, who: StaffRole, linkToken: string): Promise<SelfCell[]> {
  const { t, w } = a;
  const user = w.users[who];
  const out: SelfCell[] = [];
  const cell = (key: string, res: WriteCellResult['res'], label: string) =>
    out.push({ key, who, out: { due: 'may', res, wrong: judge('may', res), label } });
  const ip = randomIp();
  const viaLink = `${user.password} (set by link)`;
  const link = await t.app.inject({
    method: 'POST',
    url: '/api/auth/token-login',
    remoteAddress: ip,
    payload: { token: linkToken, password: viaLink },
  });
  cell('POST /api/auth/token-login', link, 'the link the administrator sent them');
  if (link.statusCode === 200) user.password = viaLink;
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { email: user.email, password: user.password },
  });
  cell('POST /api/auth/login', login, 'their own password');
  const pending = agentFor(t, user, {
    cookie: sessionCookie(login) ?? '',
    csrfToken: (login.json() as { csrfToken?: string }).csrfToken ?? '',
    ip,
  });
  const mfa = await pending.post('/api/auth/mfa', { code: freshCode(t, user, user.totpSecret ?? '') });
  cell('POST /api/auth/mfa', mfa, 'their own code');
  const session = agentFor(t, user, {
    cookie: sessionCookie(mfa) ?? '',
    csrfToken: (mfa.json() as { csrfToken?: string }).csrfToken ?? '',
    ip,
  });
  cell(
    'POST /api/auth/mfa/enroll',
    await session.post('/api/auth/mfa/enroll', { code: '123456' }),
    'enrolled already',
  );
  const newPassword = `${user.password} again`;
  const changed = await session.post('/api/auth/password', {
    currentPassword: user.password,
    newPassword,
  });
  cell('POST /api/auth/password', changed, 'their own password');
  if (changed.statusCode === 200) {
    user.password = newPassword;
    session.cookie = sessionCookie(changed) ?? session.cookie;
    session.csrfToken = (changed.json() as { csrfToken: string }).csrfToken;
  }
  cell('POST /api/auth/logout', await session.post('/api/auth/logout', {}), 'their own session');
  return out;
}

/**
 * The requester's own cell of a portal route: a read on the portal session of the world's own
 * request, a write on a new request of the own client with a portal session of its own (a write
 * may end the session or change the request). Past the portal's access check: 2xx, or a precise
 * refusal that is not its 403/404 (e.g. 409: nothing to sign or pay yet).
 */
export async function requesterOwnCell(a: AccessWorld, route: RouteEntry): Promise<WriteCellResult> {
  const { t, w } = a;
  let portal = a.portalA;
  let number = w.requests.own.number;
  let label = 'their own request';
  if (route.writes) {
    const fresh = await createRequestAs(w.agents.support, w.clients.own.id, {
      receivedAt: t.clock.now().toISOString(),
    });
    portal = await signInToPortal(t, fresh.id);
    number = fresh.number;
    label = 'their own new request';
  }
  const url = fillUrl(route, { number });
  const res = route.writes ? await portal.r.post(url, validBody(route, {}).body) : await portal.r.get(url);
  return { due: 'may', res, wrong: judge('may', res), label };
}

/** The self-scope write routes sendSelfWrites sends (the matrix checks it sends every one). */
export const SELF_WRITES = [
  'POST /api/auth/login',
  'POST /api/auth/mfa',
  'POST /api/auth/mfa/enroll',
  'POST /api/auth/token-login',
  'POST /api/auth/password',
  'POST /api/auth/logout',
];
