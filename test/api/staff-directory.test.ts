// The staff directory (GET /api/staff): any signed-in staff member sees the names and roles of their
// own practice's active colleagues, e.g. the therapists a held request can be given (SEC-2: another
// practice's people never appear; deactivated accounts and the online form's system accounts neither;
// no email or sign-in details).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPractice, createUser } from '../support/factories.js';
import { signIn } from '../support/session.js';

describe('the staff directory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SEC-2: support lists the active therapists of their own practice only, names and roles without emails', async () => {
    const practice = await createPractice(t);
    const other = await createPractice(t);
    const support = await signIn(t, await createUser(t, practice, ['support']));
    const ana = await createUser(t, practice, ['therapist'], { name: 'Ana Okafor' });
    const ben = await createUser(t, practice, ['therapist', 'supervisor'], { name: 'Ben Lowry' });
    const gone = await createUser(t, practice, ['therapist'], { name: 'Cara Gone' });
    await createUser(t, other, ['therapist'], { name: 'Elsewhere Therapist' });
    await t.running.services.database.pool.query('update users set active = false where id = $1', [gone.id]);

    const res = await support.get('/api/staff?role=therapist');
    expect(res.statusCode, res.body).toBe(200);
    const staff = res.json().staff as { id: string; name: string; roles: string[] }[];
    expect(staff.map((s) => s.name)).toEqual(['Ana Okafor', 'Ben Lowry']);
    expect(staff.find((s) => s.id === ben.id)?.roles).toEqual(['therapist', 'supervisor']);
    expect(staff.find((s) => s.id === ana.id)).toBeDefined();
    expect(res.body).not.toContain('@');

    const everyone = (await support.get('/api/staff')).json().staff as { name: string }[];
    expect(everyone.map((s) => s.name)).toContain('Ana Okafor');
    expect(everyone.length).toBe(3);
  });

  it('a therapist may read it too; a wrong role is a 400 naming the field; signed out is a 401', async () => {
    const practice = await createPractice(t);
    const therapist = await signIn(t, await createUser(t, practice, ['therapist'], { name: 'Dee Marsh' }));
    const mine = await therapist.get('/api/staff?role=therapist');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().staff.map((s: { name: string }) => s.name)).toEqual(['Dee Marsh']);
    const bad = await therapist.get('/api/staff?role=wizard');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role');
    expect((await t.app.inject({ method: 'GET', url: '/api/staff' })).statusCode).toBe(401);
  });
});
