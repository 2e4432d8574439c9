import { describe, expect, it } from 'vitest';
import { createWatchdog } from './watchdog.ts';

function fakeIsolate() {
  return { cpuTime: 0n, isDisposed: false, burn(ms: number) { this.cpuTime += BigInt(ms * 1e6); } };
}

/** The watchdog's second look before a kill, run when the test says (the event loop's next turn). */
function deferred() {
  const queue: (() => void)[] = [];
  return { defer: (f: () => void) => void queue.push(f), flush: () => queue.splice(0).forEach((f) => f()) };
}

describe('CPU watchdog (driven by hand)', () => {
  it('kills when CPU grows past the limit with no progress', () => {
    const iso = fakeIsolate();
    const later = deferred();
    const kills: number[] = [];
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: (ms) => kills.push(ms), onDisposed: () => kills.push(-1), defer: later.defer });
    w.tick(); // first look: rebase
    iso.burn(200);
    w.tick();
    later.flush();
    expect(kills).toEqual([]);
    iso.burn(150);
    w.tick();
    expect(kills).toEqual([]); // judged only after the event loop had a turn to deliver progress
    later.flush();
    expect(kills).toEqual([350]);
    iso.burn(1000);
    w.tick(); // stopped: reports once
    later.flush();
    expect(kills).toEqual([350]);
  });

  it('progress that was waiting in the event loop when the poll ran saves the isolate', () => {
    const iso = fakeIsolate();
    const later = deferred();
    const kills: number[] = [];
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: (ms) => kills.push(ms), onDisposed: () => kills.push(-1), defer: later.defer });
    w.tick();
    iso.burn(800); // a burst of real work finished while the loop was busy elsewhere
    w.tick();
    w.progress(); // its completions are delivered in the I/O phase, before the second look
    later.flush();
    expect(kills).toEqual([]);
    // A real runaway after that is still caught, counted from the progress.
    iso.burn(400);
    w.tick();
    later.flush();
    expect(kills).toEqual([400]);
  });

  it('progress between polls resets the budget: a busy healthy isolate is never killed', () => {
    const iso = fakeIsolate();
    const later = deferred();
    const kills: number[] = [];
    const w = createWatchdog(iso, { pollMs: 20, limitMs: 300, onRunaway: (ms) => kills.push(ms), onDisposed: () => undefined, defer: later.defer });
    for (let i = 0; i < 100; i++) {
      iso.burn(250);
      w.progress();
      w.tick();
      later.flush();
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
