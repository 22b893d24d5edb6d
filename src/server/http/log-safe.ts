// rule SEC-5: what a request line may say in the application log. Query strings can carry a
// client's name (the request list's search) and a secure link's path carries its token, which
// opens a packet of records: the log keeps the method and the path with any token replaced.
import type { FastifyRequest } from 'fastify';

const TOKEN_PATHS = /\/(links|sign-in)\/[^/?#]+/g;

export function logSafeUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const safe = path.replace(TOKEN_PATHS, (_m, prefix: string) => `/${prefix}/[token]`);
  return url.length > path.length ? `${safe}?[query omitted]` : safe;
}

/** Fastify's request serializer, minus anything SEC-5 keeps out of logs. */
export function logSafeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: logSafeUrl(req.url),
    remoteAddress: req.ip,
  };
}
