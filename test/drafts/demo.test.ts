// The demo's letters and notes (issue 6, procedure step 4), seeded through the real commands: a
// treatment summary approved by the supervisor (its PDF a prepared record of the request), and a
// verbal discussion whose preparation notes wait for her review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('the demo seed: letters and notes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    await seedDemo(t.running.services);
  });
  afterAll(async () => {
    await t.close();
  });

  it('procedure step 4: one letter with an approved version rendered as a record, one verbal request with notes awaiting review', async () => {
    const { rows } = await t.running.services.database.pool.query<{
      deliverable: string;
      kind: string;
      template: string;
      number: number;
      state: string;
      purpose: string | null;
      document_class: string | null;
      superseded: boolean;
    }>(
      `select r.deliverable, d.kind, d.template, v.number, v.state, f.purpose, f.document_class,
              v.superseded_at is not null as superseded
         from draft_versions v join drafts d on d.id = v.draft_id join requests r on r.id = v.request_id
         left join files f on f.id = v.file_id
        order by r.deliverable, v.number`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        deliverable: 'letter_or_report',
        template: 'treatment_summary',
        number: 1,
        state: 'draft',
        superseded: true,
        purpose: null,
      }),
      expect.objectContaining({
        deliverable: 'letter_or_report',
        template: 'treatment_summary',
        number: 2,
        state: 'approved',
        superseded: false,
        purpose: 'record',
        document_class: 'letters_and_reports',
      }),
      expect.objectContaining({
        deliverable: 'verbal',
        kind: 'verbal_notes',
        number: 1,
        state: 'draft',
        superseded: true,
      }),
      expect.objectContaining({
        deliverable: 'verbal',
        kind: 'verbal_notes',
        number: 2,
        state: 'submitted',
        superseded: false,
        purpose: null,
      }),
    ]);
  });
});
