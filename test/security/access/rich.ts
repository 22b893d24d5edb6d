// A request of the supervisee's client walked to its release through the real routes, holding one
// of each thing a route names by id: a record file, an authorization, a letter draft and its version,
// a packet and a secure link, plus its tasks. The access matrix opens each of them as every role,
// directly and under another request the caller does see (the IDOR class).
import { recordPdf, validAuthorization } from '../../packets/support.js';
import type { TestApp } from '../../support/app.js';
import { createRequestAs, runJobs } from '../../support/requests.js';
import { signIn } from '../../support/session.js';
import { uploadTo } from '../../support/uploads.js';
import type { World } from '../support/world.js';

export interface RichRequest {
  requestId: string;
  /** Route parameter name → an id that belongs to this request. */
  ids: Record<string, string>;
  /** What could not be built (the matrix says so rather than pretending). */
  missing: string[];
}

export async function buildRichRequest(t: TestApp, w: World): Promise<RichRequest> {
  const supervisee = await signIn(t, w.users.supervisee);
  const r = await createRequestAs(w.agents.support, w.clients.supervisees.id, {
    receivedAt: t.clock.now().toISOString(),
    kind: 'authorization',
    requester: { name: 'Łukasz Nowak', organization: 'Harbor Clinic', email: 'lukasz@harbor.test' },
    documentClasses: ['progress_notes'],
    dateFrom: '2025-01-01',
    dateTo: '2026-06-30',
  });
  const missing: string[] = [];
  const ids: Record<string, string> = { requestId: r.id };
  const step = async (agent: typeof supervisee, path: string, body: unknown) => {
    const res = await agent.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  await step(w.agents.support, 'intake', { verification: { method: 'Called back at the number on file' } });
  await step(supervisee, 'client-discussion', { outcome: 'go_ahead' });
  await step(w.agents.supervisor, 'supervisor-review', { decision: 'release', consequences: 'None' });
  const invoiced = (await step(w.agents.support, 'invoice', { mode: 'no_fee' })) as {
    tasks: { id: string; type: string; state: string }[];
  };
  ids.taskId = invoiced.tasks.find((x) => x.state === 'open')?.id ?? invoiced.tasks[0]!.id;
  const upload = await uploadTo(
    t,
    w.agents.support,
    r.id,
    {
      filename: 'notes.pdf',
      data: await recordPdf('Progress note', 1),
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

  try {
    await step(w.agents.clinical_services, 'preparation', {});
    await step(w.agents.supervisor, 'preparation/approval', {});
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
    const packet = await w.agents.support.post(`/api/requests/${r.id}/packets`, {});
    if (packet.statusCode !== 202) throw new Error(`packet: ${packet.statusCode} ${packet.body}`);
    ids.packetId = packet.json().id;
    await runJobs(t);
    const link = await w.agents.support.post(`/api/requests/${r.id}/packets/${ids.packetId}/links`, {});
    if (link.statusCode === 201) ids.linkId = link.json().link.id;
    else missing.push(`link (${link.statusCode})`);
  } catch (e) {
    missing.push(`packet and link: ${(e as Error).message.slice(0, 160)}`);
  }
  return { requestId: r.id, ids, missing };
}
