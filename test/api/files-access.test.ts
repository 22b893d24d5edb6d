// Who may add and open a request's files (rule SEC-2), and every refusal recorded once (SEC-3).
// Support attaches the client's signed request; the request's therapist may read it but, holding no
// task, may not add to it until she is preparing the letter; a therapist of another client, an
// administrator and another practice do not even learn that the request exists.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../src/server/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

/** The smallest PDF whose structure holds (a catalog and an empty page tree). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Size 3 /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

function upload(t: TestApp, agent: Agent, requestId: string, purpose = 'letter') {
  const boundary = `----rd${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="letter.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/requests/${requestId}/files`,
    remoteAddress: agent.ip,
    cookies: { rd_session: agent.cookie },
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': agent.csrfToken },
    payload,
  });
}

describe('request files: who may add and open them (SEC-2)', () => {
  let t: TestApp;
  const as = {} as Record<
    'support' | 'privacy' | 'therapist' | 'otherTherapist' | 'admin' | 'clinical' | 'otherPractice',
    Agent
  >;
  let requestId: string;
  let otherRequestId: string;
  let fileId: string;

  const fileCount = async () =>
    (await t.running.services.database.pool.query<{ n: number }>('select count(*)::int as n from files'))
      .rows[0]!.n;
  const refusals = async (agent: Agent) =>
    (await auditRows(t, 'access.refused')).filter((r) => r.actorId === agent.user.id);

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const elsewhere = await createPractice(t);
    const therapist = await createUser(t, practice, ['therapist'], { name: 'Dana Rivera' });
    const otherTherapist = await createUser(t, practice, ['therapist']);
    const users = {
      support: await createUser(t, practice, ['support']),
      privacy: await createUser(t, practice, ['privacy_officer']),
      therapist,
      otherTherapist,
      admin: await createUser(t, practice, ['admin']),
      clinical: await createUser(t, practice, ['clinical_services']),
      otherPractice: await createUser(t, elsewhere, ['support', 'privacy_officer', 'therapist']),
    };
    for (const [who, user] of Object.entries(users)) as[who as keyof typeof as] = await signIn(t, user);
    const client = await createClient(t, practice, therapist);
    const otherClient = await createClient(t, practice, otherTherapist);
    requestId = (await createRequestAs(as.support, client.id)).id;
    otherRequestId = (await createRequestAs(as.support, otherClient.id)).id;
    const res = await upload(t, as.support, requestId, 'request');
    expect(res.statusCode).toBe(201);
    fileId = res.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  for (const who of ['otherTherapist', 'admin', 'otherPractice'] as const) {
    it(`SEC-2, SEC-3: ${who} gets 404 for the list, the download and the upload, each refusal audited exactly once`, async () => {
      const agent = as[who];
      const files = await fileCount();
      const downloads = (await auditRows(t, 'file.downloaded')).length;
      const attempts = [
        () => agent.get(`/api/requests/${requestId}/files`),
        () => agent.get(`/api/requests/${requestId}/files/${fileId}`),
        () => upload(t, agent, requestId),
      ];
      for (const attempt of attempts) {
        const before = (await refusals(agent)).length;
        const res = await attempt();
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain('letter.pdf');
        const after = await refusals(agent);
        expect(after.length).toBe(before + 1);
        expect(after.at(-1)!.data).toMatchObject({ status: 404 });
      }
      expect(await fileCount()).toBe(files);
      expect((await auditRows(t, 'file.downloaded')).length).toBe(downloads);
    });
  }

  it('SEC-2: the request’s therapist may open its files but, holding no open task, is told why she may not add one (403)', async () => {
    const list = await as.therapist.get(`/api/requests/${requestId}/files`);
    expect(list.statusCode).toBe(200);
    expect(list.json().abilities).toEqual(['download_file']);
    const download = await as.therapist.get(`/api/requests/${requestId}/files/${fileId}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);

    const files = await fileCount();
    const before = (await refusals(as.therapist)).length;
    const res = await upload(t, as.therapist, requestId);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      'Only the support team, the privacy officer, or someone with an open task on this request can add files to it.',
    );
    expect((await refusals(as.therapist)).length).toBe(before + 1);
    expect(await fileCount()).toBe(files);
  });

  it('SEC-2: once she holds an open task on the request (preparing the letter), the therapist may add a file', async () => {
    await t.running.services.database.db.insert(tasks).values({
      practiceId: as.therapist.user.practiceId,
      requestId,
      type: 'preparation',
      assigneeId: as.therapist.user.id,
      state: 'open',
      dueAt: new Date(Date.now() + 86_400_000),
      openedAt: new Date(),
    });
    const res = await upload(t, as.therapist, requestId, 'letter');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      purpose: 'letter',
      uploadedBy: { id: as.therapist.user.id, name: 'Dana Rivera' },
    });
    const list = await as.therapist.get(`/api/requests/${requestId}/files`);
    expect(list.json().abilities).toEqual(['upload_file', 'download_file']);
  });

  it('SEC-2: the privacy officer adds and opens files on any request of the practice', async () => {
    const res = await upload(t, as.privacy, otherRequestId, 'authorization');
    expect(res.statusCode).toBe(201);
    const download = await as.privacy.get(`/api/requests/${otherRequestId}/files/${res.json().id}`);
    expect(download.statusCode).toBe(200);
  });

  it('SEC-2: clinical services with no task on the request does not see its files (404)', async () => {
    expect((await as.clinical.get(`/api/requests/${requestId}/files`)).statusCode).toBe(404);
  });

  it('a file is only found under its own request: another request’s id, or an unknown id, answers 404', async () => {
    expect((await as.support.get(`/api/requests/${otherRequestId}/files/${fileId}`)).statusCode).toBe(404);
    expect((await as.support.get(`/api/requests/${requestId}/files/${randomUUID()}`)).statusCode).toBe(404);
    expect((await as.support.get(`/api/requests/${requestId}/files/not-a-uuid`)).statusCode).toBe(400);
  });
});
