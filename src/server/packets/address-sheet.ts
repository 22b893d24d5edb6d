// rule REL-1: a packet going by mail is printed with an address sheet: the recipient's name and
// postal address where a window envelope shows it, the request number and the packet's version,
// pages and SHA-256 (REL-5, so what was posted can be matched to the disclosure entry), and lines
// to write the date posted and the tracking number that the release then records.

import { localDate } from '../../shared/time.js';
import { practiceLetterhead, practiceTimeZone } from '../accounting/queries.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { ConflictError } from '../errors.js';
import { renderLetter } from '../pdf/letter.js';
import type { RequestRow } from '../queries/visible-requests.js';
import { longDate } from '../rules/authorization-form.js';
import { CONFIDENTIALITY_NOTICE } from './cover-letter.js';
import type { PacketRow } from './queries.js';

export async function addressSheet(ctx: Ctx, row: RequestRow, packet: PacketRow): Promise<Buffer> {
  const address = (row.requesterAddress ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (address.length === 0) {
    throw new ConflictError(
      'No postal address is recorded for the requester: add it to the request before printing the address sheet (REL-1).',
      { requestId: row.id, rule: 'REL-1' },
    );
  }
  if (packet.status !== 'ready' && packet.status !== 'released') {
    throw new ConflictError(
      `Version ${packet.version} of the packet is ${packet.status}: print the address sheet of a ready packet (REL-5).`,
      { requestId: row.id, packetId: packet.id, rule: 'REL-5' },
    );
  }
  const practice = await practiceLetterhead(ctx, row.practiceId);
  const timeZone = await practiceTimeZone(ctx, row.practiceId);
  const recipient = [
    row.requesterName,
    ...(row.requesterOrganization ? [row.requesterOrganization] : []),
    ...address,
  ];
  const pdf = await renderLetter({
    letterhead: {
      practiceName: practice.name,
      lines: [practice.privacyOfficerPhone, practice.privacyOfficerEmail].filter((l): l is string => !!l),
    },
    reference: row.number,
    date: longDate(localDate(ctx.now, timeZone)),
    recipient,
    title: 'Address sheet: records sent by mail',
    blocks: [
      {
        type: 'fields',
        rows: [
          ['Request', row.number],
          ['Packet', `version ${packet.version}, ${packet.pageCount ?? '?'} pages`],
          ['SHA-256', packet.sha256 ?? ''],
        ],
      },
      {
        type: 'paragraph',
        text: 'Enclose the printed packet behind this sheet, name and address showing in the envelope window. Send it by a service with tracking, then record the date posted and the tracking number with the release.',
      },
      { type: 'signature', lines: ['Date posted', 'Carrier', 'Tracking number', 'Posted by'] },
    ],
    footerNotice: CONFIDENTIALITY_NOTICE,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'packet.address_sheet_printed',
    requestId: row.id,
    clientId: row.clientId,
    data: { packetId: packet.id, version: packet.version },
  });
  return pdf;
}
