// The packet (issue 6 "Packet"): support asks for it once the prepared records are approved; the job
// checks the scope first (SCOPE-1), writes a cover letter and the records in order, stamps every
// page with the request number, the recipient, "Page N of M" and a confidentiality notice, adds the
// 42 CFR 2.32 notice when Part 2 material is in it (PART2-1), and stores it encrypted. Once released
// it never changes (REL-5): the database refuses, and a change before release is a new version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemblePacketJob } from '../../src/server/packets/assemble.js';
import { pdfPageCount, pdfText, qpdfCheck } from '../support/pdf.js';
import { runJobs } from '../support/requests.js';
import { auditRows } from '../support/session.js';
import {
  assemble,
  downloadPacket,
  packetsOf,
  readyPacket,
  recordPdf,
  sha256,
  sql,
  toRelease,
  upload,
  validAuthorization,
  type World,
  world,
} from './support.js';

describe('the packet (SCOPE-1, PART2-1, REL-5)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.t.close();
  });

  it('PART2-1, REL-5: a cover letter, then the records in order, every page stamped; released, its hash is the disclosure entry’s', async () => {
    const r = await toRelease(w, {
      kind: 'authorization',
      requester: { name: 'Łukasz Nowak', organization: 'Harbor Clinic', email: 'lukasz@harbor.test' },
    });
    const auth = await w.as.support!.post(
      `/api/requests/${r.id}/authorizations`,
      validAuthorization({ part2Consent: true }),
    );
    expect(auth.statusCode, auth.body).toBe(201);
    const notes = await upload(w, r.id, 'progress-notes.pdf', await recordPdf('Progress note', 2), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-04-30',
    });
    const part2 = await upload(w, r.id, 'sud-assessment.pdf', await recordPdf('SUD assessment', 1), {
      documentClass: 'part2',
      dateFrom: '2026-03-10',
      dateTo: '2026-03-10',
    });

    // The part 2 document first, as support orders them.
    const packet = await assemble(w, r.id, { fileIds: [part2.id, notes.id] });
    expect(packet).toMatchObject({
      version: 1,
      status: 'ready',
      part2: true,
      sourceFileIds: [part2.id, notes.id],
    });
    const pdf = await downloadPacket(w, r.id, packet.id);
    expect(sha256(pdf)).toBe(packet.sha256);
    await qpdfCheck(pdf); // rejects when the structure is unsound
    const pages = await pdfPageCount(pdf);
    expect(pages).toBe(packet.pageCount);
    const text = (await pdfText(pdf)).split('\f').filter((p) => p.trim());
    expect(text).toHaveLength(pages);
    const coverPages = pages - 3;
    expect(coverPages).toBeGreaterThanOrEqual(1);
    text.forEach((page, i) => {
      expect(page).toContain(r.number);
      expect(page).toContain('Released to: Łukasz Nowak, Harbor Clinic');
      expect(page).toContain(`Page ${i + 1} of ${pages}`);
      expect(page).toContain('CONFIDENTIAL: health information released');
    });
    const cover = text.slice(0, coverPages).join('\n');
    expect(cover).toContain('Release of records');
    expect(cover).toContain('Ngọc Trần'); // the client, beyond WinAnsi
    expect(cover).toContain('sud-assessment.pdf');
    expect(cover).toMatch(/protected by Federal\s+confidentiality rules\s+\(42 CFR part 2\)/);
    expect(cover).toContain('consent');
    // The records follow in the order asked, the Part 2 pages with the short notice too.
    expect(text[coverPages]).toContain('SUD assessment, sheet 1');
    expect(text[coverPages]).toContain('42 CFR part 2 prohibits unauthorized use or disclosure');
    expect(text[coverPages + 1]).toContain('Progress note, sheet 1');
    expect(text[coverPages + 2]).toContain('Progress note, sheet 2');
    expect(text[coverPages + 2]).not.toContain('42 CFR part 2 prohibits');

    // The sources were read through the audited internal path; the assembly is on the record.
    const reads = (await auditRows(w.t, 'packet.source_read')).filter((a) => a.data.fileId === notes.id);
    expect(reads).toHaveLength(1);
    expect((await auditRows(w.t, 'packet.assembled')).at(-1)!.data).toMatchObject({
      packetId: packet.id,
      sha256: packet.sha256,
    });

    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
    const [entry] = await sql<{ packet_sha256: string }>(
      w,
      'select packet_sha256 from disclosures where request_id = $1',
      [r.id],
    );
    expect(entry!.packet_sha256).toBe(sha256(pdf));
    const after = (await packetsOf(w, r.id)).packets[0]!;
    expect(after).toMatchObject({ status: 'released', sha256: packet.sha256 });

    // REL-5: whoever asks, the released packet and its file never change.
    await expect(
      sql(w, "update packets set sha256 = repeat('0', 64) where id = $1", [packet.id]),
    ).rejects.toThrow(/REL-5/);
    await expect(sql(w, "update packets set status = 'ready' where id = $1", [packet.id])).rejects.toThrow(
      /REL-5/,
    );
    await expect(sql(w, 'delete from packets where id = $1', [packet.id])).rejects.toThrow(/REL-5/);
    await expect(
      sql(w, "update files set ciphertext = '\\x00' where id = $1", [packet.fileId]),
    ).rejects.toThrow(/REL-5/);
    await expect(sql(w, 'delete from files where id = $1', [packet.fileId])).rejects.toThrow(/REL-5/);
    const again = await w.as.support!.post(`/api/requests/${r.id}/packets`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('REL-5');
    expect(sha256(await downloadPacket(w, r.id, packet.id))).toBe(packet.sha256);
  });

  it('REL-5: a change before release makes version 2 with another hash; version 1 is superseded and the release logs version 2', async () => {
    const { request: r, packet: v1 } = await readyPacket(w, {
      documentClasses: ['progress_notes', 'assessments'],
    });
    await upload(w, r.id, 'intake-assessment.pdf', await recordPdf('Intake assessment', 1), {
      documentClass: 'assessments',
      dateFrom: '2026-01-15',
      dateTo: '2026-01-15',
    });
    // Released as it stands, v1 would not be what was approved: the release says so.
    const stale = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toContain('assemble it again');

    const v2 = await assemble(w, r.id);
    expect(v2).toMatchObject({ version: 2, status: 'ready' });
    expect(v2.sha256).not.toBe(v1.sha256);
    expect(v2.pageCount).toBe(v1.pageCount! + 1);
    const list = (await packetsOf(w, r.id)).packets;
    expect(list.map((p) => [p.version, p.status])).toEqual([
      [2, 'ready'],
      [1, 'superseded'],
    ]);
    // v1 keeps its content and hash, superseded or not.
    await expect(
      sql(w, "update packets set sha256 = repeat('1', 64) where id = $1", [v1.id]),
    ).rejects.toThrow(/REL-5/);

    const released = await w.as.support!.post(`/api/requests/${r.id}/release`, { method: 'secure_download' });
    expect(released.statusCode, released.body).toBe(200);
    const [entry] = await sql<{ packet_sha256: string }>(
      w,
      'select packet_sha256 from disclosures where request_id = $1',
      [r.id],
    );
    expect(entry!.packet_sha256).toBe(v2.sha256);
    expect(sha256(await downloadPacket(w, r.id, v2.id))).toBe(v2.sha256);
  });

  it('SCOPE-1: a document outside what was authorized blocks assembly, naming it; added after the ask, the job blocks too', async () => {
    const r = await toRelease(w, { documentClasses: ['progress_notes'] });
    await upload(w, r.id, 'notes-2026.pdf', await recordPdf('Progress note'), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-02-28',
    });
    const queued = await w.as.support!.post(`/api/requests/${r.id}/packets`, {});
    expect(queued.statusCode, queued.body).toBe(202);
    // Before the job runs, a whole-chart export lands on the request.
    await upload(w, r.id, 'whole-chart-2019-2027.pdf', await recordPdf('Everything'), {
      documentClass: 'progress_notes',
      dateFrom: '2019-01-01',
      dateTo: '2027-02-28',
    });
    await runJobs(w.t);
    const blocked = (await packetsOf(w, r.id)).packets[0]!;
    expect(blocked).toMatchObject({ status: 'blocked', fileId: null, sha256: null });
    expect(blocked.problem).toContain("'whole-chart-2019-2027.pdf'");
    expect(blocked.problem).toContain('SCOPE-1');

    const refused = await w.as.support!.post(`/api/requests/${r.id}/packets`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ rules: ['SCOPE-1'] });
    expect(refused.json().message).toContain("'whole-chart-2019-2027.pdf'");
    expect(refused.json().message).not.toContain('notes-2026.pdf');
    const [{ n }] = (await sql<{ n: number }>(
      w,
      "select count(*)::int as n from files where request_id = $1 and purpose = 'packet'",
      [r.id],
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('REL-5: a crash in the middle of assembly leaves no half-written packet; the retried job finishes it once', async () => {
    const r = await toRelease(w, { documentClasses: ['progress_notes'] });
    await upload(w, r.id, 'notes.pdf', await recordPdf('Progress note', 3), {
      documentClass: 'progress_notes',
      dateFrom: '2026-02-01',
      dateTo: '2026-02-28',
    });
    const res = await w.as.support!.post(`/api/requests/${r.id}/packets`, {});
    const queued = res.json() as { id: string };
    // The disk fills up just as the packet is written.
    await sql(
      w,
      `create function test_disk_full() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device'; end $$`,
    );
    await sql(
      w,
      `create trigger test_disk_full before insert on files for each row
      when (new.purpose = 'packet') execute function test_disk_full()`,
    );
    try {
      await runJobs(w.t);
    } finally {
      await sql(w, 'drop trigger test_disk_full on files');
      await sql(w, 'drop function test_disk_full()');
    }
    let p = (await packetsOf(w, r.id)).packets[0]!;
    expect(p).toMatchObject({ id: queued.id, status: 'queued', fileId: null });
    const files = () =>
      sql<{ id: string }>(w, "select id from files where request_id = $1 and purpose = 'packet'", [r.id]);
    expect(await files()).toEqual([]);
    expect((await auditRows(w.t, 'packet.assembled')).filter((a) => a.data.packetId === queued.id)).toEqual(
      [],
    );

    // pg-boss retries it (with backoff); run twice, it assembles once.
    const job = { packetId: queued.id, practiceId: w.u.support!.practiceId };
    await assemblePacketJob(w.t.running.services, job);
    await assemblePacketJob(w.t.running.services, job);
    p = (await packetsOf(w, r.id)).packets[0]!;
    expect(p).toMatchObject({ status: 'ready', pageCount: expect.any(Number) });
    expect(await files()).toHaveLength(1);
    expect(sha256(await downloadPacket(w, r.id, p.id))).toBe(p.sha256);
  });

  it('REL-5: only support, the privacy officer or the holder of the release task assemble; the therapist may see and download', async () => {
    const { request: r, packet } = await readyPacket(w, { documentClasses: ['progress_notes'] });
    const byTherapist = await w.as.therapist!.post(`/api/requests/${r.id}/packets`, {});
    expect(byTherapist.statusCode).toBe(403);
    const list = await w.as.therapist!.get(`/api/requests/${r.id}/packets`);
    expect(list.statusCode).toBe(200);
    expect(list.json().abilities).toEqual(['download_packet']);
    const file = await w.as.therapist!.get(`/api/requests/${r.id}/packets/${packet.id}/file`);
    expect(file.statusCode).toBe(200);
    const downloads = (await auditRows(w.t, 'file.downloaded')).filter(
      (a) => a.data.fileId === packet.fileId && a.actorId === w.u.therapist!.id,
    );
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.data).toMatchObject({ purpose: 'packet' });
  });
});
