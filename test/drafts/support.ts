// Prepared documents through the real routes: requests answered by a letter or report, or by a
// verbal discussion, walked to their preparation step; drafts started, saved, sent and decided.
import { expect } from 'vitest';
import { toRelease, type World } from '../packets/support.js';
import { createRequestAs, openTasks, type RequestDetails } from '../support/requests.js';

export { toRelease };

export interface CommentView {
  id: string;
  kind: string;
  body: string;
  author: { id: string; name: string };
}

export interface VersionView {
  id: string;
  number: number;
  title: string;
  body: string;
  state: string;
  author: { id: string; name: string };
  submittedAt: string | null;
  decidedBy: { id: string; name: string } | null;
  fileId: string | null;
  superseded: boolean;
  comments: CommentView[];
}

export interface DraftView {
  id: string;
  kind: string;
  template: string;
  templateLabel: string;
  versions: VersionView[];
}

export interface DraftsList {
  drafts: DraftView[];
  templates: { key: string; builtIn: boolean; kind: string; label: string }[];
  abilities: string[];
  outstanding: string[];
}

/** A request walked to its preparation step; the therapist holds the preparation task. */
export async function toPreparation(
  w: World,
  overrides: Record<string, unknown> = {},
): Promise<RequestDetails> {
  const r = await createRequestAs(w.as.support!, w.client.id, {
    receivedAt: w.t.clock.now().toISOString(),
    kind: 'authorization',
    requester: { name: 'Dana Reyes', organization: 'Reyes Law', email: 'dana@reyes.test' },
    documentClasses: ['letters_and_reports'],
    dateFrom: '2026-01-01',
    dateTo: '2026-12-31',
    purpose: 'Custody hearing',
    deliverable: 'letter_or_report',
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
  const ready = await step('support', 'invoice', { mode: 'no_fee' });
  expect(openTasks(ready).map((x) => [x.type, x.assignee?.id])).toEqual([['preparation', w.u.therapist!.id]]);
  return ready;
}

export const draftsUrl = (requestId: string) => `/api/requests/${requestId}/drafts`;
export const versionUrl = (requestId: string, draftId: string, versionId: string) =>
  `/api/requests/${requestId}/drafts/${draftId}/versions/${versionId}`;

export async function listDrafts(w: World, who: string, requestId: string): Promise<DraftsList> {
  const res = await w.as[who]!.get(draftsUrl(requestId));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as DraftsList;
}

export async function startDraft(
  w: World,
  requestId: string,
  template: string,
  extra: Record<string, unknown> = {},
): Promise<DraftView> {
  const res = await w.as.therapist!.post(draftsUrl(requestId), { template, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as DraftView;
}

/** Send the draft's latest version, then the supervisor approves it. */
export async function sendAndApprove(w: World, requestId: string, draft: DraftView): Promise<DraftView> {
  const latest = draft.versions[0]!;
  const sent = await w.as.therapist!.post(`${versionUrl(requestId, draft.id, latest.id)}/submit`, {});
  expect(sent.statusCode, sent.body).toBe(200);
  const ok = await w.as.supervisor!.post(`${versionUrl(requestId, draft.id, latest.id)}/approval`, {});
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json() as DraftView;
}

/** A request answered by a verbal discussion, its notes approved and its preparation approved. */
export async function verbalToRelease(w: World): Promise<RequestDetails> {
  const r = await toPreparation(w, {
    deliverable: 'verbal',
    kind: 'client_access',
    documentClasses: ['progress_notes'],
  });
  const notes = await startDraft(w, r.id, 'verbal_discussion_notes');
  await sendAndApprove(w, r.id, notes);
  const prep = await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {});
  expect(prep.statusCode, prep.body).toBe(200);
  const ok = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json() as RequestDetails;
}
