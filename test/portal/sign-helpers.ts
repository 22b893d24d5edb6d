// A requester in the portal for the signing tests, through the access layer's real API: a status link
// issued as every requester email issues one, the emailed code asked for and entered, the session
// cookie and CSRF token kept. The code is read from the requester thread's message (what was emailed).
import { deflateSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { SYSTEM_META } from '../../src/server/context.js';
import { inTransaction } from '../../src/server/db/tx.js';
import { PORTAL_CODE_KIND } from '../../src/server/portal/links.js';
import { issueStatusLink } from '../../src/server/portal/status-link.js';
import type { TestApp } from '../support/app.js';
import { newestOutboxEmail } from '../support/outbox.js';
import { randomIp } from '../support/session.js';

export interface Requester {
  ip: string;
  cookie: string;
  csrfToken: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, opts?: { csrf?: string | null }): Promise<LightMyRequestResponse>;
}

export async function portalRequester(
  t: TestApp,
  request: { practiceId: string; requestId: string; email: string },
): Promise<Requester> {
  const services = t.running.services;
  const token = await inTransaction(services, SYSTEM_META, null, (ctx) => issueStatusLink(ctx, request), {
    practiceId: request.practiceId,
  });
  const ip = randomIp();
  const sent = await t.app.inject({
    method: 'POST',
    url: `/api/portal/links/${token}/code`,
    remoteAddress: ip,
  });
  if (sent.statusCode !== 200) throw new Error(`code answered ${sent.statusCode}: ${sent.body}`);
  const message = await newestOutboxEmail(t, 'request_id = $1 and kind = $2', [
    request.requestId,
    PORTAL_CODE_KIND,
  ]);
  // The code stands on a line of its own: the practice's name above it may hold six digits.
  const code = /^(\d{6})$/m.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error('no code in the emailed code');
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/portal/links/${token}/confirm`,
    remoteAddress: ip,
    payload: { code },
  });
  if (confirmed.statusCode !== 200)
    throw new Error(`confirm answered ${confirmed.statusCode}: ${confirmed.body}`);
  const cookie = confirmed.cookies.find((c) => c.name === 'rd_portal')!.value;
  const { csrfToken } = confirmed.json() as { csrfToken: string };
  return {
    ip,
    cookie,
    csrfToken,
    get: (url) => t.app.inject({ method: 'GET', url, remoteAddress: ip, cookies: { rd_portal: cookie } }),
    post: (url, body, opts = {}) => {
      const csrf = opts.csrf === undefined ? csrfToken : opts.csrf;
      return t.app.inject({
        method: 'POST',
        url,
        remoteAddress: ip,
        cookies: { rd_portal: cookie },
        headers: csrf ? { 'x-csrf-token': csrf } : {},
        payload: body as Record<string, unknown>,
      });
    },
  };
}

/** A small real PNG drawn like a finger signature (a diagonal stroke), encoded here (RGBA, one IDAT). */
export function signaturePng(width = 300, height = 100): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const on = Math.abs(y - Math.round((x * height) / width)) < 3;
      const at = y * (width * 4 + 1) + 1 + x * 4;
      raw[at + 3] = on ? 255 : 0;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
