// The access matrix's helpers: a body each route's own zod schema accepts (so a refusal is the
// access rule's, not validation's), the SEC-2 truth from the policy functions themselves, and the
// marks of records a caller may not see, looked for in every successful answer.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { RequestFacts } from '../../../src/server/policies/facts.js';
import { canViewRequest } from '../../../src/server/policies/request.js';
import type { Role } from '../../../src/shared/roles.js';
import type { TestApp } from '../../support/app.js';
import type { TestUser } from '../../support/factories.js';
import type { RouteEntry } from '../../support/route-inventory.js';
import { type Hints, type Json, jsonSchemaOf, valid } from '../fuzz/arbitraries.js';

export const RELATIONSHIPS = ['own', 'supervisees', 'unrelated', 'elsewhere'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** Bodies sampling rarely finds (cross-field rules), as the workflow tests send them. */
const KNOWN_BODIES: Record<string, Json> = {
  'POST /api/requests/:requestId/invoice': { mode: 'no_fee' },
  'POST /api/requests/:requestId/extension': { reason: 'We need more time', newDueDate: '2099-01-31' },
  'POST /api/users': { email: 'matrix.new@practice.test', name: 'Matrix New', roles: ['support'] },
};

/**
 * A JSON body the route's schema accepts, found by sampling the schema (with real ids for fields of
 * known names); `{}` when none of the samples passes (then a 400 is "not reached", counted apart).
 */
export function validBody(route: RouteEntry, hints: Hints): { body: Json; valid: boolean } {
  const schema = route.schemas.body;
  if (!schema) return { body: {}, valid: true };
  const known = KNOWN_BODIES[route.key];
  if (known && schema.safeParse(known).success) return { body: known, valid: true };
  const samples = fc.sample(valid(jsonSchemaOf(schema), 0, hints), { numRuns: 60, seed: 8 });
  for (const s of samples) if (schema.safeParse(s).success) return { body: s, valid: true };
  return { body: {}, valid: schema.safeParse({}).success };
}

/** The request's facts as the policy reads them (practice, therapist, supervision chain, tasks). */
export async function requestFacts(t: TestApp, requestId: string, actor: TestUser): Promise<RequestFacts> {
  const pool = t.running.services.database.pool;
  const { rows } = await pool.query<{ practice_id: string; kind: string; therapist_id: string }>(
    'select practice_id, kind, therapist_id from requests where id = $1',
    [requestId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no request ${requestId}`);
  const chain = await pool.query<{ supervisor_id: string }>(
    `with recursive up(id) as (select supervisor_id from supervision_links where supervisee_id = $1
       union select s.supervisor_id from supervision_links s join up on s.supervisee_id = up.id)
     select id as supervisor_id from up`,
    [row.therapist_id],
  );
  const tasks = await pool.query<{
    id: string;
    type: string;
    assignee_id: string | null;
    assignee_role: string | null;
    state: string;
    completed_by: string | null;
  }>('select id, type, assignee_id, assignee_role, state, completed_by from tasks where request_id = $1', [
    requestId,
  ]);
  const glass = await pool.query<{ until: Date | null }>(
    'select max(expires_at) as until from break_glass where request_id = $1 and user_id = $2 and expires_at > now()',
    [requestId, actor.id],
  );
  return {
    practiceId: row.practice_id,
    kind: row.kind as RequestFacts['kind'],
    therapistId: row.therapist_id,
    supervisorChainOfTherapist: chain.rows.map((r) => r.supervisor_id),
    tasks: tasks.rows.map((x) => ({
      id: x.id,
      type: x.type as RequestFacts['tasks'][number]['type'],
      assigneeId: x.assignee_id,
      assigneeRole: x.assignee_role,
      state: x.state as RequestFacts['tasks'][number]['state'],
      completedBy: x.completed_by,
    })),
    breakGlassUntil: glass.rows[0]?.until ?? null,
  };
}

/** SEC-2 for a request, from the policy (the same function the commands use). */
export async function seesRequest(t: TestApp, user: TestUser, requestId: string): Promise<boolean> {
  const facts = await requestFacts(t, requestId, user);
  return canViewRequest({ id: user.id, practiceId: user.practiceId, roles: user.roles, active: true }, facts);
}

/**
 * SEC-2 for a client (queries/visible-clients.ts says the same in SQL): support and the privacy
 * officer see the practice's clients, a therapist their own, a supervisor those of their supervisees.
 */
export function seesClient(roles: readonly Role[], rel: Relationship): boolean {
  if (rel === 'elsewhere') return false;
  if (roles.includes('support') || roles.includes('privacy_officer')) return true;
  if (roles.includes('therapist') && rel === 'own') return true;
  return roles.includes('supervisor') && rel === 'supervisees';
}

/** A URL with the route's parameters filled; unknown ids get a fresh random one. */
export function urlFor(route: RouteEntry, values: Record<string, string | undefined>): string {
  // A secret link's token is 256 random bits in base64url: a made-up one of that shape passes the
  // schema, so the refusal is the link's own.
  const made = (name: string) => (name === 'token' ? randomBytes(32).toString('base64url') : randomUUID());
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeURIComponent(values[name] ?? made(name)),
  );
}

/** Which marks of hidden records appear in a body (an id, a client's unique surname, a file id). */
export function leakedMarks(body: string, marks: readonly string[]): string[] {
  return marks.filter((m) => m.length >= 8 && body.includes(m));
}
