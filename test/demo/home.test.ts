// GET / and the demo marks: on a demo server every page says "Demo — not for real records" (the web
// app shows the banner from GET /api/instance) and every response carries x-release-desk-demo: true;
// a normal server shows neither.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BANNER, DEMO_LOGINS } from '../../src/server/demo/accounts.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('the home page and the demo marks', () => {
  let demo: TestApp;
  let normal: TestApp;

  beforeAll(async () => {
    [demo, normal] = await Promise.all([createTestApp({ demo: true }), createTestApp()]);
  });
  afterAll(async () => {
    await Promise.all([demo?.close(), normal?.close()]);
  });

  // GET / is the staff web app (dist/web, src/server/http/static.ts): 200 when built, else 503 with a
  // page saying how to build it. Either way a demo server's page names itself a demo.
  it('GET / on a demo server is the web app, its title carrying the banner, from this origin only', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/' });
    expect([200, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.body).toMatch(new RegExp(`<title>[^<]*${DEMO_BANNER}[^<]*</title>`));
    expect(res.body).not.toMatch(/(src|href)="https?:/); // no external assets
    for (const src of res.body.match(/src="[^"]*"/g) ?? []) expect(src).toMatch(/^src="\/assets\//);
  });

  it('GET /api/instance tells the app it is a demo, with the demo logins; a normal server says neither', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/api/instance' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      demo: boolean;
      banner: string;
      demoLogins: { email: string }[];
      demoPassword: string;
    };
    expect(body).toMatchObject({
      demo: true,
      banner: DEMO_BANNER,
      demoPassword: 'demo-password',
      idleTimeoutMinutes: 15,
    });
    expect(body.demoLogins.map((l) => l.email)).toEqual(DEMO_LOGINS.map((l) => l.email));
    const plain = await normal.app.inject({ method: 'GET', url: '/api/instance' });
    expect(plain.json()).toEqual({
      demo: false,
      banner: null,
      idleTimeoutMinutes: 15,
      demoLogins: null,
      demoPassword: null,
    });
  });

  it('GET / on a normal server is the web app, without the banner or the logins', async () => {
    const res = await normal.app.inject({ method: 'GET', url: '/' });
    expect([200, 503]).toContain(res.statusCode);
    expect(res.body).toContain('Release Desk');
    expect(res.body).not.toContain(DEMO_BANNER);
    expect(res.body).not.toContain('demo.test');
  });

  it('/api/docs carries the banner on a demo server only', async () => {
    const page = await demo.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('theme/demo.css');
    const css = await demo.app.inject({ method: 'GET', url: '/api/docs/static/theme/demo.css' });
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain(`content: "${DEMO_BANNER}"`);
    const plain = await normal.app.inject({ method: 'GET', url: '/api/docs' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).not.toContain('demo.css');
    expect(plain.body).not.toContain(DEMO_BANNER);
  });

  it('every response of a demo server carries x-release-desk-demo: true, and no response of a normal one', async () => {
    const urls = ['/', '/api/health', '/api/docs', '/api/openapi.json', '/api/me', '/api/no-such-route'];
    for (const url of urls) {
      const res = await demo.app.inject({ method: 'GET', url });
      expect(res.headers['x-release-desk-demo'], url).toBe('true');
      const plain = await normal.app.inject({ method: 'GET', url });
      expect(plain.headers['x-release-desk-demo'], url).toBeUndefined();
    }
    const bad = await demo.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{oops',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-release-desk-demo']).toBe('true');
  });

  it('GET / is not part of the API document', async () => {
    const doc = (await normal.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).not.toContain('/');
  });
});
