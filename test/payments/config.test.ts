// Stripe's settings at start-up (issue 7): both keys or neither, each checked for its shape, and the
// API base override (for tests and local stand-ins) split into the client's host, port and protocol.
import { describe, expect, it } from 'vitest';
import { ConfigError, stripeConfigFromEnv } from '../../src/server/config.js';

const KEY = 'sk_test_abc123';
const SECRET = 'whsec_abc123';

describe('Stripe configuration', () => {
  it('neither key: no online payment (payments are taken directly)', () => {
    expect(stripeConfigFromEnv({})).toBeNull();
    expect(stripeConfigFromEnv({ STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' })).toBeNull();
  });

  it('both keys: online payment against api.stripe.com, with retries', () => {
    expect(stripeConfigFromEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: SECRET })).toEqual({
      secretKey: KEY,
      webhookSecret: SECRET,
      apiBase: undefined,
      maxNetworkRetries: 2,
      timeoutMs: 20_000,
    });
  });

  it('one key without the other is a clear start-up error naming the missing one', () => {
    expect(() => stripeConfigFromEnv({ STRIPE_SECRET_KEY: KEY })).toThrow(
      /^STRIPE_WEBHOOK_SECRET is required too: online payment needs both/,
    );
    expect(() => stripeConfigFromEnv({ STRIPE_WEBHOOK_SECRET: SECRET })).toThrow(
      /^STRIPE_SECRET_KEY is required too/,
    );
    expect(() => stripeConfigFromEnv({ STRIPE_API_BASE: 'http://127.0.0.1:1' })).toThrow(ConfigError);
  });

  it('a key of the wrong shape is named (and its value is not echoed)', () => {
    const wrong = () =>
      stripeConfigFromEnv({ STRIPE_SECRET_KEY: 'pk_live_public123', STRIPE_WEBHOOK_SECRET: SECRET });
    expect(wrong).toThrow(/STRIPE_SECRET_KEY: must be a Stripe secret key/);
    expect(wrong).not.toThrow(/pk_live_public123/);
    expect(() => stripeConfigFromEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: 'nope' })).toThrow(
      /STRIPE_WEBHOOK_SECRET: must be the webhook signing secret/,
    );
  });

  it('STRIPE_API_BASE becomes the client’s host, port and protocol', () => {
    const s = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    expect(s?.apiBase).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    const tls = stripeConfigFromEnv({
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: 'https://stripe-mock.test',
    });
    expect(tls?.apiBase).toEqual({ host: 'stripe-mock.test', port: 443, protocol: 'https' });
  });
});
