// A request walked towards its release through the real routes, holding one of each thing a route
// names by id: a record file, a letter draft and its version, an authorization, a packet and a secure
// link, plus its tasks. The IDOR test opens each of them as every role, directly and under another
// request the caller does see; the access matrix builds fresh ones (of any relationship's client) for
// the writes it sends, so a write never changes the records other cells read.

import { JOB_HANDLERS } from '../../../src/server/handlers.js';
import { drainJobs, type HandlerMap } from '../../../src/server/jobs/worker.js';
import { recordPdf, validAuthorization } from '../../packets/support.js';
import type { TestApp } from '../../support/app.js';
import type { TestUser } from '../../support/factories.js';
import { createRequestAs } from '../../support/requests.js';
import { type Agent, signIn } from '../../support/session.js';
import { uploadTo } from '../../support/uploads.js';
import type { World } from '../support/world.js';

export interface RichRequest {
  requestId: string;
  /** Route parameter name → an id that belongs to this request. */
  ids: Record<string, string>;
  /** What could not be built (the matrix says so rather than pretending). */
  missing: string[];
}

export type RichRelationship = 'own' | 'supervisees' | 'unrelated';

/** One record PDF for every walk (made once: pdf-lib takes a while). */
let notesPdf: Promise<Buffer> | null = null;
function notes(): Promise<Buffer> {
  notesPdf ??= recordPdf('Progress note', 1);
  return notesPdf;
}

const signedIn = new WeakMap<World, Map<string, Promise<Agent>>>();

/** One session per person for the whole world (signing in costs a password hash and a TOTP step). */
function agentOf(t: TestApp, w: World, user: TestUser): Promise<Agent> {
  let map = signedIn.get(w);
  if (!map) {
    map = new Map();
    signedIn.set(w, map);
  }
  let agent = map.get(user.id);
  if (!agent) {
    agent = signIn(t, user);
    map.set(user.id, agent);
  }
  return agent;
}

/**
 * Who does the therapist's and the reviewer's steps for a relationship's client: the request's
 * therapist, and their supervisor (the privacy officer's queue for a therapist without one).
 */
async function peopleOf(t: TestApp, w: World, rel: RichRelationship) {
  switch (rel) {
    case 'own':
      return { therapist: w.agents.therapist, reviewer: w.agents.privacy_officer };
    case 'supervisees':
      return { therapist: await agentOf(t, w, w.users.supervisee), reviewer: w.agents.supervisor };
    case 'unrelated':
      return {
        therapist: await agentOf(t, w, w.users.unrelatedTherapist),
        reviewer: w.agents.privacy_officer,
      };
  }
}

/**
 * How far a fresh request is walked, in the workflow's order: each stage is where a route's action
 * applies (`preparation`: clinical services holds the preparation task, with a letter draft;
 * `prepared_review`: what was prepared waits for the reviewer; `release`: the release task, with an
 * authorization; `link`: a packet and a secure link on top).
 */
export const WALK = [
  'intake',
  'client_discussion',
  'supervisor_review',
  'invoice',
  'preparation',
  'prepared_review',
  'release',
  'link',
] as const;
export type WalkStage = (typeof WALK)[number];

export interface RichOptions {
  /** Whose client (default: the supervisee's, as the IDOR test has always used). */
  rel?: RichRelationship;
  /** Another client of that relationship's therapist (default: the world's client of `rel`). */
  clientId?: string;
  /** Who asked (default: a clinic's records clerk). */
  requester?: { name: string; organization?: string; email: string };
  /** How far to walk (default: `link`, everything). */
  upTo?: WalkStage;
  /** At `preparation`: the draft's version sent for review (so the reviewer has something to decide). */
  submitVersion?: boolean;
  /** An authorization recorded by support wherever the walk stops (the `release` stage has one anyway). */
  withAuthorization?: boolean;
}

export async function buildRichRequest(t: TestApp, w: World, opts: RichOptions = {}): Promise<RichRequest> {
  const rel = opts.rel ?? 'supervisees';
  const upTo = WALK.indexOf(opts.upTo ?? 'link');
  const past = (stage: WalkStage) => upTo > WALK.indexOf(stage);
  const { therapist, reviewer } = await peopleOf(t, w, rel);
  const r = await createRequestAs(w.agents.support, opts.clientId ?? w.clients[rel].id, {
    receivedAt: t.clock.now().toISOString(),
    kind: 'authorization',
    requester: opts.requester ?? {
      name: 'Łukasz Nowak',
      organization: 'Harbor Clinic',
      email: 'lukasz@harbor.test',
    },
    documentClasses: ['progress_notes'],
    dateFrom: '2025-01-01',
    dateTo: '2026-06-30',
  });
  const missing: string[] = [];
  const ids: Record<string, string> = { requestId: r.id };
  const openTask = (tasks: { id: string; state: string }[]) =>
    tasks.find((x) => x.state === 'open')?.id ?? tasks[0]?.id;
  const firstTask = openTask(r.tasks);
  if (firstTask) ids.taskId = firstTask;
  const step = async (agent: Agent, path: string, body: unknown) => {
    const res = await agent.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    const done = res.json() as { tasks: { id: string; state: string }[] };
    const open = openTask(done.tasks);
    if (open) ids.taskId = open;
    return done;
  };
  const recordAuthorization = async () => {
    // Signed a week ago (the test clock is today's date), covering the request's dates.
    const signedOn = new Date(t.clock.now().getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
    const auth = await w.agents.support.post(
      `/api/requests/${r.id}/authorizations`,
      validAuthorization({
        documentClasses: ['progress_notes'],
        signedOn,
        dateFrom: '2025-01-01',
        dateTo: '2026-06-30',
      }),
    );
    if (auth.statusCode < 300) ids.authorizationId = (auth.json().authorization ?? auth.json()).id;
    else missing.push(`authorization (${auth.statusCode} ${auth.body.slice(0, 120)})`);
  };
  const result = async () => {
    if (opts.withAuthorization && !ids.authorizationId) await recordAuthorization();
    return { requestId: r.id, ids, missing };
  };
  if (!past('intake')) return result();
  await step(w.agents.support, 'intake', { verification: { method: 'Called back at the number on file' } });
  if (!past('client_discussion')) return result();
  await step(therapist, 'client-discussion', { outcome: 'go_ahead' });
  if (!past('supervisor_review')) return result();
  await step(reviewer, 'supervisor-review', { decision: 'release', consequences: 'None' });
  if (!past('invoice')) return result();
  await step(w.agents.support, 'invoice', { mode: 'no_fee' });
  const upload = await uploadTo(
    t,
    w.agents.support,
    r.id,
    {
      filename: 'notes.pdf',
      data: await notes(),
    },
    { purpose: 'record', documentClass: 'progress_notes', dateFrom: '2025-02-01', dateTo: '2025-05-31' },
  );
  if (upload.statusCode < 300) ids.fileId = upload.json().id;
  else missing.push(`file (${upload.statusCode})`);

  // A letter draft by the holder of the preparation task (clinical services takes it from the queue).
  const drafts = await w.agents.clinical_services.get(`/api/requests/${r.id}/drafts`);
  const template = drafts.statusCode === 200 ? drafts.json().templates?.[0]?.key : undefined;
  const draft = template
    ? await w.agents.clinical_services.post(`/api/requests/${r.id}/drafts`, { template })
    : null;
  if (draft && draft.statusCode === 201) {
    ids.draftId = draft.json().id;
    ids.versionId = draft.json().versions[0].id;
  } else missing.push(`draft (${draft?.statusCode ?? drafts.statusCode})`);
  if (opts.submitVersion && ids.versionId) {
    const sent = await w.agents.clinical_services.post(
      `/api/requests/${r.id}/drafts/${ids.draftId}/versions/${ids.versionId}/submit`,
      {},
    );
    if (sent.statusCode >= 300) missing.push(`version sent for review (${sent.statusCode})`);
  }
  if (!past('preparation')) return result();

  try {
    await step(w.agents.clinical_services, 'preparation', {});
    if (!past('prepared_review')) return result();
    await step(reviewer, 'preparation/approval', {});
    await recordAuthorization();
    if (!past('release')) return result();
    const packet = await w.agents.support.post(`/api/requests/${r.id}/packets`, {});
    if (packet.statusCode !== 202) throw new Error(`packet: ${packet.statusCode} ${packet.body}`);
    ids.packetId = packet.json().id;
    // Only the packet's own job: draining every queue would also send the emails piled up by earlier cells.
    await drainJobs(t.running.services, {
      'packet.assemble': JOB_HANDLERS['packet.assemble'],
    } as unknown as HandlerMap);
    const link = await w.agents.support.post(`/api/requests/${r.id}/packets/${ids.packetId}/links`, {});
    if (link.statusCode === 201) ids.linkId = link.json().link.id;
    else missing.push(`link (${link.statusCode})`);
  } catch (e) {
    missing.push(`packet and link: ${(e as Error).message.slice(0, 160)}`);
  }
  return result();
}
