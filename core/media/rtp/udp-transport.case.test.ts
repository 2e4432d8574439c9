// One suite for every UdpTransport (STYLE practice 11): real sockets on loopback, a plain dgram
// socket as the far end. What the RTP path relies on: bytes and source of each datagram, the
// from-peer flag, sends to the peer and to an explicit address, a taken port, close.

import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/harness.ts';
import { DgramUdpTransport } from './dgram-udp.ts';
import { NativeUdpTransport } from './native-udp.ts';
import type { UdpPort, UdpTransport } from './udp-transport.ts';

interface Got {
  bytes: Buffer;
  fromPeer: boolean;
  source: { address: string; port: number };
}

function far(): Promise<dgram.Socket> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}

function collect(port: UdpPort): Got[] {
  const got: Got[] = [];
  port.onDatagram = (data, off, len, fromPeer) => {
    // Copy inside the call: the bytes are lent.
    const src = port.source();
    got.push({ bytes: Buffer.from(data.subarray(off, off + len)), fromPeer, source: { address: src.address, port: src.port } });
  };
  return got;
}

const cases: [string, () => UdpTransport][] = [
  ['dgram', () => new DgramUdpTransport()],
  ['native', () => new NativeUdpTransport()],
  ['native, send thread', () => new NativeUdpTransport({ sendThread: true })],
];

describe.each(cases)('UdpTransport (%s)', (_name, make) => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  async function setup(): Promise<{ t: UdpTransport; port: UdpPort; peer: dgram.Socket }> {
    const t = make();
    const port = (await t.bind('127.0.0.1', 0))!;
    const peer = await far();
    cleanup.push(() => {
      port.close();
      t.close();
      peer.close();
    });
    return { t, port, peer };
  }

  it('hands over each datagram with its source, flagged from-peer only once the peer is set', async () => {
    const { port, peer } = await setup();
    const got = collect(port);
    expect(port.port).toBeGreaterThan(0);
    peer.send(Buffer.from('one'), port.port, '127.0.0.1');
    await waitFor(() => got.length === 1);
    const me = { address: '127.0.0.1', port: peer.address().port };
    expect(got[0]).toEqual({ bytes: Buffer.from('one'), fromPeer: false, source: me });
    port.setPeer(me);
    peer.send(Buffer.from('two'), port.port, '127.0.0.1');
    await waitFor(() => got.length === 2);
    expect(got[1]!.fromPeer).toBe(true);
    port.setPeer({ address: '127.0.0.1', port: me.port + 1 });
    peer.send(Buffer.from('three'), port.port, '127.0.0.1');
    await waitFor(() => got.length === 3);
    expect(got[2]!.fromPeer).toBe(false);
  });

  it('sends a slice of a buffer to the peer, and to an explicit address', async () => {
    const { port, peer } = await setup();
    const other = await far();
    cleanup.push(() => other.close());
    const heard: string[] = [];
    peer.on('message', (m) => heard.push(`peer:${m.toString()}`));
    other.on('message', (m) => heard.push(`other:${m.toString()}`));
    const area = Buffer.from('xxhelloyyworldzz');
    expect(port.send(area, 2, 5)).toBe(false); // no peer yet
    port.setPeer({ address: '127.0.0.1', port: peer.address().port });
    expect(port.send(area, 2, 5)).toBe(true);
    expect(port.sendTo(area, 9, 5, { address: '127.0.0.1', port: other.address().port })).toBe(true);
    await waitFor(() => heard.length === 2);
    expect(heard.sort()).toEqual(['other:world', 'peer:hello']);
    port.setPeer(undefined);
    expect(port.send(area, 2, 5)).toBe(false);
  });

  it('keeps each datagram apart when many arrive on many sockets at once', async () => {
    const t = make();
    const ports = await Promise.all(Array.from({ length: 20 }, () => t.bind('127.0.0.1', 0).then((p) => p!)));
    const peer = await far();
    cleanup.push(() => {
      for (const p of ports) p.close();
      t.close();
      peer.close();
    });
    const seen = new Map<number, number[]>();
    for (const p of ports) {
      seen.set(p.port, []);
      p.onDatagram = (data, off, len) => {
        // Every byte of the datagram carries its index; a mix-up between slots would show as -1.
        const idx = data[off]!;
        let same = len === 172;
        for (let i = 0; i < len; i++) same &&= data[off + i] === idx;
        seen.get(p.port)!.push(same ? idx : -1);
      };
    }
    for (let i = 0; i < 200; i++) peer.send(Buffer.alloc(172, i), ports[i % 20]!.port, '127.0.0.1');
    await waitFor(() => [...seen.values()].reduce((n, a) => n + a.length, 0) === 200);
    ports.forEach((p, k) => expect(seen.get(p.port)).toEqual(Array.from({ length: 10 }, (_, j) => j * 20 + k)));
  });

  it('refuses a port that is taken, and stops delivering once closed', async () => {
    const { t, port, peer } = await setup();
    expect(await t.bind('127.0.0.1', port.port)).toBeUndefined();
    const got = collect(port);
    port.close();
    const again = await t.bind('127.0.0.1', port.port);
    expect(again).toBeDefined();
    const got2 = collect(again!);
    cleanup.push(() => again!.close());
    peer.send(Buffer.from('late'), port.port, '127.0.0.1');
    await waitFor(() => got2.length === 1);
    expect(got).toHaveLength(0);
  });
});

describe('NativeUdpTransport', () => {
  it('drops a datagram too big for its slot and counts it, without disturbing the next one', async () => {
    const t = new NativeUdpTransport();
    const port = (await t.bind('127.0.0.1', 0))!;
    const peer = await far();
    try {
      const got = collect(port);
      peer.send(Buffer.alloc(3000, 1), port.port, '127.0.0.1');
      peer.send(Buffer.from('small'), port.port, '127.0.0.1');
      await waitFor(() => got.length === 1);
      expect(got[0]!.bytes.toString()).toBe('small');
      expect(t.counters().truncated).toBe(1);
    } finally {
      port.close();
      t.close();
      peer.close();
    }
  });

  it('with a send thread, a socket closed right after sending still sends what it queued, then frees its port', async () => {
    const t = new NativeUdpTransport({ sendThread: true });
    const port = (await t.bind('127.0.0.1', 0))!;
    const peer = await far();
    try {
      let heard = 0;
      peer.on('message', () => heard++);
      port.setPeer({ address: '127.0.0.1', port: peer.address().port });
      const pkt = Buffer.alloc(172, 7);
      // Queued now, handed to the thread only when the event loop next goes idle: after close().
      for (let i = 0; i < 100; i++) expect(port.send(pkt, 0, pkt.length)).toBe(true);
      port.close();
      await waitFor(() => heard === 100);
      await waitFor(() => t.counters().sent === 100);
      // The fd is closed once the thread is past those datagrams: then the port can be bound again.
      let again: UdpPort | undefined;
      for (let i = 0; i < 100 && !again; i++) {
        again = await t.bind('127.0.0.1', port.port);
        if (!again) await new Promise((r) => setTimeout(r, 10));
      }
      expect(again).toBeDefined();
      again!.close();
    } finally {
      t.close();
      peer.close();
    }
  });

  it('binds IPv6 loopback and reports v6 sources', async () => {
    const t = new NativeUdpTransport();
    const port = (await t.bind('::1', 0))!;
    const peer = dgram.createSocket('udp6');
    await new Promise<void>((r) => peer.bind(0, '::1', () => r()));
    try {
      const got = collect(port);
      port.setPeer({ address: '::1', port: peer.address().port });
      peer.send(Buffer.from('v6'), port.port, '::1');
      await waitFor(() => got.length === 1);
      expect(got[0]).toEqual({ bytes: Buffer.from('v6'), fromPeer: true, source: { address: '::1', port: peer.address().port } });
    } finally {
      port.close();
      t.close();
      peer.close();
    }
  });
});
