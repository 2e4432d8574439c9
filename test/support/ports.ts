// Free-port allocation for tests that bind real sockets (sipp peers, the engine, media).
//
// A port is "free" when we could bind it ourselves a moment ago and then released it. That is
// inherently racy, so we shrink the race as far as is cheap:
//   * ports come from 20000 up to just below the kernel's ephemeral range (read from
//     /proc/sys/net/ipv4/ip_local_port_range, 32768 by default), so an outgoing connection made
//     by someone else cannot grab the port between our probe and the real bind;
//   * that range is cut into slices, one per vitest worker (VITEST_POOL_ID), and each worker
//     draws at random inside its own slice, so two parallel workers never hand out the same port;
//   * inside one process a port is never handed out twice.
// Only loopback hosts are accepted: these helpers exist for loopback-only tests.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, isIPv4, isIPv6, type Server } from 'node:net';

export type PortProto = 'udp' | 'tcp' | 'both';

const RANGE_LOW = 20000;
const DEFAULT_RANGE_HIGH = 32767;
const SLICES = 8;
const MAX_ATTEMPTS = 200;

const handedOut = new Set<number>();

/** True for 127.0.0.0/8 and ::1 literals (hostnames are not accepted). */
export function isLoopbackAddress(host: string): boolean {
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) {
    const h = host.toLowerCase();
    return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  }
  return false;
}

function assertLoopback(host: string): void {
  if (!isLoopbackAddress(host)) {
    throw new Error(`refusing to bind non-loopback address ${JSON.stringify(host)}`);
  }
}

function rangeHigh(): number {
  try {
    const text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const low = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
    if (Number.isInteger(low) && low > RANGE_LOW + 2000) return Math.min(low - 1, 59999);
  } catch {
    // not Linux, or /proc not mounted: fall back to the usual default
  }
  return DEFAULT_RANGE_HIGH;
}

/** [low, high] slice of the port range reserved for this vitest worker. */
function workerSlice(): [number, number] {
  const high = rangeHigh();
  const poolId = Number.parseInt(process.env['VITEST_POOL_ID'] ?? '', 10);
  if (!Number.isInteger(poolId) || poolId < 1) return [RANGE_LOW, high];
  const size = Math.floor((high - RANGE_LOW + 1) / SLICES);
  const index = (poolId - 1) % SLICES;
  const low = RANGE_LOW + index * size;
  return [low, low + size - 1];
}

function bindUdp(host: string, port: number): Promise<UdpSocket | null> {
  return new Promise((resolve) => {
    const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    const onError = (): void => {
      try {
        sock.close();
      } catch {
        // already closed by the failed bind
      }
      resolve(null);
    };
    sock.once('error', onError);
    sock.bind({ address: host, port, exclusive: true }, () => {
      sock.off('error', onError);
      resolve(sock);
    });
  });
}

function bindTcp(host: string, port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    const onError = (): void => {
      server.close();
      resolve(null);
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

function closeUdp(sock: UdpSocket): Promise<void> {
  return new Promise((resolve) => sock.close(() => resolve()));
}

function closeTcp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Bind every port of [start, start+count) for the requested protocols, then release them all. */
async function probeBlock(proto: PortProto, host: string, start: number, count: number): Promise<boolean> {
  const udp: UdpSocket[] = [];
  const tcp: Server[] = [];
  let ok = true;
  try {
    for (let port = start; port < start + count && ok; port++) {
      if (proto === 'udp' || proto === 'both') {
        const s = await bindUdp(host, port);
        if (s) udp.push(s);
        else ok = false;
      }
      if (ok && (proto === 'tcp' || proto === 'both')) {
        const s = await bindTcp(host, port);
        if (s) tcp.push(s);
        else ok = false;
      }
    }
  } finally {
    await Promise.all([...udp.map(closeUdp), ...tcp.map(closeTcp)]);
  }
  return ok;
}

/**
 * First port of a block of `count` consecutive ports that are all free for `proto` on `host`
 * (e.g. a media port whose RTP/RTCP neighbours are free too). With `even`, the block starts on
 * an even port, as RTP wants.
 */
export async function freePortBlock(
  count: number,
  proto: PortProto = 'udp',
  host = '127.0.0.1',
  opts: { even?: boolean } = {},
): Promise<number> {
  assertLoopback(host);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error(`bad block size ${count}`);
  const [low, high] = workerSlice();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let start = low + Math.floor(Math.random() * (high - low + 1 - count));
    if (opts.even && start % 2 === 1) start -= 1;
    if (start < low) continue;
    let taken = false;
    for (let p = start; p < start + count; p++) if (handedOut.has(p)) taken = true;
    if (taken) continue;
    if (await probeBlock(proto, host, start, count)) {
      for (let p = start; p < start + count; p++) handedOut.add(p);
      return start;
    }
  }
  throw new Error(`no free ${proto} port block of ${count} on ${host} after ${MAX_ATTEMPTS} attempts`);
}

/** Local ports of every socket in the kernel's tables (/proc/net/*), or null without /proc. */
function portsInUse(): Set<number> | null {
  const used = new Set<number>();
  let readAny = false;
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    readAny = true;
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.slice(local.lastIndexOf(':') + 1);
      if (hex) used.add(Number.parseInt(hex, 16));
    }
  }
  return readAny ? used : null;
}

/**
 * Synchronous variant for callers that cannot await: a block of `count` ports (even start if
 * asked) that no socket of any protocol or address uses according to /proc/net, drawn like
 * freePortBlock(). Without /proc it is only "not handed out before" — prefer freePort().
 */
export function freePortBlockSync(count: number, host = '127.0.0.1', opts: { even?: boolean } = {}): number {
  assertLoopback(host);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error(`bad block size ${count}`);
  const [low, high] = workerSlice();
  const used = portsInUse() ?? new Set<number>();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let start = low + Math.floor(Math.random() * (high - low + 1 - count));
    if (opts.even && start % 2 === 1) start -= 1;
    if (start < low) continue;
    let taken = false;
    for (let p = start; p < start + count; p++) if (handedOut.has(p) || used.has(p)) taken = true;
    if (taken) continue;
    for (let p = start; p < start + count; p++) handedOut.add(p);
    return start;
  }
  throw new Error(`no free port block of ${count} on ${host} after ${MAX_ATTEMPTS} attempts`);
}

/** Synchronous freePort(): unused by any socket per /proc/net, never handed out twice. */
export function freePortSync(host = '127.0.0.1'): number {
  return freePortBlockSync(1, host);
}

/**
 * A port that was free on `host` for UDP, TCP, or both ('both' binds both and releases them).
 * Never returns the same port twice in one process; parallel vitest workers draw from
 * disjoint slices.
 */
export function freePort(proto: PortProto = 'both', host = '127.0.0.1'): Promise<number> {
  return freePortBlock(1, proto, host);
}
