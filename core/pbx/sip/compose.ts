// Runs SIP middleware in order, each deciding whether to call next(): the onion of Hono's
// compose.ts, for SIP requests. A SipError thrown anywhere becomes the reply; anything else
// is a bug and becomes a 500 that is logged once.
import type { Logger } from '../../sip/util/logger.ts';
import type { SipContext } from './context.ts';
import { SipError } from './sip-error.ts';

export type SipNext = () => Promise<void>;
export type SipMiddleware = (c: SipContext, next: SipNext) => Promise<void> | void;

export function compose(middleware: readonly SipMiddleware[]): (c: SipContext) => Promise<void> {
  return (c) => new Onion(middleware, c).dispatch(0);
}

/** One request's walk through the chain (a class, not closures made per request: every REGISTER runs it). */
class Onion {
  private last = -1;

  constructor(
    private readonly middleware: readonly SipMiddleware[],
    private readonly c: SipContext,
  ) {}

  async dispatch(i: number): Promise<void> {
    if (i <= this.last) throw new Error('next() called more than once');
    this.last = i;
    const fn = this.middleware[i];
    if (fn) await fn(this.c, () => this.dispatch(i + 1));
  }
}

/** Runs the chain and always leaves a reply in `c.res`. */
export async function runChain(chain: (c: SipContext) => Promise<void>, c: SipContext, log: Logger): Promise<void> {
  try {
    await chain(c);
    if (!c.res) throw new Error(`no handler answered ${c.req.method}`);
  } catch (err) {
    if (err instanceof SipError) {
      c.res = err.toReply();
      return;
    }
    log.error(`${c.req.method} ${c.req.callId} from ${c.req.source.address}: ${(err as Error).stack ?? String(err)}`);
    c.res = { status: 500, reason: 'Server Internal Error' };
  }
}
