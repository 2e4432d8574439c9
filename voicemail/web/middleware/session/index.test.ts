// SessionStore on a fake clock: idle and absolute expiry, eviction, ending a mailbox's sessions.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { SessionStore } from './session-store.ts';

function setup(maxSessions = 100) {
  const clock = new FakeClock();
  clock.advance(1_700_000_000_000);
  return { clock, store: new SessionStore({ clock, idleMs: 60_000, maxAgeMs: 600_000, maxSessions }) };
}

describe('SessionStore', () => {
  it('makes unguessable ids and CSRF tokens, distinct per session', () => {
    const { store } = setup();
    const a = store.create('1001');
    const b = store.create('1001');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, a.csrfToken, b.id, b.csrfToken]).size).toBe(4);
  });

  it('ends a session after idleMs without use; each use starts the idle time again', () => {
    const { clock, store } = setup();
    const s = store.create('1001');
    clock.advance(59_999);
    expect(store.touch(s.id)).toBe(s);
    clock.advance(59_999);
    expect(store.touch(s.id)).toBe(s);
    clock.advance(60_000);
    expect(store.touch(s.id)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('ends a session maxAgeMs after login however busy it is', () => {
    const { clock, store } = setup();
    const s = store.create('1001');
    for (let i = 0; i < 19; i++) {
      clock.advance(30_000);
      expect(store.touch(s.id)).toBe(s);
    }
    clock.advance(30_000);
    expect(store.touch(s.id)).toBeUndefined();
  });

  it('drops the least recently used session past maxSessions, and expired ones when a new one starts', () => {
    const { clock, store } = setup(2);
    const a = store.create('1001');
    const b = store.create('1002');
    store.touch(a.id);
    store.create('1003');
    expect(store.touch(b.id)).toBeUndefined();
    expect(store.touch(a.id)).toBe(a);
    clock.advance(60_000);
    store.create('1004');
    expect(store.size).toBe(1);
  });

  it('ends every other session of a mailbox (after a PIN change)', () => {
    const { store } = setup();
    const keep = store.create('1001');
    const other = store.create('1001');
    const elsewhere = store.create('1002');
    expect(store.destroyMailbox('1001', keep.id)).toBe(1);
    expect(store.touch(keep.id)).toBe(keep);
    expect(store.touch(other.id)).toBeUndefined();
    expect(store.touch(elsewhere.id)).toBe(elsewhere);
    expect(store.destroy(keep.id)).toBe(true);
    expect(store.touch(keep.id)).toBeUndefined();
  });
});
