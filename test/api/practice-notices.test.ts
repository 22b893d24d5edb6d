// The practice's "Important notices" (the procedure's last heading, whose text is the practice's
// own): none are shipped; an admin writes them; every staff member reads them with the practice
// settings (the request page shows them); the first instructions on each request's thread carry them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

let t: TestApp;
let practice: TestPractice;
let admin: Agent;
let support: Agent;
let therapist: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  practice = await createPractice(t);
  admin = await signIn(t, await createUser(t, practice, ['admin']));
  support = await signIn(t, await createUser(t, practice, ['support']));
  therapist = await createUser(t, practice, ['therapist']);
});
afterAll(async () => {
  await t?.close();
});

const notice = {
  title: 'Court papers',
  body: 'Any subpoena goes to the privacy officer the day it arrives, before anyone replies.',
};

describe('important notices', () => {
  it('none are shipped: a new practice has an empty list, which every staff member can read', async () => {
    const res = await support.get('/api/practice');
    expect(res.statusCode).toBe(200);
    expect(res.json().practice.settings.importantNotices).toEqual([]);
  });

  it('only an admin writes them; a bad notice is refused naming the field and changes nothing', async () => {
    expect(
      (await support.patch('/api/practice', { settings: { importantNotices: [notice] } })).statusCode,
    ).toBe(403);
    const bad = await admin.patch('/api/practice', {
      settings: { importantNotices: [{ title: ' ', body: 'x' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('importantNotices');
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ title: `N${i}`, body: 'x' }));
    expect((await admin.patch('/api/practice', { settings: { importantNotices: tooMany } })).statusCode).toBe(
      400,
    );
    expect((await support.get('/api/practice')).json().practice.settings.importantNotices).toEqual([]);

    const ok = await admin.patch('/api/practice', { settings: { importantNotices: [notice] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().practice.settings.importantNotices).toEqual([notice]);
    expect((await support.get('/api/practice')).json().practice.settings.importantNotices).toEqual([notice]);
    // The other settings are untouched by a change to the notices.
    expect(ok.json().practice.settings.targetCalendarDays).toBe(30);
    const rows = await auditRows(t, 'practice.updated');
    expect(JSON.stringify(rows.at(-1)?.data)).toContain('settings.importantNotices');
  });

  it("a new request's first instructions on the internal thread carry the notices", async () => {
    const client = await createClient(t, practice, therapist);
    const r = await createRequestAs(support, client.id, { kind: 'client_access' });
    await runJobs(t);
    const details = (await support.get(`/api/requests/${r.id}`)).json() as RequestDetails;
    const first = details.thread.find((m) => m.kind === 'instructions');
    expect(first?.body).toContain('Important notices:');
    expect(first?.body).toContain(`- ${notice.title}: ${notice.body}`);
  });

  it('an admin can take them all down again', async () => {
    const res = await admin.patch('/api/practice', { settings: { importantNotices: [] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().practice.settings.importantNotices).toEqual([]);
  });
});
