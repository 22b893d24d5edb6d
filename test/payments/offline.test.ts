// Without Stripe keys (issue 7): the requester is told how to pay the practice directly, support
// records the payment (check, card by phone, cash) with its reference, refunds it outside and records
// that with a reference; online payment and the webhook say plainly that they are not set up.
// rule FEE-4: the payment is only this invoice's; the rules the request is decided under do not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/pdf.js';
import { auditRows } from '../support/session.js';
import { type PaymentWorld, paymentWorld } from './setup.js';

describe('payments without Stripe keys', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: false });
  });
  afterAll(async () => {
    await w.t.close();
  });
  const summary = async (id: string) => {
    const res = await w.as.support.get(`/api/requests/${id}/payments`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('the payment view says how to pay the practice directly; online payment and the webhook are not set up', async () => {
    const r = await w.invoiced();
    const s = await summary(r.id);
    expect(s.online).toBe(false);
    expect(s.payDirectly).toBe(
      `Pay Riverbend Counseling directly by check, by card over the phone, or in cash, quoting request ${r.number}. To arrange it, call 555-0100 or email privacy@riverbend.test (Riverbend Counseling).`,
    );
    expect(s.invoice).toMatchObject({
      amountCents: 500,
      lines: [
        {
          label: 'Flat fee, electronic copy of electronic records',
          description: 'Electronic copy',
          amountCents: 500,
        },
      ],
    });
    expect(s.abilities).toEqual(['view', 'void']);
    const checkout = await w.as.support.post(`/api/requests/${r.id}/payments/checkout`, {});
    expect(checkout.statusCode).toBe(409);
    expect(checkout.json().message).toMatch(/^Online payment is not set up/);
    const hook = await w.t.app.inject({
      method: 'POST',
      url: '/api/payments/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      payload: '{}',
    });
    expect(hook.statusCode).toBe(404);
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(0);
  });

  it('FEE-4: support records a check with its reference, refunds part of it outside with a reference; the rules do not change', async () => {
    const r = await w.invoiced();
    const rulesBefore = (await w.as.support.get(`/api/requests/${r.id}/rules`)).json();
    const paid = await w.as.support.post(`/api/requests/${r.id}/payment`, {
      method: 'check',
      reference: 'Check 1042',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    const s = await summary(r.id);
    expect(s.invoice).toMatchObject({
      paymentMethod: 'check',
      paymentReference: 'Check 1042',
      refundedCents: 0,
    });
    expect(s.abilities).toEqual(['view', 'refund', 'download_receipt']);

    const noRef = await w.as.support.post(`/api/requests/${r.id}/payments/refund`, {
      amountCents: 100,
      reason: 'Postage not used',
    });
    expect(noRef.statusCode).toBe(400);
    expect(noRef.json().message).toBe(
      'A payment made directly is refunded outside Release Desk: give its reference.',
    );
    const refund = await w.as.support.post(`/api/requests/${r.id}/payments/refund`, {
      amountCents: 100,
      reason: 'Postage not used',
      reference: 'Cash returned at the desk, receipt 77',
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({
      source: 'offline',
      amountCents: 100,
      reference: 'Cash returned at the desk, receipt 77',
    });
    expect((await summary(r.id)).invoice.refundedCents).toBe(100);
    expect((await auditRows(w.t, 'payment.refund_recorded')).pop()?.data).toMatchObject({
      source: 'offline',
      amountCents: 100,
      refundedCents: 100,
      invoiceCents: 500,
    });

    const receipt = await w.as.support.get(`/api/requests/${r.id}/payments/receipt.pdf`);
    const text = (await pdfText(receipt.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain('Paid by Check');
    expect(text).toContain('Payment reference Check 1042');
    expect(text).toMatch(/Refunded \$1\.00 on/);
    expect(text).toContain('Net paid $4.00');
    // rule FEE-4: the fee rules the request is decided under are the same after the payment.
    const rulesAfter = (await w.as.support.get(`/api/requests/${r.id}/rules`)).json();
    expect(rulesAfter.rules).toEqual(rulesBefore.rules);
  });

  it('FEE-6: a voided invoice takes no recorded payment and leaves the awaiting-payment list', async () => {
    const r = await w.invoiced();
    const awaiting = async () =>
      (
        (await w.as.support.get('/api/requests?awaitingPayment=true&limit=100')).json().items as {
          id: string;
        }[]
      ).map((i) => i.id);
    expect(await awaiting()).toContain(r.id);
    const voided = await w.as.support.post(`/api/requests/${r.id}/payments/void`, { reason: 'Fee waived' });
    expect(voided.statusCode, voided.body).toBe(201);
    expect(await awaiting()).not.toContain(r.id);
    const paid = await w.as.support.post(`/api/requests/${r.id}/payment`, {
      method: 'check',
      reference: 'Check 77',
    });
    expect(paid.statusCode).toBe(409);
    expect(paid.json().message).toMatch(/the invoice was voided, so there is nothing to pay\.$/);
    expect((await summary(r.id)).invoice.paidAt).toBeNull();
  });

  it('SEC-2: a therapist does not see the payment view (403); the privacy officer does, without the actions', async () => {
    const r = await w.invoiced();
    expect((await w.as.therapist.get(`/api/requests/${r.id}/payments`)).statusCode).toBe(403);
    const po = await w.as.privacy.get(`/api/requests/${r.id}/payments`);
    expect(po.statusCode).toBe(200);
    expect(po.json().abilities).toEqual(['view']);
  });
});
