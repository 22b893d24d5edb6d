// What the admin's Letter templates screen relies on (issue 6, procedure step 4), through the HTTP
// API: the list holds every template of the practice, offered or not, with who changed it last, and
// the placeholders to offer as chips; a change is kept whole; an unknown placeholder is refused with
// a field error the form can show (in the title as in the text), and nothing is saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type World, world } from '../packets/support.js';
import { createUser } from '../support/factories.js';
import { signIn } from '../support/session.js';

let w: World;
beforeAll(async () => {
  w = await world();
  w.u.admin = await createUser(
    w.t,
    { id: w.u.therapist!.practiceId, name: w.practiceName, timeZone: 'America/Los_Angeles' },
    ['admin'],
    { name: 'Avery Admin' },
  );
  w.as.admin = await signIn(w.t, w.u.admin);
});
afterAll(async () => {
  await w?.t.close();
});

const T = '/api/drafts/templates';
const school = {
  kind: 'letter',
  label: 'Letter to a school counselor',
  description: 'Attendance only.',
  title: 'About {{client}}',
  body: 'To {{recipient}},\n\n{{client}} attends sessions at {{practice}}.\n\n{{therapist}}',
};

interface TemplateList {
  templates: {
    id: string;
    label: string;
    kind: string;
    title: string;
    body: string;
    active: boolean;
    updatedBy: { name: string };
  }[];
  placeholders: string[];
}

describe('the Letter templates screen’s API', () => {
  it('procedure step 4: the list holds every template (offered or not) and the placeholders; a change is kept whole', async () => {
    const empty = await w.as.admin!.get(T);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual({
      templates: [],
      placeholders: [
        'client',
        'dateOfBirth',
        'recipient',
        'purpose',
        'datesOfService',
        'records',
        'therapist',
        'practice',
      ],
    });
    const added = await w.as.admin!.post(T, school);
    expect(added.statusCode, added.body).toBe(201);
    const id = (added.json() as { id: string }).id;

    const changed = await w.as.admin!.put(`${T}/${id}`, {
      ...school,
      kind: 'report',
      title: 'Attendance report for {{client}}',
      body: 'Seen {{datesOfService}}.',
      active: false,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const list = (await w.as.admin!.get(T)).json() as TemplateList;
    expect(list.templates).toHaveLength(1);
    expect(list.templates[0]).toMatchObject({
      id,
      kind: 'report',
      label: 'Letter to a school counselor',
      title: 'Attendance report for {{client}}',
      body: 'Seen {{datesOfService}}.',
      active: false,
      updatedBy: { name: 'Avery Admin' },
    });
  });

  it('an unknown placeholder answers 400 with a field error naming it, in the title as in the text; nothing saved', async () => {
    const count = async () =>
      (await sql<{ n: number }>(w, 'select count(*)::int as n from draft_templates'))[0]!.n;
    const before = await count();
    for (const bad of [
      { ...school, title: 'About {{clientAddress}}' },
      { ...school, body: 'Diagnosis: {{diagnosis}}' },
    ]) {
      const res = await w.as.admin!.post(T, bad);
      expect(res.statusCode).toBe(400);
      const body = res.json() as { message: string; fields: { path: string; message: string }[] };
      const name = bad.title.includes('clientAddress') ? '{{clientAddress}}' : '{{diagnosis}}';
      expect(body.message).toContain(`Not known: ${name}.`);
      expect(body.fields).toEqual([{ path: 'body.body', message: body.message }]);
    }
    const [only] = ((await w.as.admin!.get(T)).json() as TemplateList).templates;
    const res = await w.as.admin!.put(`${T}/${only!.id}`, { ...school, body: '{{ssn}}' });
    expect(res.statusCode).toBe(400);
    expect(((await w.as.admin!.get(T)).json() as TemplateList).templates[0]!.body).toBe(
      'Seen {{datesOfService}}.',
    );
    expect(await count()).toBe(before);
  });
});
