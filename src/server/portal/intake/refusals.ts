// Refusals of the public form: recorded in their own transaction (with no actor, in the form's
// practice), then answered with a plain message. Nothing in them names the address or the code.

import { record } from '../../audit/record.js';
import type { RequestMeta, Services } from '../../context.js';
import { inTransaction } from '../../db/tx.js';
import { AppError, TooManyRequestsError } from '../../errors.js';

export const FORM_CHECK_MESSAGE =
  'The form’s safety check did not pass or has expired. Reload the page and try again.';
export const ROBOT_MESSAGE = 'This form could not be sent. Reload the page and try again.';

export interface IntakeRefusal {
  status: 400 | 404 | 429 | 503;
  code: string;
  /** Recorded in the audit event: why, in a word. */
  reason: string;
  message: string;
  retryAfterSeconds?: number;
}

export function refusalError(r: IntakeRefusal): AppError {
  if (r.status === 429) return new TooManyRequestsError(r.message, r.retryAfterSeconds ?? 60);
  return new AppError(
    r.status,
    r.code,
    r.message,
    r.retryAfterSeconds ? { retryAfterSeconds: r.retryAfterSeconds } : {},
  );
}

/** Audit the refusal (own transaction), then throw it. */
export async function refuse(
  services: Services,
  meta: RequestMeta,
  practiceId: string | null,
  step: 'code' | 'submit',
  r: IntakeRefusal,
): Promise<never> {
  await inTransaction(
    services,
    meta,
    null,
    async (ctx) => {
      record(ctx, { type: 'portal_intake.refused', data: { step, reason: r.reason, status: r.status } });
    },
    { practiceId },
  );
  throw refusalError(r);
}
