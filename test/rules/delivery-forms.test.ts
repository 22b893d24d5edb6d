// rule REL-1: each form of delivery records what proves it (mail: date posted and tracking number;
// pick-up or inspection: date, who, how identity was checked; fax: number and confirmation; email
// with attachments: only at the client's request after a recorded warning; verbal: what, with whom,
// when), and rule REL-3: every form writes a disclosure entry. Through the release route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verbalToRelease } from '../drafts/support.js';
import { readyPacket, sql, toRelease, type World, world } from '../packets/support.js';
import { pdfText, qpdfCheck } from '../support/pdf.js';
import { openTasks, type RequestDetails } from '../support/requests.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(async () => {
  await w?.t.close();
});

const release = (id: string, body: Record<string, unknown>) =>
  w.as.support!.post(`/api/requests/${id}/release`, body);

const entries = (id: string) =>
  sql<{
    description: string;
    recipient_address: string | null;
    packet_sha256: string | null;
    released_by: string;
  }>(
    w,
    'select description, recipient_address, packet_sha256, released_by from disclosures where request_id = $1',
    [id],
  );

/** A 400 naming REL-1 and the missing fields; nothing written, the release task still open. */
async function refused(id: string, body: Record<string, unknown>, fields: string[]) {
  const res = await release(id, body);
  expect(res.statusCode, res.body).toBe(400);
  const answer = res.json() as { message: string; fields: { path: string }[] };
  expect(answer.message).toContain('REL-1');
  expect(answer.fields.map((f) => f.path)).toEqual(expect.arrayContaining(fields));
  expect(await entries(id)).toEqual([]);
  const now = (await w.as.support!.get(`/api/requests/${id}`)).json() as RequestDetails;
  expect(openTasks(now).map((t) => t.type)).toEqual(['release']);
  return answer;
}

async function released(id: string, body: Record<string, unknown>) {
  const res = await release(id, body);
  expect(res.statusCode, res.body).toBe(200);
  const rows = await entries(id);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.released_by).toBe(w.u.support!.id);
  return rows[0]!;
}

describe('REL-1, REL-3: the forms of delivery other than the secure link', () => {
  it('REL-1, REL-3: mail records the date posted and the tracking number (missing: 400 naming REL-1); the entry holds them and the packet hash', async () => {
    const { request: r, packet } = await readyPacket(w);
    const answer = await refused(r.id, { method: 'mail', details: { postedOn: '2027-03-01' } }, [
      'body.details.trackingNumber',
    ]);
    expect(answer.message).toContain('tracking number');
    await refused(r.id, { method: 'mail', details: { trackingNumber: '9400 1000 0000 0000 0000 00' } }, [
      'body.details.postedOn',
    ]);
    await refused(
      r.id,
      { method: 'mail', details: { postedOn: '2027-04-30', trackingNumber: '9400 1000 0000 0000 0000 00' } },
      ['body.details.postedOn'],
    );
    const entry = await released(r.id, {
      method: 'mail',
      details: {
        postedOn: '2027-03-01',
        carrier: 'USPS Certified Mail',
        trackingNumber: '9400 1000 0000 0000 0000 00',
      },
    });
    expect(entry.description).toContain(
      'Mailed by USPS Certified Mail on 2027-03-01, tracking number 9400 1000 0000 0000 0000 00',
    );
    expect(entry.packet_sha256).toBe(packet.sha256);
  });

  it("REL-1: the request's delivery format is the form when the body names none (mail asked, no tracking number: 400)", async () => {
    const { request: r } = await readyPacket(w, { deliveryFormat: 'mail' });
    await refused(r.id, {}, ['body.details.postedOn', 'body.details.trackingNumber']);
    await released(r.id, { details: { postedOn: '2027-03-01', trackingNumber: 'RR123456789US' } });
  });

  it('REL-1, REL-3: pick-up records the date, who collected and how identity was checked; inspection who attended', async () => {
    const { request: r, packet } = await readyPacket(w);
    await refused(r.id, { method: 'pickup', details: { on: '2027-03-01', attendedBy: 'Ngọc Trần' } }, [
      'body.details.identityCheck',
    ]);
    const entry = await released(r.id, {
      method: 'pickup',
      details: {
        on: '2027-03-01',
        attendedBy: 'Ngọc Trần',
        identityCheck: "Driver's license checked at the front desk",
      },
    });
    expect(entry.description).toContain(
      "Collected in person on 2027-03-01 by Ngọc Trần; identity checked: Driver's license checked at the front desk",
    );
    expect(entry.recipient_address).toBe('In person');
    expect(entry.packet_sha256).toBe(packet.sha256);

    const inspect = await toRelease(w, { deliveryFormat: 'inspection' });
    await refused(inspect.id, { details: { attendedBy: 'Ngọc Trần', identityCheck: 'Passport' } }, [
      'body.details.on',
    ]);
    const seen = await released(inspect.id, {
      details: {
        on: '2027-03-01',
        attendedBy: 'Ngọc Trần with her sister',
        identityCheck: 'Passport',
        notes: '40 minutes',
      },
    });
    expect(seen.description).toContain(
      'Inspected in person on 2027-03-01 by Ngọc Trần with her sister; identity checked: Passport',
    );
  });

  it('REL-1, REL-3: fax records the number and the confirmation (missing confirmation: 400 naming REL-1)', async () => {
    const { request: r } = await readyPacket(w);
    const answer = await refused(r.id, { method: 'fax', details: { faxNumber: '+1 (503) 555-0142' } }, [
      'body.details.confirmation',
    ]);
    expect(answer.message).toContain('fax number and the confirmation');
    await refused(r.id, { method: 'fax', details: { faxNumber: 'call me', confirmation: 'OK' } }, [
      'body.details.faxNumber',
    ]);
    const entry = await released(r.id, {
      method: 'fax',
      details: { faxNumber: '+1 (503) 555-0142', confirmation: 'Transmission OK, 6 pages, job 4471' },
    });
    expect(entry.description).toContain(
      'Faxed to +1 (503) 555-0142, confirmation Transmission OK, 6 pages, job 4471',
    );
    expect(entry.recipient_address).toBe('Fax +1 (503) 555-0142');
  });

  it('REL-1, REL-3: email with the records attached only when the client asks after a recorded warning of the risk', async () => {
    const { request: r, packet } = await readyPacket(w);
    const answer = await refused(r.id, { method: 'email', details: { to: 'ngoc@example.test' } }, [
      'body.details.riskWarning',
    ]);
    expect(answer.message).toContain('recorded warning of the risk');
    await refused(
      r.id,
      {
        method: 'email',
        details: {
          to: 'ngoc@example.test',
          riskWarning: {
            warnedAt: '2027-03-01T17:00:00Z',
            warning: 'Unencrypted email can be read by others on the way.',
            clientAskedAt: '2027-03-01T16:00:00Z',
          },
        },
      },
      ['body.details.riskWarning.clientAskedAt'],
    );
    const entry = await released(r.id, {
      method: 'email',
      details: {
        to: 'ngoc@example.test',
        riskWarning: {
          warnedAt: '2027-03-01T16:00:00Z',
          warning: 'Unencrypted email can be read by others on the way; a secure link is offered instead.',
          clientAskedAt: '2027-03-01T16:05:00Z',
        },
      },
    });
    expect(entry.description).toContain(
      "Emailed with the records attached to ngoc@example.test, at the client's request after a warning of the risk on 2027-03-01T16:00:00Z",
    );
    expect(entry.recipient_address).toBe('ngoc@example.test');
    expect(entry.packet_sha256).toBe(packet.sha256);
    const [task] = await sql<{ result: Record<string, unknown> }>(
      w,
      `select result from tasks where request_id = $1 and type = 'release'`,
      [r.id],
    );
    expect(task!.result).toMatchObject({
      delivery: { method: 'email', riskWarning: { warnedAt: '2027-03-01T16:00:00Z' } },
    });
  });

  it('REL-1: a third party (not the client asking) never gets the records by email with attachments (409 naming REL-1)', async () => {
    const r = await toRelease(w, {
      kind: 'authorization',
      requester: { name: 'Morgan Price', organization: 'Northwind Life', email: 'claims@northwind.test' },
      purpose: 'Life insurance underwriting',
    });
    const res = await release(r.id, {
      method: 'email',
      details: {
        to: 'claims@northwind.test',
        riskWarning: {
          warnedAt: '2027-03-01T16:00:00Z',
          warning: 'Risky.',
          clientAskedAt: '2027-03-01T16:05:00Z',
        },
      },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().message).toContain('REL-1');
    expect(await entries(r.id)).toEqual([]);
  });

  it('REL-1, REL-3: a verbal release records what was discussed, with whom and when, and writes an entry with no packet', async () => {
    // Procedure step 4: a verbal discussion is prepared with notes the supervisor approved.
    const r = await verbalToRelease(w);
    await refused(
      r.id,
      { method: 'verbal', details: { withWhom: 'Ngọc Trần', discussedAt: '2027-03-01T17:00:00Z' } },
      ['body.details.discussed'],
    );
    const entry = await released(r.id, {
      method: 'verbal',
      details: {
        withWhom: 'Ngọc Trần, by phone',
        discussedAt: '2027-03-01T17:00:00Z',
        discussed: 'Diagnosis and treatment dates from the 2026 progress notes, within the authorized scope.',
      },
    });
    expect(entry.description).toContain(
      'Discussed verbally with Ngọc Trần, by phone on 2027-03-01T17:00:00Z',
    );
    expect(entry.packet_sha256).toBeNull();
  });

  it('REL-1: a packet going by mail prints with an address sheet (name and postal address, request number, packet SHA-256, lines for date posted and tracking number); none without a postal address (409)', async () => {
    const { request: r, packet } = await readyPacket(w, {
      deliveryFormat: 'mail',
      requester: {
        name: 'Ngọc Trần',
        email: 'ngoc@example.test',
        address: '12 Elm Street\nApt 4\nPortland, OR 97201',
      },
    });
    const res = await w.as.support!.get(`/api/requests/${r.id}/packets/${packet.id}/address-sheet`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.rawPayload;
    await qpdfCheck(pdf);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const s of [
      'Ngọc Trần',
      '12 Elm Street',
      'Portland, OR 97201',
      r.number,
      'Tracking number',
      'Date posted',
    ])
      expect(text).toContain(s);
    // The hash may wrap across lines.
    expect(text.replaceAll(' ', '')).toContain(packet.sha256!);
    const [audit] = await sql(
      w,
      `select count(*)::int as n from audit_events where type = 'packet.address_sheet_printed' and request_id = $1`,
      [r.id],
    );
    expect(audit!.n).toBe(1);

    const { request: noAddress, packet: p2 } = await readyPacket(w);
    const refusedSheet = await w.as.support!.get(
      `/api/requests/${noAddress.id}/packets/${p2.id}/address-sheet`,
    );
    expect(refusedSheet.statusCode).toBe(409);
    expect(refusedSheet.json().message).toContain('REL-1');
  });
});
