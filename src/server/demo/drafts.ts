// The demo's letters and notes (issue 6, procedure step 4), through the real commands: a document
// started from a practice template, a version in the therapist's words, sent to the supervisor and
// approved; and a request answered by a verbal discussion whose preparation notes wait for review.
import { desc, eq } from 'drizzle-orm';
import {
  createDraftSchema,
  type DraftTemplateKey,
  draftApproveSchema,
  saveDraftVersionSchema,
} from '../../shared/schemas/drafts.js';
import { approveDraftVersion } from '../commands/approve-draft-version.js';
import { createDraft } from '../commands/create-draft.js';
import { saveDraftVersion } from '../commands/save-draft-version.js';
import { submitDraftVersion } from '../commands/submit-draft-version.js';
import type { Ctx } from '../context.js';
import { drafts, draftVersions } from '../db/schema-drafts.js';
import { type Act, type DemoRequest, discuss, intake, invoice, review, step } from './actions.js';
import { type Calendar, when } from './timeline.js';

/** The request's document started from `template`, and its latest version. */
async function latestOf(ctx: Ctx, requestId: string, template: DraftTemplateKey) {
  const [row] = await ctx.tx
    .select({ draftId: drafts.id, versionId: draftVersions.id })
    .from(drafts)
    .innerJoin(draftVersions, eq(draftVersions.draftId, drafts.id))
    .where(eq(drafts.requestId, requestId))
    .orderBy(desc(draftVersions.number));
  if (!row) throw new Error(`demo script: no ${template} on the request`);
  return row;
}

export const startDraft =
  (template: DraftTemplateKey): Act =>
  (ctx, id) =>
    createDraft(ctx, id, createDraftSchema.parse({ template }));

export const rewriteDraft =
  (template: DraftTemplateKey, words: { title: string; body: string }): Act =>
  async (ctx, id) => {
    const { draftId } = await latestOf(ctx, id, template);
    return saveDraftVersion(ctx, id, draftId, saveDraftVersionSchema.parse(words));
  };

export const sendDraft =
  (template: DraftTemplateKey): Act =>
  async (ctx, id) => {
    const { draftId, versionId } = await latestOf(ctx, id, template);
    return submitDraftVersion(ctx, id, draftId, versionId);
  };

export const approveDraft =
  (template: DraftTemplateKey, comment?: string): Act =>
  async (ctx, id) => {
    const { draftId, versionId } = await latestOf(ctx, id, template);
    return approveDraftVersion(ctx, id, draftId, versionId, draftApproveSchema.parse({ comment }));
  };

/** The injury-claim letter (requests-open.ts) in the therapist's words. */
export const lukaszSummary = {
  title: 'Treatment summary for Łukasz Nowak',
  body: [
    'Prepared for: Rebecca Dunn, Kessler & Dunn LLP\nPurpose: Personal injury claim',
    'Łukasz Nowak has been seen at the practice since June last year, after a car accident.',
    'Reason for treatment: anxiety and poor sleep after the accident, with flashbacks when driving.',
    'Treatment and progress: weekly sessions of trauma-focused therapy. His sleep has improved and he drives short distances again.',
    'Current status and recommendations: continued weekly sessions for about three months, then a review.',
    'This summary is limited to the accident and its effects, as he asked.',
    'Sincerely,\n\nDr. Maya Rivera',
  ].join('\n\n'),
};

/** A verbal discussion with the client's new psychiatrist; the notes wait for the supervisor. */
export function draftRequests(cal: Calendar): DemoRequest[] {
  const y = cal.year;
  return [
    {
      key: 'verbal-notes-in-review',
      client: 'thomas',
      stage: 'preparation',
      receivedAt: when(6, 9, 40),
      input: {
        kind: 'provider_continuity',
        requester: {
          name: 'Dr. Priya Natarajan',
          organization: 'Sacramento Psychiatry Group',
          relationship: 'The client’s new psychiatrist',
          phone: '(555) 010-3520',
          email: 'pnatarajan@sacpsych.example.test',
        },
        documentClasses: ['treatment_plans', 'progress_notes'],
        dateFrom: `${y - 1}-09-01`,
        dateTo: cal.date(-7),
        purpose: 'Continuity of care: a call about current treatment before the first appointment',
        deliverable: 'verbal',
        deliveryFormat: 'secure_download',
        channel: 'phone',
      },
      steps: [
        step(when(5, 10), 'support', intake('Called back the psychiatry group at its published number')),
        step(
          when(4, 11),
          'therapist2',
          discuss({
            outcome: 'go_ahead',
            need: 'A short call between Dr. Kim and Dr. Natarajan',
            when: 'Before his first appointment next week',
            concerns: 'He asked that his divorce is not discussed.',
          }),
        ),
        step(
          when(3, 9, 30),
          'supervisor',
          review({
            decision: 'release',
            consequences: 'None: the client asked for the call, and it supports his care.',
          }),
        ),
        step(when(3, 11), 'support', invoice({ mode: 'no_fee' })),
        step(when(2, 15), 'therapist2', startDraft('verbal_discussion_notes')),
        step(
          when(1, 11, 30),
          'therapist2',
          rewriteDraft('verbal_discussion_notes', {
            title: 'Notes for the call with Dr. Natarajan',
            body: [
              'Talking with: Dr. Priya Natarajan, Sacramento Psychiatry Group (his new psychiatrist)',
              'What may be said: the current treatment plan, the medication history he reported, attendance and progress since September.',
              'What may not be said: anything about his divorce (he asked), or details from session notes beyond the plan.',
              'If asked about something outside this: say I can only speak to what he agreed to, and offer to ask him.',
            ].join('\n\n'),
          }),
        ),
        step(when(1, 12), 'therapist2', sendDraft('verbal_discussion_notes')),
      ],
    },
  ];
}
