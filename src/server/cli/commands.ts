// The `release-desk` commands: first-run set-up (practice, administrator), staff accounts, the
// audit-chain check, backup and restore (backup.ts), key rotation (keys.ts). Each change runs as the
// operator (no actor) in one audited transaction.

import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Role } from '../../shared/roles.js';
import { verifyChains } from '../audit/chain.js';
import { cleanText, emailField, rolesField } from '../auth/fields.js';
import { BackupError } from '../backup/format.js';
import { createPractice, practiceInputSchema } from '../commands/create-practice.js';
import { createUser } from '../commands/create-user.js';
import type { Services } from '../context.js';
import { SYSTEM_META } from '../context.js';
import { practices, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { AppError } from '../errors.js';
import { BACKUP_COMMANDS, describeChain } from './backup.js';
import { type Command, UsageError } from './command-types.js';
import { keysRotate } from './keys.js';

export { type Command, type Io, UsageError } from './command-types.js';

const CLI_META = { ...SYSTEM_META, userAgent: 'release-desk cli', requestId: 'cli' };

function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (i) => `  --${flag(i.path)}: ${/received undefined/.test(i.message) ? 'is required' : i.message}`,
  );
  throw new UsageError(`Please check:\n${lines.join('\n')}`);
}

function flag(path: PropertyKey[]): string {
  const map: Record<string, string> = {
    timeZone: 'time-zone',
    'privacyOfficer.name': 'privacy-officer-name',
    'privacyOfficer.email': 'privacy-officer-email',
    'privacyOfficer.phone': 'privacy-officer-phone',
  };
  const key = path.map(String).join('.');
  return map[key] ?? key;
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

async function resolvePractice(
  services: Services,
  id: string | undefined,
): Promise<{ id: string; name: string }> {
  const db = services.database.db;
  if (id !== undefined) {
    if (!z.uuid().safeParse(id).success) throw new UsageError(`--practice: "${id}" is not a practice id.`);
    const [row] = await db
      .select({ id: practices.id, name: practices.name })
      .from(practices)
      .where(eq(practices.id, id));
    if (!row)
      throw new UsageError(`--practice: no practice has the id ${id} (see: release-desk practice list).`);
    return row;
  }
  const rows = await db.select({ id: practices.id, name: practices.name }).from(practices).limit(10);
  if (rows.length === 1) return rows[0]!;
  if (rows.length === 0) {
    throw new UsageError(
      'There is no practice yet. Create it first: release-desk practice create --name … --state … --time-zone …',
    );
  }
  throw new UsageError(
    `There are several practices; choose one with --practice <id>:\n${rows.map((r) => `  ${r.id}  ${r.name}`).join('\n')}`,
  );
}

const practiceCreate: Command = {
  usage:
    'practice create --name <name> --state <XX> --time-zone <Area/City> [--privacy-officer-name …] [--privacy-officer-email …] [--privacy-officer-phone …]',
  summary: 'Create the practice (the first step on a new installation)',
  options: {
    name: { type: 'string' },
    state: { type: 'string' },
    'time-zone': { type: 'string' },
    'privacy-officer-name': { type: 'string' },
    'privacy-officer-email': { type: 'string' },
    'privacy-officer-phone': { type: 'string' },
  },
  parse: (v) =>
    parseWith(practiceInputSchema, {
      name: v.name,
      state: v.state,
      timeZone: v['time-zone'],
      privacyOfficer: {
        name: str(v['privacy-officer-name']),
        email: str(v['privacy-officer-email']),
        phone: str(v['privacy-officer-phone']),
      },
    }),
  async run(services, input, io) {
    const data = input as z.infer<typeof practiceInputSchema>;
    const { practiceId } = await inTransaction(services, CLI_META, null, (ctx) => createPractice(ctx, data));
    io.out(`Created the practice "${data.name}" (${data.state}, ${data.timeZone}).`);
    io.out(`  id: ${practiceId}`);
    io.out('Next: release-desk admin create --email <email> --name <name>');
    return 0;
  },
};

const practiceList: Command = {
  usage: 'practice list',
  summary: 'List the practices with their ids',
  options: {},
  parse: () => ({}),
  async run(services, _input, io) {
    const rows = await services.database.db
      .select({
        id: practices.id,
        name: practices.name,
        state: practices.state,
        timeZone: practices.timeZone,
        users: count(users.id),
      })
      .from(practices)
      .leftJoin(users, eq(users.practiceId, practices.id))
      .groupBy(practices.id)
      .orderBy(practices.createdAt);
    if (rows.length === 0) io.out('No practice yet (release-desk practice create …).');
    for (const r of rows) io.out(`${r.id}  ${r.name}  (${r.state}, ${r.timeZone}, ${r.users} staff)`);
    return 0;
  },
};

const personSchema = z.object({
  email: emailField,
  name: cleanText(200),
  roles: rolesField,
  practice: z.string().optional(),
});
type PersonInput = z.infer<typeof personSchema>;

function personCommand(kind: 'admin' | 'user'): Command {
  return {
    usage:
      kind === 'admin'
        ? 'admin create --email <email> --name <name> [--practice <id>]'
        : 'user create --email <email> --name <name> --roles <role,role…> [--practice <id>]',
    summary:
      kind === 'admin'
        ? 'Add an administrator; prints a one-time sign-in link (24 hours)'
        : 'Add a staff member (roles: admin, support, therapist, supervisor, clinical_services, privacy_officer); prints a one-time sign-in link',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      practice: { type: 'string' },
      ...(kind === 'user' ? { roles: { type: 'string' as const } } : {}),
    },
    parse: (v) =>
      parseWith(personSchema, {
        email: v.email,
        name: v.name,
        practice: str(v.practice),
        roles:
          kind === 'admin'
            ? ['admin']
            : typeof v.roles === 'string'
              ? v.roles
                  .split(',')
                  .map((r) => r.trim())
                  .filter(Boolean)
              : undefined,
      }),
    async run(services, input, io) {
      const data = input as PersonInput;
      const practice = await resolvePractice(services, data.practice);
      const made = await inTransaction(
        services,
        CLI_META,
        null,
        (ctx) => createUser(ctx, { email: data.email, name: data.name, roles: data.roles as Role[] }),
        { practiceId: practice.id },
      );
      io.out(`Created ${data.name} <${data.email}> (${data.roles.join(', ')}) in "${practice.name}".`);
      io.out(`  id: ${made.userId}`);
      io.out(`One-time sign-in link, valid until ${made.signInLink.expiresAt.toISOString()} (24 hours):`);
      io.out(`  ${made.signInLink.url}`);
      io.out('Give it only to this person. They set a password there and enrol the second factor.');
      return 0;
    },
  };
}

const auditVerify: Command = {
  usage: 'audit verify',
  summary: "Check every practice's audit chain with the audit key; exit 1 naming the first broken row",
  options: {},
  parse: () => ({}),
  async run(services, _input, io) {
    const result = await verifyChains(services.database.pool, services.config.auditKey);
    io.out(describeChain(result));
    return result.ok ? 0 : 1;
  },
};

export const COMMANDS: Record<string, Command> = {
  'practice create': practiceCreate,
  'practice list': practiceList,
  'admin create': personCommand('admin'),
  'user create': personCommand('user'),
  'audit verify': auditVerify,
  ...BACKUP_COMMANDS,
  'keys rotate': keysRotate,
};

/** A refusal from a command (duplicate email…) is the operator's to fix, not a crash. */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof UsageError) return { message: err.message, code: 2 };
  if (err instanceof AppError || err instanceof BackupError) return { message: err.message, code: 1 };
  return { message: String((err as Error)?.stack ?? err), code: 1 };
}
