// `pbx user add|list|remove|passwd`: manage users in the PBX database directly (the running app
// reads users per request, so changes apply at once).
import { readFileSync } from 'node:fs';
import type { PbxConfig } from '../core/config/schema.ts';
import { systemClock } from '../core/sip/util/clock.ts';
import { createLogger } from '../core/sip/util/logger.ts';
import { databasePath } from '../core/pbx/settings.ts';
import { openDatabase } from '../core/pbx/store/db.ts';
import { randomPassword } from '../core/pbx/store/secrets.ts';
import { UserExistsError } from '../core/pbx/store/users.ts';
import { createStores } from '../core/pbx/stores.ts';
import { seedDemoUsers } from '../core/pbx/users/demo-users.ts';
import { describeIssues, extensionSchema, newUserSchema, userPatchSchema } from '../core/pbx/users/user-input.ts';
import { option, type Args } from './args.ts';

export const USER_HELP = `  pbx user list [--config FILE]                 list users and how many phones each has registered
  pbx user add EXT [--name NAME] [--pin PIN] [--password PW | --password-stdin] [--disabled] [--may-register-others]
                                                add a user (a random password is made and printed if none is given)
  pbx user passwd EXT [--password PW | --password-stdin]
                                                set a new SIP password (random and printed if none is given)
  pbx user remove EXT                           delete a user and their registrations`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** All of stdin (for --password-stdin). */
  stdin: () => string;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => readFileSync(0, 'utf8'),
};

export function runUserCommand(cfg: PbxConfig, args: Args, io: Io = defaultIo): number {
  const [, sub, ext] = args.words;
  const log = createLogger(cfg.logLevel, 'pbx user', (l) => io.err(l + '\n'));
  const { db, created } = openDatabase(databasePath(cfg));
  try {
    const stores = createStores(db, cfg, systemClock);
    // The same first-run seeding as the app, so the first command does not skip the demo users.
    if (created && cfg.pbx.demoUsers) seedDemoUsers(stores.admin, { dataDir: cfg.dataDir, domain: cfg.pbx.domain, log });
    switch (sub) {
      case 'list':
        return list(stores, io);
      case 'add':
        return add(stores, args, ext, io);
      case 'passwd':
        return passwd(stores, args, ext, io);
      case 'remove':
        return remove(stores, ext, io);
      default:
        io.err(`pbx user: unknown subcommand '${sub ?? ''}'\n\n${USER_HELP}\n`);
        return 2;
    }
  } finally {
    db.close();
  }
}

type Stores = ReturnType<typeof createStores>;

function list({ admin, bindings }: Stores, io: Io): number {
  const now = Date.now();
  const phones = new Map<string, number>();
  for (const b of bindings.all(now)) phones.set(b.aor, (phones.get(b.aor) ?? 0) + 1);
  const rows = admin.list().map((u) => [
    u.extension, u.displayName || '-', u.enabled ? 'yes' : 'no', u.hasVoicemailPin ? 'yes' : 'no',
    String([...phones].filter(([aor]) => aor.startsWith(`sip:${u.extension}@`)).reduce((n, [, c]) => n + c, 0)),
  ]);
  io.out(table([['EXT', 'NAME', 'ENABLED', 'PIN', 'REGISTERED'], ...rows]));
  return 0;
}

function add({ admin }: Stores, args: Args, ext: string | undefined, io: Io): number {
  const pw = password(args, io);
  const input = newUserSchema.safeParse({
    extension: ext,
    password: pw.value,
    displayName: option(args, 'name'),
    voicemailPin: option(args, 'pin'),
    enabled: args.options.has('disabled') ? false : undefined,
    mayRegisterOthers: args.options.has('may-register-others') ? true : undefined,
  });
  if (!input.success) return fail(io, describeIssues(input.error));
  try {
    admin.add(input.data);
  } catch (err) {
    if (err instanceof UserExistsError) return fail(io, [err.message]);
    throw err;
  }
  io.out(`added extension ${input.data.extension}${pw.generated ? ` with password ${pw.value}` : ''}\n`);
  return 0;
}

function passwd({ admin }: Stores, args: Args, ext: string | undefined, io: Io): number {
  const e = extensionSchema.safeParse(ext);
  if (!e.success) return fail(io, [`extension: ${e.error.issues[0]?.message ?? 'invalid'}`]);
  const pw = password(args, io);
  const patch = userPatchSchema.safeParse({ password: pw.value });
  if (!patch.success) return fail(io, describeIssues(patch.error));
  if (!admin.update(e.data, patch.data)) return fail(io, [`no extension ${e.data}`]);
  io.out(`new password for ${e.data}${pw.generated ? `: ${pw.value}` : ' set'}\n`);
  return 0;
}

function remove({ admin }: Stores, ext: string | undefined, io: Io): number {
  const e = extensionSchema.safeParse(ext);
  if (!e.success) return fail(io, [`extension: ${e.error.issues[0]?.message ?? 'invalid'}`]);
  if (!admin.remove(e.data)) return fail(io, [`no extension ${e.data}`]);
  io.out(`removed extension ${e.data}\n`);
  return 0;
}

/** --password (visible in `ps` and shell history), --password-stdin, or a new random one. */
function password(args: Args, io: Io): { value: string; generated: boolean } {
  const given = option(args, 'password');
  if (given !== undefined) return { value: given, generated: false };
  if (args.options.has('password-stdin')) return { value: io.stdin().replace(/\r?\n$/, ''), generated: false };
  return { value: randomPassword(), generated: true };
}

function fail(io: Io, problems: string[]): number {
  io.err(`pbx user: ${problems.join('\n  ')}\n`);
  return 1;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}
