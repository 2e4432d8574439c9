// RFC 3261 §8.2.2.3 (and §10.3 step 2 for REGISTER): a request that Requires an extension we
// do not support is refused with 420 and the tags we lack, before anything acts on it.
import type { SipMiddleware } from './compose.ts';
import { SipError } from './sip-error.ts';

export function requireSupported(supported: readonly string[]): SipMiddleware {
  const ours = new Set(supported.map((t) => t.toLowerCase()));
  return async (c, next) => {
    const required = (c.req.get('Require') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    const missing = required.filter((t) => !ours.has(t.toLowerCase()));
    if (missing.length) throw new SipError(420, 'Bad Extension', { Unsupported: missing.join(', ') });
    await next();
  };
}
