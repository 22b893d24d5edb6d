// Request files, encrypted at rest (rule SEC-4), read through one audited path (SEC-3, convention 8):
// support attaches a client's signed request (a PDF) and a scanned ID (a PNG); the bytes in the
// database are not the document; downloads give the same bytes back and are recorded; a tampered
// or moved chunk never opens (test/api/files-blobs.test.ts: chunking, sharing, legacy rows); only PDF, JPEG and PNG up to 25 MB are taken (images become PDF
// pages, protected PDFs are opened with their password: test/api/files-content.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const SECRET_LINE = 'Session note: client Alex Moreno disclosed panic attacks since March';

/** A small but well-formed PDF, written by hand. */
function makePdf(text = SECRET_LINE): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A well-formed PDF of exactly `total` bytes: the page, then an unused stream of padding. */
function paddedPdf(total: number): Buffer {
  const build = (pad: number) => {
    const stream = 'BT /F1 12 Tf 20 100 Td (Padded) Tj ET';
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R >>',
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
      `<< /Length ${pad} >>\nstream\n${' '.repeat(pad)}\nendstream`,
    ];
    let body = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(body.length);
      body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = body.length;
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return body;
  };
  let pad = total - build(0).length;
  while (build(pad).length !== total) pad += total - build(pad).length;
  return Buffer.from(build(pad), 'latin1');
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; contentType: string; data: Buffer };
}

function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (p.file) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.file.filename}"\r\n` +
            `Content-Type: ${p.file.contentType}\r\n\r\n`,
          'utf8',
        ),
        p.file.data,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`,
          'utf8',
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function uploadAs(
  t: TestApp,
  agent: Agent,
  requestId: string,
  file: { filename?: string; contentType?: string; data: Buffer } | null,
  fields: Record<string, string> = { purpose: 'request' },
) {
  const parts: Part[] = Object.entries(fields).map(([name, value]) => ({ name, value }));
  if (file) {
    parts.push({
      name: 'file',
      file: {
        filename: file.filename ?? 'upload.pdf',
        contentType: file.contentType ?? 'application/pdf',
        data: file.data,
      },
    });
  }
  const { payload, contentType } = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': contentType, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}

describe('request files: encrypted at rest, one audited read path', () => {
  let t: TestApp;
  let support: Agent;
  let therapistUser: TestUser;
  let requestId: string;
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.running.services.database.pool.query<R>(text, params).then((r) => r.rows);
  const fileCount = async () => (await sql<{ n: number }>('select count(*)::int as n from files'))[0]!.n;
  /** As someone with the database's superuser would: past the triggers that keep content unchanged. */
  const tamper = async (text: string, params: unknown[]) => {
    const db = await t.running.services.database.pool.connect();
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
  };

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const supportUser = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    therapistUser = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapistUser, { firstName: 'Alex', lastName: 'Moreno' });
    support = await signIn(t, supportUser);
    requestId = (await createRequestAs(support, client.id)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('SEC-4: a file is encrypted at rest: the plaintext is nowhere in its row or its blob, and the same bytes are stored once', async () => {
    const pdf = makePdf();
    const res = await uploadAs(t, support, requestId, { filename: 'signed request.pdf', data: pdf });
    expect(res.statusCode).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({
      requestId,
      name: 'signed request.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      purpose: 'request',
      documentClass: null,
      uploadedBy: { id: support.user.id, name: 'Sam Support' },
    });
    // The same document again, for another purpose (for the same purpose it would be a duplicate).
    const again = (await uploadAs(t, support, requestId, { data: pdf }, { purpose: 'authorization' })).json();
    expect(again.id).not.toBe(meta.id);
    const rows = await sql<{
      id: string;
      blob_id: string;
      ciphertext: Buffer;
      iv: Buffer;
      auth_tag: Buffer;
      file_row: string;
    }>(
      `select f.id, f.blob_id, c.ciphertext, c.iv, c.auth_tag, row_to_json(f)::text as file_row
         from files f join file_blob_chunks c on c.blob_id = f.blob_id where f.id = any($1)`,
      [[meta.id, again.id]],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.ciphertext.length).toBe(pdf.length);
      expect(row.ciphertext.includes(pdf)).toBe(false);
      expect(row.ciphertext.includes(Buffer.from(SECRET_LINE))).toBe(false);
      expect(row.ciphertext.includes(Buffer.from('%PDF'))).toBe(false);
      expect(row.file_row).not.toContain('Alex Moreno');
      expect(row.iv.length).toBe(12);
      expect(row.auth_tag.length).toBe(16);
    }
    // The same document uploaded twice in one practice is one blob (one key, one ciphertext).
    expect(rows[0]!.blob_id).toBe(rows[1]!.blob_id);
    const uploaded = (await auditRows(t, 'file.uploaded')).find((r) => r.data.fileId === meta.id);
    expect(uploaded).toMatchObject({
      actorId: support.user.id,
      data: { name: 'signed request.pdf', size: pdf.length },
    });
    expect(JSON.stringify(uploaded)).not.toContain('Alex Moreno disclosed');
  });

  it('SEC-3: a download gives back the very same bytes, never cached, and writes one file.downloaded event', async () => {
    const pdf = makePdf('Letter for the court, page 1');
    const meta = (await uploadAs(t, support, requestId, { filename: 'court letter.pdf', data: pdf })).json();
    const before = (await auditRows(t, 'file.downloaded')).length;
    const res = await support.get(`/api/requests/${requestId}/files/${meta.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="court letter.pdf"; filename*=UTF-8''court%20letter.pdf`,
    );
    const events = (await auditRows(t, 'file.downloaded')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: support.user.id,
      data: { fileId: meta.id, name: 'court letter.pdf', size: pdf.length },
    });
    expect(JSON.stringify(events[0])).not.toContain('Letter for the court');
  });

  it('SEC-4: a PNG is stored as a one-page PDF, and the list shows metadata only with the caller’s abilities', async () => {
    const meta = (
      await uploadAs(
        t,
        support,
        requestId,
        { filename: 'id-card.png', contentType: 'image/png', data: PNG },
        {
          purpose: 'record',
          documentClass: 'third_party',
        },
      )
    ).json();
    expect(meta).toMatchObject({
      contentType: 'application/pdf',
      name: 'id-card.pdf',
      purpose: 'record',
      documentClass: 'third_party',
    });
    const res = await support.get(`/api/requests/${requestId}/files/${meta.id}`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.headers['content-type']).toBe('application/pdf');
    const list = await support.get(`/api/requests/${requestId}/files`);
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.abilities).toEqual(['upload_file', 'download_file']);
    expect(body.files.map((f: { id: string }) => f.id)).toContain(meta.id);
    expect(Object.keys(body.files[0]).sort()).toEqual(
      [
        'contentType',
        'createdAt',
        'dateFrom',
        'dateTo',
        'documentClass',
        'id',
        'name',
        'purpose',
        'requestId',
        'sha256',
        'size',
        'uploadedBy',
      ].sort(),
    );
  });

  it('SEC-4: a tampered ciphertext answers the integrity error, leaks nothing, and is reported in the audit log', async () => {
    const pdf = makePdf('A page that will be tampered with');
    const meta = (await uploadAs(t, support, requestId, { data: pdf })).json();
    // Flip one bit of one byte in the middle of the stored ciphertext.
    await tamper(
      `update file_blob_chunks set ciphertext = set_byte(ciphertext, 40, get_byte(ciphertext, 40) # 1)
        where blob_id = (select blob_id from files where id = $1)`,
      [meta.id],
    );
    const downloads = (await auditRows(t, 'file.downloaded')).length;
    const res = await support.get(`/api/requests/${requestId}/files/${meta.id}`);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({
      error: 'file_integrity',
      message:
        'This file failed its integrity check and cannot be opened. The privacy officer has been notified in the audit log.',
    });
    expect(res.body).not.toContain('Session note');
    expect(res.body).not.toMatch(/auth|decipher|Unsupported state/i);
    expect(res.headers['content-disposition']).toBeUndefined();
    const failures = (await auditRows(t, 'file.integrity_failed')).filter((r) => r.data.fileId === meta.id);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ actorId: support.user.id, data: { failedCheck: 'decryption' } });
    expect((await auditRows(t, 'file.downloaded')).length).toBe(downloads);
    // The event written beside the rolled-back download keeps the audit chain intact.
    expect((await verifyChains(t.running.services.database.pool, t.config.auditKey)).ok).toBe(true);
  });

  it('SEC-4: a ciphertext moved to another blob, with its iv and tag, does not open there (the blob id is bound in)', async () => {
    const a = (await uploadAs(t, support, requestId, { data: makePdf('Document A') })).json();
    const b = (await uploadAs(t, support, requestId, { data: makePdf('Document B') })).json();
    await tamper(
      `with pair as (select f.blob_id as target, o.blob_id as source from files f, files o
                      where (f.id, o.id) in (($1::uuid, $2::uuid), ($2::uuid, $1::uuid)))
       update file_blob_chunks c set iv = s.iv, auth_tag = s.auth_tag, ciphertext = s.ciphertext
         from pair, file_blob_chunks s
        where c.blob_id = pair.target and s.blob_id = pair.source and s.index = c.index`,
      [a.id, b.id],
    );
    for (const id of [a.id, b.id]) {
      const res = await support.get(`/api/requests/${requestId}/files/${id}`);
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toBe('file_integrity');
      expect(res.body).not.toContain('Document');
    }
  });

  it('the type is decided by the bytes: a text file named .pdf, or a GIF, answers 415', async () => {
    const before = await fileCount();
    const fake = await uploadAs(t, support, requestId, {
      filename: 'notes.pdf',
      data: Buffer.from('just some text'),
    });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().message).toContain('Only PDF, JPEG and PNG files');
    const gif = await uploadAs(t, support, requestId, {
      filename: 'a.gif',
      contentType: 'image/png',
      data: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
    });
    expect(gif.statusCode).toBe(415);
    const json = await support.post(`/api/requests/${requestId}/files`, { purpose: 'request' });
    expect(json.statusCode).toBe(415);
    expect(await fileCount()).toBe(before);
  });

  it('a file over 25 MB answers 413 in plain words; exactly 25 MB is accepted', async () => {
    const big = paddedPdf(25 * 1024 * 1024 + 1);
    const before = await fileCount();
    const res = await uploadAs(t, support, requestId, { data: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toContain('larger than 25 MB');
    expect(await fileCount()).toBe(before);
    const fits = await uploadAs(t, support, requestId, { data: paddedPdf(25 * 1024 * 1024) });
    expect(fits.statusCode).toBe(201);
    expect(fits.json().size).toBe(25 * 1024 * 1024);
  });

  it('bad forms answer 400 naming the problem: empty file, no file, no purpose, unknown class, a record without class, bad dates', async () => {
    const before = await fileCount();
    const cases: [Parameters<typeof uploadAs>[3], Record<string, string>, string][] = [
      [{ data: Buffer.alloc(0) }, { purpose: 'request' }, 'The file is empty.'],
      [null, { purpose: 'request' }, 'Attach the file'],
      [{ data: makePdf() }, {}, 'body.purpose'],
      [{ data: makePdf() }, { purpose: 'selfie' }, 'body.purpose'],
      // A packet is written by Release Desk (REL-5), never uploaded.
      [{ data: makePdf() }, { purpose: 'packet' }, 'body.purpose'],
      [{ data: makePdf() }, { purpose: 'record', documentClass: 'everything' }, 'body.documentClass'],
      [{ data: makePdf() }, { purpose: 'record' }, 'document class'],
      // rule SCOPE-1: the dates a record covers are YYYY-MM-DD, from ≤ to.
      [
        { data: makePdf() },
        { purpose: 'record', documentClass: 'billing', dateFrom: '2025-13-01' },
        'body.dateFrom',
      ],
      [
        { data: makePdf() },
        { purpose: 'record', documentClass: 'billing', dateFrom: '2025-02-01', dateTo: '2025-01-01' },
        'body.dateTo',
      ],
    ];
    for (const [file, fields, message] of cases) {
      const res = await uploadAs(t, support, requestId, file, fields);
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(res.json().message).toContain(message);
    }
    expect(await fileCount()).toBe(before);
  });

  it('file names are cleaned: no path, no control or direction characters, at most 200 characters, Unicode kept', async () => {
    const odd = await uploadAs(t, support, requestId, {
      filename: '../../etc/pa\u0007ss\u202Ewd.pdf',
      data: makePdf('odd name'),
    });
    expect(odd.json().name).toBe('passwd.pdf');
    const long = await uploadAs(t, support, requestId, {
      filename: `${'a'.repeat(300)}.pdf`,
      data: makePdf('long name'),
    });
    expect(long.json().name).toBe(`${'a'.repeat(196)}.pdf`);
    const accents = (
      await uploadAs(t, support, requestId, { filename: 'Résumé – José.pdf', data: makePdf('accents') })
    ).json();
    expect(accents.name).toBe('Résumé – José.pdf');
    const res = await support.get(`/api/requests/${requestId}/files/${accents.id}`);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _ Jos_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20Jos%C3%A9.pdf`,
    );
  });

  it('the routes are in the OpenAPI document, the upload as multipart/form-data', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const list = doc.paths['/api/requests/{requestId}/files'];
    expect(list.post.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({
      type: 'string',
      format: 'binary',
    });
    expect(list.get.tags).toEqual(['files']);
    expect(doc.paths['/api/requests/{requestId}/files/{fileId}'].get.responses['200'].content).toHaveProperty(
      'application/pdf',
    );
  });

  it('without a session every files route answers 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/requests/${requestId}/files` });
    expect(res.statusCode).toBe(401);
  });
});
