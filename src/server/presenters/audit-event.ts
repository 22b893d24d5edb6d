// An audit row as the audit-log screen shows it (rule SEC-3): the chain's own columns (prev_hmac,
// hmac, practice_id) stay in the database.
import type { AuditEventView } from '../../shared/schemas/audit.js';
import type { AuditEventRow } from '../queries/audit-log.js';

export function presentAuditEvent(row: AuditEventRow): AuditEventView {
  const hasActor = row.actorId !== null || row.actorName !== null;
  return {
    id: row.id,
    seq: row.seq,
    at: row.at.toISOString(),
    type: row.type,
    actor: hasActor ? { id: row.actorId, name: row.actorName, role: row.actorRole } : null,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    clientId: row.clientId,
    data: row.data,
  };
}
