// Everything the SIP engine can be told; defaults follow drachtio-server and RFC 3261.
import type { ListenSpec } from '../transport/transport-layer.ts';
import type { TimerConfig } from '../transaction/transaction.ts';
import type { LogLevel } from '../util/logger.ts';

export interface EngineConfig {
  listen: ListenSpec[];
  admin: { address: string; port: number; secret: string };
  timers: TimerConfig & { timerD: number; timerC: number };
  maxUdpBytes: number;
  maxTcpBytes: number;
  tcpIdleTimeoutMs: number;
  /** Next hop for every new out-of-dialog request when set (`sip:host:port`). */
  outboundProxy?: string;
  userAgent?: string;
  logLevel: LogLevel;
  /** Engine timers share wake-ups within this many ms (they fire up to this late, never early). */
  timerResolutionMs: number;
  /** Longest wait (ms) for frames to an app to share one socket write. */
  appWriteCoalesceMs: number;
  /**
   * Let V8 scavenge (minor GC) with helper threads. Off by default: the engine shares a few
   * cores with its app and media, and on a busy 2-core machine a parallel scavenge waits for
   * helpers that cannot run: pauses of 15 ms on average and over 100 ms, against 4 and 13 ms
   * single-threaded, measured at 1000 calls/s. A pause over T1 triggers retransmissions. This
   * sets a process-wide V8 flag when the engine starts.
   */
  parallelScavenge: boolean;
  /**
   * UDP socket layer: 'dgram' (Node's, one callback and one syscall per datagram) or 'native'
   * (the media addon's batched recvmmsg reader, core/sip/transport/native-udp-transport.ts).
   * 'native' falls back to dgram, with one warning, when the addon is not built or cannot serve
   * a listen address. The default can be overridden with PBX_SIP_UDP_IO=native|dgram.
   * Default 'native': about 10 % less engine CPU per call and per REGISTER (bench/sip-bench.ts
   * --udp-io, 1500 calls/s alternated: 376/367 µs against 407/413 µs with dgram; PBX REGISTER with
   * digest at 2000/s: 260 against 290 µs). Its sockets ask for the same 4 MiB kernel buffers as
   * dgram's: with the kernel default (~208 KiB) bursts during engine pauses were dropped.
   */
  udpIo: 'native' | 'dgram';
}

/** PBX_SIP_UDP_IO picks the default UDP layer (benches and test runs switch it this way). */
function udpIoDefault(): 'native' | 'dgram' {
  return process.env.PBX_SIP_UDP_IO === 'dgram' ? 'dgram' : 'native';
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  listen: [{ address: '127.0.0.1', port: 5060, protocols: ['udp', 'tcp'] }],
  admin: { address: '127.0.0.1', port: 9022, secret: 'cymru' },
  timers: { t1: 500, t2: 4000, t4: 5000, timerD: 32_000, timerC: 185_000 },
  maxUdpBytes: 65_535,
  maxTcpBytes: 1024 * 1024,
  tcpIdleTimeoutMs: 10 * 60_000,
  logLevel: 'notice',
  timerResolutionMs: 10,
  appWriteCoalesceMs: 1,
  parallelScavenge: false,
  udpIo: udpIoDefault(),
};
