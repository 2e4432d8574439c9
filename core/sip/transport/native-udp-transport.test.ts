// Loopback exchange through the native UDP transport: messages, keep-alives, the oversize flag
// and the source endpoint, against a plain dgram peer.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { isNativeAvailable } from '../../media/native/index.ts';
import { NativeUdpTransport } from './native-udp-transport.ts';
import { TransportLayer } from './transport-layer.ts';
import type { Inbound } from './transport.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function peer(type: 'udp4' | 'udp6', address: string): Promise<{ sock: dgram.Socket; port: number; next(): Promise<Buffer> }> {
  const sock = dgram.createSocket(type);
  const queue: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  sock.on('message', (m) => (waiters.length ? waiters.shift()!(m) : queue.push(m)));
  await new Promise<void>((r) => sock.bind(0, address, r));
  closers.push(() => new Promise<void>((r) => sock.close(() => r())));
  const next = (): Promise<Buffer> =>
    queue.length ? Promise.resolve(queue.shift()!) : new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no datagram within 2 s')), 2000);
      waiters.push((b) => (clearTimeout(t), resolve(b)));
    });
  return { sock, port: sock.address().port, next };
}

async function transport(address: string, maxBytes = 65_535) {
  const got: Inbound[] = [];
  const waiters: (() => void)[] = [];
  const t = new NativeUdpTransport(address, 0, { onMessage: (m) => (got.push(m), waiters.shift()?.()) }, maxBytes);
  await t.listen();
  closers.push(() => t.close());
  const next = async (): Promise<Inbound> => {
    if (!got.length) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 2 s')), 2000);
        waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return got.shift()!;
  };
  return { t, got, next };
}

const send = (s: dgram.Socket, data: Buffer | string, port: number, address: string) =>
  new Promise<void>((r, j) => s.send(data, port, address, (e) => (e ? j(e) : r())));

describe.skipIf(!isNativeAvailable())('NativeUdpTransport (loopback)', () => {
  it('receives with source and local endpoints, copies each datagram, and sends back', async () => {
    const { t, next } = await transport('127.0.0.1');
    expect(t.port).toBeGreaterThan(0);
    const p = await peer('udp4', '127.0.0.1');
    await send(p.sock, 'OPTIONS sip:a@b SIP/2.0\r\n\r\n', t.port, '127.0.0.1');
    await send(p.sock, 'second', t.port, '127.0.0.1');
    const m1 = await next();
    const m2 = await next();
    // Both still hold their own bytes after later batches reused the slot area.
    expect(m1.data.toString()).toBe('OPTIONS sip:a@b SIP/2.0\r\n\r\n');
    expect(m2.data.toString()).toBe('second');
    expect(m1.source).toEqual({ protocol: 'udp', address: '127.0.0.1', port: p.port });
    expect(m1.local).toEqual({ address: '127.0.0.1', port: t.port });
    expect(m1.oversize).toBeUndefined();
    t.send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), '127.0.0.1', p.port);
    expect((await p.next()).toString()).toBe('SIP/2.0 200 OK\r\n\r\n');
  });

  it('answers a double-CRLF keep-alive with one CRLF and passes neither up', async () => {
    const { t, got, next } = await transport('127.0.0.1');
    const p = await peer('udp4', '127.0.0.1');
    await send(p.sock, '\r\n\r\n', t.port, '127.0.0.1');
    expect((await p.next()).toString()).toBe('\r\n');
    await send(p.sock, '\r\n', t.port, '127.0.0.1');
    await send(p.sock, 'after', t.port, '127.0.0.1');
    expect((await next()).data.toString()).toBe('after');
    expect(got).toHaveLength(0);
  });

  it('flags datagrams over maxBytes and delivers a whole 65,507-byte datagram untruncated', async () => {
    const { t, next } = await transport('127.0.0.1', 1500);
    const p = await peer('udp4', '127.0.0.1');
    p.sock.setSendBufferSize(256 * 1024);
    await send(p.sock, Buffer.alloc(1500, 0x41), t.port, '127.0.0.1');
    expect((await next()).oversize).toBeUndefined();
    const big = Buffer.alloc(65_507, 0x42);
    await send(p.sock, big, t.port, '127.0.0.1');
    const m = await next();
    expect(m.oversize).toBe(true);
    expect(m.data.equals(big)).toBe(true);
    expect(t.counters().truncated).toBe(0);
  });

  it('binds IPv6 loopback and reports v6 sources', async () => {
    let p: Awaited<ReturnType<typeof peer>>;
    try {
      p = await peer('udp6', '::1');
    } catch {
      return; // no IPv6 on this host
    }
    const { t, next } = await transport('::1');
    await send(p.sock, 'v6', t.port, '::1');
    const m = await next();
    expect(m.source).toEqual({ protocol: 'udp', address: '::1', port: p.port });
    t.send(Buffer.from('back'), '::1', p.port);
    expect((await p.next()).toString()).toBe('back');
  });

  it('rejects a port in use with the bind error code, and ignores sends after close', async () => {
    const { t } = await transport('127.0.0.1');
    const other = new NativeUdpTransport('127.0.0.1', t.port, { onMessage: () => {} }, 65_535);
    await expect(other.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await t.close();
    expect(() => t.send(Buffer.from('late'), '127.0.0.1', 9)).not.toThrow();
  });

  it('is what the transport layer builds for udpIo native; names fall back to dgram with one warning', async () => {
    const warnings: string[] = [];
    const layer = new TransportLayer(
      {
        listen: [
          { address: '127.0.0.1', port: 0, protocols: ['udp'] },
          { address: 'localhost', port: 0, protocols: ['udp'] },
        ],
        maxUdpBytes: 65_535,
        maxTcpBytes: 1 << 20,
        tcpIdleTimeoutMs: 60_000,
        udpIo: 'native',
        warn: (m) => warnings.push(m),
      },
      { onMessage: () => {} },
    );
    await layer.start();
    closers.push(() => layer.stop());
    const udp = (layer as unknown as { udp: object[] }).udp;
    expect(udp[0]).toBeInstanceOf(NativeUdpTransport);
    expect(udp[1]).not.toBeInstanceOf(NativeUdpTransport);
    expect(warnings).toHaveLength(1);
  });
});
