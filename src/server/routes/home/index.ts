// `/`: the staff web app (src/web, served from dist/web by http/static.ts), and
// GET /api/instance: what the app needs before anyone signs in (is this a demo server, its logins,
// the idle timeout). On a demo server every page says, prominently, that it is a demo, and every
// response carries the header x-release-desk-demo: true.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEMO_BANNER, DEMO_LOGINS, DEMO_PASSWORD } from '../../demo/accounts.js';
import { registerWebApp } from '../../http/static.js';

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

export const instanceSchema = z.object({
  demo: z.boolean(),
  /** "Demo — not for real records" on a demo server, else null. */
  banner: z.string().nullable(),
  /** A session ends after this many minutes without a request (rule SEC-4). */
  idleTimeoutMinutes: z.number(),
  /** Only on a demo server: the demo logins and their shared password. */
  demoLogins: z.array(z.object({ email: z.string(), name: z.string(), note: z.string() })).nullable(),
  demoPassword: z.string().nullable(),
});

export function instanceInfo(config: {
  demo: boolean;
  idleTimeoutMinutes: number;
}): z.infer<typeof instanceSchema> {
  return {
    demo: config.demo,
    banner: config.demo ? DEMO_BANNER : null,
    idleTimeoutMinutes: config.idleTimeoutMinutes,
    demoLogins: config.demo ? DEMO_LOGINS.map(({ email, name, note }) => ({ email, name, note })) : null,
    demoPassword: config.demo ? DEMO_PASSWORD : null,
  };
}

async function home(app: FastifyInstance): Promise<void> {
  const { config } = app.services;
  if (config.demo) {
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header(DEMO_HEADER, 'true');
      return payload;
    });
  }
  const info = instanceInfo(config);
  app.get(
    '/api/instance',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'This server: demo or not (with the demo logins), and the idle timeout',
        response: { 200: instanceSchema },
      },
    },
    async (_req, reply) => reply.header('cache-control', 'no-store').send(info),
  );
  await registerWebApp(app, { demoBanner: config.demo ? DEMO_BANNER : null });
}

/** Registered without encapsulation, so the demo header reaches every route of the server. */
export const homeRoutes = Object.assign(home, { [Symbol.for('skip-override')]: true });
