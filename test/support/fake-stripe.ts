// A small stand-in for Stripe's API (Stripe cannot be reached from here): a node:http server that
// records what the `stripe` package sent (method, path, the headers that matter, the form-encoded
// body) and answers like Stripe for the calls Release Desk makes: checkout.sessions.create (honouring
// Idempotency-Key like Stripe: the same key answers the same object), checkout.sessions.expire,
// refunds.create. Faults are queued per path: a card_error 402, an api_error 500, or the socket closed.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { StripeSettings } from '../../src/server/config.js';

export interface RecordedCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  hasAuthorization: boolean;
  /** The form body as flat key/value pairs: line_items[0][price_data][unit_amount] -> "500". */
  form: Record<string, string>;
  raw: string;
}

export type Fault = { status: number; type: string; code?: string; message: string } | 'hang_up';

export interface FakeStripe {
  settings: StripeSettings;
  calls: RecordedCall[];
  /** The sessions made, by id, as Stripe holds them. */
  sessions: Map<string, Record<string, unknown>>;
  /** The next call to this path answers the fault (e.g. '/v1/checkout/sessions'). */
  failNext(path: string, fault: Fault): void;
  /** A signed webhook body and header for an event, signed with the package's own test helper. */
  signed(
    event: Record<string, unknown>,
    opts?: { timestamp?: number; secret?: string },
  ): { body: string; header: string };
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = 'sk_test_releasedesk000000000000';
export const TEST_WEBHOOK_SECRET = 'whsec_releasedesktestsecret000000';

const id = (prefix: string) => `${prefix}_test_${randomBytes(8).toString('hex')}`;

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
  res.end(JSON.stringify(body));
}

export async function startFakeStripe(now: () => Date = () => new Date()): Promise<FakeStripe> {
  const calls: RecordedCall[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const byKey = new Map<string, { status: number; body: unknown }>();
  const faults = new Map<string, Fault[]>();

  const answer = (path: string, form: Record<string, string>): { status: number; body: unknown } => {
    if (path === '/v1/checkout/sessions') {
      let total = 0;
      for (let i = 0; form[`line_items[${i}][quantity]`]; i++) {
        total +=
          Number(form[`line_items[${i}][price_data][unit_amount]`]) *
          Number(form[`line_items[${i}][quantity]`]);
      }
      const sid = id('cs');
      const metadata = Object.fromEntries(
        Object.entries(form)
          .filter(([k]) => /^metadata\[/.test(k))
          .map(([k, v]) => [k.slice('metadata['.length, -1), v]),
      );
      const session = {
        id: sid,
        object: 'checkout.session',
        mode: form.mode,
        status: 'open',
        payment_status: 'unpaid',
        amount_total: total,
        currency: form['line_items[0][price_data][currency]'] ?? 'usd',
        client_reference_id: form.client_reference_id ?? null,
        metadata,
        payment_intent: null,
        url: `https://checkout.stripe.test/c/pay/${sid}`,
        success_url: form.success_url,
        cancel_url: form.cancel_url,
        expires_at: Math.floor(now().getTime() / 1000) + 24 * 3600,
      };
      sessions.set(sid, session);
      return { status: 200, body: session };
    }
    const expire = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/);
    if (expire) {
      const session = sessions.get(expire[1]!);
      if (!session)
        return {
          status: 404,
          body: { error: { type: 'invalid_request_error', message: 'No such checkout.session' } },
        };
      if (session.status !== 'open') {
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', message: 'Only open sessions can be expired.' } },
        };
      }
      session.status = 'expired';
      return { status: 200, body: session };
    }
    if (path === '/v1/refunds') {
      return {
        status: 200,
        body: {
          id: id('re'),
          object: 'refund',
          amount: Number(form.amount),
          currency: 'usd',
          payment_intent: form.payment_intent,
          reason: form.reason ?? null,
          status: 'succeeded',
        },
      };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${path}).` } },
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0]!;
      const form = Object.fromEntries(new URLSearchParams(raw));
      const header = (name: string) => {
        const v = req.headers[name];
        return (Array.isArray(v) ? v[0] : v) ?? null;
      };
      const key = header('idempotency-key');
      calls.push({
        method: req.method ?? '',
        path,
        idempotencyKey: key,
        stripeVersion: header('stripe-version'),
        hasAuthorization: header('authorization') === `Bearer ${TEST_SECRET_KEY}`,
        form,
        raw,
      });
      const fault = faults.get(path)?.shift();
      if (fault === 'hang_up') {
        req.socket.destroy();
        return;
      }
      if (fault) {
        send(res, fault.status, { error: { type: fault.type, code: fault.code, message: fault.message } });
        return;
      }
      if (key && byKey.has(`${path}|${key}`)) {
        const replay = byKey.get(`${path}|${key}`)!;
        res.setHeader('idempotent-replayed', 'true');
        send(res, replay.status, replay.body);
        return;
      }
      const result = answer(path, form);
      if (key && result.status < 500) byKey.set(`${path}|${key}`, result);
      send(res, result.status, result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const signer = new Stripe(TEST_SECRET_KEY);

  return {
    settings: {
      secretKey: TEST_SECRET_KEY,
      webhookSecret: TEST_WEBHOOK_SECRET,
      apiBase: { host: '127.0.0.1', port, protocol: 'http' },
      maxNetworkRetries: 0,
      timeoutMs: 5_000,
    },
    calls,
    sessions,
    failNext(path, fault) {
      faults.set(path, [...(faults.get(path) ?? []), fault]);
    },
    signed(event, opts = {}) {
      const body = JSON.stringify(event);
      const header = signer.webhooks.generateTestHeaderString({
        payload: body,
        secret: opts.secret ?? TEST_WEBHOOK_SECRET,
        timestamp: opts.timestamp ?? Math.floor(now().getTime() / 1000),
      });
      return { body, header };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Stripe event around an object, as Stripe sends it. */
export function stripeEvent(type: string, object: Record<string, unknown>, eventId = id('evt')) {
  return {
    id: eventId,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}
