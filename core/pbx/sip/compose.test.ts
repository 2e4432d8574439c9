// The SIP middleware onion: order, early answers, errors as replies.
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../sip/util/logger.ts';
import type { SipMiddleware } from './compose.ts';
import { SipError } from './sip-error.ts';
import { requireSupported } from './require.ts';
import { requestView, srfHeaders } from './srf-adapter.ts';
import type { SrfRequest } from '../srf-types.ts';
import { fakeRequest, runSip } from './testing.ts';

describe('compose / runChain', () => {
  it('runs middleware in order around the handler', async () => {
    const order: string[] = [];
    const mw = (name: string): SipMiddleware => async (_c, next) => {
      order.push(`${name} in`);
      await next();
      order.push(`${name} out`);
    };
    const c = await runSip([mw('a'), mw('b'), (c) => void c.reply(200)], fakeRequest());
    expect(order).toEqual(['a in', 'b in', 'b out', 'a out']);
    expect(c.res?.status).toBe(200);
  });

  it('turns a SipError into the reply, with its headers', async () => {
    const c = await runSip([() => { throw new SipError(423, 'Interval Too Brief', { 'Min-Expires': '60' }); }], fakeRequest());
    expect(c.res).toEqual({ status: 423, reason: 'Interval Too Brief', headers: { 'Min-Expires': '60' } });
  });

  it('answers 500 and logs once for a bug, and for a chain nobody answered', async () => {
    const errors: string[] = [];
    const log: Logger = { debugEnabled: false, debug() {}, info() {}, notice() {}, warn() {}, error: (m) => errors.push(m) };
    expect((await runSip([() => { throw new TypeError('boom'); }], fakeRequest(), log)).res?.status).toBe(500);
    expect((await runSip([async (_c, next) => next()], fakeRequest(), log)).res?.status).toBe(500);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('boom');
  });

  it('refuses next() called twice', async () => {
    const c = await runSip([async (_c, next) => { await next(); await next(); }, (c) => void c.reply(200)], fakeRequest());
    expect(c.res?.status).toBe(500);
  });
});

describe('srfHeaders', () => {
  it('writes a list as repeated lines and strips line breaks from values', () => {
    expect(srfHeaders({ 'WWW-Authenticate': ['Digest a', 'Digest b'], X: 'one\r\nInjected: yes' })).toEqual({
      'WWW-Authenticate': 'Digest a\r\nWWW-Authenticate: Digest b',
      X: 'one Injected: yes',
    });
    expect(srfHeaders({ Contact: [] })).toEqual({});
  });
});

describe('requestView', () => {
  const base = { method: 'REGISTER', uri: 'sip:pbx.test', source_address: '192.0.2.1', source_port: 5062, protocol: 'udp', has: () => false };
  it('reads what srf parsed, by any case of the name, as srf’s get() would (the first of two spellings wins)', () => {
    const calls: string[] = [];
    const req = {
      ...base,
      get: (n: string) => void calls.push(n),
      msg: { headers: { 'call-id': 'abc', authorization: 'Digest a=1,Digest b=2', 'X-Tag': 'one', 'x-tag': 'two' } },
    } as unknown as SrfRequest;
    const v = requestView(req);
    expect([v.callId, v.get('AUTHORIZATION'), v.get('x-TAG'), v.get('Contact')]).toEqual(['abc', 'Digest a=1,Digest b=2', 'one', undefined]);
    expect(v.source).toEqual({ address: '192.0.2.1', port: 5062, transport: 'udp' });
    expect(calls).toEqual([]); // srf's get() was not needed
  });
  it('asks srf when it has no parsed headers to read', () => {
    const req = { ...base, get: (n: string) => (n === 'Call-ID' ? 'from-srf' : undefined) } as unknown as SrfRequest;
    expect(requestView(req).callId).toBe('from-srf');
  });
});

describe('requireSupported', () => {
  it('answers 420 with Unsupported naming what is missing, and passes what it knows', async () => {
    const ok = (c: Parameters<SipMiddleware>[0]) => void c.reply(200);
    const mw = requireSupported(['path']);
    const bad = await runSip([mw, ok], fakeRequest({ headers: { Require: 'Path, outbound, gruu' } }));
    expect(bad.res).toEqual({ status: 420, reason: 'Bad Extension', headers: { Unsupported: 'outbound, gruu' } });
    expect((await runSip([mw, ok], fakeRequest({ headers: { Require: 'path' } }))).res?.status).toBe(200);
    expect((await runSip([mw, ok], fakeRequest())).res?.status).toBe(200);
  });
});
