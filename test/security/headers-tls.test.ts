// Issue 8 "Headers and transport" (rule SEC-4: traffic uses TLS in production): HSTS is sent when,
// and only when, the request came over TLS — the app's own HTTPS listener (TLS_CERT_FILE and
// TLS_KEY_FILE; a real server with a self-signed certificate made here by openssl) or a trusted
// proxy's X-Forwarded-Proto: https (TRUST_PROXY) — and every cookie is Secure then. A client that
// is not the proxy cannot claim https, nor choose its address (the per-address limits hold).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { HSTS_VALUE } from '../../src/server/http/transport.js';
import { emailedCode, statusToken } from '../portal/support.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestPractice } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { auditRows, randomIp, signIn } from '../support/session.js';
import { assertSecurityHeaders } from './headers-support.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over a real socket (HTTPS trusting only the test's own certificate, or plain HTTP). */
function send(
  url: string,
  opts: { method?: string; body?: unknown; headers?: Record<string, string>; ca?: Buffer } = {},
): Promise<Answer> {
  const u = new URL(url);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers = {
    ...(payload
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
      : {}),
    ...(opts.headers ?? {}),
  };
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    };
    const req =
      u.protocol === 'https:'
        ? httpsRequest(
            u,
            { method: opts.method ?? 'GET', headers, ca: opts.ca, servername: 'localhost' },
            done,
          )
        : httpRequest(u, { method: opts.method ?? 'GET', headers }, done);
    req.on('error', reject);
    req.end(payload);
  });
}

/** Set-Cookie attributes by cookie name ("rd_session" -> {secure, httponly, samesite, path}). */
function cookies(
  headers: IncomingHttpHeaders | Record<string, unknown>,
): Map<string, Record<string, string | true>> {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const out = new Map<string, Record<string, string | true>>();
  for (const line of list) {
    const [pair, ...attrs] = String(line).split(';');
    const name = pair!.split('=')[0]!.trim();
    const a: Record<string, string | true> = {};
    for (const attr of attrs) {
      const [k, v] = attr.trim().split('=');
      a[k!.toLowerCase()] = v ?? true;
    }
    out.set(name, a);
  }
  return out;
}

function selfSignedCertificate(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

describe('over the app’s own TLS listener (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  let t: TestApp;
  let base: string;
  let tls: { cert: Buffer; key: Buffer };
  let practice: TestPractice;
  beforeAll(async () => {
    tls = selfSignedCertificate();
    t = await createTestApp({ tls });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `https://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    practice = await createPractice(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SEC-4: every answer over TLS carries HSTS and the security headers: page, API, 404, 400', async () => {
    for (const [what, url, status, method, body] of [
      ['the staff app', '/', 200],
      ['the secure link’s page', `/links/${'B'.repeat(43)}`, 200],
      ['API JSON', '/api/instance', 200],
      ['an API 404', '/api/nothing-here', 404],
      ['a 400', '/api/auth/login', 400, 'POST', { email: 1 }],
    ] as const) {
      const res = await send(`${base}${url}`, { ca: tls.cert, method, body });
      expect(res.status, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.headers['strict-transport-security'], what).toBe(HSTS_VALUE);
      assertSecurityHeaders(res, what);
    }
  });

  it('SEC-4: the staff session cookie is Secure, HttpOnly and SameSite=Lax over TLS', async () => {
    const user = await createUser(t, practice, ['support'], { isDemo: true, enrolled: false });
    const res = await send(`${base}/api/auth/login`, {
      ca: tls.cert,
      method: 'POST',
      body: { email: user.email, password: user.password },
    });
    expect(res.status, res.body).toBe(200);
    const session = cookies(res.headers).get('rd_session');
    expect(session).toMatchObject({ secure: true, httponly: true, samesite: 'Lax', path: '/' });
    // The cookie works over TLS: /api/me answers with it.
    const value = String(res.headers['set-cookie']).match(/rd_session=([^;]+)/)![1]!;
    const me = await send(`${base}/api/me`, { ca: tls.cert, headers: { cookie: `rd_session=${value}` } });
    expect(me.status).toBe(200);
    expect(me.headers['strict-transport-security']).toBe(HSTS_VALUE);
  });

  it('the public URL defaults to https:// when the app serves TLS itself', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rd-tls-conf-'));
    writeFileSync(path.join(dir, 'c.pem'), tls.cert);
    writeFileSync(path.join(dir, 'k.pem'), tls.key);
    const keys = {
      dataDir: dir,
      databaseUrl: 'postgres://x@127.0.0.1/x',
      masterKey: tls.key.subarray(0, 32),
      auditKey: tls.key.subarray(0, 32),
    };
    const config = loadConfig(
      { TLS_CERT_FILE: path.join(dir, 'c.pem'), TLS_KEY_FILE: path.join(dir, 'k.pem'), PORT: '8443' },
      keys,
    );
    expect(config.publicUrl).toBe('https://127.0.0.1:8443');
    expect(config.tls?.cert.equals(tls.cert)).toBe(true);
    expect(() => loadConfig({ TLS_CERT_FILE: path.join(dir, 'c.pem') }, keys)).toThrow(
      /TLS_KEY_FILE is required too/,
    );
    expect(() =>
      loadConfig({ TLS_CERT_FILE: path.join(dir, 'none.pem'), TLS_KEY_FILE: path.join(dir, 'k.pem') }, keys),
    ).toThrow(/TLS_CERT_FILE: no such file/);
  });
});

describe('behind a trusted TLS proxy (TRUST_PROXY=<the proxy’s address>)', () => {
  let t: TestApp;
  let base: string;
  let practice: TestPractice;
  beforeAll(async () => {
    t = await createTestApp({ trustProxy: ['127.0.0.1'], publicUrl: 'https://records.practice.test' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    practice = await createPractice(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SEC-4: HSTS when the proxy says https, none when it says http or says nothing (a real socket from the proxy’s address)', async () => {
    const viaHttps = await send(`${base}/api/instance`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaHttps.headers['strict-transport-security']).toBe(HSTS_VALUE);
    assertSecurityHeaders(viaHttps, 'proxied https');
    const viaHttp = await send(`${base}/api/instance`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(viaHttp.headers['strict-transport-security']).toBeUndefined();
    const direct = await send(`${base}/`);
    expect(direct.headers['strict-transport-security']).toBeUndefined();
    assertSecurityHeaders(direct, 'plain HTTP page');
  });

  it('SEC-4: a client that is not the proxy cannot claim https (no HSTS, no Secure cookie) nor choose its address', async () => {
    const user = await createUser(t, practice, ['support'], { isDemo: true, enrolled: false });
    const login = (remoteAddress: string, headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        headers,
        payload: { email: user.email, password: user.password },
      });
    const proxied = await login('127.0.0.1', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(proxied.headers['strict-transport-security']).toBe(HSTS_VALUE);
    expect(proxied.cookies.find((c) => c.name === 'rd_session')?.secure).toBe(true);
    const stranger = randomIp();
    const spoofed = await login(stranger, {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '198.51.100.66',
    });
    expect(spoofed.statusCode).toBe(200);
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(spoofed.cookies.find((c) => c.name === 'rd_session')?.secure).toBeFalsy();
    // Whom the audit log names: the proxy's client for the proxied call, the socket for the stranger.
    const ips = (await auditRows(t, 'auth.login_succeeded')).map((a) => a.ip);
    expect(ips).toContain('203.0.113.9');
    expect(ips).toContain(stranger);
    expect(ips).not.toContain('198.51.100.66');
  });

  it('SEC-4: the requester portal’s cookie is Secure, HttpOnly, SameSite=Strict and scoped to /api/portal behind the proxy', async () => {
    const support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist, { firstName: 'Rowan', lastName: 'Ellis' });
    const r = await createRequestAs(support, client.id, {
      requester: { name: 'Rowan Ellis', email: 'rowan@example.test' },
    });
    const token = await statusToken(t, r.id);
    const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.20' };
    const sent = await t.app.inject({
      method: 'POST',
      url: `/api/portal/links/${token}/code`,
      remoteAddress: '127.0.0.1',
      headers: viaProxy,
      payload: {},
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/portal/links/${token}/confirm`,
      remoteAddress: '127.0.0.1',
      headers: viaProxy,
      payload: { code: await emailedCode(t, r.id) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.headers['strict-transport-security']).toBe(HSTS_VALUE);
    assertSecurityHeaders(confirmed, 'the portal confirm answer');
    // The portal's CSRF token is in the body, not a cookie: rd_portal is the only cookie.
    expect(confirmed.cookies.map((c) => c.name)).toEqual(['rd_portal']);
    expect(confirmed.cookies[0]).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/portal',
    });
  });
});

describe('TRUST_PROXY=true: the one proxy in front', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ trustProxy: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SEC-4: the client address is the one the proxy appended, so a forged X-Forwarded-For neither names someone else nor escapes the per-address limit', async () => {
    const realClient = '203.0.113.77';
    let last = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      // The client sends its own X-Forwarded-For (a new made-up address each time); the proxy appends the real one.
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/links/${'C'.repeat(43)}`,
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}, ${realClient}` },
      });
      statuses.push(res.statusCode);
      last = res.statusCode;
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(last).toBe(429);
    const refusals = await auditRows(t, 'delivery_link.refused');
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((a) => a.ip))).toEqual(new Set([realClient]));
  });

  it('TRUST_PROXY takes true, false or proxy addresses and CIDR ranges, and refuses anything else', () => {
    const keys = {
      dataDir: tmpdir(),
      databaseUrl: 'postgres://x@127.0.0.1/x',
      masterKey: Buffer.alloc(32, 1),
      auditKey: Buffer.alloc(32, 2),
    };
    expect(loadConfig({ TRUST_PROXY: 'true' }, keys).trustProxy).toBe(true);
    expect(loadConfig({}, keys).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }, keys).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' }, keys)).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' }, keys)).toThrow(/TRUST_PROXY/);
  });
});
