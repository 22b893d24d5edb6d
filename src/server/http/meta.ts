import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../context.js';

export function requestMeta(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
    requestId: String(req.id),
  };
}
