// Stripe's webhook (issue 7), signed by the stripe package's own test helper
// (webhooks.generateTestHeaderString): a completed payment marks the invoice paid once and tells the
// requester; forged, missing and too-old signatures are refused and audited without the payload; a
// replay changes nothing; out of order (completed twice, a refund before its payment) is handled; a
// wrong amount is a discrepancy for support, not "paid"; other event types are answered and ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeEvent } from '../support/fake-stripe.js';
import type { RequestDetails } from '../support/requests.js';
import { auditRows } from '../support/session.js';
import { type PaymentWorld, paymentWorld } from './setup.js';

describe('Stripe webhook', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: true });
  });
  afterAll(async () => {
    await w.t.close();
    await w.fake!.close();
  });

  const deliver = (body: string, header?: string) =>
    w.t.app.inject({
      method: 'POST',
      url: '/api/payments/stripe/webhook',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(header ? { 'stripe-signature': header } : {}),
      },
      payload: body,
    });
  const send = (event: Record<string, unknown>) => {
    const { body, header } = w.fake!.signed(event);
    return deliver(body, header);
  };

  /** A request with an open payment page, and the Stripe session object as Stripe would complete it. */
  async function opened(): Promise<{
    r: RequestDetails;
    completed: (over?: Record<string, unknown>) => Record<string, unknown>;
  }> {
    const r = await w.invoiced();
    const res = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    expect(res.statusCode, res.body).toBe(200);
    const stripeId = new URL(res.json().url).pathname.split('/').pop()!;
    const session = w.fake!.sessions.get(stripeId)!;
    const intent = `pi_test_${stripeId.slice(-10)}`;
    return {
      r,
      completed: (over = {}) => ({
        ...session,
        status: 'complete',
        payment_status: 'paid',
        payment_intent: intent,
        ...over,
      }),
    };
  }
  const invoice = async (id: string) =>
    (
      await w.t.running.services.database.pool.query(
        'select paid_at, payment_method, payment_reference from invoices where request_id = $1',
        [id],
      )
    ).rows[0] as { paid_at: Date | null; payment_method: string | null; payment_reference: string | null };
  const details = async (id: string) =>
    (await w.as.support.get(`/api/requests/${id}`)).json() as RequestDetails;

  it('FEE-4, FEE-6: checkout.session.completed marks the invoice paid (card_online, the payment intent), tells the requester, and moves nothing else', async () => {
    const { r, completed } = await opened();
    const before = await details(r.id);
    const session = completed();
    const res = await send(stripeEvent('checkout.session.completed', session));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, outcome: 'applied' });

    const paid = await invoice(r.id);
    expect(paid.paid_at).not.toBeNull();
    expect(paid.payment_method).toBe('card_online');
    expect(paid.payment_reference).toBe(session.payment_intent);
    const after = await details(r.id);
    // FEE-6: payment never moves the workflow; the stage and the tasks are as they were.
    expect(after.stage).toBe(before.stage);
    expect(after.tasks.map((t) => [t.id, t.state])).toEqual(before.tasks.map((t) => [t.id, t.state]));
    const notice = after.thread.find((m) => m.kind === 'requester_payment_received');
    expect(notice?.body).toContain(`We received your payment of $5.00 for your records request ${r.number}`);
    expect(notice?.body).not.toMatch(/Maria|Lopez|Custody|depression/);
    // Its email is queued in the same transaction (the outbox without SMTP).
    expect(
      await w.count(
        "outbound_emails o join thread_messages m on m.id = o.thread_message_id where m.request_id = $1 and m.kind = 'requester_payment_received'",
        [r.id],
      ),
    ).toBe(1);

    const audit = (await auditRows(w.t, 'request.payment_recorded'))
      .filter((a) => a.data.via === 'stripe')
      .pop();
    expect(audit).toMatchObject({ actorId: null, data: { method: 'card_online', amountCents: 500 } });
    expect(audit?.practiceId).toBe(w.users.support!.practiceId);
    const summary = (await w.as.support.get(`/api/requests/${r.id}/payments`)).json();
    expect(summary.sessions[0]).toMatchObject({ status: 'completed', problem: null });
    expect(summary.abilities).toEqual(['view', 'refund', 'download_receipt']);
  });

  it('a replayed event (same id) answers 200 and changes nothing twice; completed again under a new id is applied once', async () => {
    const { r, completed } = await opened();
    const event = stripeEvent('checkout.session.completed', completed());
    expect((await send(event)).json().outcome).toBe('applied');
    const paidAt = (await invoice(r.id)).paid_at;
    const payments = (await auditRows(w.t, 'request.payment_recorded')).length;
    const messages = await w.count('thread_messages where request_id = $1', [r.id]);

    w.t.clock.advance(60_000);
    const replay = await send(event);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().outcome).toBe('duplicate');
    const again = await send(stripeEvent('checkout.session.completed', completed()));
    expect(again.json().outcome).toBe('already_applied');

    expect((await invoice(r.id)).paid_at).toEqual(paidAt);
    expect((await auditRows(w.t, 'request.payment_recorded')).length).toBe(payments);
    expect(await w.count('thread_messages where request_id = $1', [r.id])).toBe(messages);
    expect(await w.count('stripe_events where id = $1', [event.id])).toBe(1);
    const replayed = (await auditRows(w.t, 'payment.webhook_replayed')).pop();
    expect(replayed?.data).toMatchObject({ eventId: event.id, firstOutcome: 'applied' });
  });

  it('forged, missing and too-old signatures: 400 each, audited without the payload, nothing changes', async () => {
    const { r, completed } = await opened();
    const event = stripeEvent('checkout.session.completed', completed());
    const refusedBefore = (await auditRows(w.t, 'payment.webhook_refused')).length;

    const forged = w.fake!.signed(event, { secret: 'whsec_someoneelse000000000000' });
    const bad = await deliver(forged.body, forged.header);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('The signature does not match: the webhook is refused.');

    const missing = await deliver(JSON.stringify(event));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('The Stripe-Signature header is missing.');

    const old = w.fake!.signed(event, { timestamp: Math.floor(w.t.clock.now().getTime() / 1000) - 600 });
    const expired = await deliver(old.body, old.header);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().message).toMatch(/too old/);

    // A body changed after signing is forged too.
    const signed = w.fake!.signed(event);
    const tampered = await deliver(
      signed.body.replace('"amount_total":500', '"amount_total":5'),
      signed.header,
    );
    expect(tampered.statusCode).toBe(400);

    const refused = (await auditRows(w.t, 'payment.webhook_refused')).slice(refusedBefore);
    expect(refused.map((a) => a.data.reason)).toEqual([
      'bad_signature',
      'missing_signature',
      'expired_signature',
      'bad_signature',
    ]);
    for (const a of refused) {
      expect(a.practiceId).toBeNull();
      expect(JSON.stringify(a.data)).not.toContain(event.id);
      expect(JSON.stringify(a.data)).not.toContain('pi_test');
    }
    expect((await invoice(r.id)).paid_at).toBeNull();
    expect(await w.count('stripe_events where id = $1', [event.id])).toBe(0);
  });

  it('FEE-4: an amount that does not match the invoice is a discrepancy for support, never "paid"', async () => {
    const { r, completed } = await opened();
    const res = await send(stripeEvent('checkout.session.completed', completed({ amount_total: 450 })));
    expect(res.json().outcome).toBe('discrepancy');
    expect((await invoice(r.id)).paid_at).toBeNull();
    const summary = (await w.as.support.get(`/api/requests/${r.id}/payments`)).json();
    expect(summary.sessions[0].status).toBe('discrepancy');
    expect(summary.sessions[0].problem).toMatch(
      /Stripe reported \$4\.50 USD for an invoice of \$5\.00 USD: not recorded as paid/,
    );
    const audit = (await auditRows(w.t, 'payment.discrepancy_recorded')).pop();
    expect(audit?.data).toMatchObject({ expectedCents: 500, receivedCents: 450 });
    expect((await details(r.id)).thread.some((m) => m.kind === 'requester_payment_received')).toBe(false);
  });

  it('out of order: a refund reported before its payment is kept, then applied when the payment arrives', async () => {
    const { r, completed } = await opened();
    const session = completed();
    const charge = {
      id: 'ch_test_early',
      object: 'charge',
      amount: 500,
      amount_refunded: 200,
      payment_intent: session.payment_intent,
      refunded: false,
    };
    const early = await send(stripeEvent('charge.refunded', charge));
    expect(early.json().outcome).toBe('deferred');
    expect(await w.count('payment_refunds where request_id = $1', [r.id])).toBe(0);

    expect((await send(stripeEvent('checkout.session.completed', session))).json().outcome).toBe('applied');
    const summary = (await w.as.support.get(`/api/requests/${r.id}/payments`)).json();
    expect(summary.invoice.paidAt).not.toBeNull();
    expect(summary.invoice.refundedCents).toBe(200);
    expect(summary.refunds).toMatchObject([{ source: 'stripe_event', amountCents: 200 }]);
    // The same refund reported again (a later, cumulative event) counts once; a further one adds the difference.
    expect((await send(stripeEvent('charge.refunded', charge))).json().outcome).toBe('already_applied');
    expect(
      (await send(stripeEvent('charge.refunded', { ...charge, amount_refunded: 500 }))).json().outcome,
    ).toBe('applied');
    const after = (await w.as.support.get(`/api/requests/${r.id}/payments`)).json();
    expect(after.invoice.refundedCents).toBe(500);
    expect(after.abilities).not.toContain('refund');
  });

  it('checkout.session.expired closes an open page (and a new one can be opened); expired after completed changes nothing', async () => {
    const { r, completed } = await opened();
    const open = completed({ status: 'expired', payment_status: 'unpaid', payment_intent: null });
    expect((await send(stripeEvent('checkout.session.expired', open))).json().outcome).toBe('applied');
    const summary = (await w.as.support.get(`/api/requests/${r.id}/payments`)).json();
    expect(summary.sessions[0].status).toBe('expired');
    expect(summary.abilities).toContain('start_checkout');
    const second = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    expect(second.statusCode).toBe(200);
    expect(second.json().id).not.toBe(summary.sessions[0].id);
    expect(w.fake!.calls.at(-1)!.idempotencyKey).toMatch(/:2$/);

    const paid = await opened();
    await send(stripeEvent('checkout.session.completed', paid.completed()));
    const late = await send(stripeEvent('checkout.session.expired', paid.completed({ status: 'expired' })));
    expect(late.json().outcome).toBe('already_applied');
    expect((await invoice(paid.r.id)).paid_at).not.toBeNull();
  });

  it('an event type we do not handle, or for a session that is not ours: 200, ignored, nothing changes', async () => {
    const audits = (await auditRows(w.t)).length;
    const unknown = await send(stripeEvent('customer.created', { id: 'cus_test_1', object: 'customer' }));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json().outcome).toBe('ignored');
    const stranger = await send(
      stripeEvent('checkout.session.completed', {
        id: 'cs_test_notours',
        object: 'checkout.session',
        payment_status: 'paid',
        amount_total: 500,
      }),
    );
    expect(stranger.json().outcome).toBe('ignored');
    expect((await auditRows(w.t)).length).toBe(audits);
  });
});
