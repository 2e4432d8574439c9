// The registrar middleware on a memory store and a fake clock: who may register what, the 200's
// contents, change events, and the sweep.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import type { SipMiddleware } from '../sip/compose.ts';
import { fakeRequest, replyHeader, runSip, silentLog } from '../sip/testing.ts';
import { MemoryBindingStore } from '../store/memory-bindings.ts';
import { Registrar, type BindingChange } from './registrar.ts';

const USERS: Record<string, { enabled: boolean; mayRegisterOthers: boolean }> = {
  '1001': { enabled: true, mayRegisterOthers: false },
  '1002': { enabled: true, mayRegisterOthers: false },
  '1003': { enabled: false, mayRegisterOthers: false },
  '1900': { enabled: true, mayRegisterOthers: true },
};

function setup() {
  const clock = new FakeClock();
  clock.advance(1_700_000_000_000);
  const store = new MemoryBindingStore();
  const registrar = new Registrar({
    store, users: { get: (e) => USERS[e] }, domain: 'pbx.test', clock, log: silentLog,
    policy: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600, maxContacts: 5 },
  });
  const changes: BindingChange[] = [];
  registrar.changed.on((c) => changes.push(c));
  const as = (user: string): SipMiddleware => async (c, next) => {
    c.set('authUser', { username: user, realm: 'pbx.test', algorithm: 'MD5' });
    await next();
  };
  let cseq = 0;
  const register = (authUser: string, to: string, headers: Record<string, string> = {}) =>
    runSip([as(authUser), registrar.handle], fakeRequest({ headers: { To: `<sip:${to}@pbx.test>`, CSeq: `${++cseq} REGISTER`, ...headers } }));
  return { clock, store, registrar, changes, register };
}

describe('Registrar', () => {
  it('binds, answers 200 listing every binding with its remaining expiry and a Date, and reports the change', async () => {
    const { register, store, changes, clock } = setup();
    const c = await register('1001', '1001', { Contact: '<sip:1001@192.0.2.1:5060>;q=0.5', Expires: '600' });
    expect(c.res?.status).toBe(200);
    expect(replyHeader(c, 'Contact')).toEqual(['<sip:1001@192.0.2.1:5060>;expires=600;q=0.5']);
    expect(replyHeader(c, 'Date')[0]).toBe(new Date(clock.now()).toUTCString());
    expect(store.list('sip:1001@pbx.test', clock.now())).toHaveLength(1);
    expect(changes.map((x) => [x.aor, x.added.length])).toEqual([['sip:1001@pbx.test', 1]]);
    clock.advance(100_000);
    const fetch = await register('1001', '1001');
    expect(replyHeader(fetch, 'Contact')).toEqual(['<sip:1001@192.0.2.1:5060>;expires=500;q=0.5']);
    expect(changes).toHaveLength(1); // fetching changes nothing
  });

  it('refuses third-party registration unless the user may, before saying whether the AOR exists', async () => {
    const { register, store, clock } = setup();
    expect((await register('1001', '1002', { Contact: '<sip:x@192.0.2.1>' })).res).toMatchObject({ status: 403 });
    expect((await register('1001', '7777', { Contact: '<sip:x@192.0.2.1>' })).res).toMatchObject({ status: 403 });
    expect((await register('1900', '1002', { Contact: '<sip:x@192.0.2.1>' })).res?.status).toBe(200);
    expect(store.all(clock.now()).map((b) => b.aor)).toEqual(['sip:1002@pbx.test']);
  });

  it('answers 404 for an unknown or disabled extension', async () => {
    const { register } = setup();
    expect((await register('1900', '7777', { Contact: '<sip:x@192.0.2.1>' })).res?.status).toBe(404);
    expect((await register('1003', '1003', { Contact: '<sip:x@192.0.2.1>' })).res?.status).toBe(404);
  });

  it('is a 500 (a wiring bug) without authentication in front of it', async () => {
    const { registrar } = setup();
    const c = await runSip([registrar.handle], fakeRequest({ headers: { To: '<sip:1001@pbx.test>', CSeq: '1 REGISTER' } }));
    expect(c.res?.status).toBe(500);
  });

  it('sweeps expired bindings and reports them removed', async () => {
    const { register, registrar, clock, changes, store } = setup();
    await register('1001', '1001', { Contact: '<sip:1001@192.0.2.1>', Expires: '60' });
    await register('1002', '1002', { Contact: '<sip:1002@192.0.2.2>', Expires: '120' });
    clock.advance(60_000);
    expect(store.list('sip:1001@pbx.test', clock.now())).toEqual([]); // gone for lookups at once
    expect(registrar.sweep()).toBe(1);
    expect(changes.at(-1)).toMatchObject({ aor: 'sip:1001@pbx.test', removed: [{ contact: 'sip:1001@192.0.2.1' }] });
    expect(store.all(clock.now()).map((b) => b.aor)).toEqual(['sip:1002@pbx.test']);
  });

  it('answers 500 and changes nothing when the store fails', async () => {
    const { register, store } = setup();
    store.apply = () => {
      throw new Error('disk full');
    };
    expect((await register('1001', '1001', { Contact: '<sip:1001@192.0.2.1>' })).res).toMatchObject({ status: 500 });
  });
});
