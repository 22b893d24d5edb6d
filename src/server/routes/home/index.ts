// GET /: a small, calm page saying what this server is and where its API lives. On a demo server
// it says, prominently, that it is a demo (with the demo logins), and every response of a demo
// server carries the header x-release-desk-demo: true.
import type { FastifyInstance } from 'fastify';
import { DEMO_BANNER, DEMO_LOGINS, DEMO_PASSWORD } from '../../demo/accounts.js';

export const DEMO_HEADER = 'x-release-desk-demo';

/** The banner on /api/docs of a demo server (@fastify/swagger-ui's theme). */
export const DEMO_DOCS_THEME = {
  title: `Release Desk API (${DEMO_BANNER})`,
  css: [
    {
      filename: 'demo.css',
      content: `body::before { content: "${DEMO_BANNER}"; display: block; padding: 12px 16px; background: #fff4d6; color: #5c3d00; border-bottom: 2px solid #e0a800; font: 600 16px/1.4 system-ui, sans-serif; text-align: center; }`,
    },
  ],
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; background: #f7f9fb; }
  main { max-width: 44rem; margin: 3rem auto; padding: 0 1.25rem; }
  h1 { font-size: 1.75rem; margin: 0 0 .25rem; color: #0b5c6b; }
  p.lead { margin: 0 0 1.5rem; color: #3e4c59; }
  .demo { border: 2px solid #e0a800; background: #fff4d6; color: #5c3d00; border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
  .demo strong.banner { display: block; font-size: 1.25rem; }
  .demo p { margin: .5rem 0; }
  table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
  td { padding: .2rem .75rem .2rem 0; vertical-align: top; }
  code { font: .95em ui-monospace, SFMono-Regular, Menlo, monospace; }
  ul.links { padding-left: 1.25rem; }
  a { color: #0b5c6b; }
  a:focus-visible { outline: 3px solid #0b5c6b; outline-offset: 2px; }
`;

function demoSection(): string {
  const rows = DEMO_LOGINS.map(
    (l) =>
      `<tr><td><code>${escapeHtml(l.email)}</code></td><td>${escapeHtml(l.name)}, ${escapeHtml(l.note)}</td></tr>`,
  ).join('\n');
  return `<section class="demo" role="note" aria-label="Demo">
  <strong class="banner">${escapeHtml(DEMO_BANNER)}</strong>
  <p>This server holds a fictional practice for trying Release Desk out. Never enter real client information here.</p>
  <p>Sign in with any of these accounts, password <code>${escapeHtml(DEMO_PASSWORD)}</code> (demo accounts skip the second factor):</p>
  <table>${rows}</table>
</section>`;
}

export function homePage(demo: boolean): string {
  const title = demo ? `Release Desk (${DEMO_BANNER})` : 'Release Desk';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${demo ? demoSection() : ''}
<h1>Release Desk</h1>
<p class="lead">Release of records for an outpatient mental-health practice: every request from intake to release, with its deadlines, its people and its audit trail.</p>
<ul class="links">
  <li><a href="/api/docs">API reference</a> (browsable)</li>
  <li><a href="/api/openapi.json">OpenAPI document</a></li>
  <li><a href="/api/health">Health check</a></li>
</ul>
</main>
</body>
</html>
`;
}

async function home(app: FastifyInstance): Promise<void> {
  const demo = app.services.config.demo;
  if (demo) {
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header(DEMO_HEADER, 'true');
      return payload;
    });
  }
  const page = homePage(demo);
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page),
  );
}

/** Registered without encapsulation, so the demo header reaches every route of the server. */
export const homeRoutes = Object.assign(home, { [Symbol.for('skip-override')]: true });
