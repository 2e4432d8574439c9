// LocationService lookups (order, NAT next hop) and OPTIONS keep-alives, on a fake clock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { silentLog } from '../sip/testing.ts';
import { MemoryBindingStore } from '../store/memory-bindings.ts';
import { binding } from '../store/testing.ts';
import { OptionsKeepalive } from './keepalive.ts';
import { LocationService } from './location-service.ts';
import { isBehindNat, nextHopFor } from './nat.ts';

const AOR = 'sip:1001@pbx.test';

function setup() {
  const clock = new FakeClock();
  clock.advance(5000);
  const store = new MemoryBindingStore();
  const sent: { uri: string; nextHop: string | undefined }[] = [];
  let answer: number | Error = 200;
  const keepalive = new OptionsKeepalive({
    store, clock, log: silentLog, intervalMs: 30_000, natOnly: false,
    send: async (t) => {
      sent.push(t);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  const location = new LocationService({ store, domain: 'pbx.test', clock, reachability: keepalive });
  return { clock, store, location, keepalive, sent, setAnswer: (a: number | Error) => void (answer = a) };
}

describe('nat', () => {
  const src = (address: string, port: number, transport = 'udp') => ({ address, port, transport });
  it('sees NAT when the contact host or (UDP) port differs from the source, or the host is a name', () => {
    expect(isBehindNat({ contact: 'sip:a@192.0.2.1:5060', source: src('192.0.2.1', 5060) })).toBe(false);
    expect(isBehindNat({ contact: 'sip:a@192.0.2.1', source: src('192.0.2.1', 5060) })).toBe(false);
    expect(isBehindNat({ contact: 'sip:a@10.0.0.5:5060', source: src('198.51.100.9', 5060) })).toBe(true);
    expect(isBehindNat({ contact: 'sip:a@192.0.2.1:5060', source: src('192.0.2.1', 40000) })).toBe(true);
    expect(isBehindNat({ contact: 'sip:a@192.0.2.1:5060;transport=tcp', source: src('192.0.2.1', 40000, 'tcp') })).toBe(false);
    expect(isBehindNat({ contact: 'sip:a@df7jal23ls0d.invalid;transport=ws', source: src('192.0.2.1', 40000, 'ws') })).toBe(true);
    expect(isBehindNat({ contact: 'sip:a@[2001:db8::1]:5060', source: src('2001:db8::1', 5060) })).toBe(false);
  });

  it('routes UDP phones behind NAT to their source, and leaves stream transports to the engine', () => {
    expect(nextHopFor({ contact: 'sip:a@10.0.0.5:5060', source: src('198.51.100.9', 40123) })).toBe('sip:198.51.100.9:40123;transport=udp');
    expect(nextHopFor({ contact: 'sip:a@10.0.0.5:5060', source: src('2001:db8::9', 40123) })).toBe('sip:[2001:db8::9]:40123;transport=udp');
    expect(nextHopFor({ contact: 'sip:a@192.0.2.1:5060', source: src('192.0.2.1', 5060) })).toBeUndefined();
    expect(nextHopFor({ contact: 'sip:a@10.0.0.5;transport=tcp', source: src('198.51.100.9', 40123, 'tcp') })).toBeUndefined();
  });
});

describe('LocationService', () => {
  it('resolves sip:EXT@any-host and EXT to the AOR, highest q first, then the newest', async () => {
    const { store, location } = setup();
    store.apply(AOR, {
      upsert: [
        binding({ key: 'a', contact: 'sip:a@192.0.2.1', q: null, registeredAt: 1000 }),
        binding({ key: 'b', contact: 'sip:b@192.0.2.2', q: 0.5, registeredAt: 3000 }),
        binding({ key: 'c', contact: 'sip:c@192.0.2.3', q: null, registeredAt: 2000 }),
      ],
      remove: [],
    });
    const list = await location.lookup('sip:1001@10.1.2.3:5060');
    expect(list.map((c) => [c.uri, c.q])).toEqual([['sip:c@192.0.2.3', 1], ['sip:a@192.0.2.1', 1], ['sip:b@192.0.2.2', 0.5]]);
    expect((await location.lookup('1001')).length).toBe(3);
    expect(await location.lookup('sip:2002@pbx.test')).toEqual([]);
    expect(await location.lookup('sip:pbx.test')).toEqual([]);
    expect(location.aorOf('"Ann" <sip:1001@x;transport=tcp>')).toBe(AOR);
  });

  it('leaves out expired contacts and gives the NAT next hop', async () => {
    const { store, location, clock } = setup();
    store.apply(AOR, {
      upsert: [
        binding({ key: 'nat', contact: 'sip:a@10.0.0.5:5060', source: { address: '127.0.0.1', port: 40000, transport: 'udp' }, expiresAt: 60_000 }),
        binding({ key: 'old', contact: 'sip:b@192.0.2.2', expiresAt: 5000 }),
      ],
      remove: [],
    });
    const [c, ...rest] = await location.lookup(AOR);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ behindNat: true, nextHop: 'sip:127.0.0.1:40000;transport=udp', reachable: undefined });
    clock.advance(55_000);
    expect(await location.lookup(AOR)).toEqual([]);
  });
});

describe('OptionsKeepalive', () => {
  it('pings UDP contacts (at their NAT source) every interval and records reachability', async () => {
    const { store, location, keepalive, sent, clock, setAnswer } = setup();
    store.apply(AOR, {
      upsert: [
        binding({ key: 'nat', contact: 'sip:a@10.0.0.5:5060', source: { address: '198.51.100.1', port: 40000, transport: 'udp' }, expiresAt: 1e12 }),
        binding({ key: 'tcp', contact: 'sip:b@192.0.2.2;transport=tcp', source: { address: '192.0.2.2', port: 50000, transport: 'tcp' }, expiresAt: 1e12 }),
      ],
      remove: [],
    });
    keepalive.start();
    clock.advance(29_999);
    expect(sent).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    expect(sent).toEqual([{ uri: 'sip:a@10.0.0.5:5060', nextHop: 'sip:198.51.100.1:40000;transport=udp' }]);
    await keepalive.tick();
    expect((await location.lookup(AOR)).find((c) => c.uri.includes('10.0.0.5'))?.reachable).toBe(true);
    setAnswer(408);
    await keepalive.tick();
    expect(keepalive.reachable(AOR, 'nat')).toBe(false);
    setAnswer(405); // any answer from the phone means it is there
    await keepalive.tick();
    expect(keepalive.reachable(AOR, 'nat')).toBe(true);
    setAnswer(new Error('not connected'));
    await keepalive.tick();
    expect(keepalive.reachable(AOR, 'nat')).toBe(true); // says nothing about the phone
    keepalive.stop();
    const before = sent.length;
    clock.advance(120_000);
    expect(sent.length).toBe(before);
  });

  it('only pings contacts behind NAT with natOnly, and never two at once to one contact', async () => {
    const clock = new FakeClock();
    const store = new MemoryBindingStore();
    let release: (n: number) => void = () => {};
    const sent: string[] = [];
    const k = new OptionsKeepalive({
      store, clock, log: silentLog, intervalMs: 1000, natOnly: true,
      send: (t) => {
        sent.push(t.uri);
        return new Promise((r) => (release = r));
      },
    });
    store.apply(AOR, {
      upsert: [
        binding({ key: 'direct', contact: 'sip:a@192.0.2.1:5060', source: { address: '192.0.2.1', port: 5060, transport: 'udp' } }),
        binding({ key: 'nat', contact: 'sip:b@10.0.0.5:5060', source: { address: '192.0.2.9', port: 7000, transport: 'udp' } }),
      ],
      remove: [],
    });
    const first = k.tick();
    void k.tick();
    expect(sent).toEqual(['sip:b@10.0.0.5:5060']);
    release(200);
    await first;
    expect(k.reachable(AOR, 'nat')).toBe(true);
  });
});
