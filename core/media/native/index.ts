// Loader and types for our N-API addon (binding.gyp, src/*.cc). It is loaded lazily, on the first codec or
// native UDP layer that needs it; without the build the media server relays G.711 over Node's dgram.
// Every native method takes preallocated typed arrays and returns a length; see src/*.cc for the contracts.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Run from the repository root. Needs the Debian -dev packages listed in README.md. */
export const NATIVE_BUILD_COMMAND = 'npx node-gyp rebuild --directory core/media/native';

export const NATIVE_ADDON_PATH = fileURLToPath(new URL('./build/Release/media_native.node', import.meta.url));

export type OpusApplication = 'voip' | 'audio' | 'lowdelay';

/** Common to every native object: close() frees the C state now instead of at garbage collection. */
export interface NativeHandle {
  reset(): void;
  close(): void;
}

export interface NativeOpusEncoder extends NativeHandle {
  /** One frame (2.5–60 ms, interleaved) → bytes written to out. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** -1 = OPUS_AUTO. */
  setBitrate(bps: number): void;
  setComplexity(complexity: number): void;
  setInbandFec(enabled: boolean): void;
  setPacketLossPercent(percent: number): void;
  setDtx(enabled: boolean): void;
}

export interface NativeOpusDecoder extends NativeHandle {
  /** null payload = PLC for out.length samples; fec = rebuild the previous lost frame. Returns samples per channel, -1 if corrupt. */
  decode(payload: Uint8Array | null, out: Int16Array, fec?: boolean): number;
  packetSamples(payload: Uint8Array): number;
}

export interface NativeEncoder extends NativeHandle {
  encode(pcm: Int16Array, out: Uint8Array): number;
}

export interface NativeDecoder extends NativeHandle {
  /** Samples written, -1 for a malformed payload. */
  decode(payload: Uint8Array, out: Int16Array): number;
}

export interface NativeG729Decoder extends NativeHandle {
  /** null payload conceals out.length / 80 frames. */
  decode(payload: Uint8Array | null, out: Int16Array): number;
}

export interface NativeResampler extends NativeHandle {
  /** Samples written to output; throws if output is too small to take all of input. */
  process(input: Int16Array, output: Int16Array): number;
  inputLatency(): number;
  outputLatency(): number;
}

/** Counters of a UdpIo since it was created. */
export interface UdpIoCounters {
  wakeups: number;
  batches: number;
  received: number;
  truncated: number;
  sent: number;
  sendErrors: number;
  open: number;
  sendThread: boolean;
  /** Datagrams relayed by a native route without reaching JavaScript. */
  relayed?: number;
  /** With a send thread: datagrams handed to it, its wakeups, and sends it could not take (ring full). */
  queued?: number;
  sendThreadWakeups?: number;
  queueFull?: number;
}

/**
 * UDP sockets in one epoll set, read in batches (src/udp-io.cc). Each batch is written into `data` (one
 * `slotBytes` slot per datagram) and described in `meta`, 4 words per datagram: socket id, offset in data,
 * length, flags (bit 0: it came from the socket's peer). Then `onBatch(count)` runs once; the bytes and
 * `sourceAddress/sourcePort(i)` are valid only until it returns.
 */
export interface NativeUdpIo {
  /** Bind a UDP socket; its id (>= 0), or -errno (e.g. -98 EADDRINUSE). `bufferBytes`: kernel receive and send buffer to ask for. */
  open(ip: string, port: number, bufferBytes?: number): number;
  closeSocket(id: number): void;
  /** The bound port (what port 0 became), or -1. */
  localPort(id: number): number;
  /** Where send() goes, and which source is flagged "from peer"; port 0 clears. False if the address is bad. */
  setPeer(id: number, address: string, port: number): boolean;
  /** Bytes sent, or -errno. */
  send(id: number, data: Uint8Array, offset: number, length: number): number;
  sendTo(id: number, data: Uint8Array, offset: number, length: number, address: string, port: number): number;
  sourceAddress(index: number): string | undefined;
  sourcePort(index: number): number | undefined;
  counters(): UdpIoCounters;
  /**
   * The native relay routes (src/relay-route.h, rtp/relay-record.ts): one record of doubles and one
   * 128-byte payload-type map per socket id. Called again with bigger arrays as socket ids grow.
   */
  setRelayTable(records: Float64Array, ptMaps: Uint8Array): void;
  /**
   * One payload (data[offset, offset+length)) to the peers of `count` sockets, each behind its own 12-byte
   * RTP header (heads[12*i, 12*i+12)); failed[i] = 1 where a datagram did not go out. Returns the failures.
   */
  sendShared(ids: Int32Array, heads: Uint8Array, count: number, data: Uint8Array, offset: number, length: number, failed: Uint8Array): number;
  /** The monotonic clock (ms) the native relay stamps packets with. */
  hrtimeMs(): number;
  /** Close every socket and stop watching them. */
  close(): void;
}

export interface MediaNative {
  OpusEncoder: new (sampleRate: number, channels: number, application?: OpusApplication) => NativeOpusEncoder;
  OpusDecoder: new (sampleRate: number, channels: number) => NativeOpusDecoder;
  G722Encoder: new () => NativeEncoder;
  G722Decoder: new () => NativeDecoder;
  GsmEncoder: new () => NativeEncoder;
  GsmDecoder: new () => NativeDecoder;
  Resampler: new (channels: number, inRate: number, outRate: number, quality: number) => NativeResampler;
  /** sendThread: hand sendto() calls to a second thread (send-thread.h); send() then returns once queued. */
  UdpIo: new (data: Uint8Array, meta: Int32Array, slotBytes: number, onBatch: (count: number) => void, sendThread?: boolean) => NativeUdpIo;
  /** Present only in a build made with PBX_WITH_G729=1 (GPL, see README.md). */
  G729Encoder?: new () => NativeEncoder;
  G729Decoder?: new () => NativeG729Decoder;
  features: { g729: boolean; opusVersion: string };
}

export class NativeAddonError extends Error {
  override readonly name = 'NativeAddonError';
}

let loaded: MediaNative | undefined;

/** The addon, loaded once per process (or worker). Throws NativeAddonError with the build command if absent. */
export function loadNative(): MediaNative {
  if (loaded) return loaded;
  if (!existsSync(NATIVE_ADDON_PATH)) {
    throw new NativeAddonError(
      `media native addon not built: ${NATIVE_ADDON_PATH} is missing. Build it from the repository root with ` +
        `\`${NATIVE_BUILD_COMMAND}\` (needs: apt-get install libopus-dev libspandsp-dev libgsm1-dev libspeexdsp-dev; ` +
        `see core/media/native/README.md).`,
    );
  }
  const require = createRequire(import.meta.url);
  try {
    loaded = require(NATIVE_ADDON_PATH) as MediaNative;
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    throw new NativeAddonError(
      `media native addon failed to load (${msg}); rebuild it with \`${NATIVE_BUILD_COMMAND}\``,
      { cause },
    );
  }
  return loaded;
}

/** True when the addon is built and loads; never throws. */
export function isNativeAvailable(): boolean {
  try {
    loadNative();
    return true;
  } catch {
    return false;
  }
}
