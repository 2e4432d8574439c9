// Group commit for the app's hot writes (binding refreshes, CDR rows): queued writes commit
// together in one SQLite transaction. A commit costs the same whether it carries one row or a
// hundred, so under load this turns one WAL commit per REGISTER (and three per call) into a few.
//
// A durable write (the registrar's) commits at the end of the current event-loop turn and its
// promise settles then: the caller answers only once its data is on disk. Any other write (a CDR
// update nobody waits for) commits with the next durable one or within `lazyMs`, whichever comes
// first. When a batch fails its writes are replayed one transaction each, so one bad write does
// not sink the others.
import type { Logger } from '../../sip/util/logger.ts';
import type { Db } from './db.ts';

interface Queued {
  write: () => void;
  /** Set for a durable write: its caller waits for the commit. */
  resolve?: () => void;
  reject?: (err: Error) => void;
}

/** How long a write nobody waits for may stay queued, by default. */
export const DEFAULT_LAZY_MS = 20;

export class WriteBatch {
  private queued: Queued[] = [];
  private turnArmed = false;
  private lazyTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly inTransaction: (writes: readonly Queued[]) => void;
  private readonly one: (q: Queued) => void;

  constructor(
    db: Db,
    private readonly log: Logger,
    private readonly lazyMs = DEFAULT_LAZY_MS,
  ) {
    this.inTransaction = db.transaction((writes: readonly Queued[]) => {
      for (const q of writes) q.write();
    });
    this.one = db.transaction((q: Queued) => q.write());
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.queued.length;
  }

  /** Queues `write` for a commit within `lazyMs`; nobody waits for it (failures are logged). */
  queue(write: () => void): void {
    this.queued.push({ write });
    if (this.lazyTimer === undefined && !this.turnArmed) {
      this.lazyTimer = setTimeout(() => this.flush(), this.lazyMs);
      this.lazyTimer.unref(); // close() flushes; a pending commit does not keep the process up
    }
  }

  /** Queues `write` for the end of this turn; resolves once it committed, rejects if it could not. */
  queueDurable(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ write, resolve, reject });
      if (this.turnArmed) return;
      this.turnArmed = true;
      setImmediate(() => {
        this.turnArmed = false;
        this.flush();
      });
    });
  }

  /** Commits everything queued now (before a read that goes to SQL, and at shutdown). */
  flush(): void {
    if (this.lazyTimer !== undefined) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = undefined;
    }
    if (this.queued.length === 0) return;
    const writes = this.queued;
    this.queued = [];
    try {
      this.inTransaction(writes);
      for (const q of writes) q.resolve?.();
    } catch (err) {
      this.log.error(`database: a batch of ${writes.length} writes failed (${(err as Error).message}); retrying them one by one`);
      for (const q of writes) this.replay(q);
    }
  }

  private replay(q: Queued): void {
    try {
      this.one(q);
      q.resolve?.();
    } catch (err) {
      if (q.reject) q.reject(err as Error);
      else this.log.error(`database: write lost: ${(err as Error).message}`);
    }
  }
}
