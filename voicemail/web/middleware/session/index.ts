// Session middleware: reads the session cookie, sets `c.var.vmSession` (typed by declaration
// merging, like Hono's request-id middleware), and ends sessions whose user can no longer log in
// (removed, disabled, PIN removed). `requireSession` turns a missing session into a redirect to
// the login page (pages) or 401 (API).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { WebError } from '../../web-error.ts';
import type { SessionStore, WebSession } from './session-store.ts';

export { SessionStore, type WebSession } from './session-store.ts';

declare module 'hono' {
  interface ContextVariableMap {
    vmSession: WebSession | undefined;
  }
}

export interface SessionOptions {
  store: SessionStore;
  cookieName?: string;
  /** Path the cookie is sent for. */
  cookiePath: string;
  /** Secure flag even on plain http (TLS proxy in front); https requests always get it. */
  secureCookies: boolean;
  /** Whether this mailbox may still log in; checked on every request. */
  mayLogIn(mailbox: string): boolean;
}

export const SESSION_COOKIE = 'vm_session';

export function session(opts: SessionOptions): MiddlewareHandler {
  const name = opts.cookieName ?? SESSION_COOKIE;
  return async (c, next) => {
    const id = getCookie(c, name);
    let s = id ? opts.store.touch(id) : undefined;
    if (s && !opts.mayLogIn(s.mailbox)) {
      opts.store.destroy(s.id);
      s = undefined;
    }
    if (id && !s) deleteCookie(c, name, { path: opts.cookiePath });
    c.set('vmSession', s);
    await next();
  };
}

/** Starts a session for `mailbox` with a fresh id (never reusing one the browser brought: fixation). */
export function logIn(c: Context, opts: SessionOptions, mailbox: string): WebSession {
  const old = c.get('vmSession');
  if (old) opts.store.destroy(old.id);
  const s = opts.store.create(mailbox);
  setCookie(c, opts.cookieName ?? SESSION_COOKIE, s.id, cookieAttributes(c, opts));
  c.set('vmSession', s);
  return s;
}

export function logOut(c: Context, opts: SessionOptions): void {
  const s = c.get('vmSession');
  if (s) opts.store.destroy(s.id);
  deleteCookie(c, opts.cookieName ?? SESSION_COOKIE, { path: opts.cookiePath });
  c.set('vmSession', undefined);
}

export function cookieAttributes(c: Context, opts: Pick<SessionOptions, 'cookiePath' | 'secureCookies'>) {
  const secure = opts.secureCookies || new URL(c.req.url).protocol === 'https:';
  return { path: opts.cookiePath, httpOnly: true, sameSite: 'Strict', secure } as const;
}

export function requireSession(kind: 'page' | 'api', loginPath: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.get('vmSession')) return next();
    if (kind === 'api') throw new WebError(401, 'not logged in (or the session expired)');
    return c.redirect(loginPath, 303);
  };
}

/** The session of a route behind requireSession. */
export function sessionOf(c: Context): WebSession {
  const s = c.get('vmSession');
  if (!s) throw new WebError(401, 'not logged in (or the session expired)');
  return s;
}
