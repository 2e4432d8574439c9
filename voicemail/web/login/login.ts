// Checking an extension and PIN for the web: rate limit first, then the PIN (scrypt). Unknown
// extensions, disabled users and users without a PIN fail exactly like a wrong PIN, after the
// same scrypt work, so neither the answer nor its timing says which extensions exist.
import { hashPin, pinMatches } from '../../../core/pbx/store/secrets.ts';
import type { UserStore } from '../../../core/pbx/store/users.ts';
import { extensionSchema, pinSchema } from '../../../core/pbx/users/user-input.ts';
import type { LoginLimiter } from './login-limiter.ts';

export type LoginUsers = Pick<UserStore, 'get' | 'verifyPin'>;

export type LoginResult =
  | { ok: true; mailbox: string }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 429; message: string; retryAfterSec: number };

let decoy: string | undefined;

export function mayLogIn(users: LoginUsers, extension: string): boolean {
  const u = users.get(extension);
  return !!u && u.enabled && u.hasVoicemailPin;
}

export function attemptLogin(
  deps: { users: LoginUsers; limiter: LoginLimiter },
  req: { extension: string; pin: string; source: string },
): LoginResult {
  // Only a well-formed extension goes into keys and log lines (no log injection, bounded keys).
  const mailbox = extensionSchema.safeParse(req.extension).success ? req.extension : '(invalid)';
  const wait = deps.limiter.retryAfterSec(req.source, mailbox);
  if (wait > 0) return { ok: false, status: 429, message: `too many failed logins; try again in ${wait} s`, retryAfterSec: wait };
  if (mailbox !== '(invalid)' && pinSchema.safeParse(req.pin).success && mayLogIn(deps.users, mailbox)) {
    if (deps.users.verifyPin(mailbox, req.pin)) {
      deps.limiter.succeeded(req.source, mailbox);
      return { ok: true, mailbox };
    }
  } else {
    decoy ??= hashPin('0000');
    pinMatches(decoy, req.pin);
  }
  deps.limiter.failed(req.source, mailbox);
  return { ok: false, status: 401, message: 'wrong extension or PIN' };
}
