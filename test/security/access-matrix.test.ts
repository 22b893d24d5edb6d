// Issue 8, the access matrix (rule SEC-2, refusals SEC-3): every route of the inventory × every staff
// role × own client / supervisee's client / unrelated client / another practice, with the expected
// answer from the policies (canViewRequest; the clients' rule; the practice-level roles in
// access/expectations.ts). A route without an expectation fails. Every successful answer is searched
// for the ids and names of records the caller may not see; every refusal is audited. A staff
// session opens no requester's portal, and a requester's portal session no other request.
//
// Every cell is sent, writes included. A write the caller may attempt on a record they see goes to a
// record made for it (access/writes.ts: a new client of the relationship's therapist, its request
// walked to where the route's action applies), with a body the route's schema accepts (Fastify
// validates before the handler, so before any access check: an invalid body would answer 400 for
// anyone and prove nothing); the policy the command asks (access/write-policy.ts, a write route
// without a line there fails) says whether its 403 is due, else the answer must get past it: 2xx, or
// a precise 400/409/410/422 after it. The practice-level writes of the roles that may make them and
// each role's own sign-in and password writes change what everyone reads, so they go last
// (access/other-writes.ts). Set PRINT_CELLS=1 to see every write cell and its answer.
// (Ids of one request opened through another, across requesters, and CSRF: access-idor.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, type RouteEntry } from '../support/route-inventory.js';
import type { Response } from '../support/session.js';
import { type Expectation, expectationOf, IDS_BY_DESIGN } from './access/expectations.js';
import { leakedMarks, RELATIONSHIPS, seesClient, urlFor, validBody } from './access/helpers.js';
import {
  requesterOwnCell,
  SELF_WRITES,
  sendPracticeWrite,
  sendSelfWrites,
  signInLinks,
} from './access/other-writes.js';
import type { RichRelationship } from './access/rich.js';
import { type AccessWorld, hiddenMarks, sees, send, setupAccessWorld } from './access/setup.js';
import {
  clientFixture,
  clientViewers,
  clientWriteDue,
  recordWriteScope,
  requestFixture,
  requestViewers,
  requestWriteDue,
  sendClientWrite,
  sendRequestWrite,
  WRITE_RELATIONSHIPS,
  type WriteCellResult,
  writesWithoutPolicy,
} from './access/writes.js';
import { auditSince, fingerprint } from './support/state.js';
import { STAFF_ROLES, type StaffRole } from './support/world.js';

const UUID = /^[0-9a-f-]{36}$/;

let a: AccessWorld;
beforeAll(async () => {
  a = await setupAccessWorld();
}, 180_000);
afterAll(async () => {
  await a?.t.close();
});

interface Tally {
  cells: number;
  sent: number;
  /**
   * Writes the caller may attempt, by what was due: to a record they see, each on a record of its own
   * (access/writes.ts); the practice-level writes of the roles that may make them, and each role's
   * writes about themselves (access/other-writes.ts).
   */
  writes: Record<'record' | 'practice' | 'self', WriteTally>;
  /** The requester's own cells (their session on their own request). */
  requester: { own: number; statuses: Map<number, number> };
  leaks: string[];
  mismatches: string[];
  notReached: Set<string>;
  refusals: Map<string, number>;
}

interface WriteTally {
  may: number;
  refused: number;
  hidden: number;
  statuses: Map<number, number>;
}

const writeTally = (): WriteTally => ({ may: 0, refused: 0, hidden: 0, statuses: new Map() });

function refused(tally: Tally, who: StaffRole, url: string, status: number): void {
  const k = `${a.w.users[who].id} ${url} ${status}`;
  tally.refusals.set(k, (tally.refusals.get(k) ?? 0) + 1);
}

describe('access matrix: every route × role × relationship (SEC-2, SEC-3)', () => {
  it('SEC-2: no route lacks an expectation, no cell leaks (a 2xx or data where 404/403 is due), every refusal is audited (SEC-3)', async () => {
    const { t, w, fileOf, taskOf, portalA } = a;
    const routes = apiRoutes(t.app);
    const missing = routes.filter((r) => !expectationOf(r.key, r.url)).map((r) => r.key);
    expect(missing, 'routes without an expectation in test/security/access/expectations.ts').toEqual([]);
    expect(writesWithoutPolicy(routes), 'write routes without a line in access/write-policy.ts').toEqual([]);
    const tally: Tally = {
      cells: 0,
      sent: 0,
      writes: { record: writeTally(), practice: writeTally(), self: writeTally() },
      requester: { own: 0, statuses: new Map() },
      leaks: [],
      mismatches: [],
      notReached: new Set(),
      refusals: new Map(),
    };
    const hints = {
      clientId: [w.clients.own.id],
      therapistId: [w.users.therapist.id],
      userId: [w.users.victim.id],
      superviseeId: [w.users.victim.id],
      supervisorId: [w.users.supervisor.id],
    };
    const mark = await fingerprint(t);
    const practiceWrites: { route: RouteEntry; who: StaffRole }[] = [];

    const writeCell = async (
      kind: keyof Tally['writes'],
      key: string,
      url: string,
      who: StaffRole,
      out: WriteCellResult,
    ) => {
      tally.cells++;
      tally.sent++;
      const bucket = tally.writes[kind];
      bucket[out.due]++;
      const s = out.res.statusCode;
      bucket.statuses.set(s, (bucket.statuses.get(s) ?? 0) + 1);
      const where = `${key} as ${who} (${out.label}, ${out.due}): `;
      if (out.wrong) (out.wrong.leak ? tally.leaks : tally.mismatches).push(where + out.wrong.text);
      if (s >= 200 && s < 300) {
        const hidden: string[] = [];
        for (const rel of RELATIONSHIPS) hidden.push(...(await hiddenMarks(a, w.users[who], rel, 'request')));
        const found = leakedMarks(out.res.body, hidden);
        if (found.length) tally.leaks.push(`${where}body holds hidden ${found.join(', ')}`);
      }
      if ((s === 403 || s === 404) && kind !== 'self') refused(tally, who, url, s);
      if (process.env.PRINT_CELLS)
        console.log(`write ${where}${s} ${s >= 300 ? out.res.body.slice(0, 100) : ''}`);
    };

    for (const route of routes) {
      const exp = expectationOf(route.key, route.url) as Expectation;
      const { body } = validBody(route, hints);
      for (const who of STAFF_ROLES) {
        const user = w.users[who];
        const agent = w.agents[who];
        const hidden: string[] = [];
        for (const rel of RELATIONSHIPS) hidden.push(...(await hiddenMarks(a, user, rel, exp.scope)));
        const check = async (
          label: string,
          res: Response,
          due: 'hidden' | 'forbidden' | 'allowed' | 'not_ok',
        ) => {
          tally.cells++;
          tally.sent++;
          const s = res.statusCode;
          const where = `${route.key} as ${who} (${label}): ${s}`;
          if (s >= 500) tally.leaks.push(`${where} ${res.body.slice(0, 120)}`);
          if (s >= 200 && s < 300) {
            if (due !== 'allowed') tally.leaks.push(`${where} where ${due} was due`);
            const marks = IDS_BY_DESIGN.has(route.key) ? hidden.filter((m) => !UUID.test(m)) : hidden;
            const found = leakedMarks(res.body, marks);
            if (found.length) tally.leaks.push(`${where} body holds hidden ${found.join(', ')}`);
          }
          if (s === 400 && due !== 'allowed') tally.notReached.add(route.key);
          if (due === 'hidden' && s !== 404 && s !== 400) tally.leaks.push(`${where} where 404 was due`);
          if (due === 'forbidden' && ![403, 404, 400, 405].includes(s))
            tally.mismatches.push(`${where} where 403 was due`);
          if ((s === 403 || s === 404) && ['request', 'client', 'practice'].includes(exp.scope))
            refused(tally, who, route.url, s);
        };

        if (exp.scope === 'request' || exp.scope === 'client') {
          for (const rel of RELATIONSHIPS) {
            const visible =
              exp.scope === 'client' ? seesClient(user.roles, rel) : await sees(a, user, w.requests[rel].id);
            const ids = {
              requestId: w.requests[rel].id,
              id: exp.scope === 'client' ? w.clients[rel].id : w.requests[rel].id,
              clientId: w.clients[rel].id,
              fileId: fileOf[rel],
              taskId: taskOf[rel],
            };
            if (route.url.startsWith('/api/clients/:clientId/accounting-requests/:id'))
              delete (ids as { id?: string }).id;
            if (!visible) {
              await check(rel, await send(a, agent, route, urlFor(route, ids), body), 'hidden');
            } else if (!route.writes) {
              await check(rel, await send(a, agent, route, urlFor(route, ids), body), 'allowed');
              // IDOR: a file or task of another practice's request under this visible request.
              if (
                rel === 'own' &&
                (route.paramNames.includes('fileId') || route.paramNames.includes('taskId'))
              ) {
                const mixed = { ...ids, fileId: fileOf.elsewhere, taskId: taskOf.elsewhere };
                await check(
                  'own request, other practice’s file/task',
                  await send(a, agent, route, urlFor(route, mixed), body),
                  'not_ok',
                );
              }
            }
            // A write to a visible record is sent below, on a record of its own.
          }
        } else if (exp.scope === 'practice') {
          const may = exp.roles === 'any' || exp.roles.some((r) => user.roles.includes(r));
          const url = urlFor(route, { userId: w.users.victim.id, superviseeId: w.users.victim.id });
          if (!may) await check('practice', await send(a, agent, route, url, body), 'forbidden');
          else if (!route.writes) await check('practice', await send(a, agent, route, url, body), 'allowed');
          else practiceWrites.push({ route, who }); // sent last: it changes what the whole practice reads
          if (route.paramNames.includes('userId') && may) {
            const other = urlFor(route, { userId: w.elsewhereSupport.user.id });
            await check('another practice’s user', await send(a, agent, route, other, body), 'hidden');
          }
        } else if (exp.scope === 'portal' || exp.scope === 'token') {
          // A staff session opens no requester's portal and no secret link.
          const url = urlFor(route, { number: w.requests.own.number });
          await check(
            'staff cookie on the requester’s side',
            await send(a, agent, route, url, body),
            'not_ok',
          );
        } else if (exp.scope === 'self') {
          // Their own writes (sign-in, sign-out, password) are sent last, on sessions of their own.
          if (!route.writes) await check('self', await send(a, agent, route, route.url, body), 'allowed');
        } else {
          // Open to anyone by design: the caller's cookie changes nothing, and no hidden record shows.
          await check('open to anyone', await send(a, agent, route, route.url, body), 'allowed');
        }
      }

      // Writes to records the caller sees, on new records of the relationship (walked to where the
      // route's action applies); the policy the command asks says whether its 403 is due. A refused
      // write changes nothing (its transaction rolls back), so the refused cells share the record;
      // each write the policy allows gets a record of its own, so none meets another's change.
      const scope = recordWriteScope(route);
      if (scope) {
        const fixture = (rel: RichRelationship) =>
          scope === 'request' ? requestFixture(a, route, rel) : clientFixture(a, route, rel);
        const dueOf = scope === 'request' ? requestWriteDue : clientWriteDue;
        const sendWrite = scope === 'request' ? sendRequestWrite : sendClientWrite;
        for (const rel of WRITE_RELATIONSHIPS) {
          const shared = await fixture(rel);
          const viewers =
            scope === 'request' ? await requestViewers(a, shared) : await clientViewers(a, shared);
          const allowed: StaffRole[] = [];
          for (const who of viewers) {
            if ((await dueOf(a, route, who, shared)) === 'may') allowed.push(who);
            else await writeCell('record', route.key, route.url, who, await sendWrite(a, route, who, shared));
          }
          for (const [i, who] of allowed.entries()) {
            const fx = i === 0 ? shared : await fixture(rel);
            await writeCell('record', route.key, route.url, who, await sendWrite(a, route, who, fx));
          }
        }
      }
    }

    // The requester's side: their own request (reads on their session; each write on a new request
    // and session of its own), another requester's request, and no session at all.
    const other = w.requests.supervisees.number;
    for (const route of routes.filter((r) => expectationOf(r.key, r.url)?.scope === 'portal')) {
      const own = await requesterOwnCell(a, route);
      tally.cells++;
      tally.sent++;
      tally.requester.own++;
      tally.requester.statuses.set(
        own.res.statusCode,
        (tally.requester.statuses.get(own.res.statusCode) ?? 0) + 1,
      );
      if (own.wrong)
        (own.wrong.leak ? tally.leaks : tally.mismatches).push(
          `${route.key} (${own.label}): ${own.wrong.text}`,
        );
      if (!route.url.includes(':number')) continue;
      const url = urlFor(route, { number: other });
      const res = route.writes
        ? await portalA.r.post(url, validBody(route, {}).body)
        : await portalA.r.get(url);
      tally.cells++;
      tally.sent++;
      if (res.statusCode < 300 || res.statusCode >= 500)
        tally.leaks.push(`${route.key} with another requester's portal session: ${res.statusCode}`);
      const nobody = await send(a, null, route, urlFor(route, { number: w.requests.own.number }), {});
      tally.cells++;
      tally.sent++;
      if (nobody.statusCode < 300 || nobody.statusCode >= 500)
        tally.leaks.push(`${route.key} without a portal session: ${nobody.statusCode}`);
    }

    // Last, the writes that change what every other cell reads: the practice-level ones of the roles
    // that may make them, each on a target of its own; then each role's own sign-in, second factor,
    // password change and sign-out (the password change ends the role's other sessions by design).
    for (const { route, who } of practiceWrites)
      await writeCell('practice', route.key, route.url, who, await sendPracticeWrite(a, route, who));
    const selfWrites = routes.filter((r) => r.writes && expectationOf(r.key, r.url)?.scope === 'self');
    expect(
      selfWrites.map((r) => r.key).filter((k) => !SELF_WRITES.includes(k)),
      'self writes access/other-writes.ts does not send',
    ).toEqual([]);
    const links = await signInLinks(a);
    for (const who of STAFF_ROLES)
      for (const c of await sendSelfWrites(a, who, links[who]))
        await writeCell('self', c.key, '', who, c.out);

    // SEC-3: each refusal above has its access.refused row (actor, route, status).
    const audited = new Map<string, number>();
    for (const row of await auditSince(t, mark)) {
      if (row.type !== 'access.refused') continue;
      const k = `${row.actorId} ${String(row.data.route)} ${String(row.data.status)}`;
      audited.set(k, (audited.get(k) ?? 0) + 1);
    }
    const unaudited = [...tally.refusals]
      .filter(([k, n]) => (audited.get(k) ?? 0) < n)
      .map(([k, n]) => `${k} ×${n - (audited.get(k) ?? 0)}`);

    console.log(
      `access matrix: ${routes.length} routes × ${STAFF_ROLES.length} roles × ${RELATIONSHIPS.length} relationships; ` +
        `${tally.cells} cells, ${tally.sent} requests sent, leaks: ${tally.leaks.length}, ` +
        `refusals audited: ${[...tally.refusals.values()].reduce((a, b) => a + b, 0) - unaudited.length}, ` +
        `routes with a cell answered 400 before the access check: ${tally.notReached.size}, other mismatches: ${tally.mismatches.length}`,
    );
    const answers = (b: WriteTally) =>
      [...b.statuses]
        .sort(([x], [y]) => x - y)
        .map(([k, n]) => `${k}×${n}`)
        .join(' ');
    const { record: rw, practice: pw, self: sw } = tally.writes;
    console.log(
      `access matrix writes to visible requests and clients, each allowed one on a record of its own: ${rw.may + rw.refused + rw.hidden} sent; ` +
        `allowed by the policy: ${rw.may}, the policy's 403 due: ${rw.refused}, 404 due: ${rw.hidden}; answers: ${answers(rw)}`,
    );
    console.log(
      `access matrix allowed practice-level writes: ${pw.may} sent (answers: ${answers(pw)}); ` +
        `each role's own sign-in, second factor, password and sign-out: ${sw.may} sent (answers: ${answers(sw)}); ` +
        `allowed writes sent in all: ${rw.may + pw.may + sw.may}`,
    );
    console.log(
      `access matrix requester's own cells (portal session on their own request, each write on a new one): ${tally.requester.own} sent (answers: ${answers({ ...writeTally(), statuses: tally.requester.statuses })})`,
    );
    if (tally.mismatches.length) console.log(tally.mismatches.join('\n'));
    if (tally.notReached.size)
      console.log(`400 before the access check: ${[...tally.notReached].join('; ')}`);
    expect(tally.leaks).toEqual([]);
    expect(tally.mismatches).toEqual([]);
    // A refusal proves the rule only when validation let the request through: a route whose body the
    // schema sampler cannot build gets one in KNOWN_BODIES (access/helpers.ts).
    expect([...tally.notReached], '400 before the access check').toEqual([]);
    expect(unaudited).toEqual([]);
  }, 600_000);
});
