// Typed event fields (`readonly dtmf = new Event<[DtmfEvent]>()`) instead of string-keyed emitters,
// so a misspelt event name or a wrong payload is a compile error, not a silent no-op.

export type Listener<T extends unknown[]> = (...args: T) => void;

export class Event<T extends unknown[]> {
  private readonly listeners = new Set<Listener<T>>();

  /** Subscribe; the returned function unsubscribes. */
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  once(listener: Listener<T>): () => void {
    const off = this.on((...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Wait for the next emission (optionally one that matches `filter`). */
  next(filter?: (...args: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const off = this.on((...args) => {
        if (filter && !filter(...args)) return;
        off();
        resolve(args);
      });
    });
  }

  /**
   * A throwing listener must not stop the others or unwind into the media path that emitted
   * (an RTP receive handler, a tick), so errors go to `Event.onListenerError`.
   */
  emit(...args: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (err) {
        Event.onListenerError(err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }

  static onListenerError: (err: unknown) => void = (err) => {
    console.error('event listener failed:', err);
  };
}
