// Who may see and handle the mail (issue 5; rule SEC-2): a pure function of the actor. The outbox
// (what Release Desk sent or keeps, codes included) and the triage queue (mail that matched no
// thread, possibly health information from a stranger) belong to support and the privacy officer.
// Everyone signed in may know whether mail is being delivered (the banner).
import type { Role } from '../../shared/roles.js';

export type MailAction = 'status' | 'outbox.view' | 'outbox.read_code' | 'triage.view' | 'triage.resolve';

export interface MailActor {
  roles: readonly Role[];
  active: boolean;
}

export type MailDecision = { allowed: true } | { allowed: false; reason: string };

const MAIL_ROLES: readonly Role[] = ['support', 'privacy_officer'];

export function decideMail(actor: MailActor, action: MailAction): MailDecision {
  if (!actor.active) return { allowed: false, reason: 'This account is deactivated.' };
  if (action === 'status') return { allowed: true };
  if (actor.roles.some((r) => MAIL_ROLES.includes(r))) return { allowed: true };
  const what = action.startsWith('outbox') ? 'The outbox' : 'The mail triage queue';
  return { allowed: false, reason: `${what} is for the support team and the privacy officer.` };
}
