// The public form's submission (issue 7): a request made by its requester, with no staff session.
// Before any writing: the honeypot, the proof of work (signed, unexpired, solved), the documents
// each choice needs, and every upload through the staff uploads' checks (`prepareUpload`: type from
// the bytes, 25 MB, damaged or protected PDFs refused). Then ONE transaction: the challenge is spent,
// the emailed code checked (a wrong one counted and committed, nothing else), the client matched by
// name and date of birth, and the request created through the staff intake command (channel
// 'portal', so the legal clock starts now, TIME-1) with its files, the acknowledgement email queued
// and the submission audited. A failure at any step leaves no request, no file and no email.
// A name and birth date that match no client (or a client with no therapist) are answered exactly
// like a match: a request held on a provisional client for support to match or answer (REV-7);
// see unmatched.ts for why. The sender can never learn from the form whether someone is a client.
// rule VER-1: nothing here verifies who is asking; the request waits in support's intake queue.
import { and, eq, sql } from 'drizzle-orm';
import {
  type IntakeReceipt,
  type IntakeSubmission,
  requestKindFor,
  requiredFiles,
} from '../../../shared/schemas/portal-intake.js';
import type { CreateRequestInput } from '../../../shared/schemas/requests.js';
import { record } from '../../audit/record.js';
import { createRequest } from '../../commands/create-request.js';
import type { Ctx, RequestMeta, Services } from '../../context.js';
import { clients } from '../../db/schema.js';
import { inTransaction } from '../../db/tx.js';
import { type PreparedUpload, prepareUpload } from '../../documents/content.js';
import { storeFile } from '../../documents/storage.js';
import type { FilePurpose } from '../../documents/vocabulary.js';
import { BadRequestError } from '../../errors.js';
import type { IntakeBody, IntakeFile } from './body.js';
import { checkCode, emailHash, spendCode } from './codes.js';
import { checkSolution, spendChallenge } from './pow.js';
import { intakePractice, portalActor } from './practice.js';
import { FORM_CHECK_MESSAGE, type IntakeRefusal, ROBOT_MESSAGE, refusalError, refuse } from './refusals.js';
import { NO_FORM_MESSAGE } from './request-code.js';
import { provisionalClient, UNMATCHED_NOTE, unmatchedTherapist } from './unmatched.js';

const FILE_PURPOSE: Record<IntakeFile['field'], FilePurpose> = {
  authorization: 'authorization',
  legal_document: 'legal_document',
  id_document: 'request',
  other: 'request',
};

const CODE_MESSAGES: Record<'none' | 'expired' | 'used' | 'locked' | 'wrong', string> = {
  none: 'Ask for a code first: we email it to the address you gave.',
  expired: 'This code has expired. Ask for a new one.',
  used: 'This code was already used. Ask for a new one to send another request.',
  locked: 'This code is locked after too many tries. Ask for a new one.',
  wrong: 'That code is not right. Check the email we sent and try again.',
};

type Outcome =
  | { ok: true; receipt: IntakeReceipt }
  | { ok: false; refusal: IntakeRefusal; codeEvent?: boolean };

/** The client the request is about: one of the practice's clients with this name and date of birth. */
async function matchClient(ctx: Ctx, practiceId: string, s: IntakeSubmission) {
  const rows = await ctx.tx
    .select({
      id: clients.id,
      firstName: clients.firstName,
      lastName: clients.lastName,
      therapistId: clients.therapistId,
      email: clients.email,
    })
    .from(clients)
    .where(
      and(
        eq(clients.practiceId, practiceId),
        eq(sql`lower(btrim(${clients.firstName}))`, s.client.firstName.toLowerCase()),
        eq(sql`lower(btrim(${clients.lastName}))`, s.client.lastName.toLowerCase()),
        eq(clients.dateOfBirth, s.client.dateOfBirth),
      ),
    );
  if (rows.length === 1) return rows[0]!;
  // Two clients with one name and birth date: the one whose address on file is the requester's.
  const byEmail = rows.filter((r) => r.email?.trim().toLowerCase() === s.email);
  return byEmail.length === 1 ? byEmail[0]! : null;
}

/** The staff intake's input; a client asking for themselves is named as on file. */
function requestInput(
  s: IntakeSubmission,
  client: { id: string; firstName: string; lastName: string },
  /** The placeholder therapist of a request held unmatched; null when the client was matched. */
  heldTherapistId: string | null,
  now: Date,
): CreateRequestInput {
  const selfAsking = s.kind === 'own_records' || s.kind === 'send_to_someone';
  const kind = requestKindFor(s.kind, s.legalDocument);
  const notes = ['Sent through the online request form. Who is asking is not verified yet (VER-1).'];
  if (heldTherapistId) {
    notes.push(UNMATCHED_NOTE);
  }
  return {
    kind,
    kindSubtype: null,
    clientId: client.id,
    therapistId: heldTherapistId,
    // rule KIND-2: the named recipient, in the request's own fields.
    recipient: s.recipient
      ? {
          name: s.recipient.name,
          organization: s.recipient.organization,
          email: s.recipient.email ?? null,
          address: s.recipient.address,
        }
      : null,
    requester: {
      name: selfAsking ? `${client.firstName} ${client.lastName}` : s.requester!.name,
      organization: selfAsking ? null : (s.requester?.organization ?? null),
      relationship: selfAsking ? 'client' : (s.requester?.relationship ?? null),
      email: s.email,
      phone: s.phone ?? null,
      address: s.address ?? null,
    },
    documentClasses: s.records,
    dateFrom: s.dateFrom ?? null,
    dateTo: s.dateTo ?? null,
    purpose: s.purpose ?? null,
    deliverable: s.deliverable,
    deliveryFormat: s.deliveryFormat,
    receivedAt: now.toISOString(),
    channel: 'portal',
    neededBy: s.neededBy ?? null,
    documentDueDate: kind === 'subpoena' || kind === 'court_order' ? (s.documentDueDate ?? null) : null,
    notes: notes.join('\n'),
    language: s.language,
  };
}

export async function submitIntake(
  services: Services,
  meta: RequestMeta,
  body: IntakeBody,
): Promise<IntakeReceipt> {
  const { submission: s, files } = body;
  const practice = await intakePractice(services, s.practiceId);
  // An unknown practice: recorded in the instance's own chain (no practice to record it in).
  if (!practice)
    return refuse(services, meta, null, 'submit', {
      status: 404,
      code: 'not_found',
      reason: 'unknown_practice',
      message: NO_FORM_MESSAGE,
    });
  const { practiceId } = practice;
  if (s.website) {
    return refuse(services, meta, practiceId, 'submit', {
      status: 400,
      code: 'form_check',
      reason: 'honeypot',
      message: ROBOT_MESSAGE,
    });
  }
  const pow = checkSolution(services.config.masterKey, s.pow, services.now());
  if (!pow.ok) {
    return refuse(services, meta, practiceId, 'submit', {
      status: 400,
      code: 'form_check',
      reason: `pow_${pow.reason}`,
      message: FORM_CHECK_MESSAGE,
    });
  }
  const missing = requiredFiles(s.kind).filter((f) => !files.some((file) => file.field === f));
  if (missing.length > 0) {
    throw new BadRequestError(
      missing.includes('authorization')
        ? 'Attach the signed authorization (AUTH-1).'
        : 'Attach the subpoena or court order (LEGAL-2).',
      missing.map((f) => ({ path: `body.${f}`, message: 'is required' })),
    );
  }
  // The staff uploads' checks, before anything is written (a refused file leaves nothing behind).
  const prepared: { field: IntakeFile['field']; file: PreparedUpload }[] = [];
  for (const f of files)
    prepared.push({ field: f.field, file: await prepareUpload({ name: f.name, data: f.data }) });

  const hash = emailHash(services.config.masterKey, s.email);
  const outcome = await inTransaction(
    services,
    meta,
    null,
    async (ctx): Promise<Outcome> => {
      if (!(await spendChallenge(ctx.tx, pow.id, pow.expiresAt, ctx.now))) {
        return {
          ok: false,
          refusal: { status: 400, code: 'form_check', reason: 'pow_replayed', message: FORM_CHECK_MESSAGE },
        };
      }
      const code = await checkCode(ctx.tx, services.config.masterKey, {
        practiceId,
        emailHash: hash,
        code: s.code,
        now: ctx.now,
      });
      if (!code.ok) {
        const reason = code.locked ? 'locked' : code.reason;
        record(ctx, {
          type: 'portal_intake.code_rejected',
          data: { reason: code.reason, locked: code.locked === true },
        });
        return {
          ok: false,
          codeEvent: true,
          refusal: { status: 400, code: `code_${reason}`, reason, message: CODE_MESSAGES[reason] },
        };
      }
      // rule VER-1 and privacy: matched or not, the same steps and the same answer. An unmatched
      // name is no wrong try on the code (it is not a guess at the code); the code is spent either way.
      const found = await matchClient(ctx, practiceId, s);
      const matched = found?.therapistId ? found : null;
      const client = matched ?? (await provisionalClient(ctx, practiceId, s.client));
      const heldTherapist = matched ? null : await unmatchedTherapist(ctx.tx, practiceId);
      ctx.actor = await portalActor(ctx.tx, practiceId);
      const request = await createRequest(ctx, requestInput(s, client, heldTherapist, ctx.now));
      for (const p of prepared) {
        await storeFile(ctx, {
          requestId: request.id,
          purpose: FILE_PURPOSE[p.field],
          name: p.file.name,
          contentType: p.file.contentType,
          data: p.file.data,
        });
      }
      await spendCode(ctx.tx, code.id, request.id, ctx.now);
      record(ctx, {
        type: 'portal_intake.submitted',
        requestId: request.id,
        clientId: client.id,
        data: {
          number: request.number,
          choice: s.kind,
          kind: request.kind,
          channel: 'portal',
          language: s.language,
          files: prepared.map((p) => ({ field: p.field, name: p.file.name })),
          // Held for support: no client with this name and birth date (or none with a therapist).
          matched: matched !== null,
          ...(matched ? {} : { unmatchedReason: found ? 'no_therapist' : 'no_client' }),
        },
      });
      // The request's audit events carry no staff actor: the requester made it.
      ctx.actor = null;
      return {
        ok: true,
        receipt: {
          number: request.number,
          practiceName: practice.name,
          email: s.email,
          files: prepared.length,
        },
      };
    },
    { practiceId },
  );
  if (!outcome.ok) {
    // A code refusal was audited in the transaction that counted it.
    if (outcome.codeEvent) throw refusalError(outcome.refusal);
    return refuse(services, meta, practiceId, 'submit', outcome.refusal);
  }
  return outcome.receipt;
}
