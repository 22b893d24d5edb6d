// Shared steps of the requester-portal journeys (issue 7): counting a screen's answers, reading the
// emails the portal sends (the outbox rows, which every email gets, SMTP or not), and the staff's
// side of a request walked through the real HTTP API.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Sink } from '../../test/mail/support.js';
import { outboxEmails } from '../../test/support/outbox.js';
import { type RequestDetails, runJobs } from '../../test/support/requests.js';
import type { Agent } from '../../test/support/session.js';
import type { Served } from './server.js';

/**
 * The answers a screen asks for: each text, date, email or code input is one, a group of radio
 * buttons or checkboxes is one; the hidden honeypot is not counted (people never see it).
 */
const COUNT_FIELDS = `(() => {
  const main = document.querySelector('main');
  const inputs = [...main.querySelectorAll('input, textarea, select')].filter(
    (el) => el.getAttribute('tabindex') !== '-1' && !el.closest('[aria-hidden="true"]'),
  );
  const groups = new Set();
  let fields = 0;
  for (const el of inputs) {
    const type = el.getAttribute('type');
    if (type === 'radio' || type === 'checkbox') {
      const group = el.closest('[role="radiogroup"], [role="group"], fieldset');
      groups.add(group ? group.id || group.outerHTML.slice(0, 80) : el.getAttribute('name') || el.id);
    } else if (type !== 'hidden') fields++;
  }
  return fields + groups.size;
})()`;

/** Wait for a screen's h1 (which takes the focus on arrival) and answer how many fields it asks for. */
export async function screenFields(page: Page, title: string | RegExp): Promise<number> {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await expect
    .poll(() => page.evaluate<string | undefined>('document.activeElement?.tagName'), {
      message: `focus on the heading of "${String(title)}"`,
    })
    .toBe('H1');
  return page.evaluate<number>(COUNT_FIELDS);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The newest outbox email matching `where` (SQL on outbound_emails) and `holds` (its body, opened:
 * it is sealed at rest), after any queued jobs ran.
 */
async function newestEmail(
  server: Served,
  where: string,
  params: unknown[],
  holds: (text: string) => boolean = () => true,
): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const newestFirst = await outboxEmails(server, where, params, 'created_at desc, id desc');
    const email = newestFirst.find((e) => holds(e.text));
    if (email) return email.text;
    await runJobs(server);
    await sleep(100);
  }
  throw new Error(`no email where ${where} (${params.join(', ')})`);
}

/** The code the public form emailed to `email` (its SMTP message; no request exists yet). */
export async function intakeCode(sink: Sink, email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = sink.messages.filter((x) => x.rcptTo.includes(email)).at(-1);
    const code = m?.parsed.text?.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await sleep(100);
  }
  throw new Error(`no code emailed to ${email}`);
}

/** The path of the status link in the newest email to the requester (the host is PUBLIC_URL). */
export async function statusLinkPath(server: Served, requestId: string): Promise<string> {
  const text = await newestEmail(server, 'request_id = $1', [requestId], (body) =>
    body.includes('/portal/links/'),
  );
  const path = text.match(/https?:\/\/[^\s]+(\/portal\/links\/[A-Za-z0-9_-]{43})/)?.[1];
  expect(path, text).toBeTruthy();
  return path!;
}

/** The 6-digit code the status link emailed (kind portal_code). */
export async function portalCode(server: Served, requestId: string): Promise<string> {
  const text = await newestEmail(server, `request_id = $1 and kind = 'portal_code'`, [requestId]);
  // The code stands on a line of its own: the practice's name above it may hold six digits.
  const code = text.match(/^(\d{6})$/m)?.[1];
  expect(code, text).toBeTruthy();
  return code!;
}

export type Staff = Record<'support' | 'therapist' | 'supervisor' | 'clinical', Agent>;

/** One staff step through the HTTP API; anything but `status` fails the journey with the server's words. */
export async function step(
  who: Agent,
  requestId: string,
  path: string,
  body: unknown = {},
  status = 200,
): Promise<RequestDetails> {
  const res = await who.post(`/api/requests/${requestId}/${path}`, body);
  expect(res.statusCode, `${path}: ${res.body}`).toBe(status);
  return res.json() as RequestDetails;
}

/** Support's intake check (VER-1), the therapist's talk with the client, the supervisor's review. */
export async function reviewed(staff: Staff, requestId: string): Promise<void> {
  await step(staff.support, requestId, 'intake', {
    verification: { method: 'Called back at the number on file' },
  });
  await step(staff.therapist, requestId, 'client-discussion', { outcome: 'go_ahead' });
  await step(staff.supervisor, requestId, 'supervisor-review', { decision: 'release', consequences: 'None' });
}

/** Preparation by clinical services and the supervisor's approval: the release task is next. */
export async function prepared(staff: Staff, requestId: string): Promise<void> {
  await step(staff.clinical, requestId, 'preparation', {});
  await step(staff.supervisor, requestId, 'preparation/approval', {});
}

/** The request's id from its number (the form answers the number only). */
export async function requestIdOf(server: Served, number: string): Promise<string> {
  const { rows } = await server.running.services.database.pool.query<{ id: string }>(
    'select id from requests where number = $1',
    [number],
  );
  expect(rows[0], number).toBeTruthy();
  return rows[0]!.id;
}

/** The SHA-256 the release's disclosure entry holds. */
export async function disclosedSha(server: Served, requestId: string): Promise<string> {
  const { rows } = await server.running.services.database.pool.query<{ packet_sha256: string }>(
    'select packet_sha256 from disclosures where request_id = $1',
    [requestId],
  );
  expect(rows, 'one disclosure entry').toHaveLength(1);
  return rows[0]!.packet_sha256;
}
