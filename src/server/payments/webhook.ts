// POST /api/payments/stripe/webhook (issue 7): Stripe tells us a payment completed, a payment page
// expired, or a charge was refunded. There is no signed-in actor: like the secure link's public routes
// (delivery/public.ts), the work is audited in the practice it concerns with no actor, and a refusal
// that names no practice goes to the instance's own chain.
// The raw body's signature is verified with the package's constructEvent (forged, missing or too old:
// 400, audited without the payload). Each event id is stored once, in the same transaction as its
// effect and its audit event, so a replay changes nothing; out-of-order events are handled in events.ts.
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { record } from '../audit/record.js';
import type { Ctx, RequestMeta, Services } from '../context.js';
import { paymentSessions, stripeEvents } from '../db/schema-payments.js';
import { inTransaction } from '../db/tx.js';
import { type Applied, applyChargeRefunded, applySessionCompleted, applySessionExpired } from './events.js';
import { stripeClient } from './stripe-client.js';

/** How old a signed webhook may be (Stripe's own default): an older one is a replay, refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookAnswer =
  | { status: 200; body: { received: true; outcome: string } }
  | { status: 400 | 404; body: { error: string; message: string } };

const REFUSED = {
  missing_signature: 'The Stripe-Signature header is missing.',
  expired_signature: 'The signature is too old: a replayed webhook is refused.',
  bad_signature: 'The signature does not match: the webhook is refused.',
} as const;

export async function receiveStripeWebhook(
  services: Services,
  meta: RequestMeta,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookAnswer> {
  const settings = services.config.stripe;
  if (!settings) {
    return {
      status: 404,
      body: { error: 'not_found', message: 'Online payment is not set up on this server.' },
    };
  }
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error('missing');
    event = stripeClient(settings).webhooks.constructEvent(
      rawBody,
      signature,
      settings.webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      services.now().getTime(),
    );
  } catch (err) {
    const reason: keyof typeof REFUSED = !signature
      ? 'missing_signature'
      : /tolerance/i.test(err instanceof Error ? err.message : '')
        ? 'expired_signature'
        : 'bad_signature';
    // rule SEC-3, SEC-5: recorded without the payload (it may be anyone's), in the instance's chain.
    await inTransaction(services, meta, null, async (ctx) => {
      record(ctx, { type: 'payment.webhook_refused', data: { reason, bytes: rawBody.length } });
    });
    return { status: 400, body: { error: 'bad_signature', message: REFUSED[reason] } };
  }
  const outcome = await dispatch(services, meta, event);
  return { status: 200, body: { received: true, outcome } };
}

async function dispatch(services: Services, meta: RequestMeta, event: Stripe.Event): Promise<string> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.expired': {
      const session = event.data.object;
      const [ours] = await services.database.db
        .select({ practiceId: paymentSessions.practiceId })
        .from(paymentSessions)
        .where(eq(paymentSessions.stripeSessionId, session.id));
      if (!ours) return storeOnce(services, meta, event, null, async () => ({ outcome: 'ignored' }));
      return storeOnce(services, meta, event, ours.practiceId, (ctx) =>
        event.type === 'checkout.session.completed'
          ? applySessionCompleted(ctx, event.id, session)
          : applySessionExpired(ctx, session),
      );
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const intent =
        typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      const [ours] = intent
        ? await services.database.db
            .select({ practiceId: paymentSessions.practiceId })
            .from(paymentSessions)
            .where(eq(paymentSessions.paymentIntentId, intent))
        : [];
      return storeOnce(services, meta, event, ours?.practiceId ?? null, (ctx) =>
        applyChargeRefunded(ctx, event.id, intent ?? null, charge.amount_refunded),
      );
    }
    default:
      // An event we did not ask for: answered 200 (so Stripe stops sending it) and otherwise ignored.
      return storeOnce(services, meta, event, null, async () => ({ outcome: 'ignored' }));
  }
}

/**
 * Claim the event id and apply its effect in one transaction: a replay finds the id taken and changes
 * nothing (two deliveries at once wait on the unique key, and the second finds it taken).
 */
async function storeOnce(
  services: Services,
  meta: RequestMeta,
  event: Stripe.Event,
  practiceId: string | null,
  apply: (ctx: Ctx) => Promise<Applied>,
): Promise<string> {
  return inTransaction(
    services,
    meta,
    null,
    async (ctx) => {
      const [claimed] = await ctx.tx
        .insert(stripeEvents)
        .values({ id: event.id, practiceId, type: event.type, outcome: 'received', receivedAt: ctx.now })
        .onConflictDoNothing()
        .returning({ id: stripeEvents.id });
      if (!claimed) {
        const [first] = await ctx.tx.select().from(stripeEvents).where(eq(stripeEvents.id, event.id));
        if (first?.practiceId) {
          record(ctx, {
            type: 'payment.webhook_replayed',
            requestId: first.requestId,
            data: { eventId: event.id, eventType: event.type, firstOutcome: first.outcome },
          });
        }
        return 'duplicate';
      }
      const applied = await apply(ctx);
      await ctx.tx
        .update(stripeEvents)
        .set({
          outcome: applied.outcome,
          requestId: applied.requestId ?? null,
          paymentIntentId: applied.paymentIntentId ?? null,
          amountCents: applied.amountCents ?? null,
        })
        .where(eq(stripeEvents.id, event.id));
      return applied.outcome;
    },
    { practiceId },
  );
}
