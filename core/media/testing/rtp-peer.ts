// A scriptable RTP endpoint for tests: writes an SDP, sends paced packets (audio frames or
// RFC 4733 events), and keeps what it receives for analysis. It can send from a second socket
// (a NAT rewriting the source port) to exercise latching.

import dgram from 'node:dgram';
import { parse } from 'sdp-transform';
import { rfc4733 } from '../codecs/dtmf/index.ts';
import type { CodecFactory } from '../codec-lookup.ts';
import { decodeRtpHeader, encodeInto, encodedSize, RtpHeader } from '../rtp/rtp-packet.ts';

export interface PeerPayload {
  pt: number;
  name: string;
  rate: number;
  channels?: number;
  fmtp?: string;
}

export interface Received {
  pt: number;
  seq: number;
  ts: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
  from: number;
}

function bindSocket(ip: string): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    s.once('error', reject);
    s.bind(0, ip, () => resolve(s));
  });
}

export class RtpPeer {
  readonly received: Received[] = [];
  private remote: { address: string; port: number } | undefined;
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 1e9);
  ssrc = Math.floor(Math.random() * 0xffffffff) >>> 0;
  private readonly header = new RtpHeader();

  private constructor(
    readonly ip: string,
    private readonly socket: dgram.Socket,
    /** When set, packets are sent from here instead (a NAT-mapped port). */
    private readonly natSocket: dgram.Socket | undefined,
  ) {
    for (const s of [socket, natSocket]) {
      s?.on('message', (buf) => {
        if (!decodeRtpHeader(buf, buf.length, this.header)) return;
        const h = this.header;
        this.received.push({ pt: h.payloadType, seq: h.sequenceNumber, ts: h.timestamp, ssrc: h.ssrc, marker: h.marker, payload: Buffer.from(buf.subarray(h.headerLength, h.headerLength + h.payloadLength)), from: s.address().port });
      });
    }
  }

  static async open(opts: { ip?: string; natPort?: boolean } = {}): Promise<RtpPeer> {
    const ip = opts.ip ?? '127.0.0.1';
    return new RtpPeer(ip, await bindSocket(ip), opts.natPort ? await bindSocket(ip) : undefined);
  }

  /** The port our SDP advertises. */
  get port(): number {
    return this.socket.address().port;
  }

  get sendPort(): number {
    return (this.natSocket ?? this.socket).address().port;
  }

  sdp(payloads: readonly PeerPayload[], direction = 'sendrecv'): string {
    const lines = ['v=0', `o=peer 1 1 IN IP4 ${this.ip}`, 's=-', `c=IN IP4 ${this.ip}`, 't=0 0', `m=audio ${this.port} RTP/AVP ${payloads.map((p) => p.pt).join(' ')}`];
    for (const p of payloads) {
      lines.push(`a=rtpmap:${p.pt} ${p.name}/${p.rate}${p.channels ? `/${p.channels}` : ''}`);
      if (p.fmtp) lines.push(`a=fmtp:${p.pt} ${p.fmtp}`);
    }
    lines.push(`a=${direction}`, 'a=ptime:20');
    return lines.join('\r\n') + '\r\n';
  }

  /** Take the media server's SDP: where to send, and which payload type it uses for `name`. */
  useRemote(sdp: string): { port: number; pt: (name: string) => number | undefined } {
    const d = parse(sdp);
    const m = d.media[0]!;
    const address = m.connection?.ip ?? d.connection!.ip;
    this.remote = { address, port: m.port };
    return { port: m.port, pt: (name) => m.rtp.find((r) => r.codec.toLowerCase() === name.toLowerCase())?.payload };
  }

  /** Start a new stream (new SSRC, sequence and timestamp base), as a phone does after a re-INVITE. */
  restartStream(ssrc: number, seq: number): void {
    this.ssrc = ssrc >>> 0;
    this.seq = seq & 0xffff;
    this.ts = Math.floor(Math.random() * 1e9);
  }

  sendPacket(pt: number, payload: Uint8Array, opts: { marker?: boolean; ts?: number; advance?: number } = {}): void {
    if (!this.remote) throw new Error('no remote');
    const buf = Buffer.alloc(encodedSize(payload.length));
    encodeInto(buf, 0, { marker: opts.marker ?? false, payloadType: pt, sequenceNumber: this.seq, timestamp: (opts.ts ?? this.ts) >>> 0, ssrc: this.ssrc }, payload);
    this.seq = (this.seq + 1) & 0xffff;
    if (opts.advance) this.ts = (this.ts + opts.advance) >>> 0;
    (this.natSocket ?? this.socket).send(buf, this.remote.port, this.remote.address);
  }

  /** Encode `pcm` with `codec` and send it as 20 ms packets in real time. */
  async streamPcm(pcm: Int16Array, codec: CodecFactory, pt: number): Promise<void> {
    const enc = codec.createEncoder();
    const n = Math.round(codec.info.sampleRate / 50);
    const ticks = Math.round(codec.info.clockRate / 50);
    const frames: Buffer[] = [];
    for (let off = 0; off + n <= pcm.length; off += n) frames.push(enc.encode(pcm.subarray(off, off + n)));
    enc.close?.();
    await this.pace(frames.length, (i) => this.sendPacket(pt, frames[i]!, { advance: ticks, marker: i === 0 }));
  }

  /** Send RFC 4733 events for `digits` (durationMs each, gapMs apart) in real time. */
  async streamDigits(digits: string, pt: number, durationMs = 100, gapMs = 60, clockRate = 8000): Promise<void> {
    const steps: (() => void)[] = [];
    const payload = Buffer.alloc(4);
    for (const d of digits) {
      const event = rfc4733.digitToEvent(d)!;
      const frames = durationMs / 20;
      let start = 0;
      for (let i = 1; i <= frames; i++) {
        const last = i === frames;
        steps.push(() => {
          if (i === 1) start = this.ts;
          rfc4733.encodeInto({ event, end: last, volume: 10, duration: (i * 20 * clockRate) / 1000 }, payload, 0);
          for (let k = 0; k < (last ? 3 : 1); k++) this.sendPacket(pt, payload, { ts: start, marker: i === 1 });
          this.ts = (this.ts + (20 * clockRate) / 1000) >>> 0;
        });
      }
      for (let g = 0; g < gapMs / 20; g++) steps.push(() => (this.ts = (this.ts + (20 * clockRate) / 1000) >>> 0));
    }
    await this.pace(steps.length, (i) => steps[i]!());
  }

  private pace(count: number, fn: (i: number) => void): Promise<void> {
    return new Promise((resolve) => {
      let i = 0;
      const start = performance.now();
      const step = (): void => {
        // Catch up by wall time so timer slack does not slow the stream down.
        const due = Math.min(count, Math.floor((performance.now() - start) / 20) + 1);
        while (i < due) fn(i++);
        if (i >= count) resolve();
        else setTimeout(step, 20 - ((performance.now() - start) % 20));
      };
      step();
    });
  }

  /** Received payloads of type `pt` decoded with `codec`, in sequence order (gaps are not filled). */
  decode(codec: CodecFactory, pt: number): Int16Array {
    const dec = codec.createDecoder();
    const pkts = this.received.filter((r) => r.pt === pt).sort((a, b) => ((a.seq - b.seq + 0x18000) % 0x10000) - 0x8000);
    const parts = pkts.map((r) => dec.decode(r.payload));
    dec.close?.();
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }

  /** Digits from received telephone-event packets (first End packet per timestamp). */
  receivedDigits(pt: number, clockRate = 8000): { digit: string; durationMs: number }[] {
    const seen = new Set<number>();
    const out: { digit: string; durationMs: number }[] = [];
    for (const r of this.received) {
      if (r.pt !== pt || seen.has(r.ts)) continue;
      const e = rfc4733.decode(r.payload);
      if (!e.ok || !e.value.end) continue;
      seen.add(r.ts);
      out.push({ digit: rfc4733.eventToDigit(e.value.event) ?? '?', durationMs: (e.value.duration * 1000) / clockRate });
    }
    return out;
  }

  close(): void {
    this.socket.close();
    this.natSocket?.close();
  }
}
