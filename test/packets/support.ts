// A practice with the people of the procedure, requests walked to their release task through the
// real routes, records uploaded as PDFs, and packets assembled by the real job.
import { createHash, randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { expect } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, openTasks, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

export const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A record of `pages` pages, each saying its title and page (Helvetica: what a scanner or EHR writes). */
export async function recordPdf(title: string, pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([612, 792]);
    page.drawText(`${title}, sheet ${i}`, { x: 72, y: 700, size: 14, font });
  }
  return Buffer.from(await doc.save());
}

/** A complete authorization signed last week, valid until the end of the year. */
export const validAuthorization = (extra: Record<string, unknown> = {}) => ({
  description: 'Progress notes, 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Łukasz Nowak',
  purpose: 'Continuing care',
  expiresOn: '2027-12-31',
  signedOn: '2027-02-22',
  signerName: 'Ngọc Trần',
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  documentClasses: ['progress_notes', 'part2'],
  dateFrom: '2026-01-01',
  dateTo: '2026-12-31',
  ...extra,
});

export interface World {
  t: TestApp;
  u: Record<string, TestUser>;
  as: Record<string, Agent>;
  client: { id: string; firstName: string; lastName: string };
  practiceName: string;
  /** The practice (for a test that adds a person); e2e worlds built by hand may leave it out. */
  practice?: TestPractice;
}

export async function world(): Promise<World> {
  const t = await createTestApp();
  t.clock.set(NOW);
  const practice = await createPractice(t, { timeZone: 'America/Los_Angeles', name: 'Riverbend Counseling' });
  const u: Record<string, TestUser> = {};
  u.support = await createUser(t, practice, ['support']);
  u.therapist = await createUser(t, practice, ['therapist']);
  u.supervisor = await createUser(t, practice, ['supervisor']);
  u.clinical = await createUser(t, practice, ['clinical_services']);
  await linkSupervisor(t, u.therapist, u.supervisor);
  const client = await createClient(t, practice, u.therapist, {
    firstName: 'Ngọc',
    lastName: 'Trần',
    dateOfBirth: '1988-07-14',
  });
  const as: Record<string, Agent> = {};
  for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  return { t, u, as, client, practiceName: practice.name, practice };
}

export async function post(w: World, who: string, url: string, body: unknown = {}) {
  return w.as[who]!.post(url, body);
}

/** Walk a request to its release task through the workflow routes. */
export async function toRelease(w: World, overrides: Record<string, unknown> = {}): Promise<RequestDetails> {
  const r = await createRequestAs(w.as.support!, w.client.id, {
    receivedAt: w.t.clock.now().toISOString(),
    requester: { name: 'Ngọc Trần', email: 'ngoc@example.test' },
    documentClasses: ['progress_notes', 'part2'],
    dateFrom: '2026-01-01',
    dateTo: '2026-12-31',
    ...overrides,
  });
  const step = async (who: string, path: string, body: unknown) => {
    const res = await w.as[who]!.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json() as RequestDetails;
  };
  await step('support', 'intake', { verification: { method: 'Called back at the number on file' } });
  await step('therapist', 'client-discussion', { outcome: 'go_ahead' });
  await step('supervisor', 'supervisor-review', { decision: 'release', consequences: 'None' });
  await step('support', 'invoice', { mode: 'no_fee' });
  await step('clinical', 'preparation', {});
  const ready = await step('supervisor', 'preparation/approval', {});
  expect(openTasks(ready).map((x) => x.type)).toEqual(['release']);
  return ready;
}

export async function upload(
  w: World,
  requestId: string,
  name: string,
  data: Buffer,
  fields: Record<string, string>,
): Promise<{ id: string; name: string }> {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries({ purpose: 'record', ...fields })) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const a = w.as.support!;
  const res = await w.t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: a.ip,
    cookies: { rd_session: a.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': a.csrfToken },
    payload: Buffer.concat(chunks),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export interface PacketView {
  id: string;
  version: number;
  status: string;
  sha256: string | null;
  pageCount: number | null;
  fileId: string | null;
  part2: boolean;
  problem: string | null;
  sourceFileIds: string[];
}

export interface LinkView {
  id: string;
  state: string;
  attempts: number;
  downloads: number;
  maxDownloads: number;
  secondChannel: string;
  authorizationId: string | null;
  revokeReason: string | null;
}

export async function packetsOf(w: World, requestId: string) {
  const res = await w.as.support!.get(`/api/requests/${requestId}/packets`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { packets: PacketView[]; links: LinkView[]; abilities: string[] };
}

/** Ask for a packet and run the job; answers the packet as the list shows it then. */
export async function assemble(w: World, requestId: string, body: unknown = {}): Promise<PacketView> {
  const res = await w.as.support!.post(`/api/requests/${requestId}/packets`, body);
  expect(res.statusCode, res.body).toBe(202);
  const queued = res.json() as PacketView;
  expect(queued.status).toBe('queued');
  await runJobs(w.t);
  return (await packetsOf(w, requestId)).packets.find((p) => p.id === queued.id)!;
}

export async function downloadPacket(w: World, requestId: string, packetId: string): Promise<Buffer> {
  const res = await w.as.support!.get(`/api/requests/${requestId}/packets/${packetId}/file`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.rawPayload;
}

/** A request with its records and a ready packet: the starting point of delivery tests. */
export async function readyPacket(w: World, overrides: Record<string, unknown> = {}) {
  const r = await toRelease(w, overrides);
  await upload(w, r.id, 'progress-notes-2026.pdf', await recordPdf('Progress note', 2), {
    documentClass: 'progress_notes',
    dateFrom: '2026-02-01',
    dateTo: '2026-05-31',
  });
  const packet = await assemble(w, r.id);
  expect(packet.status, packet.problem ?? '').toBe('ready');
  return { request: r, packet };
}

export const sql = <R extends Record<string, unknown>>(w: World, text: string, params: unknown[] = []) =>
  w.t.running.services.database.pool.query<R>(text, params).then((r) => r.rows);
