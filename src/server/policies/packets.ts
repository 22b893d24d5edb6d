// Who may assemble, see and download a request's packets, and send or revoke its secure links
// (rules SEC-2, REL-2, REL-5). Pure functions over the loaded facts (architecture.md, convention 2).
import { type Actor, hasAnyRole, holdsNow, type RequestFacts } from './facts.js';
import { canViewRequest } from './request.js';

export type PacketDecision = { allowed: true } | { allowed: false; status: 404 | 403; reason: string };

const ALLOWED: PacketDecision = { allowed: true };
const NOT_FOUND: PacketDecision = { allowed: false, status: 404, reason: 'Request not found.' };

export const ASSEMBLY_REFUSED =
  'Only the support team, the privacy officer, or whoever holds the release task can assemble the packet.';
export const LINK_REFUSED =
  'Only the support team, the privacy officer, or whoever holds the release task can send or revoke a secure link.';

const releasesIt = (actor: Actor, facts: RequestFacts) =>
  hasAnyRole(actor, ['support', 'privacy_officer']) ||
  facts.tasks.some((t) => t.type === 'release' && holdsNow(actor, t));

/** rule SEC-2: whoever may see the request may see its packets (each download audited, SEC-3). */
export function decidePacketView(actor: Actor, facts: RequestFacts): PacketDecision {
  return canViewRequest(actor, facts) ? ALLOWED : NOT_FOUND;
}

/** Support, the privacy officer, or the holder of the release task assemble what goes out. */
export function decidePacketAssembly(actor: Actor, facts: RequestFacts): PacketDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return releasesIt(actor, facts) ? ALLOWED : { allowed: false, status: 403, reason: ASSEMBLY_REFUSED };
}

/** rule REL-2: the same people send (and revoke) the secure link to a packet. */
export function decideLinkManagement(actor: Actor, facts: RequestFacts): PacketDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return releasesIt(actor, facts) ? ALLOWED : { allowed: false, status: 403, reason: LINK_REFUSED };
}

export type PacketAbility = 'assemble_packet' | 'download_packet' | 'send_link' | 'revoke_link';

export function packetAbilities(actor: Actor, facts: RequestFacts): PacketAbility[] {
  const out: PacketAbility[] = [];
  if (decidePacketAssembly(actor, facts).allowed) out.push('assemble_packet');
  if (decidePacketView(actor, facts).allowed) out.push('download_packet');
  if (decideLinkManagement(actor, facts).allowed) out.push('send_link', 'revoke_link');
  return out;
}
