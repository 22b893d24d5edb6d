// The signer's files are named in the request's language (issue 7; AUTH-7): the form to sign and the
// signed copy a Spanish signer downloads are "formulario-autorizacion-R….pdf" and
// "autorizacion-firmada-R….pdf" (ASCII, so the name survives every browser), the same names staff see in
// Files and the signature page prints; an English request keeps its English names.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestPractice } from '../support/factories.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';
import { portalRequester } from './sign-helpers.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles
const run = promisify(execFile);
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** The names of the files attached inside a PDF, as qpdf lists them. */
async function attachmentNames(pdf: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-pdf-'));
  try {
    await writeFile(join(dir, 'doc.pdf'), pdf);
    return (await run('qpdf', ['--list-attachments', join(dir, 'doc.pdf')])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the signer’s file names in the request’s language (AUTH-7)', () => {
  let t: TestApp;
  let practice: TestPractice;
  let support: Agent;
  let clientId: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    practice = await createPractice(t, { name: 'Riverbend Counseling', timeZone: 'America/Los_Angeles' });
    const therapist = await createUser(t, practice, ['therapist']);
    support = await signIn(t, await createUser(t, practice, ['support']));
    clientId = (await createClient(t, practice, therapist, { firstName: 'Lucía', lastName: 'Ramírez' })).id;
  });
  afterAll(() => t?.close());

  /** A request made in `language`, signed by typing in the portal. */
  async function signedIn(language: 'en' | 'es') {
    n += 1;
    const email = `lucia${n}@example.test`;
    const r = await createRequestAs(support, clientId, {
      kind: 'client_directed',
      requester: { name: 'Lucía Ramírez', relationship: 'client', email },
      channel: 'portal',
      language,
      recipient: { name: 'Camino Claro Defensores', address: '500 K Street, Sacramento, CA 95814' },
    });
    const who = await portalRequester(t, { practiceId: practice.id, requestId: r.id, email });
    const base = `/api/portal/requests/${r.number}/authorization`;
    const shown = (await who.get(base)).json() as { sha256: string; pdfUrl: string };
    const form = await who.get(shown.pdfUrl);
    expect(form.statusCode).toBe(200);
    const signed = await who.post(`${base}/sign`, {
      sha256: shown.sha256,
      signature: { method: 'typed', typedName: 'Lucía Ramírez' },
      consent: { readAndAgree: true, electronicSignature: true },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    const copy = await who.get(`${base}/signed.pdf`);
    expect(copy.statusCode).toBe(200);
    const files = (await support.get(`/api/requests/${r.id}/files`)).json() as {
      files: { name: string; purpose: string }[];
    };
    return { r, form, copy, staffNames: files.files.map((f) => f.name).sort() };
  }

  it('AUTH-7: a Spanish signer downloads the form and the signed copy under Spanish ASCII names; staff’s Files and the signature page name the same files', async () => {
    const { r, form, copy, staffNames } = await signedIn('es');
    const formName = `formulario-autorizacion-${r.number}.pdf`;
    const copyName = `autorizacion-firmada-${r.number}.pdf`;
    expect(form.headers['content-disposition']).toBe(
      `attachment; filename="${formName}"; filename*=UTF-8''${formName}`,
    );
    expect(copy.headers['content-disposition']).toBe(
      `attachment; filename="${copyName}"; filename*=UTF-8''${copyName}`,
    );
    expect(copyName).toMatch(/^[\x20-\x7e]+$/);
    expect(staffNames).toEqual([copyName, formName].sort());
    expect(await qpdfCheck(copy.rawPayload)).toContain('No syntax or stream encoding errors');
    const text = flat(await pdfText(copy.rawPayload));
    expect(text).toContain(`Formulario firmado ${formName}`);
    expect(text).not.toContain('authorization-form-');
    expect(await attachmentNames(copy.rawPayload)).toContain(formName);
  });

  it('AUTH-7: an English signer’s files keep their English names', async () => {
    const { r, form, copy, staffNames } = await signedIn('en');
    const formName = `authorization-form-${r.number}.pdf`;
    const copyName = `authorization-signed-${r.number}.pdf`;
    expect(form.headers['content-disposition']).toContain(`filename="${formName}"`);
    expect(copy.headers['content-disposition']).toContain(`filename="${copyName}"`);
    expect(staffNames).toEqual([formName, copyName].sort());
    const text = flat(await pdfText(copy.rawPayload));
    expect(text).toContain(`Form signed ${formName}`);
    expect(await attachmentNames(copy.rawPayload)).toContain(formName);
  });
});
