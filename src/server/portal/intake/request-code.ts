// Step one of the public form (issue 7): email a 6-digit code to the address the requester gave.
// Checked first, without writing: the honeypot, the proof of work's signature, expiry and
// solution, and that this server can send email. Then in one transaction: the challenge is spent
// (single use), the address's and the IP's hourly limits are checked, the code row is written and
// the sending audited. The email goes out after the commit; if the SMTP server refuses it, the code
// is locked at once (it can never be used) and the requester is told to try again later.
import { eq } from 'drizzle-orm';
import type { IntakeCodeRequest } from '../../../shared/schemas/portal-intake.js';
import { intakeCodeRequestSchema } from '../../../shared/schemas/portal-intake.js';
import { record } from '../../audit/record.js';
import type { RequestMeta, Services } from '../../context.js';
import { portalIntakeCodes } from '../../db/schema-portal-intake.js';
import { inTransaction } from '../../db/tx.js';
import { INTERACTIVE_SEND_MS, replyTimeoutMs, transportFor } from '../../mail/transport.js';
import { codeEmail } from './code-email.js';
import { CODE_TTL_MINUTES, codeRateCheck, emailHash, issueCode } from './codes.js';
import { checkSolution, spendChallenge } from './pow.js';
import { intakePractice } from './practice.js';
import { FORM_CHECK_MESSAGE, type IntakeRefusal, ROBOT_MESSAGE, refuse } from './refusals.js';

export const NO_FORM_MESSAGE = 'This request form is not available. Please contact the practice directly.';

export async function requestIntakeCode(
  services: Services,
  meta: RequestMeta,
  body: IntakeCodeRequest,
): Promise<{ expiresInMinutes: number }> {
  const input = intakeCodeRequestSchema.parse(body);
  const practice = await intakePractice(services, input.practiceId);
  // An unknown practice: recorded in the instance's own chain (no practice to record it in).
  if (!practice)
    return refuse(services, meta, null, 'code', {
      status: 404,
      code: 'not_found',
      reason: 'unknown_practice',
      message: NO_FORM_MESSAGE,
    });
  const { practiceId } = practice;
  if (input.website) {
    return refuse(services, meta, practiceId, 'code', {
      status: 400,
      code: 'form_check',
      reason: 'honeypot',
      message: ROBOT_MESSAGE,
    });
  }
  const now = services.now();
  const pow = checkSolution(services.config.masterKey, input.pow, now);
  if (!pow.ok) {
    return refuse(services, meta, practiceId, 'code', {
      status: 400,
      code: 'form_check',
      reason: `pow_${pow.reason}`,
      message: FORM_CHECK_MESSAGE,
    });
  }
  const smtpUrl = services.config.mail.smtpUrl;
  if (!smtpUrl) {
    const call = practice.phone
      ? ` Please call ${practice.name} at ${practice.phone}.`
      : ` Please contact ${practice.name}.`;
    return refuse(services, meta, practiceId, 'code', {
      status: 503,
      code: 'no_email',
      reason: 'no_smtp',
      message: `We cannot send email codes right now, so this form cannot be used.${call}`,
    });
  }
  const hash = emailHash(services.config.masterKey, input.email);
  const issued = await inTransaction(
    services,
    meta,
    null,
    async (ctx): Promise<{ ok: true; id: string; code: string } | { ok: false; refusal: IntakeRefusal }> => {
      if (!(await spendChallenge(ctx.tx, pow.id, pow.expiresAt, ctx.now))) {
        return {
          ok: false,
          refusal: { status: 400, code: 'form_check', reason: 'pow_replayed', message: FORM_CHECK_MESSAGE },
        };
      }
      const rate = await codeRateCheck(ctx.tx, { practiceId, emailHash: hash, ip: meta.ip, now: ctx.now });
      if (!rate.ok) {
        return {
          ok: false,
          refusal: {
            status: 429,
            code: 'too_many_requests',
            reason: `rate_${rate.limit}`,
            message:
              rate.limit === 'address'
                ? 'We have already sent several codes to this address. Use the latest one, or wait an hour and ask again.'
                : 'Too many codes were asked for from this connection. Wait an hour and try again.',
            retryAfterSeconds: 3600,
          },
        };
      }
      const code = await issueCode(ctx.tx, services.config.masterKey, {
        practiceId,
        emailHash: hash,
        ip: meta.ip,
        now: ctx.now,
      });
      record(ctx, { type: 'portal_intake.code_sent', data: { codeId: code.id, language: input.language } });
      return { ok: true, id: code.id, code: code.code };
    },
    { practiceId },
  );
  if (!issued.ok) return refuse(services, meta, practiceId, 'code', issued.refusal);
  const words = codeEmail(input.language, practice.name, issued.code);
  try {
    await transportFor(smtpUrl, replyTimeoutMs(services.config.mail)).sendMail({
      from: services.config.mail.from,
      to: input.email,
      subject: words.subject,
      text: words.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
      signal: AbortSignal.timeout(INTERACTIVE_SEND_MS),
    });
  } catch {
    await services.database.db
      .update(portalIntakeCodes)
      .set({ lockedAt: now })
      .where(eq(portalIntakeCodes.id, issued.id));
    return refuse(services, meta, practiceId, 'code', {
      status: 503,
      code: 'email_failed',
      reason: 'send_failed',
      message: 'We could not send the email just now. Please try again in a few minutes.',
    });
  }
  return { expiresInMinutes: CODE_TTL_MINUTES };
}
