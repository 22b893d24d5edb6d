// A practice with one signed-in member of every staff role and requests around them, built through
// the factories and the real API, for the hostile-input tests (fuzz and the access matrix).
import type { Role } from '../../../src/shared/roles.js';
import type { TestApp } from '../../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../../support/factories.js';
import { createRequestAs, type RequestDetails } from '../../support/requests.js';
import { type Agent, signIn } from '../../support/session.js';

/** The staff roles of SEC-2, each signed in as its own person. */
export const STAFF_ROLES = [
  'therapist',
  'supervisor',
  'support',
  'privacy_officer',
  'admin',
  'clinical_services',
] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface World {
  practice: TestPractice;
  elsewhere: TestPractice;
  users: Record<StaffRole, TestUser> & {
    supervisee: TestUser;
    unrelatedTherapist: TestUser;
    victim: TestUser;
  };
  agents: Record<StaffRole, Agent>;
  /** Support of another practice (for the other-practice requests). */
  elsewhereSupport: Agent;
  clients: {
    own: { id: string };
    supervisees: { id: string };
    unrelated: { id: string };
    elsewhere: { id: string };
  };
  requests: {
    own: RequestDetails;
    supervisees: RequestDetails;
    unrelated: RequestDetails;
    elsewhere: RequestDetails;
  };
}

/**
 * The therapist treats `own`; the supervisor supervises `supervisee`, who treats `supervisees`;
 * `unrelated` belongs to a third therapist of the same practice; `elsewhere` to another practice.
 * `victim` is a colleague the admin's user routes may change without signing anyone out.
 */
export async function buildWorld(t: TestApp): Promise<World> {
  const practice = await createPractice(t);
  const elsewhere = await createPractice(t);
  const u = (roles: Role[]) => createUser(t, practice, roles);
  const roleUsers = {} as Record<StaffRole, TestUser>;
  for (const role of STAFF_ROLES) roleUsers[role] = await u([role]);
  const supervisee = await u(['therapist']);
  const unrelatedTherapist = await u(['therapist']);
  const victim = await u(['therapist']);
  await linkSupervisor(t, supervisee, roleUsers.supervisor);
  const agents = {} as Record<StaffRole, Agent>;
  for (const role of STAFF_ROLES) agents[role] = await signIn(t, roleUsers[role]);
  const elsewhereTherapist = await createUser(t, elsewhere, ['therapist']);
  const elsewhereSupport = await signIn(t, await createUser(t, elsewhere, ['support']));
  const clients = {
    own: await createClient(t, practice, roleUsers.therapist),
    supervisees: await createClient(t, practice, supervisee),
    unrelated: await createClient(t, practice, unrelatedTherapist),
    elsewhere: await createClient(t, elsewhere, elsewhereTherapist),
  };
  const requests = {
    own: await createRequestAs(agents.support, clients.own.id),
    supervisees: await createRequestAs(agents.support, clients.supervisees.id),
    unrelated: await createRequestAs(agents.support, clients.unrelated.id),
    elsewhere: await createRequestAs(elsewhereSupport, clients.elsewhere.id),
  };
  return {
    practice,
    elsewhere,
    users: { ...roleUsers, supervisee, unrelatedTherapist, victim },
    agents,
    elsewhereSupport,
    clients,
    requests,
  };
}
