// The access matrix's writes to records the caller sees (rule SEC-2). Each such cell is sent to a
// record made for it alone: a new client of the relationship's therapist (so the world's clients keep
// their names hidden from whoever they were hidden from), and for a request route a request of that
// client walked to the stage where the route's action applies (rich.ts). So no write changes what
// another cell reads or decides over.
//
// The body is one the route's schema accepts: Fastify validates a body before the handler runs, so
// before any access check, and an invalid body would answer 400 whoever sends it (it would prove
// nothing about access). The policy the command asks (write-policy.ts), called over the record's facts
// just before sending, says what is due: 404 (not visible), 403 (visible, not theirs to do), or past
// the policy: 2xx, or a precise refusal that comes after it (the stage's 409, a business rule's
// 400/410/422, with its error code).
import type { ReviewerFact } from '../../../src/server/policies/drafts.js';
import type { Actor } from '../../../src/server/policies/facts.js';
import { canViewClient } from '../../../src/server/policies/practice.js';
import { canViewRequest } from '../../../src/server/policies/request.js';
import { recordPdf } from '../../packets/support.js';
import { createClient } from '../../support/factories.js';
import { fillUrl, type RouteEntry } from '../../support/route-inventory.js';
import type { Response } from '../../support/session.js';
import { uploadTo } from '../../support/uploads.js';
import type { Hints } from '../fuzz/arbitraries.js';
import { STAFF_ROLES, type StaffRole } from '../support/world.js';
import { requestFacts, validBody } from './helpers.js';
import { buildRichRequest, type RichRelationship } from './rich.js';
import { type AccessWorld, send } from './setup.js';
import { CLIENT_WRITES, decideRequestWrite, requestWriteOf, type WriteDue } from './write-policy.js';

/** Relationships whose records a write is sent to (another practice's are never visible: those cells are the matrix's 404s). */
export const WRITE_RELATIONSHIPS = [
  'own',
  'supervisees',
  'unrelated',
] as const satisfies readonly RichRelationship[];

/** Answers that show the caller got past the policy: refused by the stage or a business rule. */
const PAST_POLICY = new Set([400, 409, 410, 413, 415, 422]);

export interface WriteCellResult {
  due: WriteDue;
  res: Response;
  /** What is wrong with the answer, if anything (`leak`: more was allowed than is due). */
  wrong: { leak: boolean; text: string } | null;
  label: string;
}

export interface WriteFixture {
  rel: RichRelationship;
  clientId: string;
  /** Route parameter name → id (requestId, taskId, draftId…; clientId and id for client routes). */
  ids: Record<string, string>;
  hints: Hints;
  label: string;
}

export function actorOf(a: AccessWorld, who: StaffRole): Actor {
  const u = a.w.users[who];
  return { id: u.id, practiceId: u.practiceId, roles: u.roles, active: true };
}

/** How an answer compares with what is due. */
export function judge(due: WriteDue, res: Response): WriteCellResult['wrong'] {
  const s = res.statusCode;
  if (s >= 500) return { leak: true, text: `${s} ${res.body.slice(0, 160)}` };
  if (due === 'hidden')
    return s === 404 ? null : { leak: true, text: `${s} where 404 was due (not visible)` };
  if (due === 'refused') {
    if (s === 403) return null;
    return { leak: s < 300, text: `${s} where the policy’s 403 was due: ${res.body.slice(0, 160)}` };
  }
  if (s < 300) return null;
  if (PAST_POLICY.has(s)) {
    const code = (res.json() as { error?: unknown }).error;
    return typeof code === 'string' && code !== 'forbidden' && code !== 'not_found'
      ? null
      : { leak: false, text: `${s} without a precise error code: ${res.body.slice(0, 160)}` };
  }
  return { leak: false, text: `${s} where the policy lets them act: ${res.body.slice(0, 200)}` };
}

const THERAPIST_OF: Record<RichRelationship, 'therapist' | 'supervisee' | 'unrelatedTherapist'> = {
  own: 'therapist',
  supervisees: 'supervisee',
  unrelated: 'unrelatedTherapist',
};

/** A new client of the relationship's therapist. */
async function newClient(a: AccessWorld, rel: RichRelationship): Promise<string> {
  return (await createClient(a.t, a.w.practice, a.w.users[THERAPIST_OF[rel]])).id;
}

/** The therapist's supervisor as the workflow resolves them (commands/support/tasks.ts). */
function reviewerOf(chain: readonly string[]): ReviewerFact {
  return chain[0]
    ? { assigneeId: chain[0], assigneeRole: null }
    : { assigneeId: null, assigneeRole: 'privacy_officer' };
}

async function authorOf(a: AccessWorld, versionId: string | undefined): Promise<string | null> {
  if (!versionId) return null;
  const { rows } = await a.t.running.services.database.pool.query<{ author_id: string | null }>(
    'select author_id from draft_versions where id = $1',
    [versionId],
  );
  return rows[0]?.author_id ?? null;
}

/** A new request for a request write route, of a new client of `rel`'s therapist, walked to the route's stage. */
export async function requestFixture(
  a: AccessWorld,
  route: RouteEntry,
  rel: RichRelationship,
): Promise<WriteFixture> {
  const line = requestWriteOf(route.url);
  if (!line) throw new Error(`${route.key}: no line in access/write-policy.ts`);
  const clientId = await newClient(a, rel);
  const built = await buildRichRequest(a.t, a.w, {
    rel,
    clientId,
    upTo: line.stage ?? 'intake',
    submitVersion: line.submitVersion ?? false,
    withAuthorization: route.paramNames.includes('authorizationId'),
  });
  if (built.missing.length)
    throw new Error(`${route.key} (${rel}): could not build ${built.missing.join('; ')}`);
  const hints: Hints = {
    assigneeId: [a.w.users.victim.id],
    reviewerId: [a.w.users.unrelatedTherapist.id],
    clientId: [clientId],
    ...(built.ids.fileId ? { fileId: [built.ids.fileId] } : {}),
  };
  if (route.url.endsWith('/merge')) {
    // The earlier request the duplicate folds into: same client, requester and records.
    const earlier = await buildRichRequest(a.t, a.w, { rel, clientId, upTo: 'intake' });
    hints.intoRequestId = [earlier.requestId];
  }
  return {
    rel,
    clientId,
    ids: built.ids,
    hints,
    label: `${rel}, a new request at ${line.stage ?? 'intake'}`,
  };
}

/** The staff roles that see a fixture's request (the policy over its facts). */
export async function requestViewers(a: AccessWorld, fx: WriteFixture): Promise<StaffRole[]> {
  const out: StaffRole[] = [];
  for (const who of STAFF_ROLES) {
    const facts = await requestFacts(a.t, fx.ids.requestId as string, a.w.users[who]);
    if (canViewRequest(actorOf(a, who), facts)) out.push(who);
  }
  return out;
}

/** What SEC-2 says of a request write as `who` on this fixture now (the policy over its facts). */
export async function requestWriteDue(
  a: AccessWorld,
  route: RouteEntry,
  who: StaffRole,
  fx: WriteFixture,
): Promise<WriteDue> {
  const line = requestWriteOf(route.url);
  if (!line) throw new Error(`${route.key}: no line in access/write-policy.ts`);
  const { t, w } = a;
  const { body } = validBody(route, fx.hints);
  const facts = await requestFacts(t, fx.ids.requestId as string, w.users[who]);
  return decideRequestWrite(line, {
    actor: actorOf(a, who),
    facts,
    now: t.clock.now(),
    ...(route.paramNames.includes('taskId') && fx.ids.taskId ? { taskId: fx.ids.taskId } : {}),
    reviewer: reviewerOf(facts.supervisorChainOfTherapist),
    authorId: await authorOf(a, route.paramNames.includes('versionId') ? fx.ids.versionId : undefined),
    body,
  });
}

let scanPdf: Promise<Buffer> | null = null;
/** One scanned page for every upload cell (made once: pdf-lib takes a while). */
function scan(): Promise<Buffer> {
  scanPdf ??= recordPdf('Scan', 1);
  return scanPdf;
}

/** One request write as `who` on its fixture: what is due, the answer, and what is wrong with it. */
export async function sendRequestWrite(
  a: AccessWorld,
  route: RouteEntry,
  who: StaffRole,
  fx: WriteFixture,
): Promise<WriteCellResult> {
  const { t, w } = a;
  const requestId = fx.ids.requestId as string;
  const { body } = validBody(route, fx.hints);
  const due = await requestWriteDue(a, route, who, fx);
  const res = route.multipart
    ? await uploadTo(
        t,
        w.agents[who],
        requestId,
        { filename: 'scan.pdf', data: await scan() },
        { purpose: 'record', documentClass: 'progress_notes' },
      )
    : await send(a, w.agents[who], route, fillUrl(route, fx.ids), body);
  return { due, res, wrong: judge(due, res), label: fx.label };
}

/** The client's facts as canViewClient reads them (its therapist and their supervisors). */
async function clientFacts(a: AccessWorld, clientId: string) {
  const pool = a.t.running.services.database.pool;
  const { rows } = await pool.query<{ practice_id: string; therapist_id: string | null }>(
    'select practice_id, therapist_id from clients where id = $1',
    [clientId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no client ${clientId}`);
  const chain = row.therapist_id
    ? await pool.query<{ id: string }>(
        `with recursive up(id) as (select supervisor_id from supervision_links where supervisee_id = $1
           union select s.supervisor_id from supervision_links s join up on s.supervisee_id = up.id)
         select id from up`,
        [row.therapist_id],
      )
    : { rows: [] };
  return {
    practiceId: row.practice_id,
    therapistId: row.therapist_id,
    supervisorChainOfTherapist: chain.rows.map((r) => r.id),
  };
}

/** A new client of `rel`'s therapist for a client write route (with an accounting request when the URL names one). */
export async function clientFixture(
  a: AccessWorld,
  route: RouteEntry,
  rel: RichRelationship,
): Promise<WriteFixture> {
  const { w } = a;
  const clientId = await newClient(a, rel);
  const ids: Record<string, string> = { clientId, id: clientId };
  if (route.url.startsWith('/api/clients/:clientId/accounting-requests/:id')) {
    const made = await w.agents.support.post(`/api/clients/${clientId}/accounting-requests`, {
      requester: { name: 'Alex Client', relationship: 'client' },
    });
    if (made.statusCode !== 201) throw new Error(`accounting request: ${made.statusCode} ${made.body}`);
    ids.id = (made.json() as { request: { id: string } }).request.id;
  }
  return {
    rel,
    clientId,
    ids,
    hints: { clientId: [clientId], therapistId: [w.users[THERAPIST_OF[rel]].id] },
    label: `${rel}, a new client`,
  };
}

export async function clientViewers(a: AccessWorld, fx: WriteFixture): Promise<StaffRole[]> {
  const facts = await clientFacts(a, fx.clientId);
  return STAFF_ROLES.filter((who) => canViewClient(actorOf(a, who), facts));
}

export async function clientWriteDue(
  a: AccessWorld,
  route: RouteEntry,
  who: StaffRole,
  fx: WriteFixture,
): Promise<WriteDue> {
  const may = CLIENT_WRITES[route.key];
  if (!may) throw new Error(`${route.key}: no line in access/write-policy.ts`);
  const actor = actorOf(a, who);
  const facts = await clientFacts(a, fx.clientId);
  if (!canViewClient(actor, facts)) return 'hidden';
  return may(actor, facts.practiceId) ? 'may' : 'refused';
}

export async function sendClientWrite(
  a: AccessWorld,
  route: RouteEntry,
  who: StaffRole,
  fx: WriteFixture,
): Promise<WriteCellResult> {
  const due = await clientWriteDue(a, route, who, fx);
  const { body } = validBody(route, fx.hints);
  const res = await send(a, a.w.agents[who], route, fillUrl(route, fx.ids), body);
  return { due, res, wrong: judge(due, res), label: fx.label };
}

/** Whether a route is a write to a request or a client (sent here), else null. */
export function recordWriteScope(route: RouteEntry): 'request' | 'client' | null {
  if (!route.writes) return null;
  if (route.url.startsWith('/api/requests/:requestId/')) return 'request';
  if (/^\/api\/clients\/:(clientId|id)(\/|$)/.test(route.url)) return 'client';
  return null;
}

/** Every request and client write route has a line in write-policy.ts (else the matrix fails, naming it). */
export function writesWithoutPolicy(routes: readonly RouteEntry[]): string[] {
  return routes
    .filter((r) => {
      const scope = recordWriteScope(r);
      if (scope === 'request') return !requestWriteOf(r.url);
      if (scope === 'client') return !CLIENT_WRITES[r.key];
      return false;
    })
    .map((r) => r.key);
}
