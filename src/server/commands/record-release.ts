import type { z } from 'zod';
import {
  DOCUMENT_CLASS_LABELS,
  type DocumentClass,
  isAccessKind,
  type RequestKind,
} from '../../shared/request-kinds.js';
import {
  RELEASE_DETAILS_SCHEMAS,
  type ReleaseDetails,
  type ReleaseMethod,
  type recordReleaseSchema,
} from '../../shared/schemas/request-actions.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { disclosures } from '../db/schema.js';
import { assertVerbalNotesApproved } from '../drafts/gate.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import { releasePacket } from '../packets/release.js';
import { loadCompliance } from '../queries/authorizations.js';
import type { LoadedRequest } from '../queries/visible-requests.js';
import { assertReleasable } from '../rules/release-gate.js';
import { runTransition } from './support/transition.js';

function describe(loaded: LoadedRequest): string {
  const scope = (loaded.row.approvedScope ?? {}) as {
    documentClasses?: DocumentClass[];
    dateFrom?: string;
    dateTo?: string;
  };
  const classes = (scope.documentClasses ?? (loaded.row.documentClasses as DocumentClass[])).map(
    (c) => DOCUMENT_CLASS_LABELS[c],
  );
  const from = scope.dateFrom ?? loaded.row.dateFrom;
  const to = scope.dateTo ?? loaded.row.dateTo;
  const range = from || to ? ` (${from ?? 'start'} to ${to ?? 'latest'})` : '';
  return `${classes.join(', ')}${range}, as ${loaded.row.deliverable.replaceAll('_', ' ')}`;
}

type ReleaseInput = z.infer<typeof recordReleaseSchema>;

const REL1_MISSING: Record<ReleaseMethod, string> = {
  secure_download: '',
  mail: 'a release by mail records the date posted and the tracking number',
  pickup: 'a pick-up records the date, who collected the records and how their identity was checked',
  inspection: 'an inspection records the date, who attended and how their identity was checked',
  fax: 'a release by fax records the fax number and the confirmation',
  email:
    'email with the records attached needs a recorded warning of the risk, and the client asking for it after it',
  verbal: 'a verbal release records what was discussed, with whom and when',
};

interface Delivery {
  method: ReleaseMethod;
  details: ReleaseDetails[ReleaseMethod];
  /** How it went, for the disclosure entry's description (REL-3). */
  line: string;
  /** Where it went, when the body names no address. */
  address: string | null;
}

/**
 * rule REL-1: each form of delivery records what proves it (validated per form; 400 naming REL-1,
 * before anything is written). The form is the body's method, else the request's delivery format.
 */
function checkDelivery(ctx: Ctx, kind: RequestKind, deliveryFormat: string, input: ReleaseInput): Delivery {
  const method = (input.method ?? deliveryFormat) as ReleaseMethod;
  const schema = RELEASE_DETAILS_SCHEMAS[method];
  if (!schema) throw new BadRequestError(`REL-1: "${method}" is not a form of delivery.`);
  const parsed = schema.safeParse(input.details ?? {});
  if (!parsed.success) {
    throw new BadRequestError(
      `REL-1: ${REL1_MISSING[method]}.`,
      parsed.error.issues.map((i) => ({
        path: ['body', 'details', ...i.path].join('.'),
        message: i.message,
      })),
    );
  }
  const today = ctx.now.toISOString().slice(0, 10);
  const notAfterNow = (path: string, value: string, what: string) => {
    // One day of slack: a date is the practice's local date, ctx.now is UTC.
    const limit = new Date(ctx.now.getTime() + 24 * 3600 * 1000).toISOString();
    if ((value.length === 10 ? `${value}T00:00:00Z` : value) > limit)
      throw new BadRequestError(`REL-1: ${what} cannot be in the future.`, [
        { path, message: `After today (${today}).` },
      ]);
  };
  switch (method) {
    case 'secure_download':
      return { method, details: {}, line: 'Delivered by secure link', address: null };
    case 'mail': {
      const d = parsed.data as ReleaseDetails['mail'];
      notAfterNow('body.details.postedOn', d.postedOn, 'the date posted');
      const by = d.carrier ? ` by ${d.carrier}` : '';
      return {
        method,
        details: d,
        line: `Mailed${by} on ${d.postedOn}, tracking number ${d.trackingNumber}`,
        address: null,
      };
    }
    case 'pickup':
    case 'inspection': {
      const d = parsed.data as ReleaseDetails['pickup'];
      notAfterNow(
        'body.details.on',
        d.on,
        method === 'pickup' ? 'the date of pick-up' : 'the date of inspection',
      );
      const what =
        method === 'pickup' ? `Collected in person on ${d.on} by` : `Inspected in person on ${d.on} by`;
      return {
        method,
        details: d,
        line: `${what} ${d.attendedBy}; identity checked: ${d.identityCheck}`,
        address: 'In person',
      };
    }
    case 'fax': {
      const d = parsed.data as ReleaseDetails['fax'];
      if (d.sentAt) notAfterNow('body.details.sentAt', d.sentAt, 'the time sent');
      return {
        method,
        details: d,
        line: `Faxed to ${d.faxNumber}, confirmation ${d.confirmation}`,
        address: `Fax ${d.faxNumber}`,
      };
    }
    case 'email': {
      const d = parsed.data as ReleaseDetails['email'];
      // rule REL-1: unencrypted email with attachments only when the client asks for it.
      if (!isAccessKind(kind)) {
        throw new ConflictError(
          'REL-1: records go by email with attachments only when the client (or their representative) asks for it; use a secure link for this request.',
          { rule: 'REL-1', kind },
        );
      }
      const w = d.riskWarning;
      notAfterNow('body.details.riskWarning.clientAskedAt', w.clientAskedAt, 'the client asking');
      if (Date.parse(w.clientAskedAt) < Date.parse(w.warnedAt)) {
        throw new BadRequestError('REL-1: the client must ask for email after the warning of the risk.', [
          { path: 'body.details.riskWarning.clientAskedAt', message: 'Before the warning was given.' },
        ]);
      }
      return {
        method,
        details: d,
        line: `Emailed with the records attached to ${d.to}, at the client's request after a warning of the risk on ${w.warnedAt}`,
        address: d.to,
      };
    }
    case 'verbal': {
      const d = parsed.data as ReleaseDetails['verbal'];
      notAfterNow('body.details.discussedAt', d.discussedAt, 'the discussion');
      return {
        method,
        details: d,
        line: `Discussed verbally with ${d.withWhom} on ${d.discussedAt}: ${d.discussed}`,
        address: null,
      };
    }
  }
}

/**
 * The records are released. rule REL-3: every release, in any form, writes a disclosure entry
 * (date, recipient, description, purpose, who released it, the packet's SHA-256), append-only.
 */
export async function recordRelease(ctx: Ctx, requestId: string, input: ReleaseInput) {
  const taskResult: Record<string, unknown> = { method: input.method ?? null };
  let delivery: Delivery | undefined;
  const result = await runTransition(ctx, requestId, {
    action: 'record_release',
    taskResult,
    check: async (loaded) => {
      // rule REL-1: the form's details first (400), then the gate.
      delivery = checkDelivery(ctx, loaded.row.kind as RequestKind, loaded.row.deliveryFormat, input);
      taskResult.delivery = { method: delivery.method, ...delivery.details };
      // Procedure step 4 with REL-1: a verbal release needs the supervisor's approved preparation notes.
      if (delivery.method === 'verbal') await assertVerbalNotesApproved(ctx, loaded.row);
      // rule AUTH-3, AUTH-4, AUTH-5, REP-1, VER-1, LEGAL-3, SCOPE-1: the release gate, read at release time (409 naming each rule).
      assertReleasable(loaded.row.id, (await loadCompliance(ctx, loaded.row)).releaseBlockers);
    },
  });
  const how = delivery!;
  const { row } = result.loaded;
  // rule REL-5: the packet sent is marked released (never changed again) and its hash logged.
  const packetSha256 = await releasePacket(ctx, row, { ...input, method: how.method });
  const [entry] = await ctx.tx
    .insert(disclosures)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      clientId: row.clientId,
      kind: row.kind,
      disclosedAt: ctx.now,
      recipientName: input.recipientName ?? row.requesterName,
      recipientAddress:
        input.recipientAddress ?? how.address ?? row.requesterAddress ?? row.requesterEmail ?? null,
      // rule REL-3 with REL-1: what was disclosed, then how it was delivered.
      description: `${input.description ?? describe(result.loaded)}. ${how.line}.`,
      purpose: row.purpose ?? 'At the request of the individual',
      deliverable: row.deliverable,
      releasedBy: ctx.actor!.id,
      packetSha256,
      createdAt: ctx.now,
    })
    .returning({ id: disclosures.id });
  record(ctx, {
    type: 'disclosure.recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      disclosureId: entry!.id,
      kind: row.kind,
      method: how.method,
      packetSha256,
    },
  });
  // Issue 5, rule REL-2: the requester is told the records were released and how they come (never
  // what they contain).
  await postRequesterNotice(ctx, row, 'requester_ready', `released:${row.id}`, {
    method: input.method ?? null,
  });
  return result;
}
