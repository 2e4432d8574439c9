// Time is injected everywhere on the media path so tests drive it by hand (STYLE practice 4).

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (not wall time); only differences are meaningful. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
