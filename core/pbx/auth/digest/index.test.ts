// digestAuth() as middleware: challenge, accept, refuse, stale, replay, and the proxy variant.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../test/support/fake-clock.ts';
import { authorize, readChallenges } from '../../../../test/support/digest-client.ts';
import type { SipMiddleware } from '../../sip/compose.ts';
import { fakeRequest, replyHeader, runSip, silentLog } from '../../sip/testing.ts';
import { FailureThrottle } from '../throttle/index.ts';
import { ha1, type DigestHash } from './algorithms.ts';
import { digestAuth, NonceService } from './index.ts';

const REALM = 'pbx.test';
const PASSWORDS: Record<string, string> = { '1001': 'secret-1001', '1002': 'secret-1002' };

function setup(opts: { proxy?: boolean; algorithms?: DigestHash[] } = {}) {
  const clock = new FakeClock();
  clock.advance(5_000_000);
  const nonces = new NonceService({ clock, ttlMs: 30_000, maxTracked: 100 });
  const throttle = new FailureThrottle({ clock, log: silentLog, maxFailures: 3, windowMs: 60_000, blockMs: 300_000, maxTracked: 100 });
  const users = { ha1: (u: string, r: string, h: DigestHash) => (PASSWORDS[u] && r === REALM ? ha1(h, u, r, PASSWORDS[u]!) : undefined) };
  const seen: string[] = [];
  const handler: SipMiddleware = (c) => {
    seen.push(c.get('authUser')!.username);
    c.reply(200);
  };
  const chain = [digestAuth({ realm: REALM, users, nonces, throttle, proxy: opts.proxy, algorithms: opts.algorithms ?? ['MD5', 'SHA-256'], log: silentLog }), handler];
  const header = opts.proxy ? 'Proxy-Authorization' : 'Authorization';
  const challengeHeader = opts.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  /** One request carrying `auth` (if any); returns the reply and its challenges. */
  const send = async (auth?: string, method = 'REGISTER') => {
    const c = await runSip(chain, fakeRequest({ method, headers: auth ? { [header]: auth } : {} }));
    return { status: c.res!.status, challenges: readChallenges(replyHeader(c, challengeHeader)) };
  };
  const login = async (user: string, password: string, o: { algorithm?: string; nc?: number } = {}) => {
    const first = await send();
    const ch = first.challenges.find((c) => c.algorithm === (o.algorithm ?? 'MD5'))!;
    return { ch, ...(await send(authorize(ch, { method: 'REGISTER', uri: 'sip:pbx.test', username: user, password, nc: o.nc }))) };
  };
  return { clock, nonces, throttle, send, login, seen };
}

describe('digestAuth', () => {
  it('challenges a request without credentials: 401, one challenge per algorithm, same nonce', async () => {
    const { send, throttle } = setup();
    const r = await send();
    expect(r.status).toBe(401);
    expect(r.challenges.map((c) => c.algorithm)).toEqual(['MD5', 'SHA-256']);
    expect(new Set(r.challenges.map((c) => c.nonce)).size).toBe(1);
    expect(r.challenges[0]).toMatchObject({ realm: REALM, qop: 'auth', stale: false });
    expect(throttle.tracked).toBe(0); // the normal first request is not a failure
  });

  it.each(['MD5', 'SHA-256'])('lets the right %s credential through with the user set', async (algorithm) => {
    const { login, seen } = setup();
    const r = await login('1001', 'secret-1001', { algorithm });
    expect(r.status).toBe(200);
    expect(seen).toEqual(['1001']);
  });

  it('answers a wrong password and an unknown user alike: 401 again, counted, handler not run', async () => {
    const { login, seen, throttle } = setup();
    expect((await login('1001', 'wrong')).status).toBe(401);
    expect((await login('9999', 'whatever')).status).toBe(401);
    expect(seen).toEqual([]);
    expect(throttle.tracked).toBe(1);
  });

  it('says stale=true to the right password with an expired nonce', async () => {
    const { send, clock, seen } = setup();
    const ch = (await send()).challenges[0]!;
    clock.advance(30_001);
    const r = await send(authorize(ch, { method: 'REGISTER', uri: 'sip:pbx.test', username: '1001', password: 'secret-1001' }));
    expect(r.status).toBe(401);
    expect(r.challenges.every((c) => c.stale)).toBe(true);
    expect(seen).toEqual([]);
  });

  it('refuses a replayed nonce count with stale=true, accepts the next count', async () => {
    const { send, seen } = setup();
    const ch = (await send()).challenges[0]!;
    const cred = (nc: number) => authorize(ch, { method: 'REGISTER', uri: 'sip:pbx.test', username: '1001', password: 'secret-1001', nc, cnonce: 'c' });
    expect((await send(cred(1))).status).toBe(200);
    const replay = await send(cred(1));
    expect(replay.status).toBe(401);
    expect(replay.challenges[0]!.stale).toBe(true);
    expect((await send(cred(2))).status).toBe(200);
    expect(seen).toEqual(['1001', '1001']);
  });

  it('checks the digest against the request method', async () => {
    const { send } = setup();
    const ch = (await send()).challenges[0]!;
    const cred = authorize(ch, { method: 'INVITE', uri: 'sip:pbx.test', username: '1001', password: 'secret-1001' });
    expect((await send(cred, 'REGISTER')).status).toBe(401);
  });

  it('challenges again for another realm, an algorithm it did not offer, or qop=auth-int', async () => {
    const { send, throttle } = setup({ algorithms: ['SHA-256'] });
    const ch = (await send()).challenges[0]!;
    const base = { method: 'REGISTER', uri: 'sip:pbx.test', username: '1001', password: 'secret-1001' };
    expect((await send(authorize({ ...ch, realm: 'elsewhere' }, base))).status).toBe(401);
    expect((await send(authorize({ ...ch, algorithm: 'MD5' }, base))).status).toBe(401);
    expect((await send(authorize(ch, { ...base, override: { qop: 'auth-int' } }))).status).toBe(401);
    expect(throttle.tracked).toBe(0);
  });

  it('answers 400 to a credential missing its response or with a bad nc', async () => {
    const { send } = setup();
    const ch = (await send()).challenges[0]!;
    expect((await send(`Digest username="1001", realm="${REALM}", nonce="${ch.nonce}", uri="sip:x"`)).status).toBe(400);
    const badNc = authorize(ch, { method: 'REGISTER', uri: 'sip:x', username: '1001', password: 'secret-1001', override: { nc: '12' } });
    expect((await send(badNc)).status).toBe(400);
  });

  it('accepts an RFC 2069 response (no qop) once', async () => {
    const { send } = setup();
    const ch = (await send()).challenges[0]!;
    const cred = authorize(ch, { method: 'REGISTER', uri: 'sip:x', username: '1002', password: 'secret-1002', noQop: true });
    expect((await send(cred)).status).toBe(200);
    expect((await send(cred)).status).toBe(401);
  });

  it('uses 407 and Proxy-Authenticate/Proxy-Authorization in proxy mode', async () => {
    const { send, seen } = setup({ proxy: true });
    const first = await send(undefined, 'INVITE');
    expect(first.status).toBe(407);
    const cred = authorize(first.challenges[1]!, { method: 'INVITE', uri: 'sip:1002@pbx.test', username: '1001', password: 'secret-1001' });
    expect((await send(cred, 'INVITE')).status).toBe(200);
    expect(seen).toEqual(['1001']);
  });
});
