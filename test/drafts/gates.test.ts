// What prepared documents hold back, who may touch them, and bad input (issue 6, procedure step 4):
// approving what was prepared waits for approved letters or notes; a verbal release waits for
// approved notes; a superseded letter never goes in a packet; 404 for what the caller may not see,
// 403 with a reason for what is not theirs; 400 for bad input; a failed step leaves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, toRelease, type World, world } from '../packets/support.js';
import { createClient, createUser, linkSupervisor } from '../support/factories.js';
import { pdfText } from '../support/pdf.js';
import { openTasks, type RequestDetails, runJobs } from '../support/requests.js';
import { auditRows, signIn } from '../support/session.js';
import {
  type DraftView,
  draftsUrl,
  listDrafts,
  sendAndApprove,
  startDraft,
  toPreparation,
  versionUrl,
} from './support.js';

let w: World;
beforeAll(async () => {
  w = await world();
  const [practice] = await sql<{ practice_id: string }>(w, 'select practice_id from users where id = $1', [
    w.u.therapist!.id,
  ]);
  const p = { id: practice!.practice_id, name: 'Riverbend Counseling', timeZone: 'America/Los_Angeles' };
  w.u.otherTherapist = await createUser(w.t, p, ['therapist']);
  w.u.otherSupervisor = await createUser(w.t, p, ['supervisor']);
  w.u.admin = await createUser(w.t, p, ['admin']);
  await linkSupervisor(w.t, w.u.otherTherapist, w.u.otherSupervisor);
  await createClient(w.t, p, w.u.otherTherapist);
  for (const k of ['otherTherapist', 'otherSupervisor', 'admin']) w.as[k] = await signIn(w.t, w.u[k]!);
});
afterAll(async () => {
  await w?.t.close();
});

const count = async (table: string, requestId: string) =>
  (
    await sql<{ n: number }>(w, `select count(*)::int as n from ${table} where request_id = $1`, [requestId])
  )[0]!.n;

describe('procedure step 4: what prepared documents hold back', () => {
  it('procedure step 4: approving what was prepared for a letter request waits for every letter’s latest version to be approved (409, nothing changes)', async () => {
    const r = await toPreparation(w);
    expect((await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {})).statusCode).toBe(200);
    const none = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toContain('write it from a template');
    const now = (await w.as.support!.get(`/api/requests/${r.id}`)).json() as RequestDetails;
    expect(openTasks(now).map((t) => t.type)).toEqual(['prepared_review']);

    // The supervisor sends it back; the therapist writes two letters, approves one only.
    const back = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/changes`, {
      reason: 'Write the letter first.',
    });
    expect(back.statusCode, back.body).toBe(200);
    await sendAndApprove(w, r.id, await startDraft(w, r.id, 'court_letter'));
    const summary = await startDraft(w, r.id, 'treatment_summary');
    await w.as.therapist!.post(`${versionUrl(r.id, summary.id, summary.versions[0]!.id)}/submit`, {});
    expect((await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {})).statusCode).toBe(200);
    const pending = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
    expect(pending.statusCode).toBe(409);
    expect(pending.json().message).toContain('Treatment summary: version 1 is waiting for the supervisor.');
    expect(pending.json().message).not.toContain('Letter to a court');
    expect(await count('disclosures', r.id)).toBe(0);
    // The release itself is refused too: the release task is not open.
    const release = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(release.statusCode).toBe(409);
  });

  it('procedure step 4, REL-5: only the approved, current version goes in the packet or out with one; a superseded one is refused by name', async () => {
    const r = await toPreparation(w, { kind: 'client_access' });
    const first = await sendAndApprove(w, r.id, await startDraft(w, r.id, 'school_letter'));
    const oldFile = first.versions[0]!.fileId!;
    const v2 = await w.as.therapist!.post(`${draftsUrl(r.id)}/${first.id}/versions`, {
      title: 'Letter regarding the student',
      body: 'Second version.',
    });
    expect(v2.statusCode, v2.body).toBe(201);
    // Superseded before the new version is approved: the gate waits for the latest.
    expect((await listDrafts(w, 'therapist', r.id)).outstanding).toEqual([
      'Letter to a school: version 2 has not been sent to the supervisor yet.',
    ]);
    const second = await sendAndApprove(w, r.id, v2.json() as DraftView);
    const newFile = second.versions[0]!.fileId!;
    expect((await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {})).statusCode).toBe(200);
    expect((await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {})).statusCode).toBe(
      200,
    );

    const chosen = await w.as.support!.post(`/api/requests/${r.id}/packets`, { fileIds: [oldFile] });
    expect(chosen.statusCode).toBe(409);
    expect(chosen.json().message).toContain(
      'Only the approved, latest version of a letter or report can be released: version 1 was replaced',
    );
    const both = await w.as.support!.post(`/api/requests/${r.id}/packets`, { fileIds: [oldFile, newFile] });
    expect(both.statusCode).toBe(409);
    expect(await count('packets', r.id)).toBe(0);
    const ok = await w.as.support!.post(`/api/requests/${r.id}/packets`, { fileIds: [newFile] });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.json().sourceFileIds).toEqual([newFile]);
    await runJobs(w.t);
    // Were the packet's letter replaced after assembly (no route does it now: the preparation is
    // approved), the release refuses it by name, and nothing is disclosed.
    await sql(w, 'update draft_versions set superseded_at = now() where file_id = $1', [newFile]);
    const release = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(release.statusCode).toBe(409);
    expect(release.json().message).toContain('Only the approved, latest version of a letter or report');
    expect(await count('disclosures', r.id)).toBe(0);
  });

  it('procedure step 4, REL-1: a verbal release is refused without approved preparation notes; with them it is recorded', async () => {
    // A copy released by a verbal discussion: no notes at all.
    const copy = await toRelease(w);
    const verbal = {
      method: 'verbal',
      details: { withWhom: 'Ngọc Trần', discussedAt: '2027-03-01T17:00:00Z', discussed: 'Dates of service.' },
    };
    const refused = await w.as.support!.post(`/api/requests/${copy.id}/release`, verbal);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('only after the supervisor approved its preparation notes');
    expect(await count('disclosures', copy.id)).toBe(0);

    // A verbal request: notes sent but not approved hold back the preparation's approval.
    const r = await toPreparation(w, {
      deliverable: 'verbal',
      kind: 'client_access',
      documentClasses: ['progress_notes'],
    });
    const templates = (await listDrafts(w, 'therapist', r.id)).templates.map((t) => t.key);
    expect(templates).toEqual(['verbal_discussion_notes']);
    const letter = await w.as.therapist!.post(draftsUrl(r.id), { template: 'court_letter' });
    expect(letter.statusCode).toBe(409);
    expect(letter.json().message).toContain('verbal discussion');
    const notes = await startDraft(w, r.id, 'verbal_discussion_notes');
    expect(notes.versions[0]!.body).toContain('What may not be said');
    await w.as.therapist!.post(`${versionUrl(r.id, notes.id, notes.versions[0]!.id)}/submit`, {});
    expect((await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {})).statusCode).toBe(200);
    const waiting = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().message).toContain('Notes for a verbal discussion');
    // Approved notes: no file is rendered for them; the preparation is approved, the release recorded.
    const ok = await w.as.supervisor!.post(`${versionUrl(r.id, notes.id, notes.versions[0]!.id)}/approval`, {
      comment: 'Fine: stay with the dates and the diagnosis.',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as DraftView).versions[0]).toMatchObject({ state: 'approved', fileId: null });
    const pdf = await w.as.therapist!.get(`${versionUrl(r.id, notes.id, notes.versions[0]!.id)}/pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    const words = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(words).toContain('What may not be said');
    expect(words).not.toContain('PREVIEW');
    expect((await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {})).statusCode).toBe(
      200,
    );
    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, verbal);
    expect(released.statusCode, released.body).toBe(200);
    expect(await count('disclosures', r.id)).toBe(1);
    // Released: the supervisor's review of the notes is over (409), nothing is added.
    const late = await w.as.supervisor!.post(
      `${versionUrl(r.id, notes.id, notes.versions[0]!.id)}/comments`,
      {
        body: 'One more thought.',
      },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('past that step');
    expect(await count('draft_comments', r.id)).toBe(1);
  });
});

describe('SEC-2: who may see, write and review prepared documents', () => {
  it('SEC-2: 404 for an unrelated therapist, an unrelated supervisor and the admin; 403 with the reason for what is not theirs', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'court_letter');
    const v = draft.versions[0]!;
    for (const who of ['otherTherapist', 'otherSupervisor', 'admin']) {
      expect((await w.as[who]!.get(draftsUrl(r.id))).statusCode, who).toBe(404);
      expect((await w.as[who]!.post(draftsUrl(r.id), { template: 'court_letter' })).statusCode, who).toBe(
        404,
      );
      expect((await w.as[who]!.get(`${versionUrl(r.id, draft.id, v.id)}/pdf`)).statusCode, who).toBe(404);
      expect(
        (await w.as[who]!.post(`${versionUrl(r.id, draft.id, v.id)}/comments`, { body: 'x' })).statusCode,
        who,
      ).toBe(404);
    }
    // Support sees it but does not write it; the supervisor reviews but does not write.
    expect((await listDrafts(w, 'support', r.id)).abilities).toEqual([]);
    for (const who of ['support', 'supervisor']) {
      const res = await w.as[who]!.post(draftsUrl(r.id), { template: 'court_letter' });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toContain('who holds the preparation task');
    }
    await w.as.therapist!.post(`${versionUrl(r.id, draft.id, v.id)}/submit`, {});
    for (const who of ['therapist', 'support']) {
      const res = await w.as[who]!.post(`${versionUrl(r.id, draft.id, v.id)}/approval`, {});
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toContain('Only the therapist’s supervisor');
    }
    expect(await auditRows(w.t, 'access.refused')).not.toHaveLength(0);
    // A document of another request is not found through this one.
    const other = await toPreparation(w);
    expect((await w.as.therapist!.get(`${versionUrl(other.id, draft.id, v.id)}/pdf`)).statusCode).toBe(404);
    const after = (await listDrafts(w, 'therapist', r.id)).drafts;
    expect(after).toHaveLength(1);
    expect(after[0]!.versions[0]!.state).toBe('submitted');
  });
});

describe('bad input and failed steps', () => {
  it('400 with the failing field for bad bodies and ids; nothing is written', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'employer_letter');
    const v = draft.versions[0]!;
    const bad: [string, string, unknown, string][] = [
      ['POST', draftsUrl(r.id), { template: 'poem' }, 'template'],
      ['POST', draftsUrl(r.id), {}, 'template'],
      ['POST', draftsUrl(r.id), { template: 'court_letter', recipient: '   ' }, 'recipient'],
      ['POST', `${draftsUrl(r.id)}/${draft.id}/versions`, { title: '', body: 'x' }, 'title'],
      ['POST', `${draftsUrl(r.id)}/${draft.id}/versions`, { title: 'x', body: 'y'.repeat(20_001) }, 'body'],
      ['POST', `${versionUrl(r.id, draft.id, v.id)}/comments`, { body: '' }, 'body'],
      ['POST', `${versionUrl(r.id, draft.id, v.id)}/changes`, {}, 'reason'],
      ['GET', `${draftsUrl(r.id)}/not-a-uuid/versions/${v.id}/pdf`, undefined, 'draftId'],
      ['GET', `/api/requests/nope/drafts`, undefined, 'requestId'],
    ];
    for (const [method, url, body, field] of bad) {
      const res = await w.as.therapist!.request(method as 'GET' | 'POST', url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)?.slice(0, 60)}`).toBe(400);
      expect(res.body).toContain(field);
    }
    expect(await count('drafts', r.id)).toBe(1);
    expect(await count('draft_versions', r.id)).toBe(1);
    expect(await count('draft_comments', r.id)).toBe(0);
  });

  it('a failed approval leaves nothing: no approval, no file, no audit event (one transaction)', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'treatment_summary');
    const v = draft.versions[0]!;
    await w.as.therapist!.post(`${versionUrl(r.id, draft.id, v.id)}/submit`, {});
    const approvalsBefore = (await auditRows(w.t, 'draft.version_approved')).length;
    // Fail the step after the PDF is stored: the version's update is refused by the database.
    await sql(
      w,
      `create function fail_draft_approval() returns trigger language plpgsql as $$
       begin if new.state = 'approved' and new.id = '${v.id}' then raise exception 'injected failure'; end if; return new; end $$`,
    );
    await sql(
      w,
      'create trigger fail_draft_approval before update on draft_versions for each row execute function fail_draft_approval()',
    );
    try {
      const res = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v.id)}/approval`, {});
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await sql(w, 'drop trigger fail_draft_approval on draft_versions');
      await sql(w, 'drop function fail_draft_approval()');
    }
    expect(await sql(w, `select id from files where request_id = $1 and purpose = 'record'`, [r.id])).toEqual(
      [],
    );
    expect((await auditRows(w.t, 'draft.version_approved')).length).toBe(approvalsBefore);
    const after = (await listDrafts(w, 'supervisor', r.id)).drafts[0]!.versions[0]!;
    expect(after).toMatchObject({ state: 'submitted', fileId: null });
    // Then it succeeds, once.
    const ok = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v.id)}/approval`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    const twice = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v.id)}/approval`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain('already approved');
  });

  it('procedure step 4: once what was prepared is approved, no one writes a new document (403)', async () => {
    const early = await toRelease(w);
    // The copy's preparation is approved: the request is in its release step, no one prepares now.
    expect((await listDrafts(w, 'clinical', early.id)).abilities).toEqual([]);
    const res = await w.as.clinical!.post(draftsUrl(early.id), { template: 'treatment_summary' });
    expect(res.statusCode).toBe(403);
    expect(await count('drafts', early.id)).toBe(0);
  });
});
