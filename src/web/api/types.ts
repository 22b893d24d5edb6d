// The shapes the API answers (the response schemas in src/server/routes/**, which are the OpenAPI
// contract). Vocabulary types (stages, actions, kinds, roles) come from src/shared.

import type { RequestKind } from '../../shared/request-kinds';
import type { Role } from '../../shared/roles';
import type { ClientView } from '../../shared/schemas/clients';
import type { Action, Stage } from '../../shared/workflow';
import type { TaskState, TaskType } from '../../shared/workflow-tasks';

export type { ClientView };

export interface Instance {
  demo: boolean;
  banner: string | null;
  idleTimeoutMinutes: number;
  demoLogins: { email: string; name: string; note: string }[] | null;
  demoPassword: string | null;
}

export interface Me {
  user: { id: string; name: string; email: string; roles: Role[]; practiceId: string };
  practice: { id: string; name: string; timeZone: string; state: string };
  abilities: string[];
}

export type LoginAnswer =
  | { csrfToken: string; mfaEnrollmentRequired: true; otpauthUrl: string }
  | { csrfToken: string; mfaRequired: true }
  | { csrfToken: string };

export interface Person {
  id: string;
  name: string;
}

export interface MyTask {
  /** For a "Letter to review" card (draft_review): the version's id. */
  taskId: string;
  type: TaskType | 'draft_review';
  label: string;
  state: TaskState;
  holder: 'me' | 'queue';
  queueRole: Role | null;
  /** null: a letter to review whose request has no preparation clock. */
  dueAt: string | null;
  due: string | null;
  daysLeft: number | null;
  overdue: boolean;
  paused: boolean;
  request: {
    id: string;
    number: string;
    kindLabel: string;
    stageLabel: string;
    status: string;
    /** `unmatched`: from the online form, not matched to a client yet. */
    client: { name: string; isMinor: boolean; unmatched: boolean };
    requester: { name: string; organization: string | null };
    legal: LegalClock;
  };
}

export interface LegalClock {
  label: string;
  dueAt: string;
  due: string;
  daysLeft: number | null;
  overdue: boolean;
}

export interface StepClock {
  taskId: string;
  label: string;
  dueAt: string;
  due: string;
  daysLeft: number;
  overdue: boolean;
  paused: boolean;
}

export type ExtraAbility =
  | 'post_internal_message'
  | 'post_requester_message'
  | 'upload_file'
  | 'break_glass'
  | 'record_payment'
  | 'extend_deadline'
  | 'quote_fee'
  | 'match_client';

export interface RequestSummary {
  id: string;
  number: string;
  kind: RequestKind;
  kindLabel: string;
  kindSubtype: string | null;
  stage: Stage;
  stageLabel: string;
  status: string;
  /** `unmatched`: from the online form, not matched to a client yet (issue 7). */
  client: { id: string; name: string; isMinor: boolean; unmatched: boolean };
  therapist: Person | null;
  requester: { name: string; organization: string | null };
  receivedAt: string;
  clocks: { legal: LegalClock & { basis: 'law' | 'document' | 'target' }; step: StepClock | null };
  abilities: (Action | ExtraAbility)[];
}

export interface TaskView {
  id: string;
  type: TaskType;
  label: string;
  state: TaskState;
  assignee: Person | null;
  assigneeRole: Role | null;
  owner: string;
  isMine: boolean;
  dueAt: string;
  due: string;
  daysLeft: number;
  overdue: boolean;
  waitingSince: string | null;
  completedAt: string | null;
  completedBy: Person | null;
  result: Record<string, unknown> | null;
  abilities: Action[];
}

/** The request's invoice (FEE-2…FEE-6), as GET /api/requests/:id carries it. */
export interface InvoiceView {
  mode: 'sent' | 'no_fee' | 'waived';
  amountCents: number;
  lines: Array<{ description: string; amountCents: number }>;
  sentAt: string | null;
  paidAt: string | null;
  paymentMethod: string | null;
  paymentReference: string | null;
}

export interface ThreadMessage {
  id: string;
  thread: 'internal' | 'requester';
  author: Person | null;
  kind: string;
  subject: string;
  body: string;
  createdAt: string;
}

export interface RedFlagView {
  code: string;
  label: string;
  reason: string;
  source: 'system' | 'staff';
}

export interface RequestDetails extends Omit<RequestSummary, 'client' | 'requester'> {
  client: { id: string; name: string; dateOfBirth: string; isMinor: boolean; unmatched: boolean };
  requester: {
    name: string;
    organization: string | null;
    relationship: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
  };
  /** rule KIND-2: whom the client directs the copy to. */
  recipient: {
    name: string;
    organization: string | null;
    email: string | null;
    address: string | null;
  } | null;
  asked: {
    documentClasses: string[];
    dateFrom: string | null;
    dateTo: string | null;
    purpose: string | null;
    deliverable: string;
    deliverableLabel: string;
    deliveryFormat: string;
    neededBy: string | null;
    documentDueDate: string | null;
  };
  channel: string;
  notes: string | null;
  end: { reason: string | null; letter: string | null; at: string } | null;
  stepper: {
    stage: Stage;
    label: string;
    skipped: boolean;
    state: 'done' | 'current' | 'upcoming' | 'skipped' | 'stopped';
  }[];
  tasks: TaskView[];
  thread: ThreadMessage[];
  history: { at: string; type: string; actorName: string | null; data: Record<string, unknown> }[];
  releaseBlockers: { rule: string; message: string }[];
  /** Not every server build sends them yet (rule REV-6). */
  redFlags?: RedFlagView[];
  invoice: InvoiceView | null;
}

export interface RequestList {
  total: number;
  items: RequestSummary[];
}

export interface ClientList {
  clients: ClientView[];
  total: number;
}

/** A file of a request (GET /api/requests/:id/files): metadata only, never the content. */
export interface FileView {
  id: string;
  requestId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** 'request', 'authorization', 'legal_document', 'record', 'letter', 'packet', … */
  purpose: string;
  documentClass: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  uploadedBy: { id: string; name: string };
  createdAt: string;
}

export interface FileList {
  files: FileView[];
  abilities: Array<'upload_file' | 'download_file'>;
}

export interface ImportantNoticeView {
  title: string;
  body: string;
}

/** GET /api/practice (every staff member reads it; only an admin changes it). */
export interface PracticeView {
  id: string;
  name: string;
  state: string;
  timeZone: string;
  privacyOfficer: { name: string | null; email: string | null; phone: string | null };
  settings: PracticeSettingsView;
}

/** The [policy] settings in force, defaults filled in (src/shared/schemas/practice-settings.ts). */
export interface PracticeSettingsView {
  stepBusinessDays: Partial<Record<TaskType, number>>;
  targetCalendarDays: number;
  ladderBusinessDays: {
    assignee: number;
    supervisor: number;
    secondSupervisor: number;
    privacyOfficer: number;
  };
  legalNoticeDays: number[];
  breakGlassMinutes: number;
  importantNotices: ImportantNoticeView[];
}

/** GET /api/users (admin): a staff account. */
export interface UserView {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  active: boolean;
  mfaEnrolled: boolean;
  supervisorId: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  deactivatedAt: string | null;
}

/** A one-time sign-in link for a new (or locked-out) staff member. */
export interface SignInLink {
  url: string;
  expiresAt: string;
}

export interface SupervisionLink {
  superviseeId: string;
  supervisorId: string;
  createdAt: string;
}

/** GET /api/rule-packs: one version of a rule pack (TIME-3). */
export interface RulePackView {
  id: string;
  jurisdiction: string;
  version: number;
  effectiveFrom: string;
  practiceSpecific: boolean;
  notes: string | null;
  createdAt: string;
  unverified: string[];
  data: Record<string, unknown>;
}

export interface RulePacks {
  current: { jurisdiction: string; pack: RulePackView }[];
  versions: RulePackView[];
}

export type { AuditEventView } from '../../shared/schemas/audit';

import type { AccountingRequestView } from '../../shared/schemas/accounting';

export type { DisclosureView } from '../../shared/schemas/accounting';
export type { AccountingRequestView };

/** GET /api/accounting-requests: an accounting request with its client. */
export type AccountingRequestItem = AccountingRequestView & { client: { id: string; name: string } };

/** GET /api/me/supervisees/tasks: a supervisee's open task on the supervisor's board. */
export type SuperviseeTask = Omit<MyTask, 'holder' | 'queueRole'> & { assignee: Person };
