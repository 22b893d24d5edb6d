// Practice-level abilities: users, settings, audit log, break-glass, requests and clients (rule
// SEC-2). Admin manages users and settings only; no request content unless they hold another role.
import {
  type Actor,
  hasAnyRole,
  hasRole,
  inPractice,
  isActive,
  isRequestTherapist,
  isSupervisorAbove,
  seesWholePractice,
} from './facts.js';

/** Optional target practice: when given, it must be the actor's (convention 10). */
const within = (actor: Actor, practiceId?: string): boolean =>
  isActive(actor) && (practiceId === undefined || inPractice(actor, practiceId));

export function canManageUsers(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && hasRole(actor, 'admin');
}

export function canManageSettings(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && hasRole(actor, 'admin');
}

/** rule SEC-3: the privacy officer and admins can list and filter the audit log. */
export function canReadAuditLog(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && hasAnyRole(actor, ['privacy_officer', 'admin']);
}

/** rule SEC-2: only the privacy officer may break the glass (with a written reason, audited). */
export function canBreakGlass(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && hasRole(actor, 'privacy_officer');
}

export function canCreateRequest(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && seesWholePractice(actor);
}

/** Support and the privacy officer create and edit clients. */
export function canManageClients(actor: Actor, practiceId?: string): boolean {
  return within(actor, practiceId) && seesWholePractice(actor);
}

export interface ClientFacts {
  practiceId: string;
  /** The client's assigned therapist (null while none is assigned). */
  therapistId: string | null;
  /** Everyone above that therapist, nearest first. */
  supervisorChainOfTherapist: readonly string[];
}

/** rule SEC-2: therapists see their own clients, supervisors their supervisees' (any depth). */
export function canViewClient(actor: Actor, client: ClientFacts): boolean {
  if (!within(actor, client.practiceId)) return false;
  if (seesWholePractice(actor)) return true;
  const { therapistId } = client;
  return (
    therapistId !== null && (isRequestTherapist(actor, { therapistId }) || isSupervisorAbove(actor, client))
  );
}
