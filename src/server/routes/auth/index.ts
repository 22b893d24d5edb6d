// The sign-in contract (issue 2 "The contract other tools rely on"; rules SEC-1, SEC-3, SEC-4).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { record } from '../../audit/record.js';
import { codeField, loginEmailField, newPasswordField, passwordField } from '../../auth/fields.js';
import { changePassword } from '../../auth/password-change.js';
import { clearSessionCookie, setSessionCookie } from '../../auth/plugin.js';
import { confirmEnrolment, verifySecondFactor } from '../../auth/second-factor.js';
import { hashSessionToken, revokeSession, SESSION_COOKIE } from '../../auth/sessions.js';
import { type SignInStarted, signInWithLink, signInWithPassword } from '../../auth/sign-in.js';
import { inTransaction } from '../../db/tx.js';
import { UnauthorizedError } from '../../errors.js';
import { requestMeta } from '../../http/meta.js';

/** Per client IP, on top of the per-account lockout (in memory, per instance). */
const LOGIN_RATE_LIMIT = { max: 30, timeWindow: 60_000 };

const errorBody = z.object({ error: z.string(), message: z.string() }).loose();
const csrfBody = z.object({ csrfToken: z.string() });
const loginAnswer = z.union([
  z.strictObject({
    mfaEnrollmentRequired: z.literal(true),
    otpauthUrl: z.string(),
    csrfToken: z.string(),
  }),
  z.strictObject({ mfaRequired: z.literal(true), csrfToken: z.string() }),
  z.strictObject({ csrfToken: z.string() }),
]);
type LoginAnswer = z.infer<typeof loginAnswer>;

function answer(req: FastifyRequest, reply: FastifyReply, started: SignInStarted): LoginAnswer {
  setSessionCookie(req, reply, started.token);
  if (started.stage === 'enroll') {
    return {
      mfaEnrollmentRequired: true,
      otpauthUrl: started.otpauthUrl ?? '',
      csrfToken: started.csrfToken,
    };
  }
  if (started.stage === 'mfa') return { mfaRequired: true, csrfToken: started.csrfToken };
  return { csrfToken: started.csrfToken };
}

function presentedToken(req: FastifyRequest): string | null {
  const token = req.cookies[SESSION_COOKIE];
  return token && token.length <= 128 ? hashSessionToken(token) : null;
}

const refusals = { 400: errorBody, 401: errorBody, 429: errorBody };

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description:
          'Sets the HttpOnly `rd_session` cookie. Answers `{csrfToken}` when signed in, `{mfaRequired}` when a ' +
          'code must follow (POST /api/auth/mfa), or `{mfaEnrollmentRequired, otpauthUrl}` when the account must ' +
          'set up its authenticator first (POST /api/auth/mfa/enroll). 401 for wrong credentials, 429 with ' +
          'Retry-After when locked or rate-limited.',
        body: z.object({ email: loginEmailField, password: passwordField }),
        response: { 200: loginAnswer, ...refusals },
      },
    },
    async (req, reply) => {
      const started = await signInWithPassword(app.services, requestMeta(req), {
        ...req.body,
        replacing: presentedToken(req),
      });
      return answer(req, reply, started);
    },
  );

  app.post(
    '/api/auth/token-login',
    {
      config: { public: true, rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Use a one-time sign-in link: set the password, then continue to the second factor',
        description:
          'The token comes from a link `<publicUrl>/sign-in?token=…` (valid 24 hours, usable once). Answers like ' +
          'POST /api/auth/login; a new account answers `{mfaEnrollmentRequired, otpauthUrl}`.',
        body: z.object({ token: z.string().min(1).max(128), password: newPasswordField }),
        response: { 200: loginAnswer, ...refusals },
      },
    },
    async (req, reply) => {
      const started = await signInWithLink(app.services, requestMeta(req), {
        ...req.body,
        replacing: presentedToken(req),
      });
      return answer(req, reply, started);
    },
  );

  app.post(
    '/api/auth/mfa',
    {
      config: { rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Pass the second factor: a code from the authenticator app or an unused recovery code',
        description: 'Rotates the session token. Five wrong codes end the pending session.',
        body: z.object({ code: codeField }),
        response: { 200: csrfBody, ...refusals, 409: errorBody },
      },
    },
    async (req, reply) => {
      const issued = await verifySecondFactor(app.services, requestMeta(req), req.session, req.body.code);
      setSessionCookie(req, reply, issued.token);
      return { csrfToken: issued.csrfToken };
    },
  );

  app.post(
    '/api/auth/mfa/enroll',
    {
      config: { rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the new authenticator with its first code; answers ten one-time recovery codes',
        description: 'Recovery codes are shown only here, once. Rotates the session token.',
        body: z.object({ code: codeField }),
        response: {
          200: z.object({ csrfToken: z.string(), recoveryCodes: z.array(z.string()).length(10) }),
          ...refusals,
          409: errorBody,
        },
      },
    },
    async (req, reply) => {
      const done = await confirmEnrolment(app.services, requestMeta(req), req.session, req.body.code);
      setSessionCookie(req, reply, done.token);
      return { csrfToken: done.csrfToken, recoveryCodes: done.recoveryCodes };
    },
  );

  app.get(
    '/api/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: "The session's CSRF token, to send as x-csrf-token on every write",
        response: { 200: csrfBody, 401: errorBody },
      },
    },
    async (req) => {
      if (!req.session) throw new UnauthorizedError(req.signedOutReason ?? undefined);
      return { csrfToken: req.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { rateLimit: LOGIN_RATE_LIMIT },
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password: every session of the account ends, this one continues under a new token',
        description:
          'Needs the current password (a wrong one counts towards the lockout like a failed sign-in). Every other ' +
          'session of the account ends at once (logout everywhere), open sign-in links stop working, and this ' +
          'browser gets a new session cookie and CSRF token. 401 for a wrong current password, 429 when locked.',
        body: z.object({ currentPassword: passwordField, newPassword: newPasswordField }),
        response: {
          200: z.object({ csrfToken: z.string(), sessionsEnded: z.number().int() }),
          ...refusals,
        },
      },
    },
    async (req, reply) => {
      const done = await changePassword(app.services, requestMeta(req), req.session, req.body);
      setSessionCookie(req, reply, done.token);
      return { csrfToken: done.csrfToken, sessionsEnded: done.sessionsEnded };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session is revoked and the cookie cleared',
        response: { 200: z.object({ signedOut: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      const session = req.session;
      if (session) {
        await inTransaction(
          app.services,
          requestMeta(req),
          req.actor,
          async (ctx) => {
            if (await revokeSession(ctx.tx, session.tokenHash, ctx.now)) {
              record(ctx, { type: 'auth.logout', data: { userId: session.userId, stage: session.stage } });
            }
          },
          { practiceId: session.practiceId },
        );
      }
      clearSessionCookie(req, reply);
      return { signedOut: true as const };
    },
  );
};
