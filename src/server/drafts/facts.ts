// The request's facts a template is filled from (client, date of birth, recipient, purpose, dates
// of service, therapist, practice), read in the command's transaction.
import { eq } from 'drizzle-orm';
import type { Ctx } from '../context.js';
import { clients, practices, users } from '../db/schema.js';
import { dateRange, plainDate, recordClasses } from '../letters/letterhead.js';
import type { RequestRow } from '../queries/visible-requests.js';
import type { TemplateFacts } from './templates.js';

export async function templateFacts(
  ctx: Ctx,
  row: RequestRow,
  given: { recipient?: string | null | undefined; purpose?: string | null | undefined } = {},
): Promise<TemplateFacts> {
  const [client] = await ctx.tx
    .select({ firstName: clients.firstName, lastName: clients.lastName, dateOfBirth: clients.dateOfBirth })
    .from(clients)
    .where(eq(clients.id, row.clientId));
  const [therapist] = await ctx.tx
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, row.therapistId));
  const [practice] = await ctx.tx
    .select({ name: practices.name })
    .from(practices)
    .where(eq(practices.id, row.practiceId));
  return {
    clientName: client ? `${client.firstName} ${client.lastName}` : 'the client',
    dateOfBirth: client ? plainDate(client.dateOfBirth) : 'not on file',
    recipient:
      given.recipient ??
      [row.requesterName, row.requesterOrganization].filter((x): x is string => !!x).join(', '),
    purpose: given.purpose ?? row.purpose ?? 'at the client’s request',
    datesOfService: dateRange(row.dateFrom, row.dateTo) || 'on all dates of service',
    records: recordClasses(row.documentClasses),
    therapistName: therapist?.name ?? 'The therapist',
    practiceName: practice?.name ?? 'The practice',
  };
}
