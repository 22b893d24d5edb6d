// Who may make each write the access matrix sends where the caller sees the record (rule SEC-2): the
// policy function the route's command asks, called here over the same facts, so each cell knows
// whether its answer is due to be the policy's 403 or to get past it (2xx, or the stage's 409, a
// business rule's 400/422). A request or client write route without a line here fails the matrix,
// as a route without an expectation does. Visibility itself (404) is canViewRequest/canViewClient.

import {
  canHandleAccounting,
  canManageSuspensions,
  canRecordImpermissible,
} from '../../../src/server/policies/accounting.js';
import {
  decideApproveException,
  decidePrepareAuthorizationForm,
  decideRecordCompliance,
} from '../../../src/server/policies/authorizations.js';
import { decideFileUpload } from '../../../src/server/policies/documents.js';
import {
  decideDraftReview,
  decideDraftWrite,
  type ReviewerFact,
} from '../../../src/server/policies/drafts.js';
import type { Actor, RequestFacts } from '../../../src/server/policies/facts.js';
import { decideRecordAssurance, decideRecordPrivilege } from '../../../src/server/policies/legal.js';
import { decideLinkManagement, decidePacketAssembly } from '../../../src/server/policies/packets.js';
import { canDoPayment } from '../../../src/server/policies/payments.js';
import { canBreakGlass, canCreateRequest, canManageClients } from '../../../src/server/policies/practice.js';
import { decideAddRedFlag } from '../../../src/server/policies/red-flags.js';
import { canViewRequest, decideAction } from '../../../src/server/policies/request.js';
import {
  canExtendDeadline,
  canQuoteFee,
  canRecordPayment,
  canWriteToRequester,
} from '../../../src/server/policies/request-support.js';
import type { Action } from '../../../src/shared/workflow.js';
import type { Json } from '../fuzz/arbitraries.js';
import type { WalkStage } from './rich.js';

/** What SEC-2 says of one write cell: not visible (404), visible but not theirs to do (403), or theirs. */
export type WriteDue = 'hidden' | 'refused' | 'may';

export interface RequestWriteCell {
  actor: Actor;
  facts: RequestFacts;
  now: Date;
  /** The task the URL names, if any. */
  taskId?: string;
  /** Who reviews the request's prepared documents, as the workflow resolves it. */
  reviewer: ReviewerFact;
  /** The author of the draft version the URL names, if any. */
  authorId: string | null;
  body: Json;
}

type Decided = { allowed: boolean };
type RequestRule = (c: RequestWriteCell) => Decided | boolean;

/** A request write: the policy function its command asks, and the stage its fresh request is walked to. */
interface RequestWrite {
  rule: RequestRule;
  /** Where the action applies, so its holder may get past the policy (default `intake`, a new request). */
  stage?: WalkStage;
  /** With `preparation`: the draft's version is sent for review first. */
  submitVersion?: boolean;
}

const action =
  (a: Action): RequestRule =>
  (c) =>
    decideAction(c.actor, c.facts, a, c.now, c.taskId);
/** A practice-level check the command makes once the request is found (404 first). */
const ifVisible =
  (check: (actor: Actor, practiceId: string) => boolean): RequestRule =>
  (c) =>
    check(c.actor, c.facts.practiceId);
const payment =
  (a: 'start_checkout' | 'refund' | 'void'): RequestRule =>
  (c) =>
    canDoPayment(c.actor, c.facts.practiceId, a);
const review: RequestRule = (c) => decideDraftReview(c.actor, c.facts, c.reviewer, c.authorId);

/** Keyed by the URL after `/api/requests/:requestId/`. */
export const REQUEST_WRITES: Readonly<Record<string, RequestWrite>> = {
  intake: { rule: action('complete_intake') },
  'client-match': { rule: ifVisible(canCreateRequest) },
  'client-discussion': { rule: action('submit_client_discussion'), stage: 'client_discussion' },
  'supervisor-review': { rule: action('submit_supervisor_review'), stage: 'supervisor_review' },
  escalation: { rule: action('escalate_review'), stage: 'supervisor_review' },
  invoice: { rule: action('record_invoice'), stage: 'invoice' },
  payment: { rule: ifVisible((a) => canRecordPayment(a)) },
  preparation: { rule: action('submit_preparation'), stage: 'preparation' },
  'preparation/approval': { rule: action('approve_preparation'), stage: 'prepared_review' },
  'preparation/changes': { rule: action('request_changes'), stage: 'prepared_review' },
  release: { rule: action('record_release'), stage: 'release' },
  'no-records': { rule: action('record_no_records') },
  withdrawal: { rule: action('withdraw') },
  cancellation: { rule: action('cancel') },
  // A denied request is not walked to: the privacy officer's reopening meets the stage's 409.
  'denial-review': { rule: action('reopen_after_denial_review') },
  'break-glass': { rule: ifVisible(canBreakGlass) },
  // The duplicate is withdrawn into the earlier request (which the body names, visible to the caller).
  merge: { rule: action('withdraw') },
  'red-flags': { rule: (c) => decideAddRedFlag(c.actor, c.facts) },
  // The internal thread is everyone's who sees the request; the requester's only support's.
  messages: {
    rule: (c) => (c.body as { thread?: string }).thread !== 'requester' || canWriteToRequester(c.actor),
  },
  'tasks/:taskId/wait': { rule: action('wait_on_requester') },
  'tasks/:taskId/resume': { rule: action('resume') },
  'tasks/:taskId/reassign': { rule: action('reassign_task') },
  // While the therapist holds the client-discussion task, so a task holder may record these too.
  authorizations: { rule: (c) => decideRecordCompliance(c.actor, c.facts), stage: 'client_discussion' },
  'authorizations/:authorizationId/revocation': {
    rule: (c) => decideRecordCompliance(c.actor, c.facts),
    stage: 'client_discussion',
  },
  'authorizations/:authorizationId/signer-copy': {
    rule: (c) => decideRecordCompliance(c.actor, c.facts),
    stage: 'client_discussion',
  },
  verifications: { rule: (c) => decideRecordCompliance(c.actor, c.facts), stage: 'client_discussion' },
  exceptions: { rule: (c) => decideApproveException(c.actor, c.facts) },
  'authorization-form': { rule: (c) => decidePrepareAuthorizationForm(c.actor, c.facts) },
  'satisfactory-assurance': { rule: (c) => decideRecordAssurance(c.actor, c.facts) },
  privilege: { rule: (c) => decideRecordPrivilege(c.actor, c.facts) },
  extension: { rule: ifVisible((a) => canExtendDeadline(a)) },
  'fee-quote': { rule: ifVisible((a) => canQuoteFee(a)) },
  'fee-quote/accept': { rule: ifVisible((a) => canQuoteFee(a)) },
  'payments/checkout': { rule: payment('start_checkout') },
  'payments/refund': { rule: payment('refund') },
  'payments/void': { rule: payment('void') },
  files: { rule: (c) => decideFileUpload(c.actor, c.facts), stage: 'preparation' },
  drafts: { rule: (c) => decideDraftWrite(c.actor, c.facts), stage: 'preparation' },
  'drafts/:draftId/versions': { rule: (c) => decideDraftWrite(c.actor, c.facts), stage: 'preparation' },
  'drafts/:draftId/versions/:versionId/submit': {
    rule: (c) => decideDraftWrite(c.actor, c.facts),
    stage: 'preparation',
  },
  'drafts/:draftId/versions/:versionId/comments': { rule: review, stage: 'preparation', submitVersion: true },
  'drafts/:draftId/versions/:versionId/approval': { rule: review, stage: 'preparation', submitVersion: true },
  'drafts/:draftId/versions/:versionId/changes': { rule: review, stage: 'preparation', submitVersion: true },
  packets: { rule: (c) => decidePacketAssembly(c.actor, c.facts), stage: 'release' },
  'packets/:packetId/links': { rule: (c) => decideLinkManagement(c.actor, c.facts), stage: 'link' },
  'links/:linkId/revoke': { rule: (c) => decideLinkManagement(c.actor, c.facts), stage: 'link' },
};

const REQUEST_PREFIX = '/api/requests/:requestId/';

/** The line of a request write route, or undefined (the matrix then fails, naming it). */
export function requestWriteOf(url: string): RequestWrite | undefined {
  return url.startsWith(REQUEST_PREFIX) ? REQUEST_WRITES[url.slice(REQUEST_PREFIX.length)] : undefined;
}

export function decideRequestWrite(w: RequestWrite, c: RequestWriteCell): WriteDue {
  if (!canViewRequest(c.actor, c.facts)) return 'hidden';
  const d = w.rule(c);
  return (typeof d === 'boolean' ? d : d.allowed) ? 'may' : 'refused';
}

/** Client writes: who may act once the client is visible (the accounting policies, clients' management). */
export const CLIENT_WRITES: Readonly<Record<string, (actor: Actor, practiceId: string) => boolean>> = {
  'PATCH /api/clients/:id': (a, p) => canManageClients(a, p),
  'POST /api/clients/:clientId/accounting-requests': (a, p) => canHandleAccounting(a, p).allowed,
  'POST /api/clients/:clientId/accounting-requests/:id/extension': (a, p) =>
    canHandleAccounting(a, p).allowed,
  'POST /api/clients/:clientId/accounting-requests/:id/fulfilment': (a, p) =>
    canHandleAccounting(a, p).allowed,
  'POST /api/clients/:clientId/accounting-suspensions': (a, p) => canManageSuspensions(a, p).allowed,
  'POST /api/clients/:clientId/disclosures/impermissible': (a, p) => canRecordImpermissible(a, p).allowed,
};
