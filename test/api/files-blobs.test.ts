// File content as blobs (issue 6, rule SEC-4): support uploads the same signed release to two
// requests of one client, and it is stored once; another practice's copy of the very same bytes is
// its own blob. A 5 MB scan is kept in chunks of 1 MiB. Whoever edits the chunks behind the app's
// back (a tampered byte, a chunk from another file, chunks put in another order, one missing) gets
// the integrity error, never someone else's page; and what the practice must keep stays whole.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/server/auth/accounts.js';
import { SYSTEM_META } from '../../src/server/context.js';
import { users } from '../../src/server/db/schema.js';
import { inTransaction } from '../../src/server/db/tx.js';
import { storeFile } from '../../src/server/documents/storage.js';
import { recordPdf, sha256, sql, toRelease, type World, world } from '../packets/support.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const MIB = 1024 * 1024;

/** A well-formed PDF of exactly `total` bytes: one page and a stream of random filler. */
function bigPdf(total: number): Buffer {
  const build = (pad: number) => {
    const text = 'BT /F1 12 Tf 20 100 Td (Scanned chart) Tj ET';
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R >>',
      `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
      `<< /Length ${pad} >>\nstream\n${filler.subarray(0, pad).toString('latin1')}\nendstream`,
    ];
    let body = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(Buffer.byteLength(body, 'latin1'));
      body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = Buffer.byteLength(body, 'latin1');
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(body, 'latin1');
  };
  // Printable filler, so no byte looks like the end of the stream.
  const filler = Buffer.from(randomBytes(total).toString('base64').slice(0, total), 'latin1');
  let pad = total - build(0).length;
  while (build(pad).length !== total) pad += total - build(pad).length;
  return build(pad);
}

async function uploadAs(w: World, agent: Agent, requestId: string, data: Buffer, purpose = 'request') {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return w.t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}

/** As someone holding the database's superuser would: past the triggers that keep content unchanged. */
async function tamper(w: World, text: string, params: unknown[]): Promise<void> {
  const db = await w.t.running.services.database.pool.connect();
  try {
    await db.query('begin');
    await db.query('set local session_replication_role = replica');
    await db.query(text, params);
    await db.query('commit');
  } catch (err) {
    await db.query('rollback');
    throw err;
  } finally {
    db.release();
  }
}

const blobOf = async (w: World, fileId: string) =>
  (await sql<{ blob_id: string }>(w, 'select blob_id from files where id = $1', [fileId]))[0]!.blob_id;

describe('file blobs: one copy per practice, chunked, every chunk authenticated (SEC-4)', () => {
  let w: World;
  let requestA: string;
  let requestB: string;

  beforeAll(async () => {
    w = await world();
    requestA = (await createRequestAs(w.as.support!, w.client.id)).id;
    requestB = (await createRequestAs(w.as.support!, w.client.id)).id;
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('SEC-4: the same bytes uploaded on two requests of one practice are one blob, two files, and both download', async () => {
    const pdf = await recordPdf('Signed release of information');
    const first = await uploadAs(w, w.as.support!, requestA, pdf);
    const second = await uploadAs(w, w.as.support!, requestB, pdf);
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    const [a, b] = [first.json(), second.json()];
    expect(a.id).not.toBe(b.id);
    expect(await blobOf(w, a.id)).toBe(await blobOf(w, b.id));
    const [blob] = await sql(w, 'select size, sha256, chunk_count from file_blobs where id = $1', [
      await blobOf(w, a.id),
    ]);
    expect(blob).toEqual({ size: pdf.length, sha256: sha256(pdf), chunk_count: 1 });
    for (const [requestId, fileId] of [
      [requestA, a.id],
      [requestB, b.id],
    ]) {
      const res = await w.as.support!.get(`/api/requests/${requestId}/files/${fileId}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(pdf)).toBe(true);
    }
  });

  it('SEC-4: the very same bytes in another practice are another blob, never shared', async () => {
    const pdf = await recordPdf('A letter both practices received');
    const mine = (await uploadAs(w, w.as.support!, requestA, pdf)).json();
    const other = await createPractice(w.t, { name: 'Lakeside Therapy' });
    const therapist = await createUser(w.t, other, ['therapist']);
    const support = await signIn(w.t, await createUser(w.t, other, ['support']));
    const client = await createClient(w.t, other, therapist);
    const theirRequest = (await createRequestAs(support, client.id)).id;
    const theirs = await uploadAs(w, support, theirRequest, pdf);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(await blobOf(w, theirs.json().id)).not.toBe(await blobOf(w, mine.id));
    const blobs = await sql(w, 'select practice_id from file_blobs where sha256 = $1', [sha256(pdf)]);
    expect(blobs).toHaveLength(2);
    expect(blobs.map((b) => b.practice_id)).toContain(other.id);
    expect(new Set(blobs.map((b) => b.practice_id)).size).toBe(2);
    // The database itself refuses a file pointing at another practice's blob.
    await expect(
      sql(w, 'update files set blob_id = $1 where id = $2', [await blobOf(w, mine.id), theirs.json().id]),
    ).rejects.toThrow(/SEC-4|files_blob_fk/);
  });

  it('SEC-4: a 5 MB scan is kept in 1 MiB chunks and comes back byte for byte', async () => {
    const scan = bigPdf(5 * 1000 * 1000);
    const res = await uploadAs(w, w.as.support!, requestA, scan);
    expect(res.statusCode, res.body).toBe(201);
    const blobId = await blobOf(w, res.json().id);
    const chunks = await sql<{ index: number; len: number }>(
      w,
      'select index, length(ciphertext) as len from file_blob_chunks where blob_id = $1 order by index',
      [blobId],
    );
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.slice(0, 4).every((c) => c.len === MIB)).toBe(true);
    expect(chunks[4]!.len).toBe(scan.length - 4 * MIB);
    const down = await w.as.support!.get(`/api/requests/${requestA}/files/${res.json().id}`);
    expect(down.statusCode).toBe(200);
    expect(sha256(down.rawPayload)).toBe(sha256(scan));
  });

  it('SEC-4, SEC-3: a tampered chunk, a chunk from another blob, chunks reordered or one missing: each refused with the integrity error and audited', async () => {
    const upload = async () => {
      const res = await uploadAs(w, w.as.support!, requestB, bigPdf(2 * MIB + 1000));
      expect(res.statusCode, res.body).toBe(201);
      return { id: res.json().id as string, blob: await blobOf(w, res.json().id) };
    };
    const [tampered, swapped, reordered, missing, donor] = [
      await upload(),
      await upload(),
      await upload(),
      await upload(),
      await upload(),
    ];
    await tamper(
      w,
      `update file_blob_chunks set ciphertext = set_byte(ciphertext, 500, get_byte(ciphertext, 500) # 1)
        where blob_id = $1 and index = 1`,
      [tampered.blob],
    );
    await tamper(
      w,
      `update file_blob_chunks c set iv = d.iv, auth_tag = d.auth_tag, ciphertext = d.ciphertext
         from file_blob_chunks d where c.blob_id = $1 and c.index = 1 and d.blob_id = $2 and d.index = 1`,
      [swapped.blob, donor.blob],
    );
    await tamper(
      w,
      `update file_blob_chunks c set iv = o.iv, auth_tag = o.auth_tag, ciphertext = o.ciphertext
         from file_blob_chunks o where c.blob_id = $1 and o.blob_id = $1 and c.index in (0, 1) and o.index = 1 - c.index`,
      [reordered.blob],
    );
    await tamper(w, 'delete from file_blob_chunks where blob_id = $1 and index = 2', [missing.blob]);
    for (const f of [tampered, swapped, reordered, missing]) {
      const res = await w.as.support!.get(`/api/requests/${requestB}/files/${f.id}`);
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ error: 'file_integrity' });
      expect(res.body).not.toContain('Scanned chart');
      const failures = (await auditRows(w.t, 'file.integrity_failed')).filter((r) => r.data.fileId === f.id);
      expect(failures).toHaveLength(1);
    }
    // The donor itself is untouched and still opens.
    expect((await w.as.support!.get(`/api/requests/${requestB}/files/${donor.id}`)).statusCode).toBe(200);
  });

  it('SEC-4: two uploads of the same bytes at once make one blob; an upload rolled back leaves no blob', async () => {
    const pdf = await recordPdf('Faxed twice at the same minute');
    const [x, y] = await Promise.all([
      uploadAs(w, w.as.support!, requestA, pdf),
      uploadAs(w, w.as.support!, requestB, pdf),
    ]);
    expect([x.statusCode, y.statusCode]).toEqual([201, 201]);
    expect(await blobOf(w, x.json().id)).toBe(await blobOf(w, y.json().id));
    const count = async (bytes: Buffer) =>
      (
        await sql<{ n: number }>(w, 'select count(*)::int as n from file_blobs where sha256 = $1', [
          sha256(bytes),
        ])
      )[0]!.n;
    expect(await count(pdf)).toBe(1);

    const lost = await recordPdf('An upload whose transaction fails');
    const [row] = await w.t.running.services.database.db
      .select()
      .from(users)
      .where(eq(users.id, w.u.support!.id));
    await expect(
      inTransaction(w.t.running.services, SYSTEM_META, toActor(row!), async (ctx) => {
        await storeFile(ctx, {
          requestId: requestA,
          purpose: 'record',
          name: 'lost.pdf',
          contentType: 'application/pdf',
          data: lost,
          documentClass: 'progress_notes',
        });
        throw new Error('a later step of the command failed');
      }),
    ).rejects.toThrow('a later step');
    expect(await count(lost)).toBe(0);
    expect(
      (
        await sql(
          w,
          'select count(*)::int as n from file_blob_chunks c left join file_blobs b on b.id = c.blob_id where b.id is null',
        )
      )[0],
    ).toEqual({ n: 0 });
  });

  it('AUTH-6, SEC-4: a kept authorization’s content stays whole: its file, blob and chunks cannot be deleted or changed, only its key re-wrapped', async () => {
    const r = await toRelease(w);
    const pdf = await recordPdf('Authorization signed by the client');
    const res = await uploadAs(w, w.as.support!, r.id, pdf, 'authorization');
    expect(res.statusCode, res.body).toBe(201);
    const fileId = res.json().id as string;
    const blobId = await blobOf(w, fileId);
    await expect(sql(w, 'delete from files where id = $1', [fileId])).rejects.toThrow(/AUTH-6/);
    await expect(sql(w, 'delete from file_blobs where id = $1', [blobId])).rejects.toThrow(
      /SEC-4|files_blob_fk/,
    );
    await expect(sql(w, 'delete from file_blob_chunks where blob_id = $1', [blobId])).rejects.toThrow(
      /SEC-4/,
    );
    await expect(
      sql(w, "update file_blob_chunks set ciphertext = '\\x00' where blob_id = $1", [blobId]),
    ).rejects.toThrow(/SEC-4/);
    await expect(
      sql(w, "update file_blobs set sha256 = repeat('0', 64) where id = $1", [blobId]),
    ).rejects.toThrow(/SEC-4/);
    await expect(sql(w, 'truncate file_blob_chunks')).rejects.toThrow(/not allowed/);
    const other = await uploadAs(w, w.as.support!, r.id, await recordPdf('Another page'), 'authorization');
    await expect(
      sql(w, 'update files set blob_id = $1 where id = $2', [await blobOf(w, other.json().id), fileId]),
    ).rejects.toThrow(/SEC-4/);
    // keys rotate re-wraps a blob's key: that one change is allowed.
    await sql(w, 'update file_blobs set wrapped_key = wrapped_key where id = $1', [blobId]);
    const down = await w.as.support!.get(`/api/requests/${r.id}/files/${fileId}`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(pdf)).toBe(true);
  });
});
