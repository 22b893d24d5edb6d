// Two requesters, each with what a requester really holds for their own request: the status link
// from the acknowledgement email and a portal session opened with its emailed code, and a secure link
// to the released packet with its emailed code (and the code read out by phone, or the client's date
// of birth, when the link asks for one). The IDOR test uses the one's to open the other's.
import { randomBytes } from 'node:crypto';
import { JOB_HANDLERS } from '../../../src/server/handlers.js';
import { drainJobs, type HandlerMap } from '../../../src/server/jobs/worker.js';
import { signInToPortal, statusToken } from '../../portal/support.js';
import { createClient } from '../../support/factories.js';
import { outboxEmails } from '../../support/outbox.js';
import { buildRichRequest, type RichRelationship } from './rich.js';
import type { AccessWorld } from './setup.js';

export interface Requester {
  requestId: string;
  number: string;
  email: string;
  /** The status link's token, and the requester signed in to the portal with it. */
  statusToken: string;
  portal: Awaited<ReturnType<typeof signInToPortal>>;
  /** The secure link to the packet: its token and what /confirm asks for. */
  link: { id: string; token: string; confirm: { code: string; phoneCode?: string; dateOfBirth?: string } };
  /** Words and ids only this request's pages hold (a message on its requester thread, its requester). */
  marks: string[];
}

const DATE_OF_BIRTH = '1990-04-12';

/** A request of a new client of `rel`'s therapist, released to `name`, with both links and a portal session. */
export async function requesterWith(a: AccessWorld, rel: RichRelationship, name: string): Promise<Requester> {
  const { t, w } = a;
  const tag = randomBytes(4).toString('hex');
  const email = `${name.toLowerCase().replaceAll(' ', '.')}.${tag}@requester.test`;
  const client = await createClient(
    t,
    w.practice,
    w.users[rel === 'own' ? 'therapist' : 'unrelatedTherapist'],
    {
      dateOfBirth: DATE_OF_BIRTH,
    },
  );
  const built = await buildRichRequest(t, w, {
    rel,
    clientId: client.id,
    upTo: 'release',
    requester: { name: `${name} ${tag}`, email },
  });
  if (built.missing.length) throw new Error(`requester ${name}: ${built.missing.join('; ')}`);
  const requestId = built.requestId;
  const note = `Only for ${name}: message ${tag}`;
  const posted = await w.agents.support.post(`/api/requests/${requestId}/messages`, {
    thread: 'requester',
    body: note,
  });
  if (posted.statusCode >= 300) throw new Error(`message: ${posted.statusCode} ${posted.body}`);
  const packet = await w.agents.support.post(`/api/requests/${requestId}/packets`, {});
  if (packet.statusCode !== 202) throw new Error(`packet: ${packet.statusCode} ${packet.body}`);
  await drainJobs(t.running.services, {
    'packet.assemble': JOB_HANDLERS['packet.assemble'],
  } as unknown as HandlerMap);
  const made = await w.agents.support.post(
    `/api/requests/${requestId}/packets/${packet.json().id}/links`,
    {},
  );
  if (made.statusCode !== 201) throw new Error(`link: ${made.statusCode} ${made.body}`);
  const { link, phoneCode } = made.json() as {
    link: { id: string; secondChannel: string };
    phoneCode: string | null;
  };
  const emails = await outboxEmails(
    t,
    'request_id = $1 and thread_message_id in (select id from thread_messages where idempotency_key like $2)',
    [requestId, `delivery-link:${link.id}:%`],
    'kind',
  );
  const linkToken = /\/links\/([A-Za-z0-9_-]{43})/.exec(
    emails.find((e) => e.kind === 'secure_link')?.text ?? '',
  )?.[1];
  const code = /code is (\d{6})/.exec(emails.find((e) => e.kind === 'secure_link_code')?.text ?? '')?.[1];
  if (!linkToken || !code) throw new Error(`secure link emails: ${emails.map((e) => e.kind).join(', ')}`);
  const confirm: Requester['link']['confirm'] = { code };
  if (link.secondChannel === 'phone_code' && phoneCode) confirm.phoneCode = phoneCode;
  if (link.secondChannel === 'date_of_birth') confirm.dateOfBirth = DATE_OF_BIRTH;
  const token = await statusToken(t, requestId);
  const portal = await signInToPortal(t, requestId);
  const number = portal.session.requestNumber;
  return {
    requestId,
    number,
    email,
    statusToken: token,
    portal,
    link: { id: link.id, token: linkToken, confirm },
    marks: [requestId, note, `${name} ${tag}`, email, client.lastName],
  };
}
