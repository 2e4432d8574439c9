// Demo users for the embedded defaults: two extensions, so a new user can register two phones
// and call between them at once. Their passwords are random (a fixed demo password on a PBX
// reachable from the internet is how toll fraud starts) and are written, once, to a file only
// the owner can read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../sip/util/logger.ts';
import { randomPassword } from '../store/secrets.ts';
import type { UserAdmin } from './user-admin.ts';

export const DEMO_EXTENSIONS = [
  { extension: '1001', displayName: 'Demo One', voicemailPin: '1001' },
  { extension: '1002', displayName: 'Demo Two', voicemailPin: '1002' },
] as const;

/** Creates the demo users that do not exist yet; returns the file with their passwords, if any were made. */
export function seedDemoUsers(admin: UserAdmin, opts: { dataDir: string; domain: string; log: Logger }): string | undefined {
  const made: string[] = [];
  for (const d of DEMO_EXTENSIONS) {
    if (admin.get(d.extension)) continue;
    const password = randomPassword();
    admin.add({ ...d, password });
    made.push(`${d.extension}  password ${password}  voicemail PIN ${d.voicemailPin}`);
  }
  if (!made.length) return undefined;
  const file = join(opts.dataDir, 'demo-users.txt');
  const text = [
    `Demo users of this PBX (domain ${opts.domain}). Register a phone with the extension as user name`,
    'and authentication name, and the password below. Change them with `pbx user passwd EXT`;',
    'this file is written once and not updated.',
    '',
    ...made,
    '',
  ].join('\n');
  writeFileSync(file, text, { mode: 0o600 });
  opts.log.notice(`created demo users ${DEMO_EXTENSIONS.map((d) => d.extension).join(', ')}; passwords in ${file}`);
  return file;
}
