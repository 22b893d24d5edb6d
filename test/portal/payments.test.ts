// Paying from the status page (issue 7; rules FEE-4, FEE-6): the invoice with each line, the online
// payment page against the fake Stripe (test/support/fake-stripe.ts) and its signed webhook, the
// receipt once paid, and without Stripe keys, how to pay the practice directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentWorld, paymentWorld } from '../payments/setup.js';
import { stripeEvent } from '../support/fake-stripe.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { auditRows } from '../support/session.js';
import { signInToPortal } from './support.js';

describe('paying online from the status page', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: true });
  });
  afterAll(async () => {
    await w.t.close();
    await w.fake!.close();
  });

  it('FEE-4, FEE-6: the invoice with each line, the Stripe payment page, then paid and the receipt', async () => {
    const r = await w.invoiced([
      { code: 'copy_labor', description: 'Copying by Dr. Rivera', amountCents: 300 },
      { code: 'postage', description: 'Postage', amountCents: 150 },
    ]);
    const { r: me } = await signInToPortal(w.t, r.id);
    const status = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(status).toMatchObject({
      stage: 'payment',
      invoice: {
        amountCents: 450,
        lines: [
          { label: 'Labour for copying', amountCents: 300 },
          { label: expect.any(String), amountCents: 150 },
        ],
        paidAt: null,
        voided: false,
      },
      canPayOnline: true,
      payDirectly: false,
      canDownloadReceipt: false,
    });
    // The staff's own words on the quote (which named the therapist) are not shown.
    expect(JSON.stringify(status)).not.toContain('Rivera');
    const early = await me.get(`/api/portal/requests/${r.number}/receipt`);
    expect(early.statusCode).toBe(409);

    const noCsrf = await me.post(`/api/portal/requests/${r.number}/checkout`, {}, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const opened = await me.post(`/api/portal/requests/${r.number}/checkout`);
    expect(opened.statusCode, opened.body).toBe(200);
    const url = opened.json().url as string;
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const started = (await auditRows(w.t, 'payment.checkout_started')).at(-1)!;
    expect(started.actorId).toBeNull();
    // A second click answers the same page.
    expect((await me.post(`/api/portal/requests/${r.number}/checkout`)).json().url).toBe(url);

    const stripeId = new URL(url).pathname.split('/').pop()!;
    const session = w.fake!.sessions.get(stripeId)!;
    const event = stripeEvent('checkout.session.completed', {
      ...session,
      status: 'complete',
      payment_status: 'paid',
      payment_intent: `pi_test_${stripeId.slice(-10)}`,
    });
    const { body, header } = w.fake!.signed(event);
    const hook = await w.t.app.inject({
      method: 'POST',
      url: '/api/payments/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: body,
    });
    expect(hook.json()).toMatchObject({ outcome: 'applied' });

    const paid = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(paid.invoice.paidAt).not.toBeNull();
    expect(paid).toMatchObject({ canPayOnline: false, canDownloadReceipt: true });
    const receipt = await me.get(`/api/portal/requests/${r.number}/receipt`);
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    await qpdfCheck(receipt.rawPayload);
    const text = await pdfText(receipt.rawPayload);
    expect(text).toContain('Receipt');
    expect(text).toContain(r.number);
    expect(text).toContain('$4.50');
    expect(text).not.toContain('Maria');
    expect((await auditRows(w.t, 'payment.receipt_downloaded')).at(-1)!.data).toMatchObject({
      by: 'requester',
    });
    // Paid: no second payment page.
    expect((await me.post(`/api/portal/requests/${r.number}/checkout`)).statusCode).toBe(409);
  });
});

describe('paying without Stripe keys', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await paymentWorld({ stripe: false });
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('FEE-4: the page says to pay the practice directly (with its contact), and no online payment opens', async () => {
    const r = await w.invoiced();
    const { r: me } = await signInToPortal(w.t, r.id);
    const status = (await me.get(`/api/portal/requests/${r.number}`)).json();
    expect(status).toMatchObject({
      stage: 'payment',
      invoice: { amountCents: 500 },
      canPayOnline: false,
      payDirectly: true,
      practice: { name: 'Riverbend Counseling', phone: '555-0100', email: 'privacy@riverbend.test' },
    });
    const refused = await me.post(`/api/portal/requests/${r.number}/checkout`);
    expect(refused.statusCode).toBe(409); // payments: online payment is not set up
    expect(refused.json().message).toEqual(expect.any(String));
    expect(await w.count('payment_sessions where request_id = $1', [r.id])).toBe(0);
  });
});
