// Reading requests: the peer address and form fields.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The TCP peer's address (no X-Forwarded-For: anyone could send it). Requests that did not come
 * through a socket (app.request in tests) count as one source, "local".
 */
export function sourceAddress(c: Context): string {
  try {
    const a = getConnInfo(c).remote.address;
    if (a) return a.startsWith('::ffff:') ? a.slice(7) : a;
  } catch {
    // not served by @hono/node-server
  }
  return 'local';
}

/** A text field of a parsed form; files and repeated fields count as missing. */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : '';
}
