// Issue 8, the insecure-direct-object-reference class (rule SEC-2, refusals SEC-3): a request's
// files, tasks, authorization, letter draft and version, packet and secure link opened by id as every
// staff role, directly and under another request the caller does see; and CSRF: every
// cookie-authenticated write (staff or portal) without its token is a 403 that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requester } from '../portal/support.js';
import { outboxEmails } from '../support/outbox.js';
import { apiRoutes } from '../support/route-inventory.js';
import { type Response, randomIp } from '../support/session.js';
import { RELATIONSHIPS, urlFor, validBody } from './access/helpers.js';
import { type Requester, requesterWith } from './access/requesters.js';
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

  it('SEC-2, REL-2, IDOR across requesters: a real portal session, status-link code, secure-link code and download grant of one request open nothing of another’s (SEC-3: each refusal audited)', async () => {
    const { t } = a;
    const A = await requesterWith(a, 'own', 'Ada Requester');
    const B = await requesterWith(a, 'unrelated', 'Bea Requester');
    const mark = await fingerprint(t);
    const leaks: string[] = [];
    let cells = 0;
    const holds = (body: string, of: Requester) => of.marks.filter((m) => body.includes(m));

    // Each one's own status page shows their own message (so the marks would show if opened).
    for (const [me, other] of [
      [A, B],
      [B, A],
    ] as const) {
      const page = await me.portal.r.get(`/api/portal/requests/${me.number}`);
      expect(page.statusCode, page.body).toBe(200);
      expect(holds(page.body, me).length).toBeGreaterThan(0);
      expect(holds(page.body, other)).toEqual([]);
    }

    // The portal: a live session of one request, on every route naming the other's number.
    const portalRoutes = apiRoutes(t.app).filter((r) => r.url.startsWith('/api/portal/requests/:number'));
    const refusedFor = new Map<string, number>();
    for (const route of portalRoutes) {
      for (const [me, other] of [
        [A, B],
        [B, A],
      ] as const) {
        cells++;
        const url = urlFor(route, { number: other.number });
        const res = route.writes
          ? await me.portal.r.post(url, validBody(route, {}).body)
          : await me.portal.r.get(url);
        const where = `${route.key}: ${me === A ? 'A' : 'B'}’s session on the other’s number`;
        if (res.statusCode !== 404 || res.json().error !== 'not_found')
          leaks.push(`${where}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        const found = holds(res.body, other);
        if (found.length) leaks.push(`${where}: body holds ${found.join(', ')}`);
        refusedFor.set(me.email, (refusedFor.get(me.email) ?? 0) + 1);
      }
    }
    // Still their own session afterwards: the refusals were about the number, not a dead session.
    expect((await A.portal.r.get(`/api/portal/requests/${A.number}`)).statusCode).toBe(200);

    // The status link: the code emailed for A's link, entered on B's link.
    // (The test clock stands still: the new code email is told from the earlier ones by its id.)
    const codeEmails = () => outboxEmails(t, "request_id = $1 and kind = 'portal_code'", [A.requestId]);
    const earlier = new Set((await codeEmails()).map((e) => e.id));
    expect((await A.portal.r.sendCode(A.statusToken)).statusCode).toBe(200);
    const fresh = (await codeEmails()).filter((e) => !earlier.has(e.id));
    expect(fresh).toHaveLength(1);
    const codeA = /^(\d{6})$/m.exec(fresh[0]?.text ?? '')?.[1] ?? '';
    // B's link waits for a code of its own (else it answers 400 no_code before comparing any).
    expect((await B.portal.r.sendCode(B.statusToken)).statusCode).toBe(200);
    const stranger = requester(t);
    cells++;
    const crossed = await stranger.confirm(B.statusToken, codeA);
    if (crossed.statusCode !== 403 || crossed.json().error !== 'wrong_code' || stranger.cookie)
      leaks.push(
        `status link of B with A’s code: ${crossed.statusCode}, session ${stranger.cookie ? 'opened' : 'none'}`,
      );
    expect((await stranger.confirm(A.statusToken, codeA)).statusCode).toBe(200);

    // The secure link: A's code on B's link, then A's real grant on B's link.
    const ip = randomIp();
    const post = (token: string, path: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/links/${token}/${path}`, remoteAddress: ip, payload });
    cells++;
    const codeOnB = await post(B.link.token, 'confirm', { ...B.link.confirm, code: A.link.confirm.code });
    if (A.link.confirm.code !== B.link.confirm.code && codeOnB.statusCode !== 403)
      leaks.push(`secure link of B with A’s code: ${codeOnB.statusCode} ${codeOnB.body.slice(0, 120)}`);
    const grantA = await post(A.link.token, 'confirm', A.link.confirm);
    expect(grantA.statusCode, grantA.body).toBe(200);
    const { grant } = grantA.json() as { grant: string };
    cells++;
    const grantOnB = await post(B.link.token, 'download', { grant });
    if (grantOnB.statusCode !== 403 || String(grantOnB.headers['content-type']).includes('pdf'))
      leaks.push(
        `secure link of B with A’s grant: ${grantOnB.statusCode} ${grantOnB.headers['content-type']}`,
      );
    // A's grant still downloads A's packet: the refusal was B's link's, not a spent grant.
    const own = await post(A.link.token, 'download', { grant });
    expect(own.statusCode, own.body.slice(0, 200)).toBe(200);
    expect(own.headers['content-type']).toContain('pdf');

    // SEC-3: the refusals are audited — the portal's with the session's requester, the links' by link.
    const rows = await auditSince(t, mark);
    for (const [email, n] of refusedFor) {
      const got = rows.filter(
        (r) =>
          r.type === 'portal.refused' && r.data.reason === 'other_request' && r.data.requesterEmail === email,
      ).length;
      if (got < n) leaks.push(`portal refusals of ${email}: ${got} audited of ${n}`);
    }
    const onB = rows
      .filter((r) => r.data.linkId === B.link.id)
      .map((r) => `${r.type}:${String(r.data.reason ?? '')}`);
    expect(onB).toContain('delivery_link.refused:not_confirmed');
    expect(onB.some((x) => x.startsWith('delivery_link.code_rejected'))).toBe(true);
    console.log(
      `IDOR across requesters: ${portalRoutes.length} portal routes × 2 sessions on the other’s number, the status link’s code, ` +
        `the secure link’s code and grant: ${cells} cells, leaks: ${leaks.length}`,
    );
    expect(leaks).toEqual([]);
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
