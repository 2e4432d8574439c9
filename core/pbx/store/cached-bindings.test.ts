// The app's write-behind location: what it promises about the file. A resolved apply() is on
// disk (a crash after the registrar's 200 loses nothing), changes of one event-loop turn share one
// transaction, a failed commit is undone in memory, and another process's writes are followed.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../sip/testing.ts';
import { SqliteBindingStore } from './bindings.ts';
import { CachedBindingStore } from './cached-bindings.ts';
import { openDatabase } from './db.ts';
import { ExternalChanges } from './external-changes.ts';
import { binding, tempDb, type TempDb } from './testing.ts';
import { WriteBatch } from './write-batch.ts';

const AOR = 'sip:1001@pbx.test';
let t: TempDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

function setup() {
  t = tempDb();
  const batch = new WriteBatch(t.db, silentLog);
  const store = new CachedBindingStore(new SqliteBindingStore(t.db), batch, new ExternalChanges(t.db));
  /** What another process (a restarted app, the CLI) reads from the file right now. */
  const onFile = () => {
    const other = openDatabase(t!.path).db;
    try {
      return new SqliteBindingStore(other).all(0).map((b) => b.key);
    } finally {
      other.close();
    }
  };
  return { t, batch, store, onFile };
}

describe('CachedBindingStore', () => {
  it('shows a change at once and has it on file when apply() resolves, in one commit per turn', async () => {
    const { batch, store, onFile } = setup();
    const first = store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a' })], remove: [] });
    const second = store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'b' })], remove: [] });
    expect(store.list(AOR, 0).map((b) => b.key)).toEqual(['a', 'b']);
    expect(batch.pending).toBe(2);
    expect(onFile()).toEqual([]); // not yet: the turn has not ended
    await Promise.all([first, second]);
    expect(batch.pending).toBe(0);
    expect(onFile()).toEqual(['a', 'b']);
  });

  it('keeps a binding across a crash right after apply() resolved (the registrar has sent its 200)', async () => {
    const { t, store } = setup();
    await store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a', expiresAt: 50_000 })], remove: [] });
    // A crash: the connection goes away without any further flush or orderly close.
    const reopened = t.reopen();
    const after = new CachedBindingStore(new SqliteBindingStore(reopened.db), new WriteBatch(reopened.db, silentLog), new ExternalChanges(reopened.db));
    expect(after.list(AOR, 0).map((b) => [b.key, b.expiresAt])).toEqual([['a', 50_000]]);
  });

  it('rejects a change whose commit failed and undoes it in memory, without losing the others of its turn', async () => {
    const { t, store, onFile } = setup();
    await store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a', cseq: 1 })], remove: [] });
    t.db.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON bindings WHEN NEW.cseq = 99 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const bad = store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a', cseq: 99 })], remove: [] });
    const good = store.apply('sip:1002@pbx.test', { upsert: [binding({ aor: 'sip:1002@pbx.test', key: 'c' })], remove: [] });
    expect(store.list(AOR, 0)[0]!.cseq).toBe(99);
    await expect(bad).rejects.toThrow(/disk says no/);
    await good;
    expect(store.list(AOR, 0)[0]!.cseq).toBe(1);
    expect(onFile().sort()).toEqual(['a', 'c']);
  });

  it('follows bindings another process removed (the CLI dropping a removed user)', async () => {
    const { t, store } = setup();
    await store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a' })], remove: [] });
    const cli = openDatabase(t.path).db;
    new SqliteBindingStore(cli).removeAor(AOR);
    cli.close();
    await new Promise((r) => setImmediate(r)); // seen from the next event-loop turn
    expect(store.list(AOR, 0)).toEqual([]);
  });

  it('sweeps and removes an AOR on file at once', async () => {
    const { store, onFile } = setup();
    void store.apply(AOR, { upsert: [binding({ aor: AOR, key: 'a', expiresAt: 100 }), binding({ aor: AOR, key: 'b', expiresAt: 900 })], remove: [] });
    expect(store.sweep(100).map((b) => b.key)).toEqual(['a']);
    expect(onFile()).toEqual(['b']);
    expect(store.removeAor(AOR)).toBe(1);
    expect(onFile()).toEqual([]);
  });
});
