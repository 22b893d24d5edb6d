// The payments tests' world: a practice with support, a therapist, a supervisor and a privacy officer,
// a client, and requests brought to a sent invoice through the real API (quote, agreement, invoice).
import { expect } from 'vitest';
import type { StripeSettings } from '../../src/server/config.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { type FakeStripe, startFakeStripe, stripeEvent } from '../support/fake-stripe.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, type Response, signIn } from '../support/session.js';

export interface PaymentWorld {
  t: TestApp;
  fake: FakeStripe | null;
  as: Record<'support' | 'therapist' | 'supervisor' | 'privacy' | 'otherSupport', Agent>;
  users: Record<string, TestUser>;
  clientId: string;
  /** A request brought to a sent, unpaid invoice of the given lines (default: a $5 flat fee). */
  invoiced(lines?: { code: string; description: string; amountCents: number }[]): Promise<RequestDetails>;
  count(sql: string, params?: unknown[]): Promise<number>;
}

export const FLAT = [{ code: 'flat_electronic', description: 'Electronic copy', amountCents: 500 }];

export async function paymentWorld(opts: { stripe: boolean }): Promise<PaymentWorld> {
  let t: TestApp | null = null;
  const fake = opts.stripe ? await startFakeStripe(() => (t ? t.clock.now() : new Date())) : null;
  const stripe: StripeSettings | null = fake?.settings ?? null;
  t = await createTestApp({ stripe, publicUrl: 'https://desk.practice.test' });
  const app = t;
  const practice = await createPractice(app, {
    name: 'Riverbend Counseling',
    privacyOfficerPhone: '555-0100',
    privacyOfficerEmail: 'privacy@riverbend.test',
  });
  const other = await createPractice(app, { name: 'Elsewhere Clinic' });
  const users: Record<string, TestUser> = {
    support: await createUser(app, practice, ['support'], { name: 'Sam Support' }),
    therapist: await createUser(app, practice, ['therapist'], { name: 'Dr. Rivera' }),
    supervisor: await createUser(app, practice, ['supervisor'], { name: 'Dr. Chen' }),
    privacy: await createUser(app, practice, ['privacy_officer'], { name: 'Pat Privacy' }),
    otherSupport: await createUser(app, other, ['support'], { name: 'Olu Other' }),
  };
  await linkSupervisor(app, users.therapist!, users.supervisor!);
  const client = await createClient(app, practice, users.therapist!, {
    firstName: 'Maria',
    lastName: 'Lopez',
  });
  const as = {} as PaymentWorld['as'];
  for (const [k, u] of Object.entries(users)) as[k as keyof PaymentWorld['as']] = await signIn(app, u);

  const ok = async (p: Promise<Response>, status = 200) => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(status);
    return res;
  };
  return {
    t: app,
    fake,
    as,
    users,
    clientId: client.id,
    async invoiced(lines = FLAT) {
      const r = await createRequestAs(as.support, client.id, {
        purpose: 'Custody evaluation for depression care',
      });
      await ok(as.support.post(`/api/requests/${r.id}/intake`, { verification: { method: 'Called back' } }));
      await ok(as.therapist.post(`/api/requests/${r.id}/client-discussion`, { outcome: 'go_ahead' }));
      await ok(
        as.supervisor.post(`/api/requests/${r.id}/supervisor-review`, {
          decision: 'release',
          consequences: 'None',
        }),
      );
      const quoted = await ok(
        as.support.post(`/api/requests/${r.id}/fee-quote`, {
          basis: lines.length === 1 && lines[0]!.code === 'flat_electronic' ? 'flat' : 'actual_cost',
          lines,
        }),
        201,
      );
      await ok(
        as.support.post(`/api/requests/${r.id}/fee-quote/accept`, {
          quoteId: quoted.json().quote.id,
          note: 'By phone',
        }),
      );
      const sent = await ok(
        as.support.post(`/api/requests/${r.id}/invoice`, {
          mode: 'sent',
          lines: lines.map((l) => ({ description: l.description, amountCents: l.amountCents })),
        }),
      );
      return sent.json() as RequestDetails;
    },
    async count(sql, params = []) {
      const { rows } = await app.running.services.database.pool.query<{ n: number }>(
        `select count(*)::int as n from ${sql}`,
        params,
      );
      return rows[0]!.n;
    },
  };
}

/** Pay a request's invoice online: open the page, then Stripe's signed checkout.session.completed. */
export async function payOnline(w: PaymentWorld, requestId: string): Promise<{ intent: string }> {
  const res = await w.as.support.post(`/api/requests/${requestId}/payments/checkout`, {});
  expect(res.statusCode, res.body).toBe(200);
  const stripeId = new URL(res.json().url).pathname.split('/').pop()!;
  const session = w.fake!.sessions.get(stripeId)!;
  const intent = `pi_test_${stripeId.slice(-10)}`;
  const event = stripeEvent('checkout.session.completed', {
    ...session,
    status: 'complete',
    payment_status: 'paid',
    payment_intent: intent,
  });
  const { body, header } = w.fake!.signed(event);
  const hook = await w.t.app.inject({
    method: 'POST',
    url: '/api/payments/stripe/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload: body,
  });
  expect(hook.json()).toMatchObject({ outcome: 'applied' });
  return { intent };
}
