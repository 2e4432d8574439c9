// Starts a SIP engine on free loopback ports with fast timers and connects drachtio-srf apps to it.
import Srf from 'drachtio-srf';
import { SipEngine, type EngineStats } from '../../core/sip/engine/engine.ts';
import type { EngineConfig } from '../../core/sip/engine/engine-config.ts';
import type { Clock } from '../../core/sip/util/clock.ts';
import type { Protocol } from '../../core/sip/transport/transport.ts';
import { freePort } from './ports.ts';

/** Short RFC timers so transactions linger ~2.5 s instead of 32 s; ratios stay as in RFC 3261. */
export const FAST_TIMERS = { t1: 40, t2: 320, t4: 200, timerD: 200, timerC: 20_000 };

export interface EngineHarness {
  engine: SipEngine;
  sipPort: number;
  adminPort: number;
  secret: string;
  /** `127.0.0.1:port` of the engine's SIP listener. */
  hostport: string;
  stop(): Promise<void>;
}

export async function startEngine(
  opts: { protocols?: Protocol[]; clock?: Clock; config?: Partial<EngineConfig>; address?: string } = {},
): Promise<EngineHarness> {
  const address = opts.address ?? '127.0.0.1';
  const sipPort = await freePort('both', address);
  const adminPort = await freePort('tcp');
  const secret = 'test-secret';
  const engine = new SipEngine(
    {
      listen: [{ address, port: sipPort, protocols: opts.protocols ?? ['udp', 'tcp'] }],
      admin: { address: '127.0.0.1', port: adminPort, secret },
      timers: FAST_TIMERS,
      logLevel: process.env.PBX_TEST_LOG === 'debug' ? 'debug' : 'error',
      ...opts.config,
    },
    opts.clock,
  );
  await engine.start();
  const host = address.includes(':') ? `[${address}]` : address;
  return { engine, sipPort, adminPort, secret, hostport: `${host}:${sipPort}`, stop: () => engine.stop() };
}

// drachtio-srf ships no types of its own that fit ESM default import well; tests use it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SrfApp = any;

export async function connectSrf(h: EngineHarness): Promise<SrfApp> {
  const SrfCtor = Srf as unknown as new () => SrfApp;
  const srf = new SrfCtor();
  srf.connect({ host: '127.0.0.1', port: h.adminPort, secret: h.secret });
  try {
    await new Promise<void>((resolve, reject) => {
      srf.once('connect', (err: Error | null) => (err ? reject(err) : resolve()));
      srf.once('error', reject);
    });
  } catch (err) {
    disconnectSrf(srf);
    throw err;
  }
  return srf;
}

export function disconnectSrf(srf: SrfApp): void {
  srf.removeAllListeners('error');
  srf.on('error', () => {});
  srf.disconnect();
}

const isIdle = (s: EngineStats, withConnections: boolean) =>
  s.transactions === 0 && s.dialogs === 0 && s.pendingIncoming === 0 && s.pendingOutgoing === 0 && s.proxies === 0 &&
  (!withConnections || s.connections === 0);

/**
 * For afterEach: once the test's peers are gone, the engine must drain to zero transactions,
 * dialogs, pending requests, proxies and connections; then it is stopped. Throws (failing the
 * test) if anything leaked. `advance` drives a fake clock while waiting.
 */
export async function stopWhenIdle(h: EngineHarness | undefined, advance?: (ms: number) => void): Promise<void> {
  if (!h) return;
  const deadline = Date.now() + 8000;
  let s = h.engine.stats();
  while (!isIdle(s, true) && Date.now() < deadline) {
    advance?.(200);
    await new Promise((r) => setTimeout(r, 25));
    s = h.engine.stats();
  }
  await h.stop();
  if (!isIdle(s, true)) throw new Error(`engine did not return to idle: ${JSON.stringify({ ...s, counters: undefined })}`);
}

/** Waits (bounded) until no transactions, dialogs, pending requests or proxies are left. */
export async function waitIdle(h: EngineHarness, timeoutMs = 8000): Promise<EngineStats> {
  const deadline = Date.now() + timeoutMs;
  let s = h.engine.stats();
  while (Date.now() < deadline) {
    s = h.engine.stats();
    if (isIdle(s, false)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  return s;
}

export const SDP = (port = 6000, direction = 'sendrecv') =>
  ['v=0', `o=- 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', `a=${direction}`, ''].join('\r\n');
