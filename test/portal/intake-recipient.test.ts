// rule KIND-2, AUTH-1: the recipient the client directs her copy to, recorded by staff intake in
// the request's own fields (the public form's path is in intake.test.ts, signing in sign.test.ts),
// shown on the request page and refused on any other kind.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../src/server/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs, intakeBody } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

let t: TestApp;
let support: Agent;
let clientId: string;

beforeAll(async () => {
  t = await createTestApp();
  const practice = await createPractice(t, { name: 'Cedar Counseling' });
  const therapist = await createUser(t, practice, ['therapist']);
  support = await signIn(t, await createUser(t, practice, ['support']));
  clientId = (await createClient(t, practice, therapist)).id;
}, 60_000);

afterAll(() => t?.close());

describe('staff intake: the KIND-2 recipient', () => {
  it('KIND-2: a client-directed request keeps its recipient in its own fields and shows it on the request', async () => {
    const r = await createRequestAs(support, clientId, {
      kind: 'client_directed',
      requester: { name: 'Alex Client', relationship: 'client' },
      recipient: {
        name: ' Bright Path Advocates ',
        organization: 'Bright Path',
        email: 'Intake@BrightPath.test',
        address: '500 K Street, Sacramento',
      },
    });
    const details = (await support.get(`/api/requests/${r.id}`)).json();
    expect(details.recipient).toEqual({
      name: 'Bright Path Advocates',
      organization: 'Bright Path',
      email: 'intake@brightpath.test',
      address: '500 K Street, Sacramento',
    });
    const [row] = await t.running.services.database.db.select().from(requests).where(eq(requests.id, r.id));
    expect(row).toMatchObject({ recipientName: 'Bright Path Advocates', notes: null });
  });

  it('KIND-2: without a recipient the request is still recorded, with none shown', async () => {
    const r = await createRequestAs(support, clientId, {
      kind: 'client_directed',
      requester: { name: 'Alex Client', relationship: 'client' },
    });
    expect((await support.get(`/api/requests/${r.id}`)).json().recipient).toBeNull();
  });

  it('KIND-2: a recipient on another kind, or one without a name or with a bad email, is a 400 naming the field', async () => {
    const onAccess = await support.post(
      '/api/requests',
      intakeBody(clientId, { kind: 'client_access', recipient: { name: 'Someone' } }),
    );
    expect(onAccess.statusCode).toBe(400);
    expect(onAccess.body).toContain('Only a copy the client directs to someone has a recipient (KIND-2).');
    const noName = await support.post(
      '/api/requests',
      intakeBody(clientId, { kind: 'client_directed', recipient: { name: ' ', email: 'x@y.test' } }),
    );
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('recipient');
    const badEmail = await support.post(
      '/api/requests',
      intakeBody(clientId, { kind: 'client_directed', recipient: { name: 'A', email: 'not-an-email' } }),
    );
    expect(badEmail.statusCode).toBe(400);
  });
});
