// Manual-mode time for the fake PBX: timers fire only when a test advances the clock, in due
// order (FIFO on ties), so no test waits on real time.

interface Timer {
  due: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  get now(): number {
    return this.#now;
  }

  at(due: number, fire: () => void): void {
    this.#timers.push({ due: Math.max(due, this.#now), seq: this.#seq++, fire });
    this.#timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
  }

  /** The earliest timer due at or before `limit`, removed from the queue; time moves to its due. */
  takeNext(limit: number): (() => void) | null {
    const next = this.#timers[0];
    if (!next || next.due > limit) return null;
    this.#timers.shift();
    this.#now = next.due;
    return next.fire;
  }

  moveTo(t: number): void {
    if (t > this.#now) this.#now = t;
  }
}
