// The vocabulary of the demo's request scripts: each step validates its body with the same schema as
// the API route and runs the same command, in the acting person's context.
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { FeeBasis, FeeCode } from '../../shared/rule-packs.js';
import {
  clientDiscussionSchema,
  completeIntakeSchema,
  endRequestSchema,
  noRecordsSchema,
  recordInvoiceSchema,
  recordPaymentSchema,
  recordReleaseSchema,
  submitPreparationSchema,
  supervisorReviewSchema,
} from '../../shared/schemas/request-actions.js';
import type { createRequestSchema } from '../../shared/schemas/requests.js';
import type { Stage } from '../../shared/workflow.js';
import { ACTIVE_TASK_STATES, type TaskType } from '../../shared/workflow-tasks.js';
import { completeIntake } from '../commands/complete-intake.js';
import { endRequest, recordNoRecords } from '../commands/end-request.js';
import { escalateReview } from '../commands/escalate-review.js';
import { quoteAndRecordAgreement } from '../commands/quote-fee.js';
import { recordInvoice } from '../commands/record-invoice.js';
import { recordPayment } from '../commands/record-payment.js';
import { recordRelease } from '../commands/record-release.js';
import { approvePreparation, submitPreparation } from '../commands/review-preparation.js';
import { submitClientDiscussion } from '../commands/submit-client-discussion.js';
import { submitSupervisorReview } from '../commands/submit-supervisor-review.js';
import { waitOnRequester } from '../commands/task-actions.js';
import type { Ctx } from '../context.js';
import { tasks } from '../db/schema.js';
import type { DemoClientKey, DemoUserKey } from './accounts.js';
import type { When } from './timeline.js';

export type Act = (ctx: Ctx, requestId: string) => Promise<unknown>;

export const intake =
  (method: string): Act =>
  (ctx, id) =>
    completeIntake(ctx, id, completeIntakeSchema.parse({ verification: { method } }));

export const discuss =
  (body: z.input<typeof clientDiscussionSchema>): Act =>
  (ctx, id) =>
    submitClientDiscussion(ctx, id, clientDiscussionSchema.parse(body));

export const review =
  (body: z.input<typeof supervisorReviewSchema>): Act =>
  (ctx, id) =>
    submitSupervisorReview(ctx, id, supervisorReviewSchema.parse(body));

export const escalate =
  (question: string): Act =>
  (ctx, id) =>
    escalateReview(ctx, id, { question });

/** A charge of the demo's invoices: a fee code (FEE-1…FEE-5) and what the client is told. */
export interface DemoFeeLine {
  code: FeeCode;
  description: string;
  amountCents: number;
  /** Pages and the price a page, for copies a per-page cap bounds (TIME-3, FEE-5). */
  quantity?: number;
  unitCents?: number;
}

/**
 * Support records the invoice step. A sent invoice follows the fee quoted in advance and agreed by
 * the client (FEE-3): the quote, with its fee codes, is recorded and accepted first, then the
 * invoice carries exactly its lines.
 */
export const invoice =
  (
    body:
      | { mode: 'no_fee' | 'waived' }
      | { mode: 'sent'; basis?: FeeBasis; pages?: number; lines: DemoFeeLine[]; agreement: string },
  ): Act =>
  async (ctx, id) => {
    if (body.mode !== 'sent') return recordInvoice(ctx, id, recordInvoiceSchema.parse(body));
    const { agreement, lines, ...quote } = body;
    await quoteAndRecordAgreement(ctx, id, { ...quote, lines }, agreement);
    return recordInvoice(
      ctx,
      id,
      recordInvoiceSchema.parse({
        mode: 'sent',
        lines: lines.map(({ description, amountCents }) => ({ description, amountCents })),
      }),
    );
  };

export const pay =
  (body: z.input<typeof recordPaymentSchema>): Act =>
  (ctx, id) =>
    recordPayment(ctx, id, recordPaymentSchema.parse(body));

export const prepare =
  (notes: string): Act =>
  (ctx, id) =>
    submitPreparation(ctx, id, submitPreparationSchema.parse({ notes }));

export const approve =
  (notes?: string): Act =>
  (ctx, id) =>
    approvePreparation(ctx, id, { notes: notes ?? null });

export const release =
  (body: z.input<typeof recordReleaseSchema>): Act =>
  (ctx, id) =>
    recordRelease(ctx, id, recordReleaseSchema.parse(body));

export const noRecords =
  (writtenAnswer: string): Act =>
  (ctx, id) =>
    recordNoRecords(ctx, id, noRecordsSchema.parse({ writtenAnswer }));

export const withdraw =
  (reason: string, messageToRequester: string): Act =>
  (ctx, id) =>
    endRequest(ctx, id, 'withdraw', endRequestSchema.parse({ reason, messageToRequester }));

/** The open task of this type waits on the requester (its step clock pauses; TIME-1). */
export const waitFor =
  (type: TaskType, reason: string): Act =>
  async (ctx, id) => {
    const [task] = await ctx.tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(
        and(eq(tasks.requestId, id), eq(tasks.type, type), inArray(tasks.state, [...ACTIVE_TASK_STATES])),
      );
    if (!task) throw new Error(`demo script: no open ${type} task to wait on`);
    return waitOnRequester(ctx, id, task.id, { reason });
  };

export interface DemoStep {
  at: When;
  by: DemoUserKey;
  act: Act;
}

/** One request of the demo: what was asked, and the steps taken on it since. */
export interface DemoRequest {
  key: string;
  client: DemoClientKey;
  /** Where the request stands once its steps are played (the tests check it). */
  stage: Stage;
  receivedAt: When;
  input: Omit<z.input<typeof createRequestSchema>, 'clientId' | 'receivedAt'>;
  steps: DemoStep[];
}

export const step = (at: When, by: DemoUserKey, act: Act): DemoStep => ({ at, by, act });
