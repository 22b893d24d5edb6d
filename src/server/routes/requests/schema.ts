// Response schemas of the request routes (they are the OpenAPI contract and the serializer).
import { z } from 'zod';
import { complianceDetailsShape } from '../../../shared/schemas/authorizations.js';
import { ACTIONS } from '../../../shared/workflow.js';
import { clocksView } from '../../clocks/schema.js';
import { rulesViewSchema } from '../../presenters/rules.js';

export const requestIdParams = z.object({ requestId: z.uuid() });
export const taskParams = z.object({ requestId: z.uuid(), taskId: z.uuid() });

const errorSchema = z.looseObject({ error: z.string(), message: z.string() });
export const errorSchemas = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
};

const person = z.object({ id: z.string(), name: z.string() }).nullable();
const ability = z.union([
  z.enum(ACTIONS),
  z.enum([
    'post_internal_message',
    'post_requester_message',
    'upload_file',
    'break_glass',
    'record_payment',
    'extend_deadline',
    'quote_fee',
    'match_client',
  ]),
]);
const json = z.record(z.string(), z.unknown());

// rule TIME-1, TIME-2, TIME-6: both clocks, the client's needed-by date and the ladder.
const clocks = clocksView;

export const requestSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  kindSubtype: z.string().nullable(),
  stage: z.string(),
  stageLabel: z.string(),
  status: z.string(),
  client: z.object({ id: z.string(), name: z.string(), isMinor: z.boolean(), unmatched: z.boolean() }),
  therapist: person,
  requester: z.object({ name: z.string(), organization: z.string().nullable() }),
  receivedAt: z.string(),
  clocks,
  abilities: z.array(ability),
});

const taskSchema = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string(),
  state: z.string(),
  assignee: person,
  assigneeRole: z.string().nullable(),
  owner: z.string(),
  isMine: z.boolean(),
  openedAt: z.string(),
  dueAt: z.string(),
  due: z.string(),
  daysLeft: z.number(),
  overdue: z.boolean(),
  waitingSince: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedBy: person,
  result: json.nullable(),
  abilities: z.array(z.enum(ACTIONS)),
});

export const requestDetailsSchema = requestSummarySchema.extend({
  client: z.object({
    id: z.string(),
    name: z.string(),
    dateOfBirth: z.string(),
    isMinor: z.boolean(),
    /** Issue 7: a provisional client from the public form, to match or answer (REV-7). */
    unmatched: z.boolean(),
  }),
  requester: z.object({
    name: z.string(),
    organization: z.string().nullable(),
    relationship: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
  }),
  recipient: z
    .object({
      name: z.string(),
      organization: z.string().nullable(),
      email: z.string().nullable(),
      address: z.string().nullable(),
    })
    .nullable(),
  asked: z.object({
    documentClasses: z.array(z.string()),
    dateFrom: z.string().nullable(),
    dateTo: z.string().nullable(),
    purpose: z.string().nullable(),
    deliverable: z.string(),
    deliverableLabel: z.string(),
    deliveryFormat: z.string(),
    neededBy: z.string().nullable(),
    documentDueDate: z.string().nullable(),
  }),
  channel: z.string(),
  notes: z.string().nullable(),
  approvedScope: json.nullable(),
  end: z.object({ reason: z.string().nullable(), letter: z.string().nullable(), at: z.string() }).nullable(),
  stepper: z.array(
    z.object({
      stage: z.string(),
      label: z.string(),
      skipped: z.boolean(),
      state: z.enum(['done', 'current', 'upcoming', 'skipped', 'stopped']),
    }),
  ),
  tasks: z.array(taskSchema),
  thread: z.array(
    z.object({
      id: z.string(),
      thread: z.enum(['internal', 'requester']),
      author: person,
      kind: z.string(),
      subject: z.string(),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
  invoice: json.nullable(),
  disclosure: json.nullable(),
  history: z.array(
    z.object({ at: z.string(), type: z.string(), actorName: z.string().nullable(), data: json }),
  ),
  breakGlassUntil: z.string().nullable(),
  /** rule AUTH-1…AUTH-5, VER-1, REP-1: authorizations with validity, verifications, release blockers. */
  ...complianceDetailsShape,
  /** rule TIME-3: the rules the request is decided under, where each came from, and the warnings. */
  rules: rulesViewSchema,
  /** rule REV-6: the system's red flags and those staff added. */
  redFlags: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      reason: z.string(),
      source: z.enum(['system', 'staff']),
    }),
  ),
});
