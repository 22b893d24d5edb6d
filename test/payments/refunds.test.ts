// Support refunds and voids (issue 7) against the fake Stripe: an online payment refunded through
// refunds.create, in full or in part, with a reason, once however often it is clicked; Stripe's own
// charge.refunded for it counts once; never more than the invoice (FEE-4); a void closes the open
// payment page and is audited with its reason; the receipt PDF carries no health information.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeEvent } from '../support/fake-stripe.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { auditRows } from '../support/session.js';
import { type PaymentWorld, paymentWorld, payOnline } from './setup.js';

describe('refunds, voids and receipts (Stripe set up)', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: true });
  });
  afterAll(async () => {
    await w.t.close();
    await w.fake!.close();
  });
  const refund = (id: string, body: unknown, who: keyof PaymentWorld['as'] = 'support') =>
    w.as[who].post(`/api/requests/${id}/payments/refund`, body);
  const summary = async (id: string) => (await w.as.support.get(`/api/requests/${id}/payments`)).json();

  it('FEE-4: support refunds part of an online payment through Stripe, then the rest; never more than was paid', async () => {
    const r = await w.invoiced();
    const { intent } = await payOnline(w, r.id);
    const calls = w.fake!.calls.length;
    const part = await refund(r.id, { amountCents: 200, reason: 'Postage was not needed' });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ source: 'stripe', amountCents: 200 });
    const call = w.fake!.calls[calls]!;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/refunds', hasAuthorization: true });
    expect(call.form).toMatchObject({
      payment_intent: intent,
      amount: '200',
      reason: 'requested_by_customer',
      'metadata[requestId]': r.id,
    });
    expect(call.idempotencyKey).toMatch(/^release-desk:refund:[0-9a-f-]{36}:0:200$/);
    expect(part.json().reference).toMatch(/^re_test_/);

    const over = await refund(r.id, { amountCents: 301, reason: 'Too much' });
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toBe('At most $3.00 is left to refund on this invoice.');

    const rest = await refund(r.id, { reason: 'Request withdrawn' });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json().amountCents).toBe(300);
    const again = await refund(r.id, { reason: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('This payment is already refunded in full.');

    // Stripe's own report of the same refunds counts once.
    const { body, header } = w.fake!.signed(
      stripeEvent('charge.refunded', {
        id: 'ch_test_r',
        object: 'charge',
        amount: 500,
        amount_refunded: 500,
        payment_intent: intent,
      }),
    );
    const hook = await w.t.app.inject({
      method: 'POST',
      url: '/api/payments/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: body,
    });
    expect(hook.json().outcome).toBe('already_applied');
    const s = await summary(r.id);
    expect(s.invoice.refundedCents).toBe(500);
    expect(s.refunds.map((x: { source: string; amountCents: number }) => [x.source, x.amountCents])).toEqual([
      ['stripe', 200],
      ['stripe', 300],
    ]);
    const audits = (await auditRows(w.t, 'payment.refund_recorded')).filter(
      (a) => a.actorId === w.users.support!.id,
    );
    expect(audits.map((a) => a.data.reason)).toEqual(['Postage was not needed', 'Request withdrawn']);
  });

  it('a refund Stripe refuses (card_error) or cannot answer (500) is a 502/503, and nothing is recorded', async () => {
    const r = await w.invoiced();
    await payOnline(w, r.id);
    w.fake!.failNext('/v1/refunds', {
      status: 402,
      type: 'card_error',
      code: 'expired_card',
      message: 'The card has expired.',
    });
    const refused = await refund(r.id, { reason: 'Overcharged' });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().message).toContain('The card has expired.');
    w.fake!.failNext('/v1/refunds', { status: 500, type: 'api_error', message: 'boom' });
    const down = await refund(r.id, { reason: 'Overcharged' });
    expect(down.statusCode).toBe(503);
    expect(await w.count('payment_refunds where request_id = $1', [r.id])).toBe(0);
    expect((await summary(r.id)).invoice.refundedCents).toBe(0);
  });

  it('SEC-2: therapist and supervisor may not refund or void (403); another practice gets 404; nothing is refunded', async () => {
    const r = await w.invoiced();
    await payOnline(w, r.id);
    for (const who of ['therapist', 'supervisor'] as const) {
      expect((await refund(r.id, { reason: 'x' }, who)).statusCode).toBe(403);
      expect((await w.as[who].post(`/api/requests/${r.id}/payments/void`, { reason: 'x' })).statusCode).toBe(
        403,
      );
      expect((await w.as[who].get(`/api/requests/${r.id}/payments/receipt.pdf`)).statusCode).toBe(403);
    }
    expect((await refund(r.id, { reason: 'x' }, 'otherSupport')).statusCode).toBe(404);
    expect((await w.as.otherSupport.get(`/api/requests/${r.id}/payments`)).statusCode).toBe(404);
    expect(await w.count('payment_refunds where request_id = $1', [r.id])).toBe(0);
    // A refund needs its reason (400 from the zod body, nothing written).
    const noReason = await refund(r.id, { amountCents: 100 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('body.reason');
  });

  it('a void closes the open payment page at Stripe, keeps the invoice as sent, and is audited with its reason', async () => {
    const r = await w.invoiced();
    const page = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    const stripeId = new URL(page.json().url).pathname.split('/').pop()!;
    const calls = w.fake!.calls.length;
    const res = await w.as.support.post(`/api/requests/${r.id}/payments/void`, {
      reason: 'Fee waived by the privacy officer',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(w.fake!.calls[calls]).toMatchObject({
      method: 'POST',
      path: `/v1/checkout/sessions/${stripeId}/expire`,
    });
    const s = await summary(r.id);
    expect(s.invoice).toMatchObject({
      mode: 'sent',
      amountCents: 500,
      paidAt: null,
      voided: { reason: 'Fee waived by the privacy officer' },
    });
    expect(s.sessions[0].status).toBe('expired');
    expect(s.abilities).toEqual(['view']);
    expect((await auditRows(w.t, 'payment.invoice_voided')).pop()?.data).toMatchObject({
      reason: 'Fee waived by the privacy officer',
      closedSessions: 1,
    });
    const checkout = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    expect(checkout.statusCode).toBe(409);
    expect(checkout.json().message).toBe('This invoice was voided; there is nothing to pay.');
    const twice = await w.as.support.post(`/api/requests/${r.id}/payments/void`, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
  });

  it('a void and Stripe’s completed payment at the same moment: one wins, the other is refused or a discrepancy, never both nor a 500', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await w.invoiced();
      const page = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
      const stripeId = new URL(page.json().url).pathname.split('/').pop()!;
      const session = {
        ...w.fake!.sessions.get(stripeId)!,
        status: 'complete',
        payment_status: 'paid',
        payment_intent: `pi_test_race${round}`,
      };
      const { body, header } = w.fake!.signed(stripeEvent('checkout.session.completed', session));
      const [voided, hook] = await Promise.all([
        w.as.support.post(`/api/requests/${r.id}/payments/void`, { reason: 'Waived' }),
        w.t.app.inject({
          method: 'POST',
          url: '/api/payments/stripe/webhook',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          payload: body,
        }),
      ]);
      expect(hook.statusCode, hook.body).toBe(200);
      const s = await summary(r.id);
      if (voided.statusCode === 201) {
        expect(hook.json().outcome).toBe('discrepancy');
        expect(s.invoice.paidAt).toBeNull();
      } else {
        expect(voided.statusCode, voided.body).toBe(409);
        expect(hook.json().outcome).toBe('applied');
        expect(s.invoice.voided).toBeNull();
        expect(s.invoice.paidAt).not.toBeNull();
      }
    }
  });

  it('a void when Stripe cannot close the page: 503, nothing voided, the page still open', async () => {
    const r = await w.invoiced();
    const page = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    const stripeId = new URL(page.json().url).pathname.split('/').pop()!;
    w.fake!.failNext(`/v1/checkout/sessions/${stripeId}/expire`, {
      status: 503,
      type: 'api_error',
      message: 'down',
    });
    const res = await w.as.support.post(`/api/requests/${r.id}/payments/void`, {
      reason: 'Duplicate request',
    });
    expect(res.statusCode).toBe(503);
    expect(await w.count('invoice_voids where request_id = $1', [r.id])).toBe(0);
    expect((await summary(r.id)).sessions[0].status).toBe('open');
  });

  it('a paid invoice cannot be voided (409); a payment for a voided invoice is a discrepancy, not paid', async () => {
    const paid = await w.invoiced();
    await payOnline(w, paid.id);
    const v = await w.as.support.post(`/api/requests/${paid.id}/payments/void`, { reason: 'Too late' });
    expect(v.statusCode).toBe(409);
    expect(v.json().message).toBe('This invoice is already paid.');

    // A page completed at Stripe for an invoice voided meanwhile: a discrepancy for support to refund.
    const voided = await w.invoiced();
    const page = await w.as.support.post(`/api/requests/${voided.id}/payments/checkout`, {});
    const stripeId = new URL(page.json().url).pathname.split('/').pop()!;
    const session = {
      ...w.fake!.sessions.get(stripeId)!,
      status: 'complete',
      payment_status: 'paid',
      payment_intent: 'pi_test_late',
    };
    w.fake!.failNext(`/v1/checkout/sessions/${stripeId}/expire`, {
      status: 400,
      type: 'invalid_request_error',
      message: 'Session is complete.',
    });
    expect(
      (await w.as.support.post(`/api/requests/${voided.id}/payments/void`, { reason: 'x' })).statusCode,
    ).toBe(502);
    await w.t.running.services.database.pool.query(
      "update payment_sessions set expires_at = now() - interval '1 minute' where request_id = $1",
      [voided.id],
    );
    expect(
      (await w.as.support.post(`/api/requests/${voided.id}/payments/void`, { reason: 'Waived' })).statusCode,
    ).toBe(201);
    const { body, header } = w.fake!.signed(stripeEvent('checkout.session.completed', session));
    const hook = await w.t.app.inject({
      method: 'POST',
      url: '/api/payments/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: body,
    });
    expect(hook.json().outcome).toBe('discrepancy');
    const s = await summary(voided.id);
    expect(s.invoice.paidAt).toBeNull();
    expect(s.sessions[0].problem).toBe(
      'The invoice was voided before this payment of $5.00 arrived: refund it.',
    );
  });

  it('the receipt: a PDF on the letterhead with the request number, lines, amount, method and date, and no health information (download audited)', async () => {
    const r = await w.invoiced();
    expect((await w.as.support.get(`/api/requests/${r.id}/payments/receipt.pdf`)).statusCode).toBe(409);
    const { intent } = await payOnline(w, r.id);
    const res = await w.as.privacy.get(`/api/requests/${r.id}/payments/receipt.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="receipt-${r.number}.pdf"`);
    const pdf = res.rawPayload;
    expect(await qpdfCheck(pdf)).toMatch(/No syntax or stream encoding errors/);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Riverbend Counseling');
    expect(text).toContain('Receipt');
    expect(text).toContain(`Records request ${r.number}`);
    expect(text).toContain('Flat fee, electronic copy of electronic records');
    expect(text).toContain('Amount paid $5.00');
    expect(text).toContain('Card, paid online');
    expect(text).toMatch(/Date paid \w+day \d{1,2} \w+ \d{4}/);
    expect(text).toContain(intent);
    for (const word of ['Maria', 'Lopez', 'Alex', 'Custody', 'depression', 'progress'])
      expect(text).not.toContain(word);
    // Rendered from the rows: the same payment is the same bytes.
    const again = await w.as.support.get(`/api/requests/${r.id}/payments/receipt.pdf`);
    expect(Buffer.compare(again.rawPayload, pdf)).toBe(0);
    const audits = (await auditRows(w.t, 'payment.receipt_downloaded')).filter(
      (a) => a.data.bytes === pdf.length,
    );
    expect(audits.map((a) => a.actorId)).toEqual([w.users.privacy!.id, w.users.support!.id]);
  });
});
