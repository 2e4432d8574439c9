// The boundary between srf and our SIP middleware: srf requests become SipRequestViews and
// SipReplies go out through res.send().
import type { Logger } from '../../sip/util/logger.ts';
import type { SrfHandler, SrfRequest } from '../srf-types.ts';
import { SipContext, type SipHeaders, type SipRequestView } from './context.ts';
import { compose, runChain, type SipMiddleware } from './compose.ts';

export function requestView(req: SrfRequest): SipRequestView {
  return {
    method: req.method,
    uri: req.uri,
    callId: req.get('Call-ID') ?? '',
    source: { address: req.source_address, port: Number(req.source_port), transport: String(req.protocol ?? 'udp').toLowerCase() },
    get: (name) => req.get(name) ?? undefined,
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
