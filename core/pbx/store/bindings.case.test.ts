// One suite for every BindingStore (STYLE practice 11): memory, SQLite, and memory with SQLite
// written behind must behave alike.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../sip/testing.ts';
import type { BindingStore } from './binding-store.ts';
import { SqliteBindingStore } from './bindings.ts';
import { CachedBindingStore } from './cached-bindings.ts';
import { ExternalChanges } from './external-changes.ts';
import { MemoryBindingStore } from './memory-bindings.ts';
import { binding, tempDb, type TempDb } from './testing.ts';
import { WriteBatch } from './write-batch.ts';

const AOR = 'sip:1001@pbx.test';

const dbs: TempDb[] = [];
const batches: WriteBatch[] = [];
afterEach(() => {
  for (const b of batches.splice(0)) b.flush();
  for (const d of dbs.splice(0)) d.cleanup();
});

const impls: [string, () => BindingStore][] = [
  ['memory', () => new MemoryBindingStore()],
  [
    'sqlite',
    () => {
      const t = tempDb();
      dbs.push(t);
      return new SqliteBindingStore(t.db);
    },
  ],
  [
    'cached',
    () => {
      const t = tempDb();
      dbs.push(t);
      const batch = new WriteBatch(t.db, silentLog);
      batches.push(batch);
      return new CachedBindingStore(new SqliteBindingStore(t.db), batch, new ExternalChanges(t.db));
    },
  ],
];

describe.each(impls)('BindingStore (%s)', (_name, make) => {
  it('stores, lists live bindings in registration order, and hides expired ones', () => {
    const s = make();
    const a = binding({ key: 'a', contact: 'sip:a@h', registeredAt: 2000, q: 0.5, instance: '<urn:uuid:1>', regId: 1 });
    const b = binding({ key: 'b', contact: 'sip:b@h', registeredAt: 1000, expiresAt: 5000 });
    s.apply(AOR, { upsert: [a, b], remove: [] });
    expect(s.list(AOR, 0)).toEqual([b, a]);
    expect(s.list(AOR, 5000)).toEqual([a]);
    expect(s.list('sip:other@pbx.test', 0)).toEqual([]);
  });

  it('updates a binding in place by key and removes by key', () => {
    const s = make();
    s.apply(AOR, { upsert: [binding({ key: 'a' }), binding({ key: 'b' })], remove: [] });
    s.apply(AOR, { upsert: [binding({ key: 'a', cseq: 2, source: { address: '198.51.100.1', port: 40000, transport: 'udp' } })], remove: ['b'] });
    const list = s.list(AOR, 0);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: 'a', cseq: 2, source: { address: '198.51.100.1', port: 40000 } });
  });

  it('applies all or nothing', () => {
    const s = make();
    s.apply(AOR, { upsert: [binding({ key: 'a' })], remove: [] });
    expect(() => s.apply(AOR, { upsert: [binding({ key: 'b' }), binding({ key: 'c', aor: 'sip:1002@pbx.test' })], remove: ['a'] })).toThrow();
    expect(s.list(AOR, 0).map((b) => b.key)).toEqual(['a']);
  });

  it('lists all AORs, removes an AOR, and sweeps what expired', () => {
    const s = make();
    const other = 'sip:1002@pbx.test';
    s.apply(AOR, { upsert: [binding({ key: 'a', expiresAt: 100 }), binding({ key: 'b', expiresAt: 900 })], remove: [] });
    s.apply(other, { upsert: [binding({ aor: other, key: 'c', expiresAt: 100 })], remove: [] });
    expect(s.all(0).map((b) => b.key)).toEqual(['a', 'b', 'c']);
    const gone = s.sweep(100);
    expect(gone.map((b) => b.key).sort()).toEqual(['a', 'c']);
    expect(s.all(0).map((b) => b.key)).toEqual(['b']);
    expect(s.sweep(100)).toEqual([]);
    expect(s.removeAor(AOR)).toBe(1);
    expect(s.all(0)).toEqual([]);
  });

  it('returns copies that cannot change what is stored', () => {
    const s = make();
    s.apply(AOR, { upsert: [binding()], remove: [] });
    const [b] = s.list(AOR, 0);
    b!.source.port = 1;
    expect(s.list(AOR, 0)[0]!.source.port).toBe(5060);
  });
});
