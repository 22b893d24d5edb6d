// The new-request form's values (what the inputs hold) and the API body built from them
// (createRequestSchema in src/shared/schemas/requests.ts, which also validates it here).

import type { RequestKind } from '../../../shared/request-kinds';
import type { ClientView } from '../../api/types';
import { blankToNull } from '../../lib/form-errors';
import { nowForInput } from '../../lib/format';

export interface NewRequestValues {
  kind: RequestKind | '';
  kindSubtype: string | null;
  client: ClientView | null;
  requester: {
    name: string;
    organization: string;
    relationship: string;
    email: string;
    phone: string;
    address: string;
  };
  /** rule KIND-2: whom the client directs the copy to (sent only on a client-directed request). */
  recipient: { name: string; organization: string; email: string; address: string };
  documentClasses: string[];
  dateFrom: string;
  dateTo: string;
  purpose: string;
  deliverable: string;
  deliveryFormat: string;
  receivedAt: string;
  channel: string;
  neededBy: string;
  documentDueDate: string;
  notes: string;
  /** Issue 7: the language of the requester's letters, emails and portal ('en' or 'es'). */
  language: 'en' | 'es';
}

export function initialValues(): NewRequestValues {
  return {
    kind: '',
    kindSubtype: null,
    client: null,
    requester: { name: '', organization: '', relationship: '', email: '', phone: '', address: '' },
    recipient: { name: '', organization: '', email: '', address: '' },
    documentClasses: ['progress_notes'],
    dateFrom: '',
    dateTo: '',
    purpose: '',
    deliverable: 'copy',
    deliveryFormat: 'secure_download',
    receivedAt: nowForInput(),
    channel: 'email',
    neededBy: '',
    documentDueDate: '',
    notes: '',
    language: 'en',
  };
}

export const isLegalProcess = (kind: string) => kind === 'subpoena' || kind === 'court_order';

/** "2026-11-28T09:30" in the viewer's zone → an ISO instant with its offset; '' stays invalid. */
function instant(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

export function toBody(v: NewRequestValues) {
  return {
    kind: v.kind || undefined,
    kindSubtype: v.kind === 'other_legal' ? v.kindSubtype : null,
    clientId: v.client?.id,
    requester: {
      name: v.requester.name.trim(),
      organization: blankToNull(v.requester.organization),
      relationship: blankToNull(v.requester.relationship),
      email: blankToNull(v.requester.email),
      phone: blankToNull(v.requester.phone),
      address: blankToNull(v.requester.address),
    },
    recipient:
      v.kind === 'client_directed' && v.recipient.name.trim()
        ? {
            name: v.recipient.name.trim(),
            organization: blankToNull(v.recipient.organization),
            email: blankToNull(v.recipient.email),
            address: blankToNull(v.recipient.address),
          }
        : null,
    documentClasses: v.documentClasses,
    dateFrom: blankToNull(v.dateFrom),
    dateTo: blankToNull(v.dateTo),
    purpose: blankToNull(v.purpose),
    deliverable: v.deliverable,
    deliveryFormat: v.deliveryFormat,
    receivedAt: instant(v.receivedAt),
    channel: v.channel,
    neededBy: blankToNull(v.neededBy),
    documentDueDate: isLegalProcess(v.kind) ? blankToNull(v.documentDueDate) : null,
    notes: blankToNull(v.notes),
    language: v.language,
  };
}

/** Form keys differ from body keys in one place: the client picker holds the client, not its id. */
export function formKey(bodyKey: string): string {
  return bodyKey === 'clientId' ? 'client' : bodyKey;
}
