// The words the clocks post on a request's threads: the ladder's notices and the legal-date notices
// on the internal thread (staff), and the written extension notice to the requester (TIME-2).
import type { LadderLevel } from './ladder.js';

export interface LadderText {
  number: string;
  taskLabel: string;
  /** "Thu 5 Nov". */
  due: string;
  level: LadderLevel;
  /** Who this rung tells ("Dr. Rivera", "Support team (anyone on the team)"). */
  notifyName: string;
  /** Who holds the task ("Dr. Rivera", "the support team"). */
  holderName: string;
  /** The person whose supervisor is told (rung 2: the holder; rung 3: the holder's supervisor). */
  supervisedName: string | null;
}

/** rule TIME-6: "Overdue: <task> for R-… was due <date>; <name>, please …". */
export function ladderMessage(m: LadderText): { subject: string; body: string } {
  const head = `Overdue: ${m.taskLabel.toLowerCase()} for ${m.number} was due ${m.due}`;
  const ask: Record<LadderLevel, string> = {
    1: `${m.notifyName}, please complete it today, or say on this thread what is holding it up.`,
    2: `${m.notifyName}, as ${m.supervisedName ?? m.holderName}'s supervisor, please check in with them and help get it done.`,
    3: `${m.notifyName}, as the supervisor of ${m.supervisedName ?? 'the supervisor'}, please step in: it is still waiting on ${m.holderName}.`,
    4: `${m.notifyName}, please step in: it is still waiting on ${m.holderName}, and a request must never sit silent.`,
  };
  return {
    subject: `Overdue: ${m.taskLabel} (${m.number})`,
    body: `${head}; ${ask[m.level]}`,
  };
}

export interface LegalNoticeText {
  number: string;
  kindLabel: string;
  /** 'Legal due date', 'Return date' or 'Practice target'. */
  dateLabel: string;
  /** "Wed 2 Dec (in 5 days)". */
  due: string;
  passed: boolean;
  privacyOfficer: string;
  /** Access requests that were not extended yet may still be, once, before the date (TIME-2). */
  canExtend: boolean;
}

export function legalNoticeMessage(m: LegalNoticeText): { subject: string; body: string } {
  if (m.passed) {
    return {
      subject: `${m.dateLabel} passed: ${m.number}`,
      body: `${m.dateLabel} passed: ${m.number} (${m.kindLabel}) was due ${m.due} and is still open. ${m.privacyOfficer}, please step in today and see that it is acted on.`,
    };
  }
  return {
    subject: `${m.dateLabel} approaching: ${m.number}`,
    body: [
      `${m.dateLabel} approaching: ${m.number} (${m.kindLabel}) is due ${m.due}.`,
      `${m.privacyOfficer}, please make sure it is acted on by then: the records released, or a written denial sent.`,
      m.canExtend
        ? 'If more time is truly needed, one extension of up to 30 days is possible, only before the date and with a written notice to the requester.'
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

export interface ExtensionNoticeText {
  requesterName: string;
  number: string;
  /** "Monday 2 November 2026". */
  received: string;
  originalDue: string;
  newDue: string;
  reason: string;
  practiceName: string;
  contact: string | null;
  /** The file name of the same notice as a PDF letter, kept on the request. */
  letterName?: string | null;
}

/** rule TIME-2: the written notice of the one extension, in plain words: the reason and the new date. */
export function extensionNotice(m: ExtensionNoticeText): { subject: string; body: string } {
  return {
    subject: `Your records request ${m.number}: we need more time`,
    body: [
      `Dear ${m.requesterName},`,
      '',
      `We received your request for records (${m.number}) on ${m.received}. We were due to answer by ${m.originalDue}, but we need more time, for this reason:`,
      '',
      m.reason,
      '',
      `We will answer by ${m.newDue} at the latest. We can take this extra time only once.`,
      ...(m.letterName ? [`Our letter with these details is attached (${m.letterName}).`] : []),
      m.contact
        ? `If you have questions, please contact ${m.contact}.`
        : 'If you have questions, please reply to this message.',
      '',
      m.practiceName,
    ].join('\n'),
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Monday 2 November 2026", for letters a requester reads. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[m - 1]} ${y}`;
}
