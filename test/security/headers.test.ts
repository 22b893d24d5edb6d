// Issue 8 "Headers and transport" (rule SEC-4): the security headers on every kind of answer —
// staff pages, the SPA fallback, static assets, API JSON, errors (401/404/400/413/429), the
// portal's and the secure link's pages and routes, the Stripe webhook, the API docs — over plain
// HTTP. HSTS and Secure cookies over TLS (a real listening HTTPS server, and a trusted proxy's
// X-Forwarded-Proto) are in headers-tls.test.ts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/server/app.js';
import { WEB_DIST } from '../../src/server/http/web-build.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPractice, createUser } from '../support/factories.js';
import { randomIp, signIn } from '../support/session.js';
import { assertSecurityHeaders, parseCsp } from './headers-support.js';

let t: TestApp;
beforeAll(async () => {
  // Stripe configured, so the webhook route is the real one (it answers an unsigned call with 400).
  t = await createTestApp({
    stripe: {
      secretKey: 'sk_test_headers',
      webhookSecret: 'whsec_headers',
      maxNetworkRetries: 0,
      timeoutMs: 1000,
    },
  });
});
afterAll(async () => {
  await t?.close();
});

const TOKEN = 'A'.repeat(43);
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, remoteAddress: randomIp(), headers });

function anAsset(): string {
  const files = readdirSync(path.join(WEB_DIST, 'assets'));
  const js = files.find((f) => f.endsWith('.js'));
  expect(js, 'the web app is built (npm ci builds it)').toBeDefined();
  return `/assets/${js}`;
}

describe('security headers on every answer (SEC-4)', () => {
  it('pages, assets, API JSON, errors, public routes and the webhook all carry the same headers, and no HSTS over plain HTTP', async () => {
    const ip = randomIp();
    const cases: [string, () => Promise<LightMyRequestResponse>, number][] = [
      ['the staff app at /', () => get('/'), 200],
      ['the SPA fallback (a staff route reloaded)', () => get('/requests/123'), 200],
      ['a hashed static asset', () => get(anAsset()), 200],
      ['the secure link’s page', () => get(`/links/${TOKEN}`), 200],
      ['the portal’s status-link page', () => get(`/portal/links/${TOKEN}`), 200],
      ['the public request form', () => get('/request'), 200],
      ['API JSON', () => get('/api/instance'), 200],
      ['the health check', () => get('/api/health'), 200],
      ['the API docs (Swagger UI)', () => get('/api/docs/'), 200],
      ['a 401 without a session', () => get('/api/me'), 401],
      ['an API 404', () => get('/api/no-such-route'), 404],
      ['a missing asset (404)', () => get('/assets/no-such-file.js'), 404],
      ['an unknown secure link (404)', () => get(`/api/links/${TOKEN}`), 404],
      ['an unknown status link (404)', () => get(`/api/portal/links/${TOKEN}`), 404],
      [
        'malformed JSON (400)',
        () =>
          t.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            remoteAddress: randomIp(),
            headers: { 'content-type': 'application/json' },
            payload: '{"email": ',
          }),
        400,
      ],
      [
        'a body over the limit (413)',
        () =>
          t.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            remoteAddress: randomIp(),
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(BODY_LIMIT_BYTES) }),
          }),
        413,
      ],
      [
        'the Stripe webhook refusing an unsigned call',
        () =>
          t.app.inject({
            method: 'POST',
            url: '/api/payments/stripe/webhook',
            remoteAddress: randomIp(),
            headers: { 'content-type': 'application/json' },
            payload: '{}',
          }),
        400,
      ],
      [
        'a rate-limited call (429)',
        async () => {
          let last: LightMyRequestResponse | null = null;
          for (let i = 0; i < 21; i++) {
            last = await t.app.inject({ method: 'GET', url: `/api/links/${TOKEN}`, remoteAddress: ip });
          }
          return last!;
        },
        429,
      ],
    ];
    const seen: string[] = [];
    for (const [what, send, status] of cases) {
      const res = await send();
      expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      assertSecurityHeaders(res, what);
      expect(res.headers['strict-transport-security'], `${what}: no HSTS over plain HTTP`).toBeUndefined();
      seen.push(`${res.statusCode} ${what}`);
    }
    console.log(`security headers checked on ${seen.length} kinds of answer:\n  ${seen.join('\n  ')}`);
  });

  it('the CSP allows scripts only from the app itself (no inline, no eval), styles inline for Mantine, and nothing frames a page', async () => {
    const csp = parseCsp((await get('/')).headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    // Mantine injects <style> elements and style attributes at run time (see app.ts).
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // Over plain HTTP this would send the page's own scripts to an https:// that does not exist.
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('the built pages hold no inline script the CSP would block (so the strict script-src costs nothing)', async () => {
    for (const url of ['/', `/links/${TOKEN}`, `/portal/links/${TOKEN}`, '/api/docs/']) {
      const html = (await get(url)).body;
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, url).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        // External and from the app itself (a relative or root path, never another origin).
        expect(attrs, `${url}: every script is external`).toMatch(/\bsrc="(\/|\.\/)?[\w-]/);
        expect(attrs, `${url}: from 'self'`).not.toMatch(/\bsrc="(https?:)?\/\//);
        expect(body?.trim(), `${url}: no inline script body`).toBe('');
      }
      expect(html, `${url}: no inline event handlers`).not.toMatch(/\son[a-z]+=["']/i);
    }
  });

  it('signed-in answers carry the headers too, and a session cookie is HttpOnly and SameSite=Lax but not Secure over plain HTTP', async () => {
    const practice = await createPractice(t);
    const user = await createUser(t, practice, ['support'], { isDemo: true, enrolled: false });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: randomIp(),
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    assertSecurityHeaders(login, 'the sign-in answer');
    // The CSRF token travels in the body (and the x-csrf-token header), never in a cookie.
    expect(login.cookies.map((c) => c.name)).toEqual(['rd_session']);
    const cookie = login.cookies[0]!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const agent = await signIn(t, await createUser(t, practice, ['support']));
    const me = await agent.get('/api/me');
    expect(me.statusCode).toBe(200);
    assertSecurityHeaders(me, '/api/me signed in');
  });
});
