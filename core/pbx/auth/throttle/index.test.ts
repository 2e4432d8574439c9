// FailureThrottle and rejectBlocked() on a fake clock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import type { SipMiddleware } from '../../sip/compose.ts';
import { fakeRequest, runSip } from '../../sip/testing.ts';
import { FailureThrottle, rejectBlocked } from './index.ts';

function setup(maxFailures = 3) {
  const clock = new FakeClock();
  clock.advance(1_000_000);
  const lines: string[] = [];
  const log = { debugEnabled: false, debug() {}, info() {}, notice: (m: string) => lines.push(m), warn: (m: string) => lines.push('WARN ' + m), error() {} };
  const t = new FailureThrottle({ clock, log, maxFailures, windowMs: 60_000, blockMs: 300_000, maxTracked: 3 });
  return { clock, t, lines };
}

describe('FailureThrottle', () => {
  it('blocks a source after maxFailures within the window, logs the block once, and lifts it later', () => {
    const { clock, t, lines } = setup();
    t.failed('198.51.100.7', 'REGISTER user "1001"');
    t.failed('198.51.100.7', 'REGISTER user "1001"');
    expect(t.isBlocked('198.51.100.7')).toBe(false);
    t.failed('198.51.100.7', 'REGISTER user "1002"');
    expect(t.isBlocked('198.51.100.7')).toBe(true);
    expect(t.isBlocked('198.51.100.8')).toBe(false);
    expect(lines.filter((l) => l.startsWith('WARN')).length).toBe(1);
    expect(lines.at(-1)).toMatch(/blocking 198\.51\.100\.7 for 300 s after 3 failed/);
    clock.advance(299_999);
    expect(t.isBlocked('198.51.100.7')).toBe(true);
    clock.advance(1);
    expect(t.isBlocked('198.51.100.7')).toBe(false);
    t.failed('198.51.100.7', 'x'); // a fresh start after the block
    expect(t.isBlocked('198.51.100.7')).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const { clock, t } = setup();
    t.failed('a', 'x');
    t.failed('a', 'x');
    clock.advance(60_000);
    t.failed('a', 'x');
    expect(t.isBlocked('a')).toBe(false);
  });

  it('clears failures on success but does not lift a block', () => {
    const { t } = setup();
    t.failed('a', 'x');
    t.failed('a', 'x');
    t.succeeded('a');
    t.failed('a', 'x');
    t.failed('a', 'x');
    expect(t.isBlocked('a')).toBe(false);
    t.failed('a', 'x');
    t.succeeded('a');
    expect(t.isBlocked('a')).toBe(true);
  });

  it('never blocks with maxFailures 0, and keeps at most maxTracked sources', () => {
    const { t } = setup(0);
    for (let i = 0; i < 10; i++) t.failed('a', 'x');
    expect(t.isBlocked('a')).toBe(false);
    for (const s of ['b', 'c', 'd', 'e']) t.failed(s, 'x');
    expect(t.tracked).toBe(3);
  });

  it('prunes sources whose failures are over', () => {
    const { clock, t } = setup();
    t.failed('a', 'x');
    clock.advance(60_000);
    t.prune();
    expect(t.tracked).toBe(0);
  });
});

describe('rejectBlocked', () => {
  it('answers 403 to a blocked source without running the rest of the chain', async () => {
    const { t } = setup(1);
    let ran = 0;
    const rest: SipMiddleware = (c) => {
      ran++;
      c.reply(200);
    };
    const req = fakeRequest({ source: { address: '203.0.113.9' } });
    expect((await runSip([rejectBlocked(t), rest], req)).res?.status).toBe(200);
    t.failed('203.0.113.9', 'x');
    expect((await runSip([rejectBlocked(t), rest], req)).res).toMatchObject({ status: 403 });
    expect(ran).toBe(1);
  });
});
