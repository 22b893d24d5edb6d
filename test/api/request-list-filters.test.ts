// GET /api/requests, the request list's filters for the web app (issue 4): by therapist, waiting on
// an escalation (a review asked up the chain, or a late step climbing the ladder: REV-2, TIME-6),
// invoices sent and not yet paid (support's payments to record, FEE-6), and the legal due date
// order. Filters only narrow what the caller may see (SEC-2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepClocks } from '../../src/server/clocks/sweep.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

interface Listed {
  total: number;
  items: {
    id: string;
    number: string;
    therapist: { id: string } | null;
    clocks: { legal: { dueAt: string } };
  }[];
}

const DAY = 24 * 60 * 60 * 1000;

describe('request list filters: therapist, escalated, awaiting payment', () => {
  let t: TestApp;
  const users: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let riveraEscalated: RequestDetails;
  let riveraInvoiced: RequestDetails;
  let kimLate: RequestDetails;
  let kimFresh: RequestDetails;

  const list = async (who: string, query: string) => {
    const res = await as[who]!.get(`/api/requests${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Listed;
  };
  const ids = (l: Listed) => l.items.map((i) => i.id).sort();
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    users.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    users.rivera = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    users.kim = await createUser(t, practice, ['therapist'], { name: 'Dr. Kim' });
    users.supervisor = await createUser(t, practice, ['supervisor'], { name: 'Dr. Chen' });
    users.director = await createUser(t, practice, ['supervisor'], { name: 'Dr. Okafor' });
    await linkSupervisor(t, users.rivera, users.supervisor);
    await linkSupervisor(t, users.kim, users.supervisor);
    await linkSupervisor(t, users.supervisor, users.director);
    const maria = await createClient(t, practice, users.rivera, { firstName: 'Maria', lastName: 'Lopez' });
    const noah = await createClient(t, practice, users.kim, { firstName: 'Noah', lastName: 'Berg' });
    for (const [k, u] of Object.entries(users)) as[k] = await signIn(t, u);

    const intake = (r: RequestDetails) =>
      ok(as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method: 'Called back' } }));
    const discuss = (who: string, r: RequestDetails) =>
      ok(
        as[who]!.post(`/api/requests/${r.id}/client-discussion`, {
          outcome: 'go_ahead',
          need: 'A copy',
          when: 'Soon',
          concerns: 'None',
        }),
      );

    // Received on different days, so the legal due dates differ.
    riveraInvoiced = await createRequestAs(as.support!, maria.id, {
      receivedAt: new Date(t.clock.now().getTime() - 3 * DAY).toISOString(),
    });
    riveraEscalated = await createRequestAs(as.support!, maria.id, {
      receivedAt: new Date(t.clock.now().getTime() - 1 * DAY).toISOString(),
    });
    kimLate = await createRequestAs(as.support!, noah.id, {
      receivedAt: new Date(t.clock.now().getTime() - 2 * DAY).toISOString(),
    });
    kimFresh = await createRequestAs(as.support!, noah.id, { receivedAt: t.clock.now().toISOString() });

    // Rivera's first request: reviewed, released in full, an invoice of $5 sent and not paid.
    await intake(riveraInvoiced);
    await discuss('rivera', riveraInvoiced);
    await ok(
      as.supervisor!.post(`/api/requests/${riveraInvoiced.id}/supervisor-review`, {
        decision: 'release',
        redFlags: [],
        consequences: 'None expected.',
      }),
    );
    // rule FEE-2, FEE-3: a flat fee for the electronic copy, quoted and accepted before the invoice.
    const line = { code: 'flat_electronic', description: 'Electronic copy', amountCents: 500 };
    const quoted = await as.support!.post(`/api/requests/${riveraInvoiced.id}/fee-quote`, {
      basis: 'flat',
      lines: [line],
    });
    expect(quoted.statusCode, quoted.body).toBe(201);
    await ok(
      as.support!.post(`/api/requests/${riveraInvoiced.id}/fee-quote/accept`, {
        quoteId: quoted.json().quote.id,
        note: 'Agreed by phone',
      }),
    );
    await ok(
      as.support!.post(`/api/requests/${riveraInvoiced.id}/invoice`, {
        mode: 'sent',
        lines: [{ description: line.description, amountCents: line.amountCents }],
      }),
    );
    // Rivera's second: the supervisor, unsure, asks the director.
    await intake(riveraEscalated);
    await discuss('rivera', riveraEscalated);
    await ok(
      as.supervisor!.post(`/api/requests/${riveraEscalated.id}/escalation`, { question: 'Custody dispute?' }),
    );
    // Kim's first: the intake is done and the discussion is left to run late.
    await intake(kimLate);
    await intake(kimFresh);
    await discuss('kim', kimFresh);
  });

  afterAll(async () => {
    await t.close();
  });

  it('filters by therapist, within what the caller may see', async () => {
    expect(ids(await list('support', `?therapistId=${users.kim!.id}`))).toEqual(
      [kimLate.id, kimFresh.id].sort(),
    );
    expect(ids(await list('support', `?therapistId=${users.rivera!.id}`))).toEqual(
      [riveraEscalated.id, riveraInvoiced.id].sort(),
    );
    // Dr. Kim asking for Dr. Rivera's requests sees none of them (SEC-2).
    expect((await list('kim', `?therapistId=${users.rivera!.id}`)).total).toBe(0);
    const bad = await as.support!.get('/api/requests?therapistId=not-an-id');
    expect(bad.statusCode).toBe(400);
  });

  it('REV-2, TIME-6: escalated lists a review asked up the chain, then late steps on the ladder', async () => {
    expect(ids(await list('support', '?escalated=true'))).toEqual([riveraEscalated.id]);
    expect(ids(await list('director', '?escalated=true'))).toEqual([riveraEscalated.id]);

    // Two weeks on, Kim's discussion is overdue; the sweep climbs the ladder for it (and for the
    // other open steps, all late by now).
    t.clock.advance(14 * DAY);
    await sweepClocks(t.running.services);
    for (const [k, u] of Object.entries(users)) as[k] = await signIn(t, u); // the sessions idled out
    const escalated = ids(await list('support', '?escalated=true'));
    expect(escalated).toContain(riveraEscalated.id);
    expect(escalated).toContain(kimLate.id);
    // Combined with the therapist filter.
    expect(ids(await list('support', `?escalated=true&therapistId=${users.kim!.id}`))).toContain(kimLate.id);
    expect(ids(await list('support', `?escalated=true&therapistId=${users.kim!.id}`))).not.toContain(
      riveraEscalated.id,
    );
  });

  it('FEE-6: awaitingPayment lists the invoices sent and not paid', async () => {
    expect(ids(await list('support', '?awaitingPayment=true'))).toEqual([riveraInvoiced.id]);
    expect((await list('kim', '?awaitingPayment=true')).total).toBe(0);
  });

  it('sorts by legal due date, soonest first, by default and when asked', async () => {
    for (const query of ['', '?sort=legal_due']) {
      const dues = (await list('support', query)).items.map((i) => i.clocks.legal.dueAt);
      expect(dues).toHaveLength(4);
      expect([...dues].sort()).toEqual(dues);
    }
  });
});
