// Builds the Fastify app without listening, so tests drive it through app.inject.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerSessionAuth } from './auth/plugin.js';
import type { Services } from './context.js';
import { registerErrorHandler } from './http/error-handler.js';
import { logSafeRequest } from './http/log-safe.js';
import { rateLimitAuditor } from './http/rate-limit-audit.js';
import { postgresRateLimitStore } from './http/rate-limit-store.js';
import { registerTextInputGuard } from './http/text-input.js';
import { registerHsts, trustProxyOption } from './http/transport.js';
import { healthRoutes } from './routes/health/index.js';
import { DEMO_DOCS_THEME } from './routes/home/index.js';
import { registerRoutes } from './routes/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Every route as registered, in order (the route inventory of the access and fuzz tests). */
    routeTable: readonly RouteOptions[];
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuildAppOptions {
  logger?: boolean;
  /** Where the log goes (standard output when absent); tests read it to prove what is never logged. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(services: Services, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(services.config.trustProxy),
    ...(services.config.tls ? { https: services.config.tls } : {}),
    genReqId: () => randomUUID(),
    // rule SEC-5: no secrets and no health information in application logs: request bodies are
    // never logged, the headers that carry credentials are redacted, and a request line keeps only
    // its path with any link token replaced (http/log-safe.ts).
    logger: opts.logger
      ? {
          level: services.config.logLevel,
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          serializers: { req: logSafeRequest },
          redact: [
            'req.headers.cookie',
            'req.headers.authorization',
            'req.headers["x-csrf-token"]',
            'res.headers["set-cookie"]',
          ],
        }
      : false,
  });
  app.decorate('services', services);
  // Kept from the first route on, so a new route joins the access matrix and the fuzz run by itself.
  const routeTable: RouteOptions[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    routeTable.push(route);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerTextInputGuard(app);

  // Security headers on every answer: pages, assets, the API, errors, public routes, the webhook.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // No 'unsafe-inline' and no 'unsafe-eval' for scripts: the built app is external modules only.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Styles keep 'unsafe-inline': Mantine injects <style> elements at run time (MantineProvider's
        // CSS variables and classes) and writes style attributes (style props, Popover and Modal
        // positions), which no nonce or hash can cover. Styles cannot run code; scripts stay strict.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Never framed by anyone (clickjacking of the release and payment pages).
        frameAncestors: ["'none'"],
        // No upgrade-insecure-requests: over plain HTTP on a practice's network it would send the
        // page's own scripts to an https:// that does not exist; over TLS, HSTS does the job.
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only over TLS (http/transport.ts), never on a plain-HTTP answer.
    strictTransportSecurity: false,
  });
  registerHsts(app);
  await app.register(cookie);
  // Per-address limits are set per route; a caller over one is audited once per window (SEC-3).
  // The counts live in the database, so every instance on it spends one budget (issue 8).
  await app.register(rateLimit, {
    global: false,
    store: postgresRateLimitStore(services),
    onExceeded: rateLimitAuditor(),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Release Desk API',
        description: 'Release of records for an outpatient mental-health practice.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rd_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    ...(services.config.demo ? { theme: DEMO_DOCS_THEME } : {}),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerSessionAuth(app);
  await app.register(healthRoutes);
  await registerRoutes(app);
  return app;
}
