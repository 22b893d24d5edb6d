// Opening the online payment page (issue 7) against the fake Stripe: what the stripe package sends
// (lines in cents, USD, ids and the request number only: no health information), one page for a
// double click, plain 502/503 answers with nothing written when Stripe fails, and who may do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/session.js';
import { type PaymentWorld, paymentWorld } from './setup.js';

describe('Stripe Checkout: opening the payment page', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: true });
  });
  afterAll(async () => {
    await w.t.close();
    await w.fake!.close();
  });
  const checkout = (id: string, who: keyof PaymentWorld['as'] = 'support') =>
    w.as[who].post(`/api/requests/${id}/payments/checkout`, {});

  it('FEE-4, SEC-5: the session carries the invoice lines in cents, USD, the ids and the request number, and no health information', async () => {
    const r = await w.invoiced([
      { code: 'copy_labor', description: 'Copying by Dr. Rivera', amountCents: 300 },
      { code: 'postage', description: 'Postage', amountCents: 150 },
    ]);
    const before = w.fake!.calls.length;
    const res = await checkout(r.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ amountCents: 450, currency: 'usd', status: 'open' });
    expect(res.json().url).toMatch(/^https:\/\/checkout\.stripe\.test\//);

    const call = w.fake!.calls[before]!;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions', hasAuthorization: true });
    expect(call.idempotencyKey).toMatch(/^release-desk:checkout:[0-9a-f-]{36}:1$/);
    expect(call.stripeVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const f = call.form;
    expect(f.mode).toBe('payment');
    expect(f['allowed_payment_method_types[0]']).toBe('card');
    expect(f['line_items[0][price_data][currency]']).toBe('usd');
    expect(f['line_items[0][price_data][unit_amount]']).toBe('300');
    expect(f['line_items[0][price_data][product_data][name]']).toBe(
      `Labour for copying (Records request ${r.number})`,
    );
    expect(f['line_items[1][price_data][unit_amount]']).toBe('150');
    expect(f['line_items[2][price_data][unit_amount]']).toBeUndefined();
    expect(f['metadata[requestId]']).toBe(r.id);
    expect(f['metadata[requestNumber]']).toBe(r.number);
    expect(f['metadata[practiceId]']).toBe(w.users.support!.practiceId);
    expect(f.client_reference_id).toBe(f['metadata[invoiceId]']);
    expect(f['payment_intent_data[description]']).toBe(`Records request ${r.number}`);
    expect(f.success_url).toBe(`https://desk.practice.test/portal/requests/${r.number}?payment=done`);
    expect(f.cancel_url).toBe(`https://desk.practice.test/portal/requests/${r.number}?payment=cancelled`);
    // Nothing about the client or the records: not the name, the purpose, the record classes, nor the
    // staff's own words on the quote (which named the therapist).
    for (const word of ['Maria', 'Lopez', 'Alex', 'Custody', 'depression', 'progress', 'Rivera', 'diagnos']) {
      expect(decodeURIComponent(call.raw)).not.toContain(word);
    }
    const [audit] = (await auditRows(w.t, 'payment.checkout_started')).slice(-1);
    expect(audit?.data).toMatchObject({ amountCents: 450, currency: 'usd' });
  });

  it('a double click makes one session: two calls at once answer the same page, and Stripe is asked once', async () => {
    const r = await w.invoiced();
    const before = w.fake!.calls.length;
    const [a, b] = await Promise.all([checkout(r.id), checkout(r.id)]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(a.json().id).toBe(b.json().id);
    expect(w.fake!.calls.length - before).toBe(1);
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(1);
  });

  it('Stripe down (500, then a dropped connection): a plain 503, and nothing is written', async () => {
    const r = await w.invoiced();
    const audits = (await auditRows(w.t)).length;
    w.fake!.failNext('/v1/checkout/sessions', { status: 500, type: 'api_error', message: 'Internal error' });
    const down = await checkout(r.id);
    expect(down.statusCode, down.body).toBe(503);
    expect(down.json().message).toMatch(/Stripe is not answering right now.*Nothing was changed/);
    // The stripe package retries a dropped connection once even with retries off, with the same
    // Idempotency-Key (so a call that did reach Stripe cannot make a second session); drop both.
    const calls = w.fake!.calls.length;
    w.fake!.failNext('/v1/checkout/sessions', 'hang_up');
    w.fake!.failNext('/v1/checkout/sessions', 'hang_up');
    const dropped = await checkout(r.id);
    expect(dropped.statusCode, dropped.body).toBe(503);
    const tries = w.fake!.calls.slice(calls);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.idempotencyKey).toBe(tries[0]!.idempotencyKey);
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(0);
    expect((await auditRows(w.t)).length).toBe(audits);
    // Once Stripe answers again, the page opens.
    expect((await checkout(r.id)).statusCode).toBe(200);
  });

  it('a refusal by Stripe (card_error, 402) is a 502 in Stripe’s words, nothing written', async () => {
    const r = await w.invoiced();
    w.fake!.failNext('/v1/checkout/sessions', {
      status: 402,
      type: 'card_error',
      code: 'card_declined',
      message: 'Your card was declined.',
    });
    const res = await checkout(r.id);
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json()).toMatchObject({ error: 'payment_provider_error', stripeCode: 'card_declined' });
    expect(res.json().message).toContain('Your card was declined.');
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(0);
  });

  it('SEC-5: a key Stripe does not accept is a 502 that names the variable, never the key', async () => {
    const r = await w.invoiced();
    w.fake!.failNext('/v1/checkout/sessions', {
      status: 401,
      type: 'invalid_request_error',
      message: 'Invalid API Key provided: sk_test_****0000',
    });
    const res = await checkout(r.id);
    expect(res.statusCode, res.body).toBe(502);
    expect(res.json().message).toBe(
      "Stripe did not accept the practice's key, so we could not open the payment page. Check STRIPE_SECRET_KEY. Nothing was changed here.",
    );
    expect(res.body).not.toContain('sk_test');
  });

  it('SEC-2: a therapist and a supervisor are refused (403); another practice’s support does not find the request (404)', async () => {
    const r = await w.invoiced();
    for (const who of ['therapist', 'supervisor'] as const) {
      const res = await checkout(r.id, who);
      expect(res.statusCode, res.body).toBe(403);
    }
    expect((await checkout(r.id, 'otherSupport')).statusCode).toBe(404);
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(0);
  });

  it('FEE-6: no page for a request without a sent invoice (409)', async () => {
    const r = await w.invoiced();
    const bare = await w.as.support.post('/api/requests', {
      kind: 'client_access',
      clientId: w.clientId,
      requester: { name: 'Alex Client', email: 'alex@example.test' },
      documentClasses: ['progress_notes'],
      dateFrom: '2025-01-01',
      dateTo: '2026-06-30',
      deliverable: 'copy',
      deliveryFormat: 'secure_download',
      receivedAt: new Date().toISOString(),
      channel: 'email',
    });
    expect(bare.statusCode, bare.body).toBe(201);
    const res = await checkout(bare.json().id);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('There is no invoice to pay on this request.');
    expect(r.invoice).toMatchObject({ mode: 'sent' });
  });
});
