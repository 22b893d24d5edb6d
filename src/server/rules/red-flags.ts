// rule REV-6: red flags the system raises itself, computed from the request and what is recorded
// about it each time it is shown (so a flag clears as soon as its cause is dealt with), plus the
// ones a supervisor or therapist added by hand.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { RED_FLAG_LABELS, type RedFlag, type RedFlagCode } from '../../shared/red-flags.js';
import { addCalendarDays, localDate } from '../../shared/time.js';
import { OPEN_STAGES } from '../../shared/workflow.js';
import type { Db } from '../db/connect.js';
import { clients, requests, users } from '../db/schema.js';
import { authorizations, privacyApprovals, redFlags, verifications } from '../db/schema-rules.js';
import { ASSURANCE_KIND, PRIVILEGE_KIND, subpoenaRecords } from './legal-process.js';

export interface FlagFacts {
  request: Pick<
    typeof requests.$inferSelect,
    | 'id'
    | 'practiceId'
    | 'clientId'
    | 'kind'
    | 'documentClasses'
    | 'purpose'
    | 'notes'
    | 'requesterRelationship'
    | 'requesterOrganization'
    | 'requesterName'
    | 'requesterEmail'
  >;
  clientIsMinor: boolean;
  identityVerified: boolean;
  authorityProven: boolean;
  /** rule LEGAL-2: both the satisfactory assurance and the privacy officer's privilege record. */
  assuranceRecorded: boolean;
  /** Expiry dates of the request's unrevoked authorizations. */
  authorizationExpiries: string[];
  /** Numbers of other open requests of the same client and requester. */
  duplicateNumbers: string[];
  today: string;
}

const LITIGATION =
  /\b(custody|divorce|litigation|lawsuit|court|attorney|lawyer|counsel|legal proceeding|deposition)\b/i;
const EXPIRY_WARNING_DAYS = 14;

function flag(code: RedFlagCode, reason: string, source: RedFlag['source'] = 'system'): RedFlag {
  return { code, label: RED_FLAG_LABELS[code], reason, source };
}

/** The system's flags, from facts already loaded (pure, table-tested). */
export function systemRedFlags(f: FlagFacts): RedFlag[] {
  const r = f.request;
  const out: RedFlag[] = [];
  if (r.documentClasses.includes('psychotherapy_notes')) {
    out.push(
      flag(
        'psychotherapy_notes',
        'Psychotherapy notes need their own authorization and are never part of a general release (AUTH-4).',
      ),
    );
  }
  if (f.clientIsMinor)
    out.push(
      flag(
        'minor_client',
        'A parent may not be the representative for services the minor consented to (REP-2).',
      ),
    );
  if (r.kind === 'representative' && !f.authorityProven) {
    out.push(
      flag(
        'representative_unproven',
        'Record the proof of authority (custody order, guardianship, power of attorney) before release (REP-1).',
      ),
    );
  }
  const context = [r.purpose, r.notes, r.requesterRelationship, r.requesterOrganization]
    .filter(Boolean)
    .join(' ');
  if (r.kind === 'subpoena' || r.kind === 'court_order' || LITIGATION.test(context)) {
    out.push(
      flag(
        'custody_or_litigation',
        'Legal proceedings are involved: consider the client and the relationship carefully.',
      ),
    );
  }
  if (r.kind === 'subpoena' && !f.assuranceRecorded) {
    out.push(
      flag(
        'subpoena_without_assurance',
        "A subpoena without a court order needs satisfactory assurance and the privacy officer's record of how privilege was addressed (LEGAL-2).",
      ),
    );
  }
  if (r.documentClasses.includes('part2')) {
    out.push(
      flag(
        'part2_material',
        "Part 2 material needs the patient's Part 2 consent or a Part 2 court order, and the 42 CFR 2.32 notice (LEGAL-3, PART2-1).",
      ),
    );
  }
  const soon = addCalendarDays(f.today, EXPIRY_WARNING_DAYS);
  const expiring = f.authorizationExpiries.filter((d) => d >= f.today && d <= soon).sort();
  if (expiring.length > 0)
    out.push(flag('authorization_expiring', `The authorization expires on ${expiring[0]}.`));
  if (!f.identityVerified)
    out.push(
      flag('identity_unverified', 'Verify the requester by reasonable means (VER-1) at the intake check.'),
    );
  if (f.duplicateNumbers.length > 0) {
    out.push(
      flag(
        'duplicate_request',
        `Also open for this client and requester: ${f.duplicateNumbers.join(', ')}. Merge rather than restart the clock.`,
      ),
    );
  }
  return out;
}

/** Load the facts and return every flag of the request: the system's first, then the ones staff added. */
export async function redFlagsFor(
  tx: Db,
  request: FlagFacts['request'],
  timeZone: string,
  now: Date,
): Promise<RedFlag[]> {
  const [client] = await tx
    .select({ isMinor: clients.isMinor })
    .from(clients)
    .where(eq(clients.id, request.clientId));
  const checks = await tx
    .select({ subject: verifications.subject, proofKind: verifications.proofKind })
    .from(verifications)
    .where(eq(verifications.requestId, request.id));
  const legal = await tx
    .select({ kind: privacyApprovals.kind, detail: privacyApprovals.detail })
    .from(privacyApprovals)
    .where(
      and(
        eq(privacyApprovals.requestId, request.id),
        inArray(privacyApprovals.kind, [ASSURANCE_KIND, PRIVILEGE_KIND]),
      ),
    );
  const auths = await tx
    .select({ id: authorizations.id, expiresOn: authorizations.expiresOn })
    .from(authorizations)
    .where(
      and(eq(authorizations.requestId, request.id), sql`${authorizations.revocationReceivedAt} is null`),
    );
  const duplicates = await duplicatesOf(tx, request);
  const today = localDate(now, timeZone);
  // rule LEGAL-2: cleared only when both are recorded (privilege on an authorization still in effect).
  const inEffect = new Set(auths.filter((a) => !a.expiresOn || a.expiresOn >= today).map((a) => a.id));
  const subpoena = subpoenaRecords(legal, inEffect);
  const facts: FlagFacts = {
    request,
    clientIsMinor: client?.isMinor ?? false,
    identityVerified: checks.some((c) => c.subject === 'identity'),
    authorityProven: checks.some((c) => c.subject === 'authority' && !!c.proofKind),
    assuranceRecorded: subpoena.assurance && subpoena.privilege,
    authorizationExpiries: auths.map((a) => a.expiresOn).filter((d): d is string => !!d),
    duplicateNumbers: duplicates.map((d) => d.number),
    today,
  };
  const added = await tx
    .select({ code: redFlags.code, note: redFlags.note, by: users.name })
    .from(redFlags)
    .leftJoin(users, eq(users.id, redFlags.addedBy))
    .where(eq(redFlags.requestId, request.id));
  return [
    ...systemRedFlags(facts),
    ...added.map((a) =>
      flag(a.code as RedFlagCode, `${a.note ?? ''}${a.by ? ` (${a.by})` : ''}`.trim(), 'staff'),
    ),
  ];
}

/**
 * rule REV-6: other open requests for the same client from the same requester (by email, else by
 * name), asking for some of the same records.
 */
export async function duplicatesOf(
  tx: Db,
  r: Pick<
    typeof requests.$inferSelect,
    'id' | 'practiceId' | 'clientId' | 'requesterName' | 'requesterEmail' | 'documentClasses'
  >,
): Promise<{ id: string; number: string; receivedAt: Date }[]> {
  const sameRequester = r.requesterEmail
    ? sql`lower(${requests.requesterEmail}) = lower(${r.requesterEmail})`
    : sql`lower(${requests.requesterName}) = lower(${r.requesterName})`;
  return tx
    .select({ id: requests.id, number: requests.number, receivedAt: requests.receivedAt })
    .from(requests)
    .where(
      and(
        eq(requests.practiceId, r.practiceId),
        eq(requests.clientId, r.clientId),
        ne(requests.id, r.id),
        inArray(requests.stage, [...OPEN_STAGES]),
        sameRequester,
        sql`${requests.documentClasses} && ${sql.param(r.documentClasses)}::text[]`,
      ),
    )
    .orderBy(requests.receivedAt);
}
