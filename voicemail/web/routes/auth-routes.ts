// Logging in and out, as pages and as API calls. Both check the pre-login CSRF token, both go
// through the same rate-limited PIN check, both start a fresh session.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { jsonBody } from '../../../core/pbx/http/json-body.ts';
import type { WebDeps } from '../deps.ts';
import { attemptLogin, type LoginResult } from '../login/login.ts';
import { loginCsrfToken, requireCsrf, requireLoginCsrf } from '../middleware/csrf/index.ts';
import { cookieAttributes, logIn, logOut, requireSession, sessionOf } from '../middleware/session/index.ts';
import { paths } from '../paths.ts';
import { field, sourceAddress } from '../request.ts';
import { loginView } from '../views/login-view.ts';
import { noticeFor } from '../views/notices.ts';
import { WebError } from '../web-error.ts';

const apiLogin = z.object({ extension: z.string().max(64), pin: z.string().max(64) });

export function authRoutes(d: WebDeps): Hono {
  const app = new Hono();
  const preLoginToken = (c: Context) => loginCsrfToken(c, { path: d.sessionOptions.cookiePath, secure: cookieAttributes(c, d.sessionOptions).secure });
  const login = (c: Context, extension: string, pin: string): LoginResult =>
    attemptLogin({ users: d.users, limiter: d.limiter }, { extension, pin, source: sourceAddress(c) });

  app.get('/login', (c) => {
    if (c.get('vmSession')) return c.redirect(paths.inbox, 303);
    return c.html(loginView(c, { csrfToken: preLoginToken(c), notice: noticeFor(c.req.query('done')) }));
  });

  app.post('/login', requireLoginCsrf(), async (c) => {
    const body = await c.req.parseBody();
    const extension = field(body, 'extension').trim();
    const r = login(c, extension, field(body, 'pin'));
    if (!r.ok) {
      if (r.status === 429) c.header('Retry-After', String(r.retryAfterSec));
      return c.html(loginView(c, { csrfToken: preLoginToken(c), error: r.message, extension }), r.status);
    }
    logIn(c, d.sessionOptions, r.mailbox);
    return c.redirect(paths.inbox, 303);
  });

  app.post('/logout', requireSession('page', paths.login), requireCsrf(), (c) => {
    logOut(c, d.sessionOptions);
    return c.redirect(`${paths.login}?done=logged-out`, 303);
  });

  app.get('/api/login', (c) => c.json({ csrfToken: preLoginToken(c) }));

  app.post('/api/login', requireLoginCsrf(), async (c) => {
    const b = await jsonBody(c, apiLogin);
    const r = login(c, b.extension, b.pin);
    if (!r.ok) throw new WebError(r.status, r.message, r.status === 429 ? { 'Retry-After': String(r.retryAfterSec) } : {});
    const s = logIn(c, d.sessionOptions, r.mailbox);
    return c.json({ mailbox: s.mailbox, csrfToken: s.csrfToken });
  });

  app.post('/api/logout', requireSession('api', paths.login), requireCsrf(), (c) => {
    logOut(c, d.sessionOptions);
    return c.body(null, 204);
  });

  app.get('/api/session', requireSession('api', paths.login), (c) => {
    const s = sessionOf(c);
    return c.json({ mailbox: s.mailbox, csrfToken: s.csrfToken, counts: d.store.counts(s.mailbox) });
  });

  return app;
}
