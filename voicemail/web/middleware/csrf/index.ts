// CSRF protection for every state-changing request. Logged in: the token stored with the session,
// sent as the `X-CSRF-Token` header (API, scripts) or the `_csrf` form field (pages). Before login
// (the login form and API), a double-submit token: a random value in an HttpOnly, SameSite=Strict
// cookie that the form or client must echo. A missing or wrong token is 403.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { WebError } from '../../web-error.ts';

export const CSRF_HEADER = 'X-CSRF-Token';
export const CSRF_FIELD = '_csrf';
export const LOGIN_CSRF_COOKIE = 'vm_login_csrf';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** For routes behind requireSession: checks the session's token on unsafe methods. */
export function requireCsrf(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const want = c.get('vmSession')?.csrfToken;
      if (!want || !sameToken(want, await presentedToken(c))) throw csrfRefused();
    }
    await next();
  };
}

/** The pre-login token, made and set as a cookie when the browser has none yet. */
export function loginCsrfToken(c: Context, cookie: { path: string; secure: boolean }): string {
  const have = getCookie(c, LOGIN_CSRF_COOKIE);
  if (have && /^[A-Za-z0-9_-]{43}$/.test(have)) return have;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, LOGIN_CSRF_COOKIE, token, { path: cookie.path, httpOnly: true, sameSite: 'Strict', secure: cookie.secure });
  return token;
}

/** For the login routes: the echoed token must match the cookie. */
export function requireLoginCsrf(): MiddlewareHandler {
  return async (c, next) => {
    const want = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!want || !sameToken(want, await presentedToken(c))) throw csrfRefused();
    await next();
  };
}

async function presentedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('Content-Type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return undefined;
  // Hono caches the parsed body, so the route handler can read it again.
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const v = body[CSRF_FIELD];
  return typeof v === 'string' ? v : undefined;
}

function sameToken(want: string, got: string | undefined): boolean {
  if (got === undefined) return false;
  // Digests have equal length, so the comparison time says nothing about the token.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(want), h(got));
}

function csrfRefused(): WebError {
  return new WebError(403, 'missing or wrong CSRF token; reload the page and try again');
}
