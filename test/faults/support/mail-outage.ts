// The SMTP outage (issue 8): the real app as a process, a real SMTP sink (faults-db's smtp-sink.ts)
// that goes down, staff post `notifications` messages on a request's internal thread while it is
// down (each one email to the therapist and the supervisor), and the sink comes back after
// `outageMs` (and not before every one of those emails has been tried and has failed at least once,
// so the outage is really met). Then: does every email arrive, once, and how long after the return?
import { intakeBody } from '../../support/requests.js';
import { call, type StaffSession, signInOn } from './instances-session.js';
import { emailStatuses, MAIL_ENV, seedWorld, waitFor } from './mail-world.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

export interface OutageOptions {
  notifications: number;
  outageMs: number;
  /** Give up waiting for the drain after this long (the test then fails on the counts). */
  drainTimeoutMs: number;
}

export interface OutageFigures {
  notifications: number;
  /** Outbound emails of the run in the database (the request's first two and one per notification). */
  emails: number;
  /** Distinct Message-IDs at the sink. */
  delivered: number;
  /** Raw arrivals that repeated a Message-ID. */
  duplicates: number;
  /** How long the sink was really down. */
  outageMs: number;
  /** From the sink's return to the last arrival. */
  drainMs: number;
  /** Failed tries recorded while it was down (every email tried at least once). */
  failedTries: number;
  /** Database Message-IDs the sink never received, and sink Message-IDs the database does not know. */
  missing: string[];
  unknown: string[];
  /** Emails by status at the end. */
  statuses: Record<string, number>;
}

export async function runMailOutage(opts: OutageOptions): Promise<OutageFigures> {
  const sink: SmtpSink = await startSmtpSink();
  const world = await seedWorld({ instances: 1, supportUsers: 1, env: { ...MAIL_ENV, SMTP_URL: sink.url } });
  const app = world.apps[0]!;
  try {
    await app.start();
    const support: StaffSession = await signInOn(app.baseUrl, world.support[0]!);
    const created = await call(app.baseUrl, support, 'POST', '/api/requests', intakeBody(world.clientId));
    if (created.status !== 201) throw new Error(`create request answered ${created.status}`);
    const requestId = (created.body as { id: string }).id;
    // The request's own emails (instructions, the requester's acknowledgement) go out first.
    const settled = async () => {
      const s = await emailStatuses(world.pool);
      return (s.sent ?? 0) > 0 && !s.queued && !s.retrying;
    };
    if (!(await waitFor(settled, 60_000)))
      throw new Error('the request emails did not go out before the outage');
    const before = (await emailStatuses(world.pool)).sent ?? 0;

    await sink.stop();
    const downAt = Date.now();
    const spacing = Math.min(200, (opts.outageMs * 0.6) / opts.notifications);
    for (let i = 0; i < opts.notifications; i++) {
      const res = await call(app.baseUrl, support, 'POST', `/api/requests/${requestId}/messages`, {
        thread: 'internal',
        body: `Outage notification ${i + 1} of ${opts.notifications}`,
      });
      if (res.status >= 300) throw new Error(`posting a message answered ${res.status}`);
      await new Promise((r) => setTimeout(r, spacing));
    }
    const allTriedAndFailed = async () =>
      Date.now() - downAt >= opts.outageMs &&
      ((await emailStatuses(world.pool)).retrying ?? 0) >= opts.notifications;
    if (!(await waitFor(allTriedAndFailed, opts.outageMs + 120_000)))
      throw new Error(
        `the emails were not all tried during the outage: ${JSON.stringify(await emailStatuses(world.pool))}`,
      );
    const { rows: tries } = await world.pool.query<{ n: number }>(
      "select coalesce(sum(attempts), 0)::int as n from outbound_emails where status = 'retrying'",
    );
    await sink.start();
    const upAt = Date.now();
    const expected = before + opts.notifications;
    await waitFor(
      async () => sink.distinct().size >= expected && (await emailStatuses(world.pool)).sent === expected,
      opts.drainTimeoutMs,
    );
    const { rows } = await world.pool.query<{ message_id: string }>('select message_id from outbound_emails');
    const inDb = new Set(rows.map((r) => r.message_id));
    const atSink = sink.distinct();
    return {
      notifications: opts.notifications,
      emails: inDb.size,
      delivered: atSink.size,
      duplicates: sink.duplicates(),
      outageMs: upAt - downAt,
      drainMs: Math.max(0, ...sink.received.map((m) => m.at)) - upAt,
      failedTries: tries[0]?.n ?? 0,
      missing: [...inDb].filter((id) => !atSink.has(id)),
      unknown: [...atSink].filter((id) => !inDb.has(id)),
      statuses: await emailStatuses(world.pool),
    };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- app output ---\n${app.output().slice(-3000)}`);
  } finally {
    await world.close();
    await sink.stop();
  }
}
