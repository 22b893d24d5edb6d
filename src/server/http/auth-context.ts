// What the session plugin (auth/plugin.ts) attaches to each HTTP request, and the helpers routes use.
import type { FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../context.js';
import { inTransaction } from '../db/tx.js';
import { UnauthorizedError } from '../errors.js';
import { requestMeta } from './meta.js';

export interface SessionInfo {
  tokenHash: string;
  userId: string;
  practiceId: string;
  stage: 'mfa' | 'enroll' | 'full';
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member (a session past its second factor), or null. */
    actor: Actor | null;
    session: SessionInfo | null;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new UnauthorizedError(req.signedOutReason ?? undefined);
  return req.actor;
}

/** Run a command for the signed-in caller in one transaction (audit and jobs included). */
export function runAsActor<T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(req.server.services, requestMeta(req), requireActor(req), fn);
}
