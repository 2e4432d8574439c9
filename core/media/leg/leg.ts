// A call leg: one RTP endpoint toward a phone or trunk. It owns the socket pair, the offer/answer
// session, and the receive and send paths; bridges, conferences, players and recorders attach to
// it through taps (decoded audio in), the relay hook (packets in) and the sender (audio out).

import { DtmfDetector } from '../codecs/dtmf/index.ts';
import type { CodecFactory } from '../codec-lookup.ts';
import type { MediaConfig } from '../config.ts';
import type { PortAllocator } from '../rtp/port-allocator.ts';
import { RtpSocket } from '../rtp/rtp-socket.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import type { SdpType } from '../sdp/offer-answer-state.ts';
import { SdpSession, type SdpPolicy } from '../sdp/sdp-session.ts';
import type { Clock } from '../util/clock.ts';
import { Event } from '../util/event.ts';
import { LegDtmfOut, type DtmfMode } from './leg-dtmf-out.ts';
import { LegReceiver } from './leg-receiver.ts';
import { LegSender } from './leg-sender.ts';
import { RtcpReporter } from './rtcp-reporter.ts';
import { RelayGuards } from './relay-guards.ts';
import { LevelGate } from './level-gate.ts';
import { legStats, type LegStats } from './leg-stats.ts';

export type PcmTap = (pcm: Int16Array | null, rate: number) => void;

export interface LegDigit {
  digit: string;
  durationMs: number;
  source: 'rfc4733' | 'inband';
}

/**
 * The media clock's per-tick phases, as a leg uses them: it registers its decode step only while
 * someone consumes its audio and its DTMF output only while digits go out, so an idle relay leg
 * costs nothing per tick. Without it (unit tests) the owner calls tickInput/tickOutput itself.
 */
export interface LegTicks {
  input(fn: () => void): () => void;
  output(fn: () => void): () => void;
}

export interface LegDeps {
  config: MediaConfig;
  clock: Clock;
  allocator: PortAllocator;
  /** Wall clock for RTCP NTP timestamps. */
  wallMs?: () => number;
  ticks?: LegTicks;
}

export interface LegInit {
  id: string;
  callId: string;
  tag?: string;
  policy: SdpPolicy;
  /** Listen for DTMF tones in the audio: 'auto' does so when the remote has no telephone-event. */
  inbandDtmf: 'auto' | 'on' | 'off';
}

export class Leg {
  readonly digit = new Event<[LegDigit]>();
  readonly rtpTimeout = new Event<[number]>();
  readonly mediaChanged = new Event<[NegotiatedMedia]>();
  readonly closed = new Event<[]>();
  readonly sdp: SdpSession;
  readonly sender: LegSender;
  readonly receiver: LegReceiver;
  /** Native relay routes from or to this leg (bridge/fast-relay.ts). */
  readonly relays = new RelayGuards();
  private readonly rtcp: RtcpReporter;
  private readonly dtmfOut: LegDtmfOut;
  private readonly taps = new Set<PcmTap>();
  /** Taps that want this leg's audio only while it is above the talk threshold (see level-gate.ts). */
  private readonly talkTaps = new Set<PcmTap>();
  private readonly gate: LevelGate;
  private detector: DtmfDetector | undefined;
  private detectorRate = 0;
  private readonly inbandMode: LegInit['inbandDtmf'];
  private mediaSinceMs: number;
  private timedOut = false;
  private destroyed = false;
  private offInput: (() => void) | undefined;
  private sendCodec: CodecFactory | undefined;
  private offOutput: (() => void) | undefined;
  policy: SdpPolicy;
  readonly createdMs: number;

  private constructor(
    readonly id: string,
    readonly callId: string,
    readonly tag: string | undefined,
    private readonly socket: RtpSocket,
    private readonly deps: LegDeps,
    init: LegInit,
  ) {
    const cfg = deps.config;
    this.policy = init.policy;
    this.inbandMode = init.inbandDtmf;
    this.createdMs = this.mediaSinceMs = deps.clock.now();
    this.sdp = new SdpSession(cfg.advertiseIp, socket.port, cfg.ptimeMs);
    this.sender = new LegSender(socket, deps.clock, cfg.ptimeMs);
    this.receiver = new LegReceiver(
      { ptimeMs: cfg.ptimeMs, jitterMinMs: cfg.jitterMinMs, jitterMaxMs: cfg.jitterMaxMs },
      { onDigit: (d) => this.onDigit({ ...d, source: 'rfc4733' }) },
    );
    // Outlasts the mixer's hangover (200 ms) plus the deepest jitter buffer, so the gate never cuts a word.
    this.gate = new LevelGate(cfg.talkThresholdDbfs, cfg.jitterMaxMs + 300);
    this.rtcp = new RtcpReporter(socket, this.sender, this.receiver.stats, cfg.rtcpIntervalMs, `${id}@media`);
    this.dtmfOut = new LegDtmfOut(this.sender, cfg.ptimeMs);
    socket.guard = this.relays;
    this.sender.guard = this.relays;
    socket.delegate = {
      onRtp: (buf, off, len) => this.onRtp(buf, off, len),
      onRtcp: (buf, off, len) => this.rtcp.onRtcp(Buffer.from(buf.buffer, buf.byteOffset + off, len), deps.clock.now()),
    };
  }

  static async create(deps: LegDeps, init: LegInit): Promise<Leg> {
    const socket = await RtpSocket.open(deps.allocator, { latching: deps.config.latching, relatchAfterMs: deps.config.relatchAfterMs, clock: deps.clock });
    return new Leg(init.id, init.callId, init.tag, socket, deps, init);
  }

  get port(): number {
    return this.socket.port;
  }

  /** The RTP socket (the native relay routes between two legs' sockets). */
  get rtp(): RtpSocket {
    return this.socket;
  }

  /** The leg's clock (monotonic ms). */
  now(): number {
    return this.deps.clock.now();
  }

  /** RTP arrived by a path that bypassed onRtp (the native relay): the leg is not timed out. */
  markReceived(): void {
    this.timedOut = false;
  }

  get media(): NegotiatedMedia {
    return this.sdp.negotiated;
  }

  get isClosed(): boolean {
    return this.destroyed;
  }

  /** The codec this leg's phone sends and expects; pass-through needs both legs to agree on it. */
  get codec(): CodecFactory | undefined {
    return this.sendCodec;
  }

  // ---- signalling ----

  createOffer(policy: Partial<SdpPolicy> = {}): string {
    this.policy = { ...this.policy, ...policy };
    return this.sdp.createOffer(this.policy);
  }

  /** Apply the remote SDP; returns our answer when it was an offer. */
  applyRemote(sdp: string, type?: SdpType, policy: Partial<SdpPolicy> = {}): string | undefined {
    this.policy = { ...this.policy, ...policy };
    const r = this.sdp.applyRemote(sdp, this.policy, type);
    this.applyMedia();
    return r.answer;
  }

  private applyMedia(): void {
    const m = this.media;
    // Read per listener per tick by the mixer: kept here rather than three objects deep.
    this.sendCodec = m.send?.codec;
    this.socket.setRemote(m.enabled ? m.remote : undefined, m.rtcpPort, m.rtcpMux);
    this.sender.configure(m);
    this.receiver.configure(m);
    // The gate judges the codec the receiver decodes by; updateDetector() below decides whether it applies.
    this.gate.configure(m.send?.codec ?? m.recv[0]?.codec);
    this.mediaSinceMs = this.deps.clock.now();
    this.timedOut = false;
    this.updateDetector();
    this.mediaChanged.emit(m);
  }

  // ---- media in ----

  private onRtp(buf: Uint8Array, off: number, len: number): void {
    this.receiver.onRtp(buf, off, len, this.deps.clock.now());
    this.timedOut = false;
  }

  private onDigit(d: LegDigit): void {
    this.digit.emit(d);
  }

  /**
   * Receive this leg's decoded audio, one ptime per tick (null while nothing arrives). `talkOnly`:
   * the tap needs the audio only while the party talks, so while every consumer says so the leg
   * decodes only around packets above the talk threshold (G.711; other codecs decode all).
   */
  addTap(tap: PcmTap, talkOnly = false): () => void {
    this.taps.add(tap);
    if (talkOnly) this.talkTaps.add(tap);
    this.updateDecoding();
    return () => {
      this.taps.delete(tap);
      this.talkTaps.delete(tap);
      this.updateDecoding();
    };
  }

  /** Gate decoding by level only while every consumer is a talk-only tap. */
  private updateGate(): void {
    const want = this.taps.size > 0 && this.talkTaps.size === this.taps.size && this.detector === undefined && this.gate.judges;
    if (want === (this.receiver.gate !== undefined)) return;
    this.receiver.gate = want ? this.gate : undefined;
    // Whatever was let through or held back so far is not a stream the new mode can continue.
    this.gate.open = false;
    this.receiver.decoder.reset();
  }

  private updateDecoding(): void {
    const on = !this.destroyed && (this.taps.size > 0 || this.detector !== undefined);
    const was = this.receiver.decoding;
    this.receiver.decoding = on;
    this.updateGate();
    if (was !== on) this.relays.refresh();
    const ticks = this.deps.ticks;
    if (!ticks) return;
    if (on && !this.offInput) this.offInput = ticks.input(() => this.tickInput());
    else if (!on && this.offInput) {
      this.offInput();
      this.offInput = undefined;
    }
  }

  get sampleRate(): number {
    return this.receiver.decoder.rate;
  }

  /** (Re)create the in-band detector when wanted, at the rate the leg now decodes at. */
  private updateDetector(): void {
    const want = this.inbandMode === 'on' || (this.inbandMode === 'auto' && this.media.enabled && this.media.recvEventPts.length === 0);
    if (want && (!this.detector || this.detectorRate !== this.sampleRate)) {
      this.detector = new DtmfDetector({ sampleRate: this.sampleRate });
      this.detectorRate = this.sampleRate;
    } else if (!want) this.detector = undefined;
    this.updateDecoding();
  }

  /** Media clock, first phase: decode one ptime and hand it to the taps and the DTMF detector. */
  tickInput(): void {
    if (this.destroyed || !this.receiver.decoding) return;
    const gate = this.receiver.gate;
    if (gate) {
      // A quiet party: nothing was queued, nobody wants its silence.
      if (gate.closeIfQuiet(this.deps.clock.now())) this.receiver.decoder.reset();
      if (!gate.open) return;
    }
    const pcm = this.receiver.decoder.pull();
    const rate = this.sampleRate;
    if (pcm && this.detector) {
      for (const d of this.detector.process(pcm)) if (d.type === 'end') this.onDigit({ digit: d.digit, durationMs: d.durationMs, source: 'inband' });
    }
    for (const tap of this.taps) tap(pcm, rate);
  }

  /** Media clock, every housekeeping turn: stale RFC 4733 events, RTP timeout, RTCP. */
  housekeep(): void {
    if (this.destroyed) return;
    this.relays.sync();
    const now = this.deps.clock.now();
    this.receiver.pollDtmf(now);
    this.checkTimeout(now);
    if (this.rtcp.due(now)) this.rtcp.poll(now, this.deps.wallMs?.() ?? Date.now());
  }

  private checkTimeout(now: number): void {
    const m = this.media;
    if (this.timedOut || !m.enabled) return;
    // A remote that holds us (sendonly from its side means it still sends; recvonly/inactive do not).
    const remoteSends = m.remoteDirection === 'sendrecv' || m.remoteDirection === 'sendonly';
    const limit = remoteSends ? this.deps.config.rtpTimeoutMs : this.deps.config.rtpHoldTimeoutMs;
    if (limit <= 0) return;
    const last = Math.max(this.receiver.lastRtpMs, this.mediaSinceMs);
    if (now - last >= limit) {
      this.timedOut = true;
      this.rtpTimeout.emit(now - last);
    }
  }

  // ---- media out ----

  sendDigits(digits: string, durationMs: number, gapMs: number, mode?: DtmfMode): Promise<void> {
    const done = this.dtmfOut.send(digits, durationMs, gapMs, mode);
    if (this.deps.ticks && !this.offOutput) this.offOutput = this.deps.ticks.output(() => this.tickOutput());
    return done;
  }

  /** Media clock, last phase: DTMF output. */
  tickOutput(): void {
    if (!this.destroyed && this.dtmfOut.active) this.dtmfOut.tick();
    if (this.offOutput && (this.destroyed || !this.dtmfOut.active)) {
      this.offOutput();
      this.offOutput = undefined;
    }
  }

  stats(): LegStats {
    this.relays.sync();
    return legStats(this, this.socket, this.rtcp.remote, this.deps.clock.now());
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.dtmfOut.cancel();
    this.taps.clear();
    this.updateDecoding();
    this.offOutput?.();
    this.offOutput = undefined;
    this.receiver.close();
    this.sender.close();
    this.socket.close();
    this.closed.emit();
    this.digit.clear();
    this.rtpTimeout.clear();
    this.mediaChanged.clear();
  }
}
