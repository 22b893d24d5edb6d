// The workflow's actions over HTTP: each route parses its body, runs one command in one
// transaction, and answers with the request as the caller now sees it (with fresh abilities).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { matchPortalClientSchema } from '../../../shared/schemas/portal-intake.js';
import * as bodies from '../../../shared/schemas/request-actions.js';
import { addRedFlag } from '../../commands/add-red-flag.js';
import { breakTheGlass } from '../../commands/break-glass.js';
import { completeIntake } from '../../commands/complete-intake.js';
import { endRequest, recordNoRecords } from '../../commands/end-request.js';
import { escalateReview } from '../../commands/escalate-review.js';
import { mergeDuplicate } from '../../commands/merge-duplicate.js';
import { postMessage } from '../../commands/post-message.js';
import { recordInvoice } from '../../commands/record-invoice.js';
import { recordPayment } from '../../commands/record-payment.js';
import { recordRelease } from '../../commands/record-release.js';
import { reopenAfterDenial } from '../../commands/reopen-after-denial.js';
import { approvePreparation, requestChanges, submitPreparation } from '../../commands/review-preparation.js';
import { submitClientDiscussion } from '../../commands/submit-client-discussion.js';
import { submitSupervisorReview } from '../../commands/submit-supervisor-review.js';
import { reassignTask, resumeTask, waitOnRequester } from '../../commands/task-actions.js';
import type { Ctx } from '../../context.js';
import { runAsActor } from '../../http/auth-context.js';
import { matchPortalClient } from '../../portal/intake/unmatched.js';
import { errorSchemas, requestDetailsSchema, requestIdParams, taskParams } from './schema.js';
import { showRequest } from './show.js';

interface RequestAction<S extends z.ZodType> {
  path: string;
  summary: string;
  body: S;
  run: (ctx: Ctx, requestId: string, body: z.infer<S>) => Promise<unknown>;
}

const action = <S extends z.ZodType>(a: RequestAction<S>) => a;

const REQUEST_ACTIONS = [
  action({
    path: 'intake',
    summary: 'Support completes the intake check (VER-1)',
    body: bodies.completeIntakeSchema,
    run: completeIntake,
  }),
  action({
    path: 'client-match',
    summary: 'Support names the real client of a request the online form could not match (issue 7)',
    body: matchPortalClientSchema,
    run: matchPortalClient,
  }),
  action({
    path: 'client-discussion',
    summary: 'The therapist records the discussion with the client (REV-1)',
    body: bodies.clientDiscussionSchema,
    run: submitClientDiscussion,
  }),
  action({
    path: 'supervisor-review',
    summary: 'The supervisor records red flags, consequences and the decision (REV-2)',
    body: bodies.supervisorReviewSchema,
    run: submitSupervisorReview,
  }),
  action({
    path: 'escalation',
    summary: 'The reviewer asks their own supervisor (or, from the top, the privacy officer) to review',
    body: bodies.escalateReviewSchema,
    run: escalateReview,
  }),
  action({
    path: 'invoice',
    summary: 'Support records the invoice, no fee, or a waiver (FEE-6)',
    body: bodies.recordInvoiceSchema,
    run: recordInvoice,
  }),
  action({
    path: 'payment',
    summary: 'Support records a payment made to the practice',
    body: bodies.recordPaymentSchema,
    run: recordPayment,
  }),
  action({
    path: 'preparation',
    summary: 'The preparer sends what was prepared for review',
    body: bodies.submitPreparationSchema,
    run: submitPreparation,
  }),
  action({
    path: 'preparation/approval',
    summary: 'The supervisor approves what was prepared',
    body: bodies.approvePreparationSchema,
    run: approvePreparation,
  }),
  action({
    path: 'preparation/changes',
    summary: 'The supervisor asks for changes to what was prepared',
    body: bodies.requestChangesSchema,
    run: requestChanges,
  }),
  action({
    path: 'release',
    summary: 'Support records the release and its disclosure entry (REL-3)',
    body: bodies.recordReleaseSchema,
    run: recordRelease,
  }),
  action({
    path: 'no-records',
    summary: 'End with the written answer that no records are held (REV-7)',
    body: bodies.noRecordsSchema,
    run: recordNoRecords,
  }),
  action({
    path: 'withdrawal',
    summary: 'The requester withdrew: end with a reason and a message to them',
    body: bodies.endRequestSchema,
    run: (ctx, id, b) => endRequest(ctx, id, 'withdraw', b),
  }),
  action({
    path: 'cancellation',
    summary: 'Cancel with a reason and a message to the requester (access kinds: the privacy officer)',
    body: bodies.endRequestSchema,
    run: (ctx, id, b) => endRequest(ctx, id, 'cancel', b),
  }),
  action({
    path: 'denial-review',
    summary: 'Reopen a denied request for review by a clinician who took no part (REV-4)',
    body: bodies.reopenAfterDenialSchema,
    run: reopenAfterDenial,
  }),
  action({
    path: 'break-glass',
    summary: "The privacy officer's emergency access, with a written reason (SEC-2)",
    body: bodies.breakGlassSchema,
    run: breakTheGlass,
  }),
  action({
    path: 'merge',
    summary:
      'Merge a second request for the same records into the earlier one; its clock keeps the first receipt (REV-6, TIME-1)',
    body: bodies.mergeDuplicateSchema,
    run: mergeDuplicate,
  }),
  action({
    path: 'red-flags',
    summary: 'Add a red flag the system cannot see (REV-6)',
    body: bodies.addRedFlagSchema,
    run: addRedFlag,
  }),
  action({
    path: 'messages',
    summary: 'Post a message on the internal or the requester thread',
    body: bodies.postMessageSchema,
    run: postMessage,
  }),
];

interface TaskAction<S extends z.ZodType> {
  path: string;
  summary: string;
  body: S;
  run: (ctx: Ctx, requestId: string, taskId: string, body: z.infer<S>) => Promise<unknown>;
}

const taskAction = <S extends z.ZodType>(a: TaskAction<S>) => a;

const TASK_ACTIONS = [
  taskAction({
    path: 'wait',
    summary: 'The task waits on the requester; its step clock pauses, the legal clock does not (TIME-1)',
    body: bodies.waitOnRequesterSchema,
    run: waitOnRequester,
  }),
  taskAction({
    path: 'resume',
    summary: 'Resume a task that was waiting on the requester',
    body: bodies.submitPreparationSchema,
    run: (ctx, r, t) => resumeTask(ctx, r, t),
  }),
  taskAction({
    path: 'reassign',
    summary: 'Support or the supervisor hands the task to someone else',
    body: bodies.reassignTaskSchema,
    run: reassignTask,
  }),
];

export const requestActionRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const a of REQUEST_ACTIONS) {
    app.post(
      `/api/requests/:requestId/${a.path}`,
      {
        schema: {
          tags: ['workflow'],
          summary: a.summary,
          params: requestIdParams,
          body: a.body,
          response: { 200: requestDetailsSchema, ...errorSchemas },
        },
      },
      async (req) =>
        runAsActor(req, async (ctx) => {
          await a.run(ctx, req.params.requestId, req.body as never);
          return showRequest(ctx, req.params.requestId, { recordView: false });
        }),
    );
  }
  for (const a of TASK_ACTIONS) {
    app.post(
      `/api/requests/:requestId/tasks/:taskId/${a.path}`,
      {
        schema: {
          tags: ['workflow'],
          summary: a.summary,
          params: taskParams,
          body: a.body,
          response: { 200: requestDetailsSchema, ...errorSchemas },
        },
      },
      async (req) =>
        runAsActor(req, async (ctx) => {
          await a.run(ctx, req.params.requestId, req.params.taskId, req.body as never);
          return showRequest(ctx, req.params.requestId, { recordView: false });
        }),
    );
  }
};
