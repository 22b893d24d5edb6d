// What every route of the app expects of its caller (rule SEC-2), one line per route key. The access
// matrix fails on a route of the inventory that has no line here, so a new route must say who may
// call it. Record-scoped routes take their truth from the policies (canViewRequest; the clients'
// visibility mirrors it), so this table only names the scope and, for practice-level routes, the
// roles that may act (everyone else: 403 with a reason).
import type { Role } from '../../../src/shared/roles.js';

export type Expectation =
  /** `:requestId` (or `:id`) is a request: a caller who may not see it gets 404 (SEC-2). */
  | { scope: 'request' }
  /** `:clientId` (or `:id`) is a client: seen by support and the privacy officer, the client's therapist and their supervisors. */
  | { scope: 'client' }
  /** No record in the URL: these roles may act, others get 403 (or, for a list, only what they may see). */
  | { scope: 'practice'; roles: readonly Role[] | 'any' }
  /** About the caller themselves (sign-in, their session, password): no other person's data. */
  | { scope: 'self' }
  /** The requester portal: only a portal session for that request; a staff cookie or another requester's session gets 404. */
  | { scope: 'portal' }
  /** A secret in the URL (status link, secure link): a wrong or another's token gets 404 or 410. */
  | { scope: 'token' }
  /** Open to anyone by design (the instance's name, the intake form's practice, a signed webhook, health). */
  | { scope: 'open' };

const ADMIN: readonly Role[] = ['admin'];
const AUDIT: readonly Role[] = ['privacy_officer', 'admin'];
const DESK: readonly Role[] = ['support', 'privacy_officer'];
/** A shipped or saved rule-pack version never changes (TIME-3): these answer 405 to everyone. */
const NOBODY: readonly Role[] = [];

/**
 * Answers that name records by id by design: the audit log is the practice's record for its
 * auditors (SEC-3; the privacy officer and the administrator read it), so ids of requests the
 * reader may not open appear there; names and content must not.
 */
export const IDS_BY_DESIGN = new Set(['GET /api/audit-events']);

/** Routes whose scope is not read from their URL (see scopeOf). */
export const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  'GET /api/health': { scope: 'open' },
  'GET /api/instance': { scope: 'open' },
  'GET /api/portal/intake/practice': { scope: 'open' },
  'POST /api/portal/intake': { scope: 'open' },
  'POST /api/portal/intake/challenge': { scope: 'open' },
  'POST /api/portal/intake/code': { scope: 'open' },
  'POST /api/payments/stripe/webhook': { scope: 'open' },

  'GET /api/auth/csrf': { scope: 'self' },
  'POST /api/auth/login': { scope: 'self' },
  'POST /api/auth/logout': { scope: 'self' },
  'POST /api/auth/mfa': { scope: 'self' },
  'POST /api/auth/mfa/enroll': { scope: 'self' },
  'POST /api/auth/token-login': { scope: 'self' },
  'POST /api/auth/password': { scope: 'self' },
  'GET /api/me': { scope: 'self' },
  'GET /api/me/tasks': { scope: 'self' },
  'GET /api/me/supervisor': { scope: 'self' },
  'GET /api/me/supervisees/tasks': { scope: 'self' },

  'GET /api/portal/session': { scope: 'portal' },
  'POST /api/portal/session/end': { scope: 'portal' },

  'GET /api/requests': { scope: 'practice', roles: 'any' },
  'POST /api/requests': { scope: 'practice', roles: DESK },
  'GET /api/clients': { scope: 'practice', roles: 'any' },
  'POST /api/clients': { scope: 'practice', roles: DESK },
  'GET /api/staff': { scope: 'practice', roles: 'any' },
  'GET /api/users': { scope: 'practice', roles: ADMIN },
  'POST /api/users': { scope: 'practice', roles: ADMIN },
  'GET /api/users/:userId': { scope: 'practice', roles: ADMIN },
  'PATCH /api/users/:userId': { scope: 'practice', roles: ADMIN },
  'POST /api/users/:userId/deactivate': { scope: 'practice', roles: ADMIN },
  'POST /api/users/:userId/sign-in-link': { scope: 'practice', roles: ADMIN },
  'GET /api/supervision-links': { scope: 'practice', roles: ADMIN },
  'POST /api/supervision-links': { scope: 'practice', roles: ADMIN },
  'DELETE /api/supervision-links/:superviseeId': { scope: 'practice', roles: ADMIN },
  'GET /api/practice': { scope: 'practice', roles: 'any' },
  'PATCH /api/practice': { scope: 'practice', roles: ADMIN },
  'GET /api/practice/holidays': { scope: 'practice', roles: 'any' },
  'PUT /api/practice/holidays': { scope: 'practice', roles: ADMIN },
  'GET /api/rule-packs': { scope: 'practice', roles: 'any' },
  'POST /api/rule-packs': { scope: 'practice', roles: AUDIT },
  'PUT /api/rule-packs/:packId': { scope: 'practice', roles: NOBODY },
  'PATCH /api/rule-packs/:packId': { scope: 'practice', roles: NOBODY },
  'DELETE /api/rule-packs/:packId': { scope: 'practice', roles: NOBODY },
  'GET /api/audit-events': { scope: 'practice', roles: AUDIT },
  'GET /api/audit-events/verify': { scope: 'practice', roles: AUDIT },
  'GET /api/accounting-requests': { scope: 'practice', roles: DESK },
  'GET /api/drafts/templates': { scope: 'practice', roles: ADMIN },
  'POST /api/drafts/templates': { scope: 'practice', roles: ADMIN },
  'PUT /api/drafts/templates/:templateId': { scope: 'practice', roles: ADMIN },
  'GET /api/mail/status': { scope: 'practice', roles: 'any' },
  'GET /api/mail/outbox': { scope: 'practice', roles: DESK },
  'POST /api/mail/outbox/:id/read-code': { scope: 'practice', roles: DESK },
  'GET /api/mail/triage': { scope: 'practice', roles: DESK },
  'GET /api/mail/triage/:id': { scope: 'practice', roles: DESK },
  'POST /api/mail/triage/:id/attach': { scope: 'practice', roles: DESK },
  'POST /api/mail/triage/:id/dismiss': { scope: 'practice', roles: DESK },
  'GET /api/mail/templates': { scope: 'practice', roles: ADMIN },
  'PUT /api/mail/templates': { scope: 'practice', roles: ADMIN },
  'POST /api/mail/templates/preview': { scope: 'practice', roles: ADMIN },
};

/** A route's expectation: from the table, else from its URL; undefined fails the matrix. */
export function expectationOf(key: string, url: string): Expectation | undefined {
  const listed = EXPECTATIONS[key];
  if (listed) return listed;
  if (/^\/api\/requests\/:(requestId|id)(\/|$)/.test(url)) return { scope: 'request' };
  if (/^\/api\/clients\/:(clientId|id)(\/|$)/.test(url)) return { scope: 'client' };
  if (/^\/api\/portal\/requests\/:number/.test(url)) return { scope: 'portal' };
  if (/^\/api\/(portal\/)?links\/:token/.test(url)) return { scope: 'token' };
  return undefined;
}
