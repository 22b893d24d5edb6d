// An administrator (or the operator with `release-desk user create` / `admin create`) adds a staff
// member. The account has no password yet: the answer carries a one-time sign-in link, valid for
// 24 hours, that sets the password; the second factor is enrolled at that first sign-in (SEC-1).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../../shared/roles.js';
import { record } from '../audit/record.js';
import { newToken, sha256Hex } from '../auth/tokens.js';
import type { Ctx } from '../context.js';
import { practices, signInTokens, users } from '../db/schema.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { authorize, lockPracticeUser, pgCode, practiceOf } from './user-records.js';

export const SIGN_IN_LINK_HOURS = 24;

export interface SignInLink {
  url: string;
  token: string;
  expiresAt: Date;
}

export interface CreateUserInput {
  email: string;
  name: string;
  roles: Role[];
}

export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
): Promise<{ userId: string; signInLink: SignInLink }> {
  authorize(ctx, 'manage_users');
  const practiceId = practiceOf(ctx);
  const [practice] = await ctx.tx
    .select({ id: practices.id })
    .from(practices)
    .where(eq(practices.id, practiceId));
  if (!practice) throw new NotFoundError('practice', { practiceId });
  const email = input.email.trim().toLowerCase();
  const [taken] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  if (taken)
    throw new ConflictError('A staff account with this email address already exists.', { field: 'email' });
  let userId: string;
  try {
    const [row] = await ctx.tx
      .insert(users)
      .values({ practiceId, email, name: input.name, roles: input.roles, createdAt: ctx.now })
      .returning({ id: users.id });
    userId = row!.id;
  } catch (err) {
    if (pgCode(err) === '23505') {
      throw new ConflictError('A staff account with this email address already exists.', { field: 'email' });
    }
    throw err;
  }
  record(ctx, {
    type: 'user.created',
    data: { userId, email, name: input.name, roles: input.roles, via: ctx.actor ? 'api' : 'cli' },
  });
  const signInLink = await issueSignInLink(ctx, userId);
  return { userId, signInLink };
}

/**
 * A new one-time sign-in link for a user of the practice (earlier unused links stop working).
 * Only the token's SHA-256 is stored; the audit row never holds the token (SEC-5).
 */
export async function issueSignInLink(ctx: Ctx, userId: string): Promise<SignInLink> {
  authorize(ctx, 'manage_users');
  const user = await lockPracticeUser(ctx, userId);
  if (!user.active) throw new ConflictError('This account is deactivated.', { userId });
  await ctx.tx
    .update(signInTokens)
    .set({ usedAt: ctx.now })
    .where(and(eq(signInTokens.userId, userId), isNull(signInTokens.usedAt)));
  const token = newToken();
  const expiresAt = new Date(ctx.now.getTime() + SIGN_IN_LINK_HOURS * 3600_000);
  await ctx.tx.insert(signInTokens).values({ tokenHash: sha256Hex(token), userId, expiresAt });
  record(ctx, { type: 'user.sign_in_link_created', data: { userId, expiresAt: expiresAt.toISOString() } });
  const base = ctx.services.config.publicUrl.replace(/\/+$/, '');
  return { url: `${base}/sign-in?token=${token}`, token, expiresAt };
}
