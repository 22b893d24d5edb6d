// Loop and bounce protection (issue 5): auto-replies, out-of-office notices, mailing-list copies and
// delivery status notifications are kept but never posted on a thread, and never answered.

export interface LoopHeaders {
  /** Header names lower-cased; values as strings. */
  get(name: string): string | undefined;
  /** The envelope sender (MAIL FROM / Return-Path); '' for a bounce's null sender. */
  envelopeFrom?: string | null;
  fromAddress?: string | null;
  contentType?: string | null;
}

/** Why a message is an automatic one, or null for a person's message. */
export function automaticReason(h: LoopHeaders, ownAddresses: readonly string[] = []): string | null {
  const auto = h.get('auto-submitted')?.trim().toLowerCase();
  if (auto && auto !== 'no') return `auto-submitted (${auto.split(/[;\s]/)[0]})`;
  const precedence = h.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) {
    return `precedence: ${precedence}`;
  }
  if (h.get('x-autoreply') !== undefined || h.get('x-autorespond') !== undefined) return 'auto-reply';
  if (
    h.get('x-auto-response-suppress')?.toLowerCase().includes('all') &&
    h.get('x-ms-exchange-generated-message-source')
  ) {
    return 'auto-reply';
  }
  if (h.get('list-id') !== undefined || h.get('list-unsubscribe') !== undefined) return 'mailing list';
  const type = (h.contentType ?? h.get('content-type') ?? '').toLowerCase();
  if (type.includes('multipart/report') || type.includes('message/delivery-status')) {
    return 'delivery status notification (bounce)';
  }
  if (h.envelopeFrom === '' || h.get('return-path')?.trim() === '<>') return 'bounce (null sender)';
  const from = h.fromAddress?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'bounce (mailer daemon)';
  if (from && ownAddresses.includes(from)) return 'sent by Release Desk itself';
  return null;
}
