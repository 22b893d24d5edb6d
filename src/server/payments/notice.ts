// The requester hears on the request's thread that their payment arrived (issue 7), once per
// invoice. There is no payment notice among the admin's templates yet, so the words are here, plain
// and fixed. rule REL-2, SEC-5: the request number, the amount, what happens next and who to contact;
// nothing else. rule REV-5, KIND-2: on a copy the client directs to someone else the fee is the
// client's business, so the named recipient is not told.
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { threadMessages } from '../db/schema.js';
import { requesterLink } from '../mail/compose.js';
import { queueThreadEmails } from '../mail/dispatch.js';
import { contactLine, formatFee, type PracticeContact } from '../mail/requester-notices.js';
import { contactLineEs, formatFeeEs } from '../mail/requester-notices-es.js';
import { practiceContact } from '../mail/requester-thread.js';
import type { RequestRow } from '../queries/visible-requests.js';

export const PAYMENT_NOTICE_KIND = 'requester_payment_received';

/** The words of the notice (pure), in Spanish (usted) for a request made in Spanish. */
export function paymentNotice(
  facts: {
    requestNumber: string;
    amountCents: number;
    practice: PracticeContact;
    link: string;
  },
  language: 'en' | 'es' = 'en',
) {
  if (language === 'es')
    return {
      subject: `Su solicitud de expedientes ${facts.requestNumber}: pago recibido`,
      text: [
        `Gracias. Recibimos su pago de ${formatFeeEs(facts.amountCents)} por su solicitud de expedientes ${facts.requestNumber}.`,
        '',
        `Qué sigue: no necesitamos nada más de usted sobre el costo. Si desea un recibo, pídanoslo. Puede seguir su solicitud aquí: ${facts.link}`,
        '',
        `¿Preguntas? ${contactLineEs(facts.practice)}`,
        'Por su privacidad, no envíe información de salud por correo electrónico.',
      ].join('\n'),
    };
  return {
    subject: `Your records request ${facts.requestNumber}: payment received`,
    text: [
      `Thank you. We received your payment of ${formatFee(facts.amountCents)} for your records request ${facts.requestNumber}.`,
      '',
      `What happens next: nothing more is needed from you about the fee. A receipt is available from us on request. You can follow your request here: ${facts.link}`,
      '',
      `Questions? ${contactLine(facts.practice)}`,
      'For your privacy, please do not send health information by email.',
    ].join('\n'),
  };
}

/** Post the notice on the requester thread and queue its email, in the caller's transaction (once per invoice). */
export async function postPaymentNotice(
  ctx: Ctx,
  request: RequestRow,
  invoiceId: string,
  amountCents: number,
) {
  if (request.kind === 'client_directed') return null;
  const { contact } = await practiceContact(ctx.tx, request.practiceId);
  const notice = paymentNotice(
    {
      requestNumber: request.number,
      amountCents,
      practice: contact,
      link: requesterLink(ctx.services.config.publicUrl, request.number),
    },
    request.language === 'es' ? 'es' : 'en',
  );
  const [inserted] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      thread: 'requester',
      authorId: null,
      kind: PAYMENT_NOTICE_KIND,
      subject: notice.subject,
      body: notice.text,
      idempotencyKey: `requester-notice:payment:${invoiceId}`,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: threadMessages.id });
  if (!inserted) return null;
  await queueThreadEmails(ctx, [inserted.id]);
  record(ctx, {
    type: 'thread.message_posted',
    requestId: request.id,
    data: { messageId: inserted.id, thread: 'requester', kind: PAYMENT_NOTICE_KIND },
  });
  return inserted.id;
}
