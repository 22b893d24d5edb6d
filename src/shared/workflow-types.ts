// The shapes of the transition table (workflow.ts) and of what planning an action returns.
import type { Deliverable, RequestKind } from './request-kinds.js';
import type {
  ClientDiscussionOutcome,
  DenialGround,
  FieldError,
  InvoiceMode,
  SupervisorDecision,
} from './review-decisions.js';
import type { Action, Performer, TransitionAuditType } from './workflow-actions.js';
import type { ProcedureStage, Stage } from './workflow-stages.js';
import type { TaskSpec, TaskState, TaskType } from './workflow-tasks.js';

/** What the caller supplies with an action (validated by the route's schema for shape). */
export interface TransitionInput {
  outcome?: ClientDiscussionOutcome;
  decision?: SupervisorDecision;
  clientRequestedNarrowing?: boolean;
  clientAgreedToSummary?: boolean;
  denialGround?: DenialGround | null;
  denialLetter?: string | null;
  invoiceMode?: InvoiceMode;
  reason?: string | null;
  messageToRequester?: string | null;
  writtenAnswer?: string | null;
}

export interface PlanContext {
  kind: RequestKind;
  deliverable: Deliverable;
  input: TransitionInput;
}

export type StageRule = Stage | 'same' | ((c: PlanContext) => Stage | 'same');

export interface Transition {
  action: Action;
  from: readonly Stage[];
  /** Kinds the action exists for (default: all). */
  appliesTo?: (kind: RequestKind) => boolean;
  /** The task the action completes; `null` for request-level and task-level actions. */
  completes: TaskType | null;
  /** Whether the task is completed for this input (default: yes). */
  completesWhen?: (c: PlanContext) => boolean;
  opens: (c: PlanContext) => TaskSpec[];
  to: StageRule;
  who: Performer;
  whoByKind?: Partial<Record<RequestKind, Performer>>;
  auditType: TransitionAuditType;
  /** Input fields that must be present and not blank. */
  requires: readonly (keyof TransitionInput)[];
  validate?: (c: PlanContext) => FieldError[];
  /** Task-level actions: the state the task acted on must be in, and the state it goes to. */
  task?: { from: readonly TaskState[]; to: TaskState | 'same' };
  rules: readonly string[];
}

export interface RequestState {
  stage: Stage;
  kind: RequestKind;
  deliverable: Deliverable;
  /** Types of the request's open or waiting tasks, when loaded. */
  activeTaskTypes?: readonly TaskType[];
  /** For task-level actions: the task acted on, when loaded. */
  targetTask?: { type: TaskType; state: TaskState };
}

export type TransitionPlan = {
  ok: true;
  action: Action;
  from: Stage;
  to: Stage;
  /** The task this action completes (set to done); null when none, or when the task stays open. */
  completes: TaskType | null;
  opens: TaskSpec[];
  /** The request reached an end: cancel every task still open or waiting. */
  closesOpenTasks: boolean;
  /** Task-level actions: the new state of the task acted on. */
  taskState: TaskState | 'same' | null;
  auditType: TransitionAuditType;
};

export type TransitionRefusal =
  | { ok: false; status: 409; message: string; allowedActions: Action[] }
  | { ok: false; status: 400; message: string; errors: FieldError[] };

export interface StepperStage {
  stage: ProcedureStage;
  label: string;
  /** The kind never passes through this stage (KIND-8 skips the invoice). */
  skipped: boolean;
}
