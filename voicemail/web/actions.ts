// What the pages and the JSON API both do, once: find one of the session's own messages, change
// the PIN, save a greeting. Refusals are WebErrors with the words the user sees.
import { WavFormatError } from '../store/wav-file.ts';
import type { UserAdmin } from '../../core/pbx/users/user-admin.ts';
import { pinSchema } from '../../core/pbx/users/user-input.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { LoginLimiter } from './login/login-limiter.ts';
import type { LoginUsers } from './login/login.ts';
import { isGreetingKind, type GreetingKind, type MailboxAccess, type WebMessage } from './mailbox-access.ts';
import type { SessionStore, WebSession } from './middleware/session/index.ts';
import { apiPaths } from './paths.ts';
import { noSuchMessage, WebError } from './web-error.ts';

/** Ids as the store makes them; anything else (a path, `..`, an encoded slash) is unknown, not looked up. */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function ownMessage(store: MailboxAccess, s: WebSession, id: string): WebMessage {
  if (!MESSAGE_ID.test(id)) throw noSuchMessage();
  const m = store.get(id);
  if (!m || m.mailbox !== s.mailbox) throw noSuchMessage();
  return m;
}

export function greetingKind(raw: string): GreetingKind {
  if (!isGreetingKind(raw)) throw new WebError(404, 'no such greeting (busy, unavailable or name)');
  return raw;
}

export function messageJson(m: WebMessage) {
  return {
    id: m.id,
    caller: m.caller,
    callerName: m.callerName,
    called: m.called,
    cause: m.cause,
    receivedAt: new Date(m.receivedAt).toISOString(),
    durationMs: m.durationMs,
    heard: m.heard,
    audioUrl: apiPaths.audio(m.id),
    downloadUrl: apiPaths.download(m.id),
  };
}

export interface PinChangeDeps {
  users: LoginUsers;
  admin: Pick<UserAdmin, 'update'>;
  limiter: LoginLimiter;
  sessions: SessionStore;
  log: Logger;
}

/**
 * The current PIN must be given again (a session left open on a shared computer is not enough to
 * lock the owner out); a wrong one counts as a failed login. Other sessions of the mailbox end.
 */
export function changePin(deps: PinChangeDeps, s: WebSession, req: { current: string; pin: string; repeat?: string; source: string }): void {
  const wait = deps.limiter.retryAfterSec(req.source, s.mailbox);
  if (wait > 0) throw new WebError(429, `too many failed attempts; try again in ${wait} s`, { 'Retry-After': String(wait) });
  if (!deps.users.verifyPin(s.mailbox, req.current)) {
    deps.limiter.failed(req.source, s.mailbox);
    throw new WebError(403, 'the current PIN is wrong');
  }
  const parsed = pinSchema.safeParse(req.pin);
  if (!parsed.success) throw new WebError(400, `new PIN ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  if (req.repeat !== undefined && req.repeat !== req.pin) throw new WebError(400, 'the two new PINs differ');
  if (!deps.admin.update(s.mailbox, { voicemailPin: parsed.data })) throw new WebError(404, 'mailbox gone');
  const ended = deps.sessions.destroyMailbox(s.mailbox, s.id);
  deps.log.notice(`voicemail web: mailbox ${s.mailbox} changed its PIN${ended ? ` (${ended} other session(s) ended)` : ''}`);
}

export function saveGreeting(store: MailboxAccess, s: WebSession, kind: GreetingKind, wav: Buffer): void {
  if (wav.length === 0) throw new WebError(400, 'the greeting file is empty');
  try {
    store.saveGreeting(s.mailbox, kind, wav);
  } catch (err) {
    if (!(err instanceof WavFormatError)) throw err; // the disk, not the file: a 500, logged
    throw new WebError(400, `not a usable greeting: ${err.message}`);
  }
}
