// The support team's habit, kept by the software: each request has one internal thread, and at
// intake and at every step the thread gets the instructions for that step: who does what, by when,
// in the words of the practice's procedure. Runs as a job; a retry never posts twice.
import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  DELIVERABLE_LABELS,
  type Deliverable,
  KIND_LABELS,
  type RequestKind,
} from '../../shared/request-kinds.js';
import { ROLE_LABELS, type Role } from '../../shared/roles.js';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import { formatDue } from '../../shared/time.js';
import { STAGE_LABELS, type Stage } from '../../shared/workflow.js';
import type { TaskType } from '../../shared/workflow-tasks.js';
import { record } from '../audit/record.js';
import { type Services, SYSTEM_META } from '../context.js';
import { practices, requests, tasks, threadMessages, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { queueThreadEmails } from '../mail/dispatch.js';
import { supervisorChain } from '../queries/supervision.js';

export const POST_INSTRUCTIONS = 'thread.post-instructions';

/** What the step that queued the job did: the stage it reached and the tasks it opened. */
interface Payload {
  requestId: string;
  practiceId: string;
  action: string;
  stage: Stage;
  /** When the step happened: the message is dated then, so the thread reads in the order of the steps. */
  at: string;
  taskIds: string[];
  key: string;
}

/** What each task asks of its owner, in the procedure's words. */
function taskInstruction(
  type: TaskType,
  kind: RequestKind,
  deliverable: Deliverable,
  supervisorName: string | null,
): string {
  switch (type) {
    case 'intake_check':
      return "Check that the request is complete, confirm its kind, and note how the requester's identity (and any authority to ask) was verified (VER-1). Verification must never become a barrier for the client.";
    case 'client_discussion':
      return [
        "Task #1: discuss the release with the client. Don't overcomplicate this; we are just asking a few basic questions.",
        'What does the client need, why do they need it, and when do they need it? Then ask about any concerns you have.',
        kind === 'client_access' || kind === 'client_directed' || kind === 'representative'
          ? "This is a request for the client's own records: the discussion is offered, never required, and the client does not have to give a reason. If the client declines or cannot be reached, record that and the request goes on (REV-1)."
          : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'supervisor_review':
      return [
        'Task #1: discuss the request with your supervisee and identify any red flags or concerns.',
        'Take time to discuss whether honoring the request could have negative consequences for the client or the therapeutic relationship.',
        supervisorName
          ? `If you are not sure, reach out to your supervisor (${supervisorName}).`
          : 'If you are not sure, reach out to the privacy officer.',
      ].join(' ');
    case 'invoice':
      return 'Send the invoice, or record that there is no fee or that it is waived. The fee is quoted in advance, and a release invoice never includes or waits on treatment balances (FEE-3, FEE-4).';
    case 'preparation':
      return `Task #2: talk with your supervisor and prepare the ${DELIVERABLE_LABELS[deliverable].toLowerCase()}, within what was authorized. Then send it for review.`;
    case 'prepared_review':
      return 'Task #2: review what your supervisee prepared (the letter or report, or the plan for the verbal discussion), then approve it or ask for changes. Keep an eye on this thread so your supervisee stays on time.';
    case 'release':
      return 'Release the records in the form and format asked for, then record the release so the disclosure is logged (REL-3).';
  }
}

export async function postInstructions(services: Services, data: Record<string, unknown>): Promise<void> {
  const p = data as unknown as Payload;
  await inTransaction(
    services,
    SYSTEM_META,
    null,
    async (ctx) => {
      const [request] = await ctx.tx.select().from(requests).where(eq(requests.id, p.requestId));
      if (!request) return;
      const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, request.practiceId));
      // The tasks this step opened (the job may run later, after further steps: describe this one).
      const open =
        p.taskIds.length === 0
          ? []
          : await ctx.tx
              .select()
              .from(tasks)
              .where(and(eq(tasks.requestId, request.id), inArray(tasks.id, p.taskIds)))
              .orderBy(asc(tasks.openedAt));
      const people = await ctx.tx
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(eq(users.practiceId, request.practiceId));
      const nameOf = (id: string | null) => people.find((u) => u.id === id)?.name ?? null;
      const tz = practice?.timeZone ?? 'UTC';
      const stage = p.stage;
      const dueLabel = request.legalDueBasis === 'target' ? 'Practice target date' : 'Legal due date';
      const lines: string[] = [
        `Release of records ${request.number}: ${KIND_LABELS[request.kind as RequestKind]}.`,
        `Stage: ${STAGE_LABELS[stage]}. ${dueLabel}: ${formatDue(ctx.now, request.legalDueAt, tz)}.`,
        '',
      ];
      if (open.length === 0) {
        lines.push(
          stage === 'released'
            ? 'The records were released. Thank you, everyone.'
            : `This request has ended (${STAGE_LABELS[stage]}). Nothing is waiting on anyone.`,
        );
      }
      for (const task of open) {
        const owner = task.assigneeId
          ? nameOf(task.assigneeId)
          : `${ROLE_LABELS[task.assigneeRole as Role] ?? 'The team'} (anyone on the team)`;
        const [above] =
          task.type === 'supervisor_review' && task.assigneeId
            ? await supervisorChain(ctx.tx, task.assigneeId)
            : [];
        const supervisorName = nameOf(above ?? null);
        lines.push(
          `${owner}: ${taskInstruction(task.type as TaskType, request.kind as RequestKind, request.deliverable as Deliverable, supervisorName)}`,
          `  Due ${formatDue(ctx.now, task.dueAt, tz)}. Open it: ${services.config.publicUrl}/requests/${request.id}`,
          '',
        );
      }
      // The practice's important notices go with the first instructions of every request.
      const notices =
        p.action === 'created' ? parsePracticeSettings(practice?.settings).importantNotices : [];
      if (notices.length > 0) {
        lines.push('Important notices:');
        for (const notice of notices) lines.push(`- ${notice.title}: ${notice.body}`);
        lines.push('');
      }
      lines.push(
        'Everyone: this procedure works best when each of us takes ownership of our part: make every client-facing interaction a great experience, and complete your tasks promptly and with excellence.',
      );
      const inserted = await ctx.tx
        .insert(threadMessages)
        .values({
          practiceId: request.practiceId,
          requestId: request.id,
          thread: 'internal',
          authorId: null,
          kind: 'instructions',
          subject: `Release of records ${request.number}: ${open.length > 0 ? 'your task' : STAGE_LABELS[stage].toLowerCase()}`,
          body: lines.join('\n'),
          idempotencyKey: `instructions:${p.key}`,
          createdAt: new Date(p.at),
        })
        .onConflictDoNothing()
        .returning({ id: threadMessages.id });
      if (inserted.length > 0) {
        // Issue 5: the instructions go out by email in this same transaction (or wait in the outbox).
        await queueThreadEmails(ctx, [inserted[0]!.id]);
        record(ctx, {
          type: 'thread.message_posted',
          requestId: request.id,
          data: { messageId: inserted[0]!.id, thread: 'internal', kind: 'instructions', after: p.action },
        });
      }
    },
    { practiceId: p.practiceId },
  );
}
