// Every route of the app, read from the routes as Fastify registered them (app.routeTable, kept by
// an onRoute hook in app.ts from the first route on), so a route added tomorrow joins the access
// matrix and the fuzz run without anyone listing it. Each entry carries its zod schemas (params,
// querystring, body) as the route declared them with fastify-type-provider-zod.
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { ZodType } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  method: HttpMethod;
  /** Fastify's URL pattern, e.g. `/api/requests/:id/files/:fileId`. */
  url: string;
  /** `${method} ${url}`: the key the access matrix and the fuzz run name a route by. */
  key: string;
  /** `config: { public: true }`: no staff session needed (sign-in, the secure link, the portal, webhooks). */
  access: 'public' | 'staff';
  /** Changes something (any method but GET). Cookie-authenticated writes need the CSRF token. */
  writes: boolean;
  /** Left out of the OpenAPI document (`schema.hide`): the web app's files, the document itself. */
  hidden: boolean;
  /** The route's path parameters, in order. */
  paramNames: string[];
  /** A multipart route reads its body itself (no body schema). */
  multipart: boolean;
  schemas: { params?: ZodType; querystring?: ZodType; body?: ZodType };
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function isZod(v: unknown): v is ZodType {
  return typeof v === 'object' && v !== null && 'safeParse' in v && typeof v.safeParse === 'function';
}

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase());
}

/** Whether the route's handler reads a multipart body (it says so in its OpenAPI `consumes`). */
function isMultipart(route: RouteOptions): boolean {
  const consumes = (route.schema as { consumes?: unknown } | undefined)?.consumes;
  return Array.isArray(consumes) && consumes.some((c) => String(c).startsWith('multipart/'));
}

/** Every route of a ready app (HEAD routes Fastify adds for each GET are left out). */
export function routeInventory(app: FastifyInstance): RouteEntry[] {
  const seen = new Set<string>();
  const out: RouteEntry[] = [];
  for (const route of app.routeTable) {
    for (const method of methodsOf(route)) {
      if (!METHODS.has(method)) continue;
      const url = route.url;
      const key = `${method} ${url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const pick = (k: string) => (isZod(schema[k]) ? (schema[k] as ZodType) : undefined);
      const schemas: RouteEntry['schemas'] = {};
      const params = pick('params');
      const querystring = pick('querystring');
      const body = pick('body');
      if (params) schemas.params = params;
      if (querystring) schemas.querystring = querystring;
      if (body) schemas.body = body;
      out.push({
        method: method as HttpMethod,
        url,
        key,
        access: route.config?.public ? 'public' : 'staff',
        writes: method !== 'GET',
        hidden: schema.hide === true,
        paramNames: [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string),
        multipart: isMultipart(route),
        schemas,
      });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** The API's routes (under /api, not the OpenAPI document and the docs' own files). */
export function apiRoutes(app: FastifyInstance): RouteEntry[] {
  return routeInventory(app).filter(
    (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json',
  );
}

/** Fill a URL pattern's parameters (`:id` → values.id); a missing one throws, naming the route. */
export function fillUrl(route: Pick<RouteEntry, 'url' | 'key'>, values: Record<string, string>): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${route.key}: no value for :${name}`);
    return encodeURIComponent(v);
  });
}
