// A BindingStore in memory: for tests and for running without a database file. Same contract
// and the same shared suite as the SQLite store.
import type { Binding, BindingChanges, BindingStore } from './binding-store.ts';

export class MemoryBindingStore implements BindingStore {
  private readonly byAor = new Map<string, Map<string, Binding>>();

  list(aor: string, now: number): Binding[] {
    return sorted([...(this.byAor.get(aor)?.values() ?? [])].filter((b) => b.expiresAt > now));
  }

  apply(aor: string, changes: BindingChanges): Promise<void> {
    this.applyNow(aor, changes);
    return Promise.resolve();
  }

  applyNow(aor: string, changes: BindingChanges): void {
    if (changes.upsert.some((b) => b.aor !== aor)) throw new Error(`binding for another AOR in a change set for ${aor}`);
    const m = this.byAor.get(aor) ?? new Map<string, Binding>();
    for (const key of changes.remove) m.delete(key);
    for (const b of changes.upsert) m.set(b.key, { ...b, source: { ...b.source } });
    if (m.size) this.byAor.set(aor, m);
    else this.byAor.delete(aor);
  }

  /** Replaces what is held for `aor` (reloading it from a database). */
  reset(aor: string, bindings: readonly Binding[]): void {
    this.byAor.delete(aor);
    if (bindings.length) this.applyNow(aor, { upsert: bindings, remove: [] });
  }

  clear(): void {
    this.byAor.clear();
  }

  removeAor(aor: string): number {
    const n = this.byAor.get(aor)?.size ?? 0;
    this.byAor.delete(aor);
    return n;
  }

  all(now: number): Binding[] {
    const aors = [...this.byAor.keys()].sort();
    return aors.flatMap((aor) => this.list(aor, now));
  }

  sweep(now: number): Binding[] {
    const gone: Binding[] = [];
    for (const [aor, m] of this.byAor) {
      for (const [key, b] of m) {
        if (b.expiresAt > now) continue;
        gone.push(b);
        m.delete(key);
      }
      if (!m.size) this.byAor.delete(aor);
    }
    return gone;
  }
}

/** Copies, ordered as the SQLite store orders them, so callers cannot change stored state. */
function sorted(list: Binding[]): Binding[] {
  return list.map((b) => ({ ...b, source: { ...b.source } })).sort((a, b) => a.registeredAt - b.registeredAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
