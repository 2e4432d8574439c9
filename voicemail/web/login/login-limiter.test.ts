// LoginLimiter on a fake clock: the per-address and per-mailbox limits, Retry-After, logging.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { LoginLimiter } from './login-limiter.ts';

function setup(o: { perSource?: number; perMailbox?: number; maxTracked?: number } = {}) {
  const clock = new FakeClock();
  clock.advance(1_000_000);
  const lines: string[] = [];
  const log = { debugEnabled: false, debug() {}, info() {}, notice: (m: string) => lines.push(m), warn: (m: string) => lines.push('WARN ' + m), error() {} };
  const limiter = new LoginLimiter({
    clock, log, maxFailuresPerSource: o.perSource ?? 3, maxFailuresPerMailbox: o.perMailbox ?? 5,
    windowMs: 60_000, blockMs: 300_000, maxTracked: o.maxTracked ?? 100,
  });
  return { clock, limiter, lines };
}

describe('LoginLimiter', () => {
  it('blocks an address after its failures, for any mailbox, and says how long', () => {
    const { clock, limiter, lines } = setup();
    limiter.failed('10.0.0.1', '1001');
    limiter.failed('10.0.0.1', '1002');
    expect(limiter.retryAfterSec('10.0.0.1', '1003')).toBe(0);
    limiter.failed('10.0.0.1', '1003');
    expect(limiter.retryAfterSec('10.0.0.1', '1004')).toBe(300);
    expect(limiter.retryAfterSec('10.0.0.2', '1004')).toBe(0);
    clock.advance(299_500);
    expect(limiter.retryAfterSec('10.0.0.1', '1004')).toBe(1);
    clock.advance(500);
    expect(limiter.retryAfterSec('10.0.0.1', '1004')).toBe(0);
    expect(lines.filter((l) => l.startsWith('voicemail web: failed login'))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('WARN'))).toEqual(['WARN voicemail web: blocking logins for address 10.0.0.1 for 300 s after 3 failures']);
  });

  it('blocks a mailbox guessed at from many addresses, for every address', () => {
    const { limiter } = setup({ perSource: 100, perMailbox: 4 });
    for (let i = 1; i <= 4; i++) limiter.failed(`10.0.0.${i}`, '1001');
    expect(limiter.retryAfterSec('10.9.9.9', '1001')).toBe(300);
    expect(limiter.retryAfterSec('10.9.9.9', '1002')).toBe(0);
  });

  it('forgets failures older than the window, and earlier typos after a success', () => {
    const { clock, limiter } = setup();
    limiter.failed('a', '1001');
    limiter.failed('a', '1001');
    clock.advance(60_000);
    limiter.failed('a', '1001');
    expect(limiter.retryAfterSec('a', '1001')).toBe(0);
    limiter.failed('a', '1001');
    limiter.succeeded('a', '1001');
    limiter.failed('a', '1001');
    limiter.failed('a', '1001');
    expect(limiter.retryAfterSec('a', '1001')).toBe(0);
  });

  it('never blocks with limits of 0, and remembers at most maxTracked keys', () => {
    const { limiter } = setup({ perSource: 0, perMailbox: 0, maxTracked: 4 });
    for (let i = 0; i < 20; i++) limiter.failed(`10.0.0.${i}`, `10${i}`);
    expect(limiter.retryAfterSec('10.0.0.19', '1019')).toBe(0);
    expect(limiter.tracked).toBe(4);
  });
});
