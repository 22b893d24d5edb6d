// Transport security (rule SEC-4: traffic uses TLS in production). One decision, used by the
// security headers and by every cookie: a request "came over TLS" when its own connection is TLS
// (TLS_CERT_FILE/TLS_KEY_FILE) or when a trusted proxy (TRUST_PROXY) says X-Forwarded-Proto: https.
// Fastify's req.protocol already believes X-Forwarded-Proto only from a trusted address, so a
// client talking to the app directly cannot claim https.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/** A year, and every subdomain of the practice's records host: the usual preload-grade policy. */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** Fastify's trustProxy from TRUST_PROXY: `true` is the one hop in front (never "everyone"). */
export function trustProxyOption(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (trust === true) {
    // With a hop count, the client address is the last X-Forwarded-For entry, the one the proxy
    // itself appended: a client cannot choose its address (and escape the per-address rate
    // limits) by sending an X-Forwarded-For of its own. `true` in Fastify would take the first.
    return (_address: string, hop: number) => hop < 1;
  }
  return trust === false ? false : trust;
}

export function overTls(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

/** Cookie attributes every cookie of Release Desk shares: HttpOnly, and Secure when over TLS. */
export function secureCookie(req: FastifyRequest): { httpOnly: true; secure: boolean } {
  return { httpOnly: true, secure: overTls(req) };
}

/**
 * Strict-Transport-Security on every answer to a request that came over TLS, and only then: sent
 * over plain HTTP it would be ignored by browsers at best, and on a server reached by address on
 * the practice's network it would make that address unusable once a TLS front is put on the name.
 */
export function registerHsts(app: FastifyInstance): void {
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done) => {
    if (overTls(req)) reply.header('strict-transport-security', HSTS_VALUE);
    done();
  });
}
