// The supervisor's "Letter to review" card on My tasks (issue 6, procedure step 4, Task #2): a
// version sent for review shows as a card for the therapist's supervisor (and on their board under
// the therapist's name), with the preparation step's due date and the request's number; never for
// its author or another supervisor; gone once sent back, back for the next version, gone once
// approved. Through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type World, world } from '../packets/support.js';
import { createUser } from '../support/factories.js';
import { openTasks } from '../support/requests.js';
import { signIn } from '../support/session.js';
import { type DraftView, startDraft, toPreparation, versionUrl } from './support.js';

interface Card {
  taskId: string;
  type: string;
  label: string;
  holder: string;
  dueAt: string | null;
  due: string | null;
  overdue: boolean;
  request: { id: string; number: string };
  assignee?: { id: string; name: string };
}

let w: World;
beforeAll(async () => {
  w = await world();
  w.u.otherSupervisor = await createUser(
    w.t,
    { id: w.u.therapist!.practiceId, name: w.practiceName, timeZone: 'America/Los_Angeles' },
    ['supervisor'],
  );
  w.as.otherSupervisor = await signIn(w.t, w.u.otherSupervisor);
});
afterAll(async () => {
  await w?.t.close();
});

async function reviewCards(who: string, path = '/api/me/tasks'): Promise<Card[]> {
  const res = await w.as[who]!.get(path);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { tasks: Card[] }).tasks.filter((t) => t.type === 'draft_review');
}

describe('My tasks: a letter waiting for the supervisor’s review', () => {
  it('procedure step 4 (Task #2): the supervisor gets a card per version sent for review, with the preparation due date, until it is sent back or approved', async () => {
    const r = await toPreparation(w);
    const preparation = openTasks(r).find((t) => t.type === 'preparation')!;
    const draft = await startDraft(w, r.id, 'court_letter');
    const v1 = draft.versions[0]!;
    expect(await reviewCards('supervisor')).toEqual([]); // a draft not sent yet is nobody's review

    const sent = await w.as.therapist!.post(`${versionUrl(r.id, draft.id, v1.id)}/submit`, {});
    expect(sent.statusCode, sent.body).toBe(200);
    const [card, ...others] = await reviewCards('supervisor');
    expect(others).toEqual([]);
    expect(card).toMatchObject({
      taskId: v1.id,
      label: 'Letter to review: Letter regarding Ngọc Trần (version 1)',
      holder: 'me',
      dueAt: preparation.dueAt,
      overdue: false,
      request: { id: r.id, number: r.number },
    });
    expect(r.number).toMatch(/^R-/);
    // The supervisor's board names the therapist who sent it.
    const [onBoard] = await reviewCards('supervisor', '/api/me/supervisees/tasks');
    expect(onBoard).toMatchObject({ taskId: v1.id, assignee: { id: w.u.therapist!.id } });
    // Not for its author, nor for a supervisor who does not supervise the therapist.
    expect(await reviewCards('therapist')).toEqual([]);
    expect(await reviewCards('otherSupervisor')).toEqual([]);

    // Sent back: the card goes; the next version sent brings a card for version 2.
    const back = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v1.id)}/changes`, {
      reason: 'Say only what the order allows.',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(await reviewCards('supervisor')).toEqual([]);
    const saved = await w.as.therapist!.post(`/api/requests/${r.id}/drafts/${draft.id}/versions`, {
      title: 'Letter for the family court',
      body: 'Attendance only.',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const v2 = (saved.json() as DraftView).versions[0]!;
    expect((await w.as.therapist!.post(`${versionUrl(r.id, draft.id, v2.id)}/submit`, {})).statusCode).toBe(
      200,
    );
    expect((await reviewCards('supervisor')).map((c) => [c.taskId, c.label])).toEqual([
      [v2.id, 'Letter to review: Letter for the family court (version 2)'],
    ]);

    // Approved: gone from My tasks and from the board.
    const ok = await w.as.supervisor!.post(`${versionUrl(r.id, draft.id, v2.id)}/approval`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await reviewCards('supervisor')).toEqual([]);
    expect(await reviewCards('supervisor', '/api/me/supervisees/tasks')).toEqual([]);
  });

  it('notes for a verbal discussion read "Notes to review"', async () => {
    const r = await toPreparation(w, {
      deliverable: 'verbal',
      kind: 'client_access',
      documentClasses: ['progress_notes'],
    });
    const notes = await startDraft(w, r.id, 'verbal_discussion_notes');
    const v1 = notes.versions[0]!;
    expect((await w.as.therapist!.post(`${versionUrl(r.id, notes.id, v1.id)}/submit`, {})).statusCode).toBe(
      200,
    );
    const cards = await reviewCards('supervisor');
    expect(cards.map((c) => c.label)).toEqual([`Notes to review: ${v1.title} (version 1)`]);
  });
});
