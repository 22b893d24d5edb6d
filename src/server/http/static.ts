// Serving the staff web app (dist/web, built by web-build.ts) from the API server: hashed assets
// under /assets/ with a year-long immutable cache, and index.html (never cached) for `/` and every
// other GET outside /api that is not a file, so the app's own routes survive a reload (SPA
// fallback). Everything comes from 'self', as the CSP in app.ts requires; the app's inline styles
// (Mantine) are allowed there.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEB_DIST } from './web-build.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface WebAppOptions {
  /** The built app (default dist/web). */
  root?: string;
  /** On a demo server the page title carries the banner even before the app has loaded. */
  demoBanner?: string | null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function notBuiltPage(demoBanner: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Release Desk${demoBanner ? ` (${escapeHtml(demoBanner)})` : ''}</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
${demoBanner ? `<p style="background:#fff4d6;border:2px solid #e0a800;padding:.75rem 1rem;border-radius:8px"><strong>${escapeHtml(demoBanner)}</strong></p>` : ''}
<h1>Release Desk</h1>
<p>The web app has not been built on this server yet. Run <code>npm run build</code> (or stop the server and
start it again with <code>npm start</code>, which builds it), then reload this page.</p>
<p>The API works meanwhile: <a href="/api/docs">API reference</a>, <a href="/api/health">health check</a>.</p>
</body></html>
`;
}

/** index.html as built, marked for a demo server (title, and a banner for browsers without JavaScript). */
export function prepareIndex(html: string, demoBanner: string | null): string {
  if (!demoBanner) return html;
  const banner = escapeHtml(demoBanner);
  return html
    .replace(/<title>([^<]*)<\/title>/, (_m, t: string) => `<title>${t} (${banner})</title>`)
    .replace(
      '<body>',
      `<body>\n<noscript><p class="demo-noscript"><strong>${banner}</strong></p></noscript>`,
    );
}

/** Paths the app never owns: the API, and anything that looks like a file. */
export function isAppRoute(urlPath: string): boolean {
  if (urlPath === '/api' || urlPath.startsWith('/api/')) return false;
  return !/\.[a-z0-9]{1,8}$/i.test(urlPath);
}

export async function registerWebApp(app: FastifyInstance, opts: WebAppOptions = {}): Promise<void> {
  const root = opts.root ?? WEB_DIST;
  const demoBanner = opts.demoBanner ?? null;
  const indexFile = path.join(root, 'index.html');
  // Read again when the build changes under a running server (npm run build in another terminal).
  let cached: { mtimeMs: number; html: string } | null = null;
  const index = async (): Promise<string | null> => {
    const info = await stat(indexFile).catch(() => null);
    if (!info) return null;
    if (cached?.mtimeMs !== info.mtimeMs) {
      cached = { mtimeMs: info.mtimeMs, html: prepareIndex(await readFile(indexFile, 'utf8'), demoBanner) };
    }
    return cached.html;
  };
  const sendIndex = async (reply: FastifyReply, secureLink = false) => {
    const html = await index();
    if (!html) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(notBuiltPage(demoBanner));
    }
    if (secureLink) {
      // A recipient's secure link (/links/<token>, REL-2): its token is in the address, so the page
      // is never stored, never indexed, and sends no Referer anywhere.
      reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', secureLink ? 'no-store' : 'no-cache')
      .send(html);
  };

  const assets = path.join(root, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      index: false,
      cacheControl: false,
      decorateReply: false,
      // Every file under assets/ has a content hash in its name: it never changes.
      setHeaders: (reply) => reply.header('cache-control', IMMUTABLE),
    });
  }
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const urlPath = req.url.split('?')[0] ?? '/';
    if (!isAppRoute(urlPath)) return reply.callNotFound();
    // Issue 7: a requester's status link (/portal/links/<token>) is kept and referred no more than a secure link.
    return sendIndex(reply, urlPath.startsWith('/links/') || urlPath.startsWith('/portal/'));
  });
}
