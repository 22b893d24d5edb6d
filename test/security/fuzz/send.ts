// One generated case sent through app.inject: the URL's parameters filled (a lone surrogate sent as
// the broken UTF-8 a client could send), the query, and the body as JSON text, or for a multipart
// route now and then a body that only claims to be multipart.
import type { TestApp } from '../../support/app.js';
import type { RouteEntry } from '../../support/route-inventory.js';
import type { Agent } from '../../support/session.js';
import type { StaffRole } from '../support/world.js';
import type { Mutation } from './arbitraries.js';

export interface FuzzCase {
  params: Record<string, string>;
  query: string;
  body: { mutation: Mutation; text: string };
  who: StaffRole | null;
  multipartGarbage: boolean;
}

function encodeSegment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    // A lone surrogate: send the bytes a careless client would (CESU-style), still percent-encoded.
    return [...v]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          const code = ch.charCodeAt(0);
          const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
          return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
        }
      })
      .join('');
  }
}

export function caseUrl(route: RouteEntry, c: FuzzCase): string {
  const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeSegment(c.params[name] ?? ''),
  );
  return c.query ? `${path}?${c.query}` : path;
}

function preview(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
}

export async function sendCase(
  t: TestApp,
  route: RouteEntry,
  c: FuzzCase,
  agent: Agent | null,
  ip: string,
): Promise<{ status: number; url: string; bodyPreview: string; responsePreview: string }> {
  const url = caseUrl(route, c);
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (route.writes) {
    if (route.multipart && c.multipartGarbage) {
      headers['content-type'] = 'multipart/form-data; boundary=fuzz';
      payload = `--fuzz\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${c.body.text}\r\n--fuzz`;
    } else {
      headers['content-type'] = 'application/json';
      payload = c.body.text;
    }
    if (agent) headers['x-csrf-token'] = agent.csrfToken;
  }
  try {
    const res = await t.app.inject({
      method: route.method,
      url,
      remoteAddress: agent?.ip ?? ip,
      headers,
      ...(agent ? { cookies: { rd_session: agent.cookie } } : {}),
      ...(payload === undefined ? {} : { payload }),
    });
    return {
      status: res.statusCode,
      url: preview(url),
      bodyPreview: preview(payload ?? ''),
      responsePreview: preview(res.body),
    };
  } catch (e) {
    // inject itself threw: the server did not answer at all (counted as a failure, status 0).
    return { status: 0, url: preview(url), bodyPreview: preview(payload ?? ''), responsePreview: String(e) };
  }
}
