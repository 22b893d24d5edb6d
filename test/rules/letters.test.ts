// The written letters to requesters, as real PDFs kept on the request (issue 3): the extension
// notice (TIME-2), the denial letter (REV-3, REV-4, REV-5) and the outcome of a denial's review
// (REV-4), and the no-records answer (REV-7). Each goes through its route; the letter then shows in
// the request's files, downloads through the files route, passes qpdf and reads back with the facts;
// its file id is in the action's audit event; a refused action leaves no letter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles
const HHS = '200 Independence Avenue SW, Washington, DC 20201';

interface FileView {
  id: string;
  name: string;
  purpose: string;
  contentType: string;
}

describe('letters to requesters, as PDFs on the request (TIME-2, REV-3, REV-4, REV-5, REV-7)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(NOW);
    const practice = await createPractice(t, {
      name: 'Cedar Grove Counseling',
      timeZone: 'America/Los_Angeles',
      privacyOfficerName: 'Pat Privacy',
      privacyOfficerPhone: '555-0100',
      privacyOfficerEmail: 'privacy@cedar.test',
    });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.otherSupervisor = await createUser(t, practice, ['supervisor']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (
      await createClient(t, practice, u.therapist, {
        firstName: 'Alex',
        lastName: 'Moreno',
        address: '12 Elm Street\nSpringfield, WA 98000',
      })
    ).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  async function post(who: string, r: { id: string }, path: string, body: unknown = {}) {
    const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json() as RequestDetails;
  }
  const newRequest = (overrides: Record<string, unknown> = {}) =>
    createRequestAs(as.support!, clientId, {
      receivedAt: t.clock.now().toISOString(),
      requester: { name: 'Alex Moreno', email: 'alex@example.test' },
      ...overrides,
    });
  async function toSupervisorReview(overrides: Record<string, unknown> = {}) {
    const r = await newRequest(overrides);
    await post('support', r, 'intake', { verification: { method: 'Called back at the number on file' } });
    return post('therapist', r, 'client-discussion', { outcome: 'go_ahead' });
  }

  /** The request's letters, through the files route. */
  async function letters(r: { id: string }): Promise<FileView[]> {
    const res = await as.support!.get(`/api/requests/${r.id}/files`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().files as FileView[]).filter((f) => f.purpose === 'letter');
  }
  /** Download a letter through the files route, check it with qpdf, and read its words. */
  async function readLetter(r: { id: string }, file: FileView): Promise<string> {
    const res = await as.support!.get(`/api/requests/${r.id}/files/${file.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    await expect(qpdfCheck(res.rawPayload)).resolves.toContain('No syntax or stream encoding errors');
    // One line per sentence regardless of where the page wrapped it.
    return (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
  }
  async function auditFor(type: string, fileId: string) {
    return (await auditRows(t, type)).filter((e) => e.data.letterFileId === fileId);
  }

  it('TIME-2: the extension writes a letter (reason, both dates, the only extension, who to call), on the thread and in the audit', async () => {
    const r = await newRequest();
    const reason = 'Part of the records are kept off site and must be retrieved first.';
    const extended = await post('support', r, 'extension', { reason, newDueDate: '2027-04-20' });

    const [letter, ...more] = await letters(r);
    expect(more).toEqual([]);
    expect(letter).toMatchObject({
      name: `extension-notice-${r.number}.pdf`,
      contentType: 'application/pdf',
    });
    const text = await readLetter(r, letter!);
    expect(text).toContain('We need more time to answer your request');
    expect(text).toContain(reason);
    expect(text).toContain('Monday 1 March 2027'); // received
    expect(text).toContain('Wednesday 31 March 2027'); // the first date
    expect(text).toContain('Tuesday 20 April 2027'); // the new date
    expect(text).toContain('This is the only extension we can take');
    expect(text).toContain('Pat Privacy, our privacy officer, by phone at 555-0100');
    expect(text).toContain('Dear Alex Moreno,');
    expect(text).toContain(`${r.number} · Page 1 of 1`);
    expect(text).not.toMatch(/TIME-2|164\.524/);

    const notice = extended.thread.find((m) => m.kind === 'extension_notice');
    expect(notice?.thread).toBe('requester');
    expect(notice?.body).toContain(`Our letter with these details is attached (${letter!.name}).`);
    expect(await auditFor('request.deadline_extended', letter!.id)).toHaveLength(1);
  });

  it('TIME-2: a refused extension (a second one, or after the deadline) leaves no letter', async () => {
    const r = await newRequest();
    await post('privacy', r, 'extension', { reason: 'Records off site', newDueDate: '2027-04-10' });
    const again = await as.privacy!.post(`/api/requests/${r.id}/extension`, {
      reason: 'Still more time',
      newDueDate: '2027-04-20',
    });
    expect(again.statusCode).toBe(409);
    expect(await letters(r)).toHaveLength(1);

    // Received Fri 15 Jan: due Sun 14 Feb, which has passed.
    const late = await newRequest({ receivedAt: '2027-01-15T18:00:00Z' });
    const res = await as.privacy!.post(`/api/requests/${late.id}/extension`, {
      reason: 'Records off site',
      newDueDate: '2027-03-10',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('TIME-2');
    expect(await letters(late)).toEqual([]);
  });

  it('REV-3, REV-4: a denial on a reviewable ground writes the denial letter: the ground, the review right and how to ask, how to complain to the practice and HHS', async () => {
    const r = await toSupervisorReview();
    const explanation = 'Dr. Rivera is worried that reading these notes right now could put you at risk.';
    const denied = await post('supervisor', r, 'supervisor-review', {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: explanation,
    });
    expect(denied.stage).toBe('denied');

    const [letter, ...more] = await letters(r);
    expect(more).toEqual([]);
    expect(letter!.name).toBe(`denial-letter-${r.number}.pdf`);
    const text = await readLetter(r, letter!);
    expect(text).toContain('We are not able to give you the records you asked for');
    expect(text).toContain('Progress notes and treatment plans, from 1 January 2025 to 30 June 2026');
    expect(text).toContain('likely to put your life or physical safety, or someone else’s, at risk');
    expect(text).toContain(explanation);
    expect(text).toContain('You can ask for a review of this decision');
    expect(text).toContain('who took no part in this decision');
    expect(text).toContain('write to or call Pat Privacy, our privacy officer, by phone at 555-0100');
    expect(text).toMatch(/Privacy officer\s+Pat Privacy/);
    expect(text).toContain('privacy@cedar.test');
    expect(text).toContain('U.S. Department of Health and Human Services, Office for Civil Rights');
    expect(text).toContain(HHS);
    expect(text).toContain('1-800-368-1019');
    expect(text).toContain('www.hhs.gov/ocr/complaints');
    expect(text).not.toMatch(/REV-\d|164\.524|endanger_life/);

    const note = denied.thread.find((m) => m.kind === 'denial_letter');
    expect(note).toMatchObject({ thread: 'requester' });
    expect(note!.body).toContain(`It is attached (${letter!.name})`);
    const [event] = await auditFor('request.supervisor_review_submitted', letter!.id);
    expect(event?.data).toMatchObject({ decision: 'deny', letter: 'denial' });
  });

  it('REV-3: a denial on an unreviewable ground says plainly that it cannot be reviewed, and still how to complain', async () => {
    const r = await toSupervisorReview({ documentClasses: ['psychotherapy_notes'] });
    await post('supervisor', r, 'supervisor-review', {
      decision: 'deny',
      consequences: 'None beyond the denial',
      denialGround: 'psychotherapy_notes',
      denialLetter: 'Psychotherapy notes are kept separately from your record.',
    });
    const [letter] = await letters(r);
    const text = await readLetter(r, letter!);
    expect(text).toContain('psychotherapy notes');
    expect(text).toContain('This decision cannot be reviewed');
    expect(text).not.toContain('You can ask for a review');
    expect(text).toContain(HHS);
  });

  it('REV-5: a partial denial lists what is released and what is withheld; everything not denied goes on to release', async () => {
    const r = await toSupervisorReview();
    const res = await post('supervisor', r, 'supervisor-review', {
      decision: 'deny_partial',
      consequences: "Notes about the client's sister could harm her",
      denialGround: 'harm_to_referenced_person',
      denialLetter: 'The treatment plans mention your sister in detail.',
      approvedScope: { documentClasses: ['progress_notes'] },
    });
    expect(res.stage).toBe('invoice');
    const [letter] = await letters(r);
    const text = await readLetter(r, letter!);
    expect(text).toContain('We can give you only part of the records you asked for');
    expect(text).toMatch(
      /What we will send you • Progress notes, from 1 January 2025 to 30 June 2026 We will send these by Wednesday 31 March 2027 at the latest\./,
    );
    expect(text).toMatch(/What we are holding back • Treatment plans, from 1 January 2025 to 30 June 2026/);
    expect(text).toContain('The records mention another person');
    expect(text).toContain('You can ask for a review of this decision');
    expect(text).toContain(HHS);
  });

  it('REV-3, REV-5: a refused denial (no letter text) or a release leaves no letter', async () => {
    const r = await toSupervisorReview();
    const refused = await as.supervisor!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('REV-5');
    expect(await letters(r)).toEqual([]);
    await post('supervisor', r, 'supervisor-review', { decision: 'release', consequences: 'None' });
    expect(await letters(r)).toEqual([]);
  });

  it('REV-4: the independent review of a denial ends with a letter: upheld is final, with how to complain; overturned says the records will come', async () => {
    const deny = {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: 'Reading these notes now could put you at risk.',
    };
    // Upheld.
    let r = await toSupervisorReview();
    await post('supervisor', r, 'supervisor-review', deny);
    await post('privacy', r, 'denial-review', {
      reason: 'The client asked for a review',
      reviewerId: u.otherSupervisor!.id,
    });
    r = await post('otherSupervisor', r, 'supervisor-review', {
      ...deny,
      denialLetter: 'I read the notes again and agree: not now.',
    });
    expect(r.stage).toBe('denied');
    const upheld = (await letters(r)).find((f) => f.name.startsWith('denial-review-outcome-'));
    expect(upheld?.name).toBe(`denial-review-outcome-${r.number}.pdf`);
    let text = await readLetter(r, upheld!);
    expect(text).toContain('The reviewer agreed with the decision');
    expect(text).toContain('I read the notes again and agree: not now.');
    expect(text).toContain('cannot be reviewed again here');
    expect(text).toContain(HHS);
    expect(r.thread.find((m) => m.kind === 'denial_review_outcome')?.body).toContain(upheld!.name);
    expect(await auditFor('request.supervisor_review_submitted', upheld!.id)).toHaveLength(1);

    // Overturned.
    r = await toSupervisorReview();
    await post('supervisor', r, 'supervisor-review', deny);
    await post('privacy', r, 'denial-review', {
      reason: 'The client asked for a review',
      reviewerId: u.otherSupervisor!.id,
    });
    r = await post('otherSupervisor', r, 'supervisor-review', {
      decision: 'release',
      consequences: 'Offer to go through them together',
    });
    expect(r.stage).toBe('invoice');
    const overturned = (await letters(r)).find((f) => f.name.startsWith('denial-review-outcome-'));
    text = await readLetter(r, overturned!);
    expect(text).toContain('The reviewer changed the decision');
    expect(text).toContain('You will get the records');
  });

  it('REV-4: a refused reopening (a reviewer who took part) leaves no review letter', async () => {
    const r = await toSupervisorReview();
    await post('supervisor', r, 'supervisor-review', {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: 'Reading these notes now could put you at risk.',
    });
    const res = await as.privacy!.post(`/api/requests/${r.id}/denial-review`, {
      reason: 'The client asked for a review',
      reviewerId: u.supervisor!.id,
    });
    expect(res.statusCode).toBe(400);
    expect((await letters(r)).map((f) => f.name)).toEqual([`denial-letter-${r.number}.pdf`]);
  });

  it('REV-5, KIND-2: a directed copy is denied in a letter to the client, never through the named recipient', async () => {
    const r = await toSupervisorReview({
      kind: 'client_directed',
      requester: { name: 'Dr. Next', organization: 'Next Clinic', email: 'next@clinic.test' },
    });
    const denied = await post('supervisor', r, 'supervisor-review', {
      decision: 'deny',
      consequences: 'Risk to life',
      denialGround: 'endanger_life_or_safety',
      denialLetter: 'Reading these notes now could put Alex at risk.',
    });
    const [letter] = await letters(r);
    const text = await readLetter(r, letter!);
    expect(text).toContain('Dear Alex Moreno,');
    expect(text).toContain('12 Elm Street');
    expect(text).not.toContain('Dr. Next');
    expect(denied.thread.filter((m) => m.thread === 'requester')).toEqual([]);
    expect(denied.thread.find((m) => m.kind === 'denial_letter')).toMatchObject({ thread: 'internal' });
  });

  it('REV-7: no records held ends with a letter saying so and where to ask instead, on the thread and in the audit', async () => {
    const r = await newRequest({ dateFrom: '2019-01-01', dateTo: '2019-12-31' });
    const done = await post('support', r, 'no-records', {
      writtenAnswer: 'We have no records of visits in 2019: our records start in 2021.',
      whereToAsk: 'Lakeside Family Clinic, 400 Lake Road, phone 555-0199',
    });
    expect(done.stage).toBe('no_records');
    const [letter, ...more] = await letters(r);
    expect(more).toEqual([]);
    expect(letter!.name).toBe(`no-records-answer-${r.number}.pdf`);
    const text = await readLetter(r, letter!);
    expect(text).toContain('We do not have the records you asked for');
    expect(text).toContain('from 1 January 2019 to 31 December 2019');
    expect(text).toContain('we do not hold any of these records');
    expect(text).toContain('our records start in 2021');
    expect(text).toContain(
      'These records may be held by: Lakeside Family Clinic, 400 Lake Road, phone 555-0199',
    );
    expect(text).toContain('Pat Privacy');

    // The answer (issue 5's status notice goes beside it: test/mail/requester-notices.test.ts).
    const note = done.thread.find((m) => m.thread === 'requester' && m.kind === 'notice');
    expect(note!.body).toContain('Where to ask instead: Lakeside Family Clinic');
    expect(note!.body).toContain(`Our letter is attached (${letter!.name}).`);
    expect(done.end?.letter).toContain('Lakeside Family Clinic');
    const [event] = await auditFor('request.no_records_recorded', letter!.id);
    expect(event?.data).toMatchObject({ rule: 'REV-7', whereToAsk: expect.stringContaining('Lakeside') });
  });

  it('REV-7: without a known place to ask, the letter says so; a refused answer leaves no letter', async () => {
    const r = await newRequest();
    const byTherapist = await as.therapist!.post(`/api/requests/${r.id}/no-records`, {
      writtenAnswer: 'We hold nothing.',
    });
    expect(byTherapist.statusCode).toBe(403);
    const tooLong = await as.support!.post(`/api/requests/${r.id}/no-records`, {
      writtenAnswer: 'We hold nothing.',
      whereToAsk: 'x'.repeat(2001),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('whereToAsk');
    expect(await letters(r)).toEqual([]);

    await post('support', r, 'no-records', { writtenAnswer: 'We have never seen you as a client.' });
    const [letter] = await letters(r);
    const text = await readLetter(r, letter!);
    expect(text).toContain('We do not know who holds these records.');
    const again = await as.support!.post(`/api/requests/${r.id}/no-records`, { writtenAnswer: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(await letters(r)).toHaveLength(1);
  });
});
