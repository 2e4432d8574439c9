import { describe, expect, it } from 'vitest';
import { createWatchdog } from './watchdog.ts';

function fakeIsolate() {
  return { cpuTime: 0n, isDisposed: false, burn(ms: number) { this.cpuTime += BigInt(ms * 1e6); } };
}

describe('CPU watchdog (driven by hand)', () => {
  it('kills when CPU grows past the limit with no progress', () => {
    const iso = fakeIsolate();
    const kills: number[] = [];
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: (ms) => kills.push(ms), onDisposed: () => kills.push(-1) });
    w.tick(); // first look: rebase
    iso.burn(200);
    w.tick();
    expect(kills).toEqual([]);
    iso.burn(150);
    w.tick();
    expect(kills).toEqual([350]);
    iso.burn(1000);
    w.tick(); // stopped: reports once
    expect(kills).toEqual([350]);
  });

  it('progress between polls resets the budget: a busy healthy isolate is never killed', () => {
    const iso = fakeIsolate();
    const kills: number[] = [];
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: (ms) => kills.push(ms), onDisposed: () => undefined });
    for (let i = 0; i < 100; i++) {
      iso.burn(250);
      w.progress();
      w.tick();
    }
    expect(kills).toEqual([]);
  });

  it('reports an isolate disposed behind its back (the memory limit)', () => {
    const iso = fakeIsolate();
    let disposed = 0;
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: () => undefined, onDisposed: () => disposed++ });
    iso.isDisposed = true;
    w.tick();
    w.tick();
    expect(disposed).toBe(1);
  });
});
