// The voicemail web pages and JSON API (hono), mounted under /voicemail by the PBX's HTTP server:
// log in with extension and PIN, list, play, download, mark and delete messages, upload or record
// greetings, change the PIN. Every change goes through the mailbox store, whose `changed` event
// drives the phones' message lamps.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { UserAdmin } from '../../core/pbx/users/user-admin.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import type { WebDeps } from './deps.ts';
import { LoginLimiter } from './login/login-limiter.ts';
import { mayLogIn, type LoginUsers } from './login/login.ts';
import type { MailboxAccess } from './mailbox-access.ts';
import { securityHeaders } from './middleware/security-headers/index.ts';
import { session, SessionStore, type SessionOptions } from './middleware/session/index.ts';
import { BASE } from './paths.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { pageRoutes } from './routes/page-routes.ts';
import type { VoicemailWebSettings } from './settings.ts';
import { onWebError, WebError } from './web-error.ts';

export type { MailboxAccess } from './mailbox-access.ts';
export type { VoicemailWebSettings } from './settings.ts';

export interface VoicemailWebOptions {
  store: MailboxAccess;
  users: LoginUsers;
  admin: Pick<UserAdmin, 'update'>;
  settings: VoicemailWebSettings;
  clock: { now(): number };
  log: Logger;
}

export interface VoicemailWeb {
  /** Routes under /voicemail; mount with `app.route('/', web.app)`. */
  app: Hono;
  sessions: SessionStore;
  limiter: LoginLimiter;
}

/** Form fields and JSON bodies; greeting uploads get their own, larger limit. */
const SMALL_BODY_BYTES = 64 * 1024;

export function createVoicemailWeb(o: VoicemailWebOptions): VoicemailWeb {
  const w = o.settings;
  const sessions = new SessionStore({
    clock: o.clock, idleMs: w.sessionIdleSec * 1000, maxAgeMs: w.sessionMaxAgeSec * 1000, maxSessions: w.maxSessions,
  });
  const l = w.login;
  const limiter = new LoginLimiter({
    clock: o.clock, log: o.log, maxFailuresPerSource: l.maxFailuresPerSource, maxFailuresPerMailbox: l.maxFailuresPerMailbox,
    windowMs: l.windowSec * 1000, blockMs: l.blockSec * 1000, maxTracked: l.maxTracked,
  });
  const sessionOptions: SessionOptions = {
    store: sessions, cookiePath: BASE, secureCookies: w.secureCookies, mayLogIn: (mailbox) => mayLogIn(o.users, mailbox),
  };
  const d: WebDeps = { store: o.store, users: o.users, admin: o.admin, sessions, sessionOptions, limiter, settings: w, log: o.log };

  const app = new Hono().basePath(BASE);
  app.onError(onWebError(o.log));
  app.use('*', securityHeaders());
  app.use('*', bodyLimits(w.maxGreetingBytes));
  app.use('*', session(sessionOptions));
  app.route('/', authRoutes(d));
  app.route('/api', apiRoutes(d));
  app.route('/', pageRoutes(d));
  app.all('*', (c) => {
    if (c.req.path === `${BASE}/`) return c.redirect(BASE, 301);
    throw new WebError(404, 'no such page');
  });
  return { app, sessions, limiter };
}

function bodyLimits(maxGreetingBytes: number): MiddlewareHandler {
  const limit = (maxSize: number, what: string) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new WebError(413, `${what} is larger than ${Math.floor(maxSize / 1024)} KiB`);
      },
    });
  // Multipart framing around an uploaded file needs a little room on top of the file itself.
  const greeting = limit(maxGreetingBytes + 16 * 1024, 'the greeting');
  const small = limit(SMALL_BODY_BYTES, 'the request');
  return (c, next) => (/^\/voicemail\/(api\/)?greetings\/[^/]+$/.test(c.req.path) ? greeting(c, next) : small(c, next));
}
