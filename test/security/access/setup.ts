// The access tests' shared world: the practice of support/world.ts with a file on each
// relationship's request, a requester signed in to the portal for the own request, and the rich
// request (access/rich.ts); how a cell is sent; and SEC-2's truth asked of the policy once per person
// and request.
import { expect } from 'vitest';
import { signInToPortal } from '../../portal/support.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import type { RouteEntry } from '../../support/route-inventory.js';
import { type Agent, type Response, randomIp } from '../../support/session.js';
import { uploadTo } from '../../support/uploads.js';
import { buildWorld, type StaffRole, type World } from '../support/world.js';
import { RELATIONSHIPS, type Relationship, seesClient, seesRequest } from './helpers.js';
import { buildRichRequest, type RichRequest } from './rich.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Size 3 /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

export interface AccessWorld {
  t: TestApp;
  w: World;
  fileOf: Record<Relationship, string>;
  taskOf: Record<Relationship, string>;
  portalA: Awaited<ReturnType<typeof signInToPortal>>;
  rich: RichRequest;
  seen: Map<string, Promise<boolean>>;
}

export async function setupAccessWorld(): Promise<AccessWorld> {
  const t = await createTestApp();
  const w = await buildWorld(t);
  const fileOf = {} as Record<Relationship, string>;
  const taskOf = {} as Record<Relationship, string>;
  for (const rel of RELATIONSHIPS) {
    const uploader = rel === 'elsewhere' ? w.elsewhereSupport : w.agents.support;
    const file = { filename: 'request.pdf', data: PDF };
    const res = await uploadTo(t, uploader, w.requests[rel].id, file, { purpose: 'request' });
    expect(res.statusCode, res.body).toBe(201);
    fileOf[rel] = res.json().id;
    taskOf[rel] = w.requests[rel].tasks[0]?.id ?? '';
  }
  const portalA = await signInToPortal(t, w.requests.own.id);
  const rich = await buildRichRequest(t, w);
  return { t, w, fileOf, taskOf, portalA, rich, seen: new Map() };
}

/** One cell: as a staff agent (with or without the CSRF token), or as nobody. */
export function send(
  a: AccessWorld,
  agent: Agent | null,
  route: RouteEntry,
  url: string,
  body: unknown,
  csrf = true,
): Promise<Response> {
  if (agent)
    return agent.request(route.method, url, route.writes ? body : undefined, csrf ? {} : { csrf: null });
  return a.t.app.inject({
    method: route.method,
    url,
    remoteAddress: randomIp(),
    ...(route.writes ? { payload: body as Record<string, unknown> } : {}),
  });
}

/**
 * SEC-2 from the policy, asked once per person and request: the tests send no write a caller may
 * make to a request (only refused ones), so who sees what does not change while they run.
 */
export function sees(a: AccessWorld, user: World['users'][StaffRole], requestId: string): Promise<boolean> {
  const k = `${user.id}:${requestId}`;
  if (!a.seen.has(k)) a.seen.set(k, seesRequest(a.t, user, requestId));
  return a.seen.get(k) as Promise<boolean>;
}

/**
 * The ids and unique names of what this relationship's request holds, when the caller may not see
 * it. The client's own marks are hidden only when the caller sees no request of that client (the
 * rich request is the supervisee's client's too).
 */
export async function hiddenMarks(
  a: AccessWorld,
  user: World['users'][StaffRole],
  rel: Relationship,
  scope: string,
): Promise<string[]> {
  const visible =
    scope === 'client' ? seesClient(user.roles, rel) : await sees(a, user, a.w.requests[rel].id);
  if (visible) return [];
  const client = a.w.clients[rel] as { id: string; lastName?: string };
  const clientSeen =
    seesClient(user.roles, rel) || (rel === 'supervisees' && (await sees(a, user, a.rich.requestId)));
  const clientMarks = clientSeen ? [] : [client.id, ...(client.lastName ? [client.lastName] : [])];
  return [a.w.requests[rel].id, a.fileOf[rel], ...clientMarks];
}
