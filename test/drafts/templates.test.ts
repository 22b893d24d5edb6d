// The practice's own templates (issue 6, procedure step 4): an admin adds one with {{placeholders}}
// for the request's facts; the therapist starts a letter from it with the facts filled in; an
// unknown placeholder is refused by name; a template no longer offered starts nothing new; only an
// admin of the practice may change them. Through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type World, world } from '../packets/support.js';
import { createPractice, createUser } from '../support/factories.js';
import { auditRows, signIn } from '../support/session.js';
import { type DraftView, draftsUrl, listDrafts, sendAndApprove, toPreparation } from './support.js';

let w: World;
beforeAll(async () => {
  w = await world();
  const [row] = await sql<{ practice_id: string }>(w, 'select practice_id from users where id = $1', [
    w.u.therapist!.id,
  ]);
  w.u.admin = await createUser(
    w.t,
    { id: row!.practice_id, name: 'Riverbend Counseling', timeZone: 'America/Los_Angeles' },
    ['admin'],
  );
  const elsewhere = await createPractice(w.t, { name: 'Elsewhere Clinic' });
  w.u.otherAdmin = await createUser(w.t, elsewhere, ['admin']);
  for (const k of ['admin', 'otherAdmin']) w.as[k] = await signIn(w.t, w.u[k]!);
});
afterAll(async () => {
  await w?.t.close();
});

const T = '/api/drafts/templates';
const probation = {
  kind: 'letter',
  label: 'Letter to a probation officer',
  description: 'Attendance and engagement only.',
  title: 'Attendance letter for {{client}}',
  body: 'To {{recipient}},\n\n{{client}} (born {{dateOfBirth}}) has attended sessions at {{practice}} {{datesOfService}}, for this purpose: {{purpose}}.\n\n{{therapist}}',
};

describe('the practice’s own templates', () => {
  it('procedure step 4: an admin adds a template; the therapist starts a letter from it with the request’s facts filled in; approved, it is rendered like any letter', async () => {
    const added = await w.as.admin!.post(T, probation);
    expect(added.statusCode, added.body).toBe(201);
    const template = added.json() as { id: string; active: boolean; updatedBy: { id: string } };
    expect(template).toMatchObject({ active: true, updatedBy: { id: w.u.admin!.id } });
    expect((await auditRows(w.t, 'draft.template_saved')).at(-1)!.data).toMatchObject({
      templateId: template.id,
      label: 'Letter to a probation officer',
      created: true,
    });

    const r = await toPreparation(w);
    const offered = (await listDrafts(w, 'therapist', r.id)).templates;
    expect(offered.at(-1)).toEqual({
      key: template.id,
      builtIn: false,
      kind: 'letter',
      label: 'Letter to a probation officer',
      description: 'Attendance and engagement only.',
    });
    expect(offered.filter((t) => t.builtIn)).toHaveLength(4);

    const res = await w.as.therapist!.post(draftsUrl(r.id), { template: template.id });
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json() as DraftView;
    expect(draft).toMatchObject({
      kind: 'letter',
      template: template.id,
      templateLabel: 'Letter to a probation officer',
    });
    expect(draft.versions[0]!.title).toBe('Attendance letter for Ngọc Trần');
    expect(draft.versions[0]!.body).toBe(
      `To Dana Reyes, Reyes Law,\n\nNgọc Trần (born 14 July 1988) has attended sessions at Riverbend Counseling from 1 January 2026 to 31 December 2026, for this purpose: Custody hearing.\n\n${w.u.therapist!.name}`,
    );
    const approved = await sendAndApprove(w, r.id, draft);
    const [file] = await sql<{ name: string }>(w, 'select name from files where id = $1', [
      approved.versions[0]!.fileId,
    ]);
    expect(file!.name).toBe(`letter-to-a-probation-officer-v1-${r.number}.pdf`);

    // A verbal request is not offered a letter template.
    const verbal = await toPreparation(w, {
      deliverable: 'verbal',
      kind: 'client_access',
      documentClasses: ['progress_notes'],
    });
    expect((await listDrafts(w, 'therapist', verbal.id)).templates.map((t) => t.key)).toEqual([
      'verbal_discussion_notes',
    ]);
    expect((await w.as.therapist!.post(draftsUrl(verbal.id), { template: template.id })).statusCode).toBe(
      409,
    );

    // No longer offered: new documents cannot start from it; the one that did keeps its name.
    const off = await w.as.admin!.put(`${T}/${template.id}`, { ...probation, active: false });
    expect(off.statusCode, off.body).toBe(200);
    const later = await toPreparation(w);
    expect((await listDrafts(w, 'therapist', later.id)).templates.every((t) => t.builtIn)).toBe(true);
    const refused = await w.as.therapist!.post(draftsUrl(later.id), { template: template.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('no longer offered');
    expect((await listDrafts(w, 'therapist', r.id)).drafts[0]!.templateLabel).toBe(
      'Letter to a probation officer',
    );
  });

  it('400 naming an unknown placeholder; 403 for anyone but an admin; another practice’s template is not found; nothing saved', async () => {
    const before = await sql<{ n: number }>(w, 'select count(*)::int as n from draft_templates');
    const unknown = await w.as.admin!.post(T, {
      ...probation,
      body: 'Hello {{recipient}}, SSN {{ssn}} and {{ diagnosis }}.',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('Not known: {{ssn}}, {{diagnosis}}.');
    const blank = await w.as.admin!.post(T, { ...probation, label: '' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('label');
    for (const who of ['therapist', 'supervisor', 'support']) {
      const res = await w.as[who]!.post(T, probation);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().message).toBe('Only an administrator can add or change the practice’s templates.');
      expect((await w.as[who]!.get(T)).statusCode, who).toBe(403);
    }
    expect((await sql<{ n: number }>(w, 'select count(*)::int as n from draft_templates'))[0]!.n).toBe(
      before[0]!.n,
    );

    const theirs = await w.as.otherAdmin!.post(T, { ...probation, label: 'Their own letter' });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const theirId = (theirs.json() as { id: string }).id;
    expect((await w.as.admin!.put(`${T}/${theirId}`, probation)).statusCode).toBe(404);
    expect(
      ((await w.as.admin!.get(T)).json() as { templates: { id: string }[] }).templates.map((t) => t.id),
    ).not.toContain(theirId);
    const r = await toPreparation(w);
    expect((await w.as.therapist!.post(draftsUrl(r.id), { template: theirId })).statusCode).toBe(404);
    expect((await w.as.therapist!.post(draftsUrl(r.id), { template: 'poem' })).statusCode).toBe(400);
  });
});
