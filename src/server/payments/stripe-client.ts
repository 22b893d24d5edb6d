// The one stripe client per configuration (issue 7), and Stripe's failures in words a person can act
// on. The keys come from config (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) and are never logged;
// STRIPE_API_BASE points the client at a stand-in (tests: test/support/fake-stripe.ts).
import Stripe from 'stripe';
import type { StripeSettings } from '../config.js';
import type { Services } from '../context.js';
import { AppError, ConflictError } from '../errors.js';

const clients = new WeakMap<StripeSettings, Stripe>();

export function stripeClient(settings: StripeSettings): Stripe {
  let client = clients.get(settings);
  if (!client) {
    client = new Stripe(settings.secretKey, {
      maxNetworkRetries: settings.maxNetworkRetries,
      timeout: settings.timeoutMs,
      telemetry: false,
      appInfo: { name: 'Release Desk' },
      ...(settings.apiBase ?? {}),
    });
    clients.set(settings, client);
  }
  return client;
}

/** Stripe's settings, or a 409 saying that online payment is not set up (payments are then taken directly). */
export function requireStripe(services: Services): { settings: StripeSettings; stripe: Stripe } {
  const settings = services.config.stripe;
  if (!settings) {
    throw new ConflictError(
      'Online payment is not set up (no Stripe keys): take the payment directly and record it with its reference.',
    );
  }
  return { settings, stripe: stripeClient(settings) };
}

/** Stripe could not be reached or failed on its side (502/503): the command rolls back, nothing is written. */
export class PaymentProviderError extends AppError {
  constructor(status: 502 | 503, message: string, details: Record<string, unknown> = {}) {
    super(
      status,
      status === 503 ? 'payment_provider_unavailable' : 'payment_provider_error',
      message,
      details,
    );
  }
}

/** Run one Stripe call; any failure becomes a plain 502/503 that says nothing was changed. */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw providerError(what, err);
  }
}

function providerError(what: string, err: unknown): PaymentProviderError {
  if (!(err instanceof Stripe.errors.StripeError)) {
    return new PaymentProviderError(
      503,
      `Stripe could not be reached to ${what}. Nothing was changed; try again in a few minutes.`,
    );
  }
  const status = err.statusCode ?? 0;
  if (err instanceof Stripe.errors.StripeConnectionError || status >= 500 || status === 429 || status === 0) {
    return new PaymentProviderError(
      503,
      `Stripe is not answering right now, so we could not ${what}. Nothing was changed; try again in a few minutes.`,
      { stripeStatus: status || null },
    );
  }
  if (
    err instanceof Stripe.errors.StripeAuthenticationError ||
    err instanceof Stripe.errors.StripePermissionError
  ) {
    // Stripe's words here may quote (part of) the key: a fixed message instead (SEC-5).
    return new PaymentProviderError(
      502,
      `Stripe did not accept the practice's key, so we could not ${what}. Check STRIPE_SECRET_KEY. Nothing was changed here.`,
      { stripeStatus: status },
    );
  }
  // A refusal by Stripe (a card error, a request it will not do): its own words, which carry no secret.
  return new PaymentProviderError(
    502,
    `Stripe refused to ${what}: ${err.message} Nothing was changed here.`,
    {
      stripeStatus: status,
      stripeCode: err.code ?? err.type,
    },
  );
}
