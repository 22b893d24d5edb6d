// Prepared documents (issue 6, procedure step 4): the therapist writes a letter from a practice
// template with the request's fields filled in, saves versions (each kept as written), sends one to
// the supervisor, who comments, asks for changes, then approves; the approved version is rendered
// with the letterhead, stored as a prepared record, and goes in the packet. Through the HTTP API.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateMasterKey } from '../../src/server/crypto/rotate.js';
import { deriveKey, unseal } from '../../src/server/crypto/seal.js';
import { assemble, downloadPacket, sql, type World, world } from '../packets/support.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { openTasks, type RequestDetails } from '../support/requests.js';
import { auditRows, auditText } from '../support/session.js';
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
});
afterAll(async () => {
  await w?.t.close();
});

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('letters and reports from practice templates, with versions and the supervisor’s review', () => {
  it('procedure step 4: a letter from a template, versions kept, changes asked, approved; the PDF has the letterhead and the words; it goes in the packet', async () => {
    const r = await toPreparation(w);
    const before = await listDrafts(w, 'therapist', r.id);
    expect(before.drafts).toEqual([]);
    expect(before.templates.map((t) => t.key)).toEqual([
      'treatment_summary',
      'court_letter',
      'school_letter',
      'employer_letter',
    ]);
    expect(before.abilities).toEqual(['create_draft', 'write_version', 'submit_version']);
    expect(before.outstanding[0]).toContain('write it from a template');
    expect((await listDrafts(w, 'supervisor', r.id)).abilities).toEqual(['review_version']);

    // Version 1: the template's fields filled from the request.
    const started = await startDraft(w, r.id, 'court_letter');
    expect(started).toMatchObject({
      kind: 'letter',
      template: 'court_letter',
      templateLabel: 'Letter to a court',
    });
    const v1 = started.versions[0]!;
    expect(v1).toMatchObject({
      number: 1,
      state: 'draft',
      title: 'Letter regarding Ngọc Trần',
      superseded: false,
    });
    for (const field of [
      'To Dana Reyes, Reyes Law,',
      'Client: Ngọc Trần',
      'Date of birth: 14 July 1988',
      'for this purpose: Custody hearing.',
      'from 1 January 2026 to 31 December 2026',
      w.u.therapist!.name,
      'Riverbend Counseling',
    ]) {
      expect(v1.body).toContain(field);
    }

    // Version 2: the therapist's own words; version 1 stays as written.
    const body2 = `To Dana Reyes,\n\nNgọc Trần has attended weekly sessions since January 2026 (marker-${randomBytes(3).toString('hex')}).\n\nDr. Example`;
    const saved = await w.as.therapist!.post(`${draftsUrl(r.id)}/${started.id}/versions`, {
      title: 'Letter regarding Ngọc Trần (attendance)',
      body: body2,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const afterSave = saved.json() as DraftView;
    expect(afterSave.versions.map((v) => [v.number, v.state, v.superseded])).toEqual([
      [2, 'draft', false],
      [1, 'draft', true],
    ]);
    expect(afterSave.versions[1]!.body).toBe(v1.body);
    const v2 = afterSave.versions[0]!;

    // Sent: its words are kept; no new version while it is with the supervisor.
    const sent = await w.as.therapist!.post(`${versionUrl(r.id, started.id, v2.id)}/submit`, {});
    expect(sent.statusCode, sent.body).toBe(200);
    expect((sent.json() as DraftView).versions[0]!.state).toBe('submitted');
    const busy = await w.as.therapist!.post(`${draftsUrl(r.id)}/${started.id}/versions`, {
      title: 'x',
      body: 'y',
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().message).toContain('Version 2 is with the supervisor');
    const again = await w.as.therapist!.post(`${versionUrl(r.id, started.id, v2.id)}/submit`, {});
    expect(again.statusCode).toBe(409);

    // The supervisor comments, then asks for changes, saying why.
    const commented = await w.as.supervisor!.post(`${versionUrl(r.id, started.id, v2.id)}/comments`, {
      body: 'Good start.',
    });
    expect(commented.statusCode, commented.body).toBe(201);
    w.t.clock.advance(60_000); // comments are shown in the order they were written
    const changes = await w.as.supervisor!.post(`${versionUrl(r.id, started.id, v2.id)}/changes`, {
      reason: 'Say nothing about the custody dispute itself: attendance only.',
    });
    expect(changes.statusCode, changes.body).toBe(200);
    const asked = (changes.json() as DraftView).versions[0]!;
    expect(asked).toMatchObject({ state: 'changes_requested', decidedBy: { id: w.u.supervisor!.id } });
    expect(asked.comments.map((c) => [c.kind, c.body])).toEqual([
      ['comment', 'Good start.'],
      ['changes_requested', 'Say nothing about the custody dispute itself: attendance only.'],
    ]);

    // Version 3 answers the changes; approved, it is rendered and stored.
    const body3 = `${body2}\n\nThis letter speaks to attendance only.`;
    const v3res = await w.as.therapist!.post(`${draftsUrl(r.id)}/${started.id}/versions`, {
      title: 'Letter regarding Ngọc Trần',
      body: body3,
    });
    expect(v3res.statusCode, v3res.body).toBe(201);
    const approved = await sendAndApprove(w, r.id, v3res.json() as DraftView);
    const v3 = approved.versions[0]!;
    expect(v3).toMatchObject({ number: 3, state: 'approved', superseded: false });
    expect(v3.fileId).toMatch(/^[0-9a-f-]{36}$/);
    expect(approved.versions.slice(1).every((v) => v.fileId === null)).toBe(true);

    // The PDF: a sound file with the letterhead, the request number and the approved words.
    const pdf = await w.as.therapist!.get(`${versionUrl(r.id, started.id, v3.id)}/pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    await qpdfCheck(pdf.rawPayload);
    const text = flat(await pdfText(pdf.rawPayload));
    expect(text).toContain('Riverbend Counseling');
    expect(text).toContain(r.number);
    expect(text).toContain('Letter regarding Ngọc Trần');
    expect(text).toContain('This letter speaks to attendance only.');
    expect(text).toContain('Page 1 of 1');
    expect((await auditRows(w.t, 'file.downloaded')).at(-1)!.data).toMatchObject({ fileId: v3.fileId });

    // It is a prepared record of the request, class "letters and reports", on the Files list.
    const files = await w.as.support!.get(`/api/requests/${r.id}/files`);
    const listed = (
      files.json() as { files: { id: string; purpose: string; documentClass: string; name: string }[] }
    ).files;
    expect(listed.find((f) => f.id === v3.fileId)).toMatchObject({
      purpose: 'record',
      documentClass: 'letters_and_reports',
      name: `letter-to-a-court-v3-${r.number}.pdf`,
    });

    // The words are sealed at rest and never in the audit trail.
    const marker = body2.match(/marker-[0-9a-f]+/)![0];
    const rows = await sql<{ content_sealed: Buffer }>(
      w,
      'select content_sealed from draft_versions where request_id = $1',
      [r.id],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.content_sealed.toString('latin1')).not.toContain(marker);
    expect(await auditText(w.t)).not.toContain(marker);
    expect((await auditRows(w.t, 'draft.version_approved')).at(-1)!.data).toMatchObject({
      versionId: v3.id,
      number: 3,
      fileId: v3.fileId,
    });

    // Nothing outstanding: what was prepared is approved, and the packet holds the letter.
    expect((await listDrafts(w, 'therapist', r.id)).outstanding).toEqual([]);
    expect((await w.as.therapist!.post(`/api/requests/${r.id}/preparation`, {})).statusCode).toBe(200);
    const ok = await w.as.supervisor!.post(`/api/requests/${r.id}/preparation/approval`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(openTasks(ok.json() as RequestDetails).map((t) => t.type)).toEqual(['release']);
    const packet = await assemble(w, r.id);
    expect(packet.status, packet.problem ?? '').toBe('ready');
    expect(packet.sourceFileIds).toEqual([v3.fileId]);
    const inPacket = flat(await pdfText(await downloadPacket(w, r.id, packet.id)));
    expect(inPacket).toContain('This letter speaks to attendance only.');
  });

  it('versions are immutable: the database keeps them (no delete) and a decided version never changes', async () => {
    const r = await toPreparation(w);
    const draft = await sendAndApprove(w, r.id, await startDraft(w, r.id, 'treatment_summary'));
    const v = draft.versions[0]!;
    await expect(sql(w, 'delete from draft_versions where id = $1', [v.id])).rejects.toThrow(
      /never be deleted/,
    );
    await expect(
      sql(w, `update draft_versions set state = 'submitted' where id = $1`, [v.id]),
    ).rejects.toThrow(/never be changed/);
    await expect(sql(w, 'update draft_versions set number = 7 where id = $1', [v.id])).rejects.toThrow(
      /never be changed/,
    );
    const commented = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v.id)}/comments`, {
      body: 'Approved as it stands.',
    });
    expect(commented.statusCode, commented.body).toBe(201);
    await expect(sql(w, 'delete from draft_comments where request_id = $1', [r.id])).rejects.toThrow(
      /kept as written/,
    );
    // No route edits a version's words: a PUT is not a route at all.
    const put = await w.as.therapist!.put(`${versionUrl(r.id, draft.id, v.id)}`, { title: 'x', body: 'y' });
    expect(put.statusCode).toBe(404);
    const after = (await listDrafts(w, 'therapist', r.id)).drafts[0]!.versions[0]!;
    expect(after).toMatchObject({ title: v.title, body: v.body, state: 'approved' });
  });

  it('a letter started for another recipient is addressed to them, in every version', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'court_letter', {
      recipient: 'Judge A. Okafor, Family Court',
      purpose: 'Parenting plan hearing',
    });
    expect(draft.versions[0]!.body).toContain('To Judge A. Okafor, Family Court,');
    expect(draft.versions[0]!.body).toContain('for this purpose: Parenting plan hearing.');
    const v2 = await w.as.therapist!.post(`${draftsUrl(r.id)}/${draft.id}/versions`, {
      title: 'Letter regarding Ngọc Trần',
      body: 'Attendance only.',
    });
    const approved = await sendAndApprove(w, r.id, v2.json() as DraftView);
    const pdf = await w.as.therapist!.get(`${versionUrl(r.id, draft.id, approved.versions[0]!.id)}/pdf`);
    const text = flat(await pdfText(pdf.rawPayload));
    expect(text).toContain('Judge A. Okafor, Family Court');
    expect(text).not.toContain('Reyes Law');
  });

  it('a version that is not approved previews as a PDF marked as a preview, audited as a read', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'employer_letter');
    const v = draft.versions[0]!;
    const res = await w.as.supervisor!.get(`${versionUrl(r.id, draft.id, v.id)}/pdf`);
    expect(res.statusCode, res.body).toBe(200);
    await qpdfCheck(res.rawPayload);
    const text = flat(await pdfText(res.rawPayload));
    expect(text).toContain('PREVIEW: not approved');
    expect(text).toContain('I confirm that Ngọc Trần has been attending appointments');
    expect((await auditRows(w.t, 'draft.previewed')).at(-1)!.data).toMatchObject({ versionId: v.id });
    // No file was stored for it.
    expect(await sql(w, `select id from files where request_id = $1 and purpose = 'record'`, [r.id])).toEqual(
      [],
    );
  });

  it('SEC-4: keys rotate re-seals the words of versions and comments under the new master key', async () => {
    const r = await toPreparation(w);
    const draft = await startDraft(w, r.id, 'school_letter');
    const v = draft.versions[0]!;
    await w.as.therapist!.post(`${versionUrl(r.id, draft.id, v.id)}/submit`, {});
    await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v.id)}/comments`, { body: 'Shorter, please.' });
    const oldKey = w.t.config.masterKey;
    const newKey = randomBytes(32);
    const result = await rotateMasterKey(w.t.running.services.database.pool, [oldKey], newKey, {
      auditKey: w.t.config.auditKey,
    });
    expect(result.complete).toBe(true);
    const [version] = await sql<{ content_sealed: Buffer }>(
      w,
      'select content_sealed from draft_versions where id = $1',
      [v.id],
    );
    const words = JSON.parse(
      unseal(deriveKey(newKey, 'draft-content'), version!.content_sealed, `draft_version:${v.id}`).toString(),
    );
    expect(words.body).toBe(v.body);
    const [comment] = await sql<{ id: string; body_sealed: Buffer }>(
      w,
      'select id, body_sealed from draft_comments where version_id = $1',
      [v.id],
    );
    expect(
      unseal(
        deriveKey(newKey, 'draft-content'),
        comment!.body_sealed,
        `draft_comment:${comment!.id}`,
      ).toString(),
    ).toBe('Shorter, please.');
  });
});
