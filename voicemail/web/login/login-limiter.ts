// Guessing PINs through the web is limited twice: per source address (one attacker, many
// mailboxes) and per mailbox (many addresses, one mailbox). Past either limit the login answers
// 429 with Retry-After until the block ends, without checking the PIN. Each failure is logged
// once (notice, for fail2ban) and each block once (warn).
import type { Logger } from '../../../core/sip/util/logger.ts';

export interface LoginLimiterOptions {
  clock: { now(): number };
  log: Logger;
  maxFailuresPerSource: number;
  maxFailuresPerMailbox: number;
  windowMs: number;
  blockMs: number;
  /** Keys (addresses plus mailboxes) remembered at once; past it the least recently failing are forgotten. */
  maxTracked: number;
}

interface Entry {
  failures: number[];
  blockedUntil: number;
}

export class LoginLimiter {
  // Map order is least recently failing first, for eviction.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: LoginLimiterOptions) {}

  /** Seconds until a login from `source` for `mailbox` may be tried again; 0 when it may now. */
  retryAfterSec(source: string, mailbox: string): number {
    const until = Math.max(this.blockedUntil(`src ${source}`), this.blockedUntil(`box ${mailbox}`));
    return until === 0 ? 0 : Math.max(1, Math.ceil((until - this.opts.clock.now()) / 1000));
  }

  failed(source: string, mailbox: string): void {
    const { log, windowMs, maxFailuresPerSource, maxFailuresPerMailbox } = this.opts;
    const bySource = this.count(`src ${source}`, maxFailuresPerSource, `address ${source}`);
    this.count(`box ${mailbox}`, maxFailuresPerMailbox, `mailbox ${mailbox}`);
    log.notice(`voicemail web: failed login for mailbox ${mailbox} from ${source} (${bySource} in ${Math.round(windowMs / 1000)} s)`);
  }

  /** Earlier typos no longer count against this address and mailbox; running blocks stay. */
  succeeded(source: string, mailbox: string): void {
    for (const key of [`src ${source}`, `box ${mailbox}`]) {
      const e = this.entries.get(key);
      if (e && e.blockedUntil === 0) this.entries.delete(key);
    }
  }

  get tracked(): number {
    return this.entries.size;
  }

  private blockedUntil(key: string): number {
    const e = this.entries.get(key);
    if (!e || e.blockedUntil === 0) return 0;
    if (this.opts.clock.now() < e.blockedUntil) return e.blockedUntil;
    this.entries.delete(key); // block over: start clean
    return 0;
  }

  /** Records a failure under `key`; starts a block at `max`. Returns the failures in the window. */
  private count(key: string, max: number, what: string): number {
    const { clock, log, windowMs, blockMs, maxTracked } = this.opts;
    const now = clock.now();
    const e = this.entries.get(key) ?? { failures: [], blockedUntil: 0 };
    this.entries.delete(key);
    this.entries.set(key, e);
    e.failures = e.failures.filter((t) => now - t < windowMs);
    e.failures.push(now);
    if (max > 0 && e.failures.length >= max && e.blockedUntil === 0) {
      e.blockedUntil = now + blockMs;
      log.warn(`voicemail web: blocking logins for ${what} for ${Math.round(blockMs / 1000)} s after ${e.failures.length} failures`);
    }
    while (this.entries.size > maxTracked) this.entries.delete(this.entries.keys().next().value as string);
    return e.failures.length;
  }
}
