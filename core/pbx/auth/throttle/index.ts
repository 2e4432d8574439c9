// Brute-force protection per source IP. Only a credential that was actually checked and found
// wrong counts; the unauthenticated first request every phone sends (answered 401) and a stale
// nonce do not, so phones doing their normal challenge round-trip are never locked out (the
// fail2ban-on-401 trap, anchors §3.11). A blocked source gets 403 until the block ends.
import type { Clock } from '../../../sip/util/clock.ts';
import type { Logger } from '../../../sip/util/logger.ts';
import type { SipMiddleware } from '../../sip/compose.ts';
import { SipError } from '../../sip/sip-error.ts';

export interface ThrottleOptions {
  clock: Clock;
  log: Logger;
  /** Failures within `windowMs` that block a source; 0 disables blocking (failures are still logged). */
  maxFailures: number;
  windowMs: number;
  blockMs: number;
  /** Sources remembered at once; past it the least recently failing are forgotten. */
  maxTracked: number;
}

interface SourceState {
  failures: number[];
  blockedUntil: number;
}

export class FailureThrottle {
  private readonly sources = new Map<string, SourceState>();

  constructor(private readonly opts: ThrottleOptions) {}

  isBlocked(source: string): boolean {
    const s = this.sources.get(source);
    if (!s || s.blockedUntil === 0) return false;
    if (this.opts.clock.now() < s.blockedUntil) return true;
    this.sources.delete(source); // block over: start clean
    return false;
  }

  /** A checked credential was wrong. `what` names it for the log ("REGISTER user 1001"). */
  failed(source: string, what: string): void {
    const { clock, log, maxFailures, windowMs, blockMs } = this.opts;
    const now = clock.now();
    // Re-insert so Map order is least-recently-failing first, for eviction.
    const s = this.sources.get(source) ?? { failures: [], blockedUntil: 0 };
    this.sources.delete(source);
    this.sources.set(source, s);
    s.failures = s.failures.filter((t) => now - t < windowMs);
    s.failures.push(now);
    log.notice(`auth: failed ${what} from ${source} (${s.failures.length} in ${Math.round(windowMs / 1000)} s)`);
    if (maxFailures > 0 && s.failures.length >= maxFailures && s.blockedUntil === 0) {
      s.blockedUntil = now + blockMs;
      log.warn(`auth: blocking ${source} for ${Math.round(blockMs / 1000)} s after ${s.failures.length} failed authentications`);
    }
    while (this.sources.size > this.opts.maxTracked) this.sources.delete(this.sources.keys().next().value as string);
  }

  /** A phone that got its password right is not held to an earlier typo. */
  succeeded(source: string): void {
    const s = this.sources.get(source);
    if (s && s.blockedUntil === 0) this.sources.delete(source);
  }

  /** Drop sources whose failures and block are over. */
  prune(): void {
    const now = this.opts.clock.now();
    for (const [k, s] of this.sources) {
      const lastFailure = s.failures[s.failures.length - 1] ?? 0;
      if (now >= s.blockedUntil && now - lastFailure >= this.opts.windowMs) this.sources.delete(k);
    }
  }

  get tracked(): number {
    return this.sources.size;
  }
}

/** Answers 403 to a blocked source before anything else looks at its request. */
export function rejectBlocked(throttle: FailureThrottle): SipMiddleware {
  return async (c, next) => {
    if (throttle.isBlocked(c.req.source.address)) throw new SipError(403, 'Too Many Failed Authentications');
    await next();
  };
}
