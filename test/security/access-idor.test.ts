// Issue 8, the insecure-direct-object-reference class (rule SEC-2, refusals SEC-3): a request's
// files, tasks, authorization, letter draft and version, packet and secure link opened by id as every
// staff role, directly and under another request the caller does see; and CSRF: every
// cookie-authenticated write (staff or portal) without its token is a 403 that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../support/route-inventory.js';
import type { Response } from '../support/session.js';
import { RELATIONSHIPS, urlFor, validBody } from './access/helpers.js';
import { type AccessWorld, sees, send, setupAccessWorld } from './access/setup.js';
import { auditSince, changedTables, fingerprint } from './support/state.js';
import { STAFF_ROLES } from './support/world.js';

let a: AccessWorld;
beforeAll(async () => {
  a = await setupAccessWorld();
}, 180_000);
afterAll(async () => {
  await a?.t.close();
});

describe('ids of one request through another, and CSRF (SEC-2, SEC-3)', () => {
  it('SEC-2, IDOR: files, tasks, authorizations, drafts and versions, packets and links of a request, by id, directly and under another request the caller sees', async () => {
    const { t, w, rich } = a;
    const CHILD = ['fileId', 'taskId', 'authorizationId', 'draftId', 'versionId', 'packetId', 'linkId'];
    const routes = apiRoutes(t.app).filter(
      (r) => r.url.startsWith('/api/requests/:requestId/') && r.paramNames.some((p) => CHILD.includes(p)),
    );
    const covered = new Set(CHILD.filter((p) => rich.ids[p]));
    const leaks: string[] = [];
    const refusals = new Map<string, number>();
    const mark = await fingerprint(t);
    let cells = 0;
    for (const route of routes) {
      if (!route.paramNames.filter((p) => CHILD.includes(p)).every((p) => covered.has(p))) continue;
      const { body } = validBody(route, {});
      for (const who of STAFF_ROLES) {
        const user = w.users[who];
        const agent = w.agents[who];
        const note = (res: Response) => {
          if (res.statusCode === 403 || res.statusCode === 404) {
            const k = `${user.id} ${route.url} ${res.statusCode}`;
            refusals.set(k, (refusals.get(k) ?? 0) + 1);
          }
        };
        if (!(await sees(a, user, rich.requestId))) {
          cells++;
          const res = await send(a, agent, route, urlFor(route, rich.ids), body);
          note(res);
          if (res.statusCode !== 404 && res.statusCode !== 400)
            leaks.push(`${route.key} as ${who}, a request hidden from them: ${res.statusCode}`);
        } else if (!route.writes) {
          cells++;
          const res = await send(a, agent, route, urlFor(route, rich.ids), body);
          if (res.statusCode >= 500) leaks.push(`${route.key} as ${who}: ${res.statusCode}`);
        }
        // The same ids under a request the caller does see: never theirs to open through it.
        for (const rel of RELATIONSHIPS) {
          if (rel === 'elsewhere' || !(await sees(a, user, w.requests[rel].id))) continue;
          cells++;
          const res = await send(
            a,
            agent,
            route,
            urlFor(route, { ...rich.ids, requestId: w.requests[rel].id }),
            body,
          );
          note(res);
          if (res.statusCode < 300 || res.statusCode >= 500)
            leaks.push(`${route.key} as ${who} under the ${rel} request: ${res.statusCode}`);
          break;
        }
      }
    }
    const audited = new Map<string, number>();
    for (const row of await auditSince(t, mark)) {
      if (row.type !== 'access.refused') continue;
      const k = `${row.actorId} ${String(row.data.route)} ${String(row.data.status)}`;
      audited.set(k, (audited.get(k) ?? 0) + 1);
    }
    const unaudited = [...refusals].filter(([k, n]) => (audited.get(k) ?? 0) < n).map(([k]) => k);
    console.log(
      `IDOR: ${routes.length} routes naming a child id, ${cells} cells, leaks: ${leaks.length}; ids built: ${[...covered].join(', ')}` +
        (rich.missing.length ? `; not built: ${rich.missing.join('; ')}` : ''),
    );
    expect(leaks).toEqual([]);
    expect(unaudited).toEqual([]);
    expect(covered.size).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('CSRF: every cookie-authenticated write without the x-csrf-token header is a 403 that changes nothing (SEC-3 refusals aside)', async () => {
    const { t, w, fileOf, taskOf, portalA } = a;
    const writes = apiRoutes(t.app).filter((r) => r.writes && r.access === 'staff');
    const before = await fingerprint(t);
    const wrong: string[] = [];
    for (const route of writes) {
      const { body } = validBody(route, { clientId: [w.clients.own.id], userId: [w.users.victim.id] });
      const url = urlFor(route, {
        requestId: w.requests.own.id,
        id: w.requests.own.id,
        clientId: w.clients.own.id,
        userId: w.users.victim.id,
        superviseeId: w.users.supervisee.id,
        fileId: fileOf.own,
        taskId: taskOf.own,
      });
      for (const who of ['support', 'admin', 'privacy_officer'] as const) {
        const res = await send(a, w.agents[who], route, url, body, false);
        if (res.statusCode !== 403 || res.json().error !== 'csrf')
          wrong.push(`${route.key} as ${who}: ${res.statusCode}`);
      }
    }
    // The portal's writes need the portal session's token the same way.
    for (const route of apiRoutes(t.app).filter(
      (r) => r.writes && r.url.startsWith('/api/portal/requests/:number'),
    )) {
      const res = await portalA.r.post(
        urlFor(route, { number: w.requests.own.number }),
        validBody(route, {}).body,
        {
          csrf: false,
        },
      );
      if (res.statusCode !== 403) wrong.push(`${route.key} (portal session): ${res.statusCode}`);
    }
    const after = await fingerprint(t);
    const types = new Set((await auditSince(t, before)).map((r) => r.type));
    console.log(`CSRF: ${writes.length} staff write routes × 3 roles refused without the token`);
    expect(wrong).toEqual([]);
    expect(changedTables(before, after)).toEqual([]);
    expect([...types].filter((x) => x !== 'access.refused' && x !== 'portal.refused')).toEqual([]);
  }, 300_000);
});
