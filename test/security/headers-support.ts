// What every answer of Release Desk must carry (rule SEC-4), checked the same way by the plain-HTTP
// and the TLS header tests.
import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';

/** "default-src 'self'; img-src 'self' data:" -> directive -> sources. */
export function parseCsp(header: unknown): Map<string, string[]> {
  expect(typeof header, 'a Content-Security-Policy header').toBe('string');
  const map = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

export function assertSecurityHeaders(
  res: { headers: IncomingHttpHeaders | Record<string, unknown> },
  what: string,
) {
  const h = res.headers;
  const csp = parseCsp(h['content-security-policy']);
  const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
  expect(scripts, `${what}: script-src`).toContain("'self'");
  expect(scripts, `${what}: no inline scripts`).not.toContain("'unsafe-inline'");
  expect(scripts, `${what}: no eval`).not.toContain("'unsafe-eval'");
  expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(h['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(h['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBe('no-referrer');
  expect(h['cross-origin-opener-policy'], `${what}: COOP`).toBe('same-origin');
  expect(h['x-powered-by'], `${what}: no X-Powered-By`).toBeUndefined();
}
