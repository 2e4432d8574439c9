// Whether another connection wrote to the database: the `pbx user` CLI adds, changes and removes
// users (and drops their bindings) in its own process while the app runs. The app keeps users
// and bindings in memory, so it must notice. SQLite's data_version changes exactly when another
// connection committed, never for our own writes. Reading it takes the WAL's shared-memory locks
// (system calls), so it is read once per event-loop turn: another process's change is seen from
// the next turn on, and a REGISTER costs no extra lock round-trip.
import type { Db } from './db.ts';

export class ExternalChanges {
  private readonly stmt;
  private current: number | undefined;

  constructor(db: Db) {
    this.stmt = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Differs from an earlier turn's value once another connection committed in between. */
  version(): number {
    if (this.current === undefined) {
      this.current = this.stmt.get() as number;
      setImmediate(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }
}
