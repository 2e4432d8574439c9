// The app's BindingStore: the location lives in memory (every REGISTER, call and MWI lookup reads
// it there) and SQLite keeps a copy so bindings survive a restart. Binding changes are written
// behind, in the WriteBatch's one transaction per event-loop turn; the registrar awaits apply()'s
// promise before its 200, so a phone told "registered" is registered on disk too (whatever
// happens to the process after that), and a commit that fails undoes the change in memory.
//
// Sweeps and AOR removals are rare and go to SQLite at once, so the file never lags behind them.
// Another process writing bindings (the `pbx user` CLI drops a removed user's) is noticed through
// ExternalChanges and the memory is reloaded from the file.
import type { Binding, BindingChanges, BindingStore } from './binding-store.ts';
import type { SqliteBindingStore } from './bindings.ts';
import type { ExternalChanges } from './external-changes.ts';
import { MemoryBindingStore } from './memory-bindings.ts';
import type { WriteBatch } from './write-batch.ts';

/** Loads every row, expired ones too, so memory and file agree on what a sweep deletes. */
const EVERYTHING = Number.MIN_SAFE_INTEGER;

export class CachedBindingStore implements BindingStore {
  private readonly memory = new MemoryBindingStore();
  private seenVersion: number;

  constructor(
    private readonly sql: SqliteBindingStore,
    private readonly batch: WriteBatch,
    private readonly external: ExternalChanges,
  ) {
    this.seenVersion = external.version();
    this.load();
  }

  list(aor: string, now: number): Binding[] {
    this.followExternal();
    return this.memory.list(aor, now);
  }

  apply(aor: string, changes: BindingChanges): Promise<void> {
    this.followExternal();
    this.memory.applyNow(aor, changes); // throws for a broken change set, before anything is queued
    return this.batch.queueDurable(() => this.sql.applyNow(aor, changes)).catch((err: Error) => {
      // Rolled back on disk: memory goes back to what the file holds.
      this.memory.reset(aor, this.sql.list(aor, EVERYTHING));
      throw err;
    });
  }

  removeAor(aor: string): number {
    this.followExternal();
    this.batch.flush();
    this.memory.removeAor(aor);
    return this.sql.removeAor(aor);
  }

  all(now: number): Binding[] {
    this.followExternal();
    return this.memory.all(now);
  }

  sweep(now: number): Binding[] {
    this.followExternal();
    this.batch.flush();
    this.memory.sweep(now);
    return this.sql.sweep(now);
  }

  private followExternal(): void {
    const v = this.external.version();
    if (v === this.seenVersion) return;
    this.seenVersion = v;
    this.batch.flush();
    this.load();
  }

  private load(): void {
    this.memory.clear();
    const byAor = new Map<string, Binding[]>();
    for (const b of this.sql.all(EVERYTHING)) byAor.set(b.aor, [...(byAor.get(b.aor) ?? []), b]);
    for (const [aor, list] of byAor) this.memory.reset(aor, list);
  }
}
