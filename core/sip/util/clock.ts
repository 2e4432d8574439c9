// Injected time source, so transaction timers can be driven by fake clocks in tests.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

class NodeTimer implements TimerHandle {
  constructor(private readonly t: NodeJS.Timeout) {}
  cancel(): void {
    clearTimeout(this.t);
  }
}

/** Node timers, unref'd. (A class, not a closure: under tsx every closure costs a defineProperty.) */
export const systemClock: Clock = {
  now() {
    return Date.now();
  },
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return new NodeTimer(t);
  },
};

let lastMs = -1;
let lastText = '';

/** drachtio's `HH:MM:SS.uuuuuu` UTC time stamp on `sip` frames (memoised: many frames share a ms). */
export function wireTime(ms: number): string {
  if (ms === lastMs) return lastText;
  lastMs = ms;
  lastText = formatWireTime(ms);
  return lastText;
}

function p(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function formatWireTime(ms: number): string {
  const d = new Date(ms);
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}`;
}
