// The outbox as a test reads it: outbound_emails rows with their sealed body opened (rule SEC-4: the
// body is sealed at rest, so `select text from outbound_emails` finds nothing). `where` and `order`
// are SQL on outbound_emails (no alias), with $1… parameters.
import { openOutboundBody } from '../../src/server/mail/outbox-body.js';

/** What a test needs of an app: its pool and its master key (a TestApp, or a served e2e app). */
interface HasServices {
  running: {
    services: {
      config: { masterKey: Buffer };
      database: { pool: { query: <R>(text: string, params?: unknown[]) => Promise<{ rows: R[] }> } };
    };
  };
}

export interface OutboxEmail {
  id: string;
  requestId: string;
  threadMessageId: string | null;
  thread: string;
  kind: string;
  subject: string;
  recipients: string[];
  carriesCode: boolean;
  status: string;
  createdAt: Date;
  text: string;
  html: string;
  /** The row as stored: the sealed body (null on a row written before sealing). */
  bodySealed: Buffer | null;
}

interface Row {
  id: string;
  request_id: string;
  thread_message_id: string | null;
  thread: string;
  kind: string;
  subject: string;
  recipients: string[];
  carries_code: boolean;
  status: string;
  created_at: Date;
  body_sealed: Buffer | null;
  text: string | null;
  html: string | null;
}

export async function outboxEmails(
  t: HasServices,
  where: string,
  params: unknown[] = [],
  order = 'created_at, id',
): Promise<OutboxEmail[]> {
  const { services } = t.running;
  const { rows } = await services.database.pool.query<Row>(
    `select id::text as id, request_id::text as request_id, thread_message_id::text as thread_message_id,
            thread, kind, subject, recipients, carries_code, status, created_at, body_sealed, text, html
       from outbound_emails where ${where} order by ${order}`,
    params,
  );
  return rows.map((r) => {
    const body = openOutboundBody(services.config.masterKey, {
      id: r.id,
      bodySealed: r.body_sealed,
      text: r.text,
      html: r.html,
    });
    return {
      id: r.id,
      requestId: r.request_id,
      threadMessageId: r.thread_message_id,
      thread: r.thread,
      kind: r.kind,
      subject: r.subject,
      recipients: r.recipients,
      carriesCode: r.carries_code,
      status: r.status,
      createdAt: r.created_at,
      text: body.text,
      html: body.html,
      bodySealed: r.body_sealed,
    };
  });
}

/** The newest email matching `where`, or undefined. */
export async function newestOutboxEmail(
  t: HasServices,
  where: string,
  params: unknown[] = [],
): Promise<OutboxEmail | undefined> {
  const rows = await outboxEmails(t, where, params, 'created_at desc, id desc');
  return rows[0];
}
