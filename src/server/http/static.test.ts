// Serving the built web app: index.html (never cached) for `/` and the app's own routes, hashed
// assets with a year-long cache, the API's 404 left alone, and a clear page when nothing is built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE, isAppRoute, prepareIndex, registerWebApp } from './static.js';

const INDEX = `<!doctype html><html><head><title>Release Desk</title>
<script type="module" crossorigin src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`;

async function appOn(root: string, demoBanner: string | null = null): Promise<FastifyInstance> {
  const app = Fastify();
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: req.url }));
  await registerWebApp(app, { root, demoBanner });
  await app.ready();
  return app;
}

describe('the web app served by the API server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-web-'));
  const built = path.join(dir, 'built');
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(path.join(built, 'assets'), { recursive: true });
    writeFileSync(path.join(built, 'index.html'), INDEX);
    writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await appOn(built);
    bare = await appOn(path.join(dir, 'nothing-built'), 'Demo — not for real records');
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers index.html, never cached, at / and at the app’s own routes (a reload keeps the page)', async () => {
    for (const url of [
      '/',
      '/requests',
      '/requests/7d1c9a52-0000-4000-8000-000000000000',
      '/sign-in?token=x',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.body).toBe('console.log(1)');
    expect((await app.inject({ method: 'GET', url: '/assets/missing-1.js' })).statusCode).toBe(404);
  });

  it('leaves /api and file-like paths to the 404 handler', async () => {
    for (const url of ['/api/nope', '/api', '/favicon.ico', '/robots.txt']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    expect(isAppRoute('/requests/new')).toBe(true);
    expect(isAppRoute('/api/requests')).toBe(false);
  });

  it('says how to build the app when it is missing, banner included on a demo server', async () => {
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect(res.body).toContain('Demo — not for real records');
  });

  it('marks index.html of a demo server in its title and for browsers without JavaScript', () => {
    const html = prepareIndex(INDEX, 'Demo — not for real records');
    expect(html).toContain('<title>Release Desk (Demo — not for real records)</title>');
    expect(html).toContain('<noscript>');
    expect(prepareIndex(INDEX, null)).toBe(INDEX);
  });
});
