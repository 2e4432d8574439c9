// The boundary between srf and our SIP middleware: srf requests become SipRequestViews and
// SipReplies go out through res.send().
import type { Logger } from '../../sip/util/logger.ts';
import type { SrfHandler, SrfRequest } from '../srf-types.ts';
import { SipContext, type SipHeaders, type SipRequestView } from './context.ts';
import { compose, runChain, type SipMiddleware } from './compose.ts';

/** The message srf parsed: header values by name (lower-cased, except X-/P- names kept as sent). */
interface SrfParsed {
  msg?: { headers?: Record<string, unknown> };
}

export function requestView(req: SrfRequest): SipRequestView {
  const get = headerReader(req);
  return {
    method: req.method,
    uri: req.uri,
    callId: get('Call-ID') ?? '',
    source: { address: req.source_address, port: Number(req.source_port), transport: String(req.protocol ?? 'udp').toLowerCase() },
    get,
  };
}

/**
 * Header lookup by name, case-insensitive, with the values srf's req.get() returns. srf's get()
 * normalises the name and scans every header on each call (reading process.env on the way), a
 * few microseconds that a REGISTER pays a dozen times; one lower-cased index per request is cheaper.
 */
function headerReader(req: SrfRequest): (name: string) => string | undefined {
  const parsed = (req as SrfParsed).msg?.headers;
  if (!parsed) return (name) => req.get(name) ?? undefined;
  let index: Map<string, string> | undefined;
  let raw = true;
  return (name) => {
    if (!index) {
      index = new Map();
      for (const k in parsed) {
        const v = parsed[k];
        const lower = k.toLowerCase();
        // srf keeps X-/P- names as sent, so `X-A` and `x-a` may both be there: the first wins, as in srf.
        if (typeof v === 'string') {
          if (!index.has(lower)) index.set(lower, v);
        } else raw = false; // parsed into objects: only srf knows how to print them
      }
    }
    return raw ? index.get(name.toLowerCase()) : (req.get(name) ?? undefined);
  };
}

/** A CR or LF in a value would start a header of the sender's choosing. */
const clean = (v: string): string => v.replace(/[\r\n]+/g, ' ');

/**
 * srf takes one string per header name. SIP allows any header to be repeated on its own line,
 * and some must be (WWW-Authenticate challenges cannot be comma-joined, RFC 3261 §7.3.1), so a
 * list is written as one value that continues onto new lines of the same name; srf copies it
 * into the message text verbatim and the engine (or drachtio-server) parses separate lines.
 */
export function srfHeaders(headers: SipHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const values = typeof value === 'string' ? [value] : value;
    if (values.length === 0) continue;
    out[name] = values.map(clean).join(`\r\n${name}: `);
  }
  return out;
}

/** An srf verb handler running `middleware`; it always answers. */
export function srfHandler(middleware: readonly SipMiddleware[], log: Logger): SrfHandler {
  const chain = compose(middleware);
  return (req, res) => {
    const c = new SipContext(requestView(req));
    void runChain(chain, c, log).then(() => {
      const r = c.res ?? { status: 500 };
      if (res.finalResponseSent) return;
      try {
        res.send(r.status, r.reason, { headers: srfHeaders(r.headers) });
      } catch (err) {
        // srf refuses status codes it does not know; nothing else can be sent then.
        log.error(`cannot send ${r.status} for ${c.req.method} ${c.req.callId}: ${(err as Error).message}`);
      }
    });
  };
}
