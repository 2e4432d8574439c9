// Response headers that keep the pages to themselves: a Content-Security-Policy that runs only the
// inline script and style carrying this response's nonce (`c.var.vmCspNonce`), no framing, no
// sniffing, no referrer, and no caching of mailbox contents.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    vmCspNonce: string;
  }
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('vmCspNonce', nonce);
    await next();
    const h = c.res.headers;
    h.set(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
    );
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  };
}
