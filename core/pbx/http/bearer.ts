// Bearer-token check for the admin API. Compares digests so the time taken says nothing about
// how much of a guessed token was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

export function requireBearer(token: string): MiddlewareHandler {
  const want = createHash('sha256').update(token).digest();
  return async (c, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    const got = createHash('sha256').update(m?.[1] ?? '').digest();
    if (!m || !timingSafeEqual(want, got)) {
      c.header('WWW-Authenticate', 'Bearer realm="pbx"');
      return c.json(errorBody(401, 'missing or wrong admin token'), 401);
    }
    await next();
  };
}
