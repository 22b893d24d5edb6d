// What staff see of a subpoena's LEGAL-2 records: the satisfactory-assurance checklist and how
// privilege was addressed, each with who recorded it and when.
import type { LegalRecordView } from '../../shared/schemas/legal.js';
import type { ApprovalRow } from '../queries/authorizations.js';

export function presentLegalRecord(a: ApprovalRow, people: ReadonlyMap<string, string>): LegalRecordView {
  const text = (key: string) => (typeof a.detail[key] === 'string' ? (a.detail[key] as string) : null);
  return {
    id: a.id,
    kind: a.kind as LegalRecordView['kind'],
    label: text('label'),
    note: text('note'),
    detail: a.detail,
    recordedBy: { id: a.approvedBy, name: people.get(a.approvedBy) ?? 'Former staff member' },
    recordedAt: a.approvedAt.toISOString(),
  };
}
