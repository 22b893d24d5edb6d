// Who may add files to a request and who may open them (rule SEC-2). Pure functions over the loaded
// facts of the request, like request.ts (architecture.md, convention 2).
import { type Actor, hasAnyRole, holdsNow, type RequestFacts } from './facts.js';
import { canViewRequest } from './request.js';

export type FileDecision = { allowed: true } | { allowed: false; status: 404 | 403; reason: string };

const ALLOWED: FileDecision = { allowed: true };
const NOT_FOUND: FileDecision = { allowed: false, status: 404, reason: 'Request not found.' };

export const UPLOAD_REFUSED =
  'Only the support team, the privacy officer, or someone with an open task on this request can add files to it.';

/** rule SEC-2: whoever may see the request may open its files (each download is audited, SEC-3). */
export function decideFileDownload(actor: Actor, facts: RequestFacts): FileDecision {
  return canViewRequest(actor, facts) ? ALLOWED : NOT_FOUND;
}

/**
 * rule SEC-2: support and the privacy officer add files to any request of the practice; anyone else
 * only while they hold an open task on it (a therapist preparing a letter, clinical services
 * preparing copies). Those who can see the request but hold no task are told why (403).
 */
export function decideFileUpload(actor: Actor, facts: RequestFacts): FileDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  if (hasAnyRole(actor, ['support', 'privacy_officer'])) return ALLOWED;
  if (facts.tasks.some((t) => holdsNow(actor, t))) return ALLOWED;
  return { allowed: false, status: 403, reason: UPLOAD_REFUSED };
}

export const canDownloadFiles = (actor: Actor, facts: RequestFacts): boolean =>
  decideFileDownload(actor, facts).allowed;

export const canUploadFiles = (actor: Actor, facts: RequestFacts): boolean =>
  decideFileUpload(actor, facts).allowed;
