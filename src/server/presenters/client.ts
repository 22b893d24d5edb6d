// What a caller sees of a client: a whitelist of fields (never the practice id or internal columns)
// and the caller's abilities for it (architecture.md, convention 2). Only called for visible clients.
import type { ClientAbility, ClientView } from '../../shared/schemas/clients.js';
import type { Actor } from '../policies/facts.js';
import { canCreateRequest, canManageClients } from '../policies/practice.js';
import type { LoadedClient } from '../queries/visible-clients.js';

export function clientAbilities(actor: Actor, practiceId: string): ClientAbility[] {
  const abilities: ClientAbility[] = [];
  if (canManageClients(actor, practiceId)) abilities.push('update_client');
  if (canCreateRequest(actor, practiceId)) abilities.push('create_request');
  return abilities;
}

export function presentClient(actor: Actor, { row, therapistName }: LoadedClient): ClientView {
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    dateOfBirth: row.dateOfBirth,
    isMinor: row.isMinor,
    therapist: row.therapistId ? { id: row.therapistId, name: therapistName ?? '' } : null,
    email: row.email,
    phone: row.phone,
    address: row.address,
    createdAt: row.createdAt.toISOString(),
    abilities: clientAbilities(actor, row.practiceId),
  };
}
