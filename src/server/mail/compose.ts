// The words of each email (issue 5; rules REL-2, SEC-5), as pure functions of plain facts.
// - To a requester: never the thread message's text (who wrote, the request number, a link), except
//   the secure link's two messages, which carry only a link or a code (their purpose).
// - Internal: the step's instructions, the TIME-6 notices and other texts Release Desk writes itself,
//   with the client's initials; a staff member's message only says who wrote and links to the
//   request, unless the practice turned on MAIL_INCLUDE_STAFF_MESSAGE_TEXT (its mail system is
//   covered by its business associate agreement).
// Subjects carry the request number and never a name or health information.

import { REQUESTER_NOTICE_KINDS } from './requester-notices.js';

export interface ComposeInput {
  thread: 'internal' | 'requester';
  kind: string;
  /** The thread message as stored. */
  subject: string;
  body: string;
  /** Who wrote: a staff member's name, the sender of an emailed reply, or null for Release Desk. */
  authorName: string | null;
  /** The message was written by a person (a staff member, or a reply received by email). */
  writtenByPerson: boolean;
  requestNumber: string;
  requestId: string;
  clientInitials: string;
  practiceName: string;
  publicUrl: string;
  includeStaffMessageText: boolean;
  /** Issue 7: the requester's language for what Release Desk writes to them (default English). */
  language?: 'en' | 'es';
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
  /** The body carries a code (reading it in the outbox is audited). */
  carriesCode: boolean;
}

/**
 * Kinds whose text goes to the requester as is: a link or a code, or a notice Release Desk wrote
 * from requester-notices.ts (request number, what happens next, who to contact), never health
 * information (REL-2, SEC-5).
 */
export const REQUESTER_VERBATIM_KINDS = [
  'secure_link',
  'secure_link_code',
  // Issue 7: the requester portal's emailed code (only the code and how long it works).
  'portal_code',
  ...REQUESTER_NOTICE_KINDS,
] as const;

/** Internal kinds Release Desk writes itself from the procedure (no clinical content). */
export const SYSTEM_TEXT_KINDS = ['instructions', 'escalation', 'legal_due_notice', 'mail_failed'] as const;

/** Thread messages that are never emailed (a failure notice would fail the same way). */
export const NOT_EMAILED_KINDS = ['mail_failed'] as const;

const base = (url: string) => url.replace(/\/$/, '');

export function requestLink(publicUrl: string, requestId: string): string {
  return `${base(publicUrl)}/requests/${requestId}`;
}

/**
 * Where a requester reads a message: the portal's status page. The thread keeps this plain address;
 * the email to the requester carries a status link with its own token in its place (dispatch.ts).
 */
export function requesterLink(publicUrl: string, requestNumber: string): string {
  return `${base(publicUrl)}/portal/requests/${encodeURIComponent(requestNumber)}`;
}

/** "Alex" "Rivera-Lopez" -> "A.R." */
export function initials(firstName: string, lastName: string): string {
  const first = (s: string) => (s.trim()[0] ?? '').toUpperCase();
  return `${first(firstName)}.${first(lastName)}.`;
}

export function composeEmail(m: ComposeInput): ComposedEmail {
  if (m.thread === 'requester') return composeForRequester(m);
  return composeInternal(m);
}

function composeForRequester(m: ComposeInput): ComposedEmail {
  if ((REQUESTER_VERBATIM_KINDS as readonly string[]).includes(m.kind)) {
    return {
      subject: m.subject,
      text: m.body,
      html: paragraphs(m.body),
      carriesCode: m.kind === 'secure_link_code' || m.kind === 'portal_code',
    };
  }
  if (m.kind === 'portal_message') return composePortalMessageForStaff(m);
  if (m.language === 'es') return composeMessageNoticeEs(m);
  const who = m.writtenByPerson && m.authorName ? `${m.authorName} at ${m.practiceName}` : m.practiceName;
  const link = requesterLink(m.publicUrl, m.requestNumber);
  const text = [
    `${who} sent you a message about your records request ${m.requestNumber}.`,
    '',
    `For your privacy, the message is not in this email. Read it here: ${link}`,
    '',
    `You can reply to this email: your reply is kept with your request ${m.requestNumber}. Please do not send health information by email.`,
  ].join('\n');
  return {
    subject: `Your records request ${m.requestNumber}: a message from ${m.practiceName}`,
    text,
    html: [
      `<p>${esc(who)} sent you a message about your records request <b>${esc(m.requestNumber)}</b>.</p>`,
      `<p>For your privacy, the message is not in this email.</p>`,
      button(link, 'Read the message'),
      `<p>You can reply to this email: your reply is kept with your request ${esc(m.requestNumber)}. Please do not send health information by email.</p>`,
    ].join('\n'),
    carriesCode: false,
  };
}

/**
 * Issue 7: the requester wrote from the portal; the email goes to support (dispatch.ts), saying so
 * and linking to the request in Release Desk, never with the message's words (SEC-5).
 */
function composePortalMessageForStaff(m: ComposeInput): ComposedEmail {
  const link = requestLink(m.publicUrl, m.requestId);
  const head = `Release of records ${m.requestNumber} · client ${m.clientInitials}`;
  const line = 'The requester sent a message from the portal. For privacy, the message is not in this email.';
  return {
    subject: `Release of records ${m.requestNumber}: a message from the requester`,
    text: [head, '', line, `Read it in Release Desk: ${link}`].join('\n'),
    html: [`<p><b>${esc(head)}</b></p>`, `<p>${esc(line)}</p>`, button(link, 'Read it in Release Desk')].join(
      '\n',
    ),
    carriesCode: false,
  };
}

/** The same notice in Spanish (usted): a message waits, not in this email. */
function composeMessageNoticeEs(m: ComposeInput): ComposedEmail {
  const who = m.writtenByPerson && m.authorName ? `${m.authorName}, de ${m.practiceName},` : m.practiceName;
  const link = requesterLink(m.publicUrl, m.requestNumber);
  const privacy = 'Por su privacidad, el mensaje no va en este correo.';
  const reply = `Puede responder a este correo: su respuesta se guarda con su solicitud ${m.requestNumber}. Por favor, no envíe información de salud por correo electrónico.`;
  return {
    subject: `Su solicitud de expedientes ${m.requestNumber}: un mensaje de ${m.practiceName}`,
    text: [
      `${who} le envió un mensaje sobre su solicitud de expedientes ${m.requestNumber}.`,
      '',
      `${privacy} Léalo aquí: ${link}`,
      '',
      reply,
    ].join('\n'),
    html: [
      `<p>${esc(who)} le envió un mensaje sobre su solicitud de expedientes <b>${esc(m.requestNumber)}</b>.</p>`,
      `<p>${esc(privacy)}</p>`,
      button(link, 'Leer el mensaje'),
      `<p>${esc(reply)}</p>`,
    ].join('\n'),
    carriesCode: false,
  };
}

function composeInternal(m: ComposeInput): ComposedEmail {
  const link = requestLink(m.publicUrl, m.requestId);
  const head = `Release of records ${m.requestNumber} · client ${m.clientInitials}`;
  const systemText = !m.writtenByPerson && (SYSTEM_TEXT_KINDS as readonly string[]).includes(m.kind);
  const showText = systemText || (m.writtenByPerson && m.includeStaffMessageText);
  const who = m.authorName ?? 'Release Desk';
  if (showText) {
    const subject = m.subject.includes(m.requestNumber) ? m.subject : `${m.subject} (${m.requestNumber})`;
    const intro = m.writtenByPerson ? `${who} wrote:` : null;
    const text = [
      head,
      '',
      ...(intro ? [intro, ''] : []),
      m.body,
      '',
      `Open the request: ${link}`,
      '',
      replyHint(),
    ].join('\n');
    return {
      subject,
      text,
      html: [
        `<p><b>${esc(head)}</b></p>`,
        button(link, 'Open the request'),
        ...(intro ? [`<p>${esc(intro)}</p>`] : []),
        paragraphs(m.body),
        `<p>${esc(replyHint())}</p>`,
      ].join('\n'),
      carriesCode: false,
    };
  }
  const text = [
    head,
    '',
    `${who} wrote on the request's internal thread. For privacy, the message is not in this email.`,
    `Read it in Release Desk: ${link}`,
    '',
    replyHint(),
  ].join('\n');
  return {
    subject: `Release of records ${m.requestNumber}: a message from ${who}`,
    text,
    html: [
      `<p><b>${esc(head)}</b></p>`,
      `<p>${esc(who)} wrote on the request's internal thread. For privacy, the message is not in this email.</p>`,
      button(link, 'Read it in Release Desk'),
      `<p>${esc(replyHint())}</p>`,
    ].join('\n'),
    carriesCode: false,
  };
}

const replyHint = () => 'Reply to this email to answer on the thread (your reply is kept with the request).';

/**
 * The reply to a sender whose emailed files were refused: the reasons, never the files' names
 * (REL-2). In Spanish (usted) to a requester whose request is in Spanish (issue 7), the reasons
 * already said in Spanish by the caller (attachment-refusal-es.ts).
 */
export function composeAttachmentRefusal(
  requestNumber: string | null,
  practiceName: string,
  refused: readonly string[],
  total: number,
  language: 'en' | 'es' = 'en',
): ComposedEmail {
  const reasons = [...new Set(refused)];
  const es = language === 'es';
  const about = requestNumber
    ? es
      ? ` sobre la solicitud ${requestNumber}`
      : ` about request ${requestNumber}`
    : '';
  const text = [
    es
      ? total === 1
        ? `El archivo que usted adjuntó${about} no se pudo aceptar:`
        : `${refused.length} de los ${total} archivos que usted adjuntó${about} no se pudieron aceptar:`
      : `${refused.length} of the ${total} file(s) you attached${about} could not be accepted:`,
    ...reasons.map((r) => `- ${r}`),
    '',
    es
      ? `Su mensaje sí nos llegó. Envíe el archivo otra vez como PDF, JPEG o PNG, o comuníquese con ${practiceName}.`
      : `Your message itself was received. Send the file again as a PDF, JPEG or PNG, or contact ${practiceName}.`,
  ].join('\n');
  return {
    subject: es
      ? `Re: su correo${about}: algunos archivos no se aceptaron`
      : `Re: your email${about}: some files were not accepted`,
    text,
    html: paragraphs(text),
    carriesCode: false,
  };
}

function button(href: string, label: string): string {
  return `<p><a href="${esc(href)}" style="display:inline-block;padding:10px 16px;background:#1c5d99;color:#fff;border-radius:4px;text-decoration:none">${esc(label)}</a></p>`;
}

export function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
