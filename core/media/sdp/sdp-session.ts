// One leg's side of offer/answer: the RFC 3264 state, our current plan, the remote description, and
// the NegotiatedMedia that follows from both. It produces our SDP text and never touches sockets.

import { parse, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { CodecFactory } from '../codec-lookup.ts';
import { notAcceptable, conflict } from '../util/media-error.ts';
import type { Direction } from './direction.ts';
import { answerDirection } from './direction.ts';
import { chooseFromOffer, planAnswer, planOffer, type LocalPlan } from './local-plan.ts';
import { negotiate, remoteDirection } from './negotiate.ts';
import { noMedia, type NegotiatedMedia } from './negotiated-media.ts';
import { nextOfferAnswerState, OfferAnswerState, type SdpOp, type SdpType } from './offer-answer-state.ts';
import { payloadsOf } from './payloads.ts';
import { writeSdp, type RejectedLine } from './sdp-writer.ts';

export interface SdpPolicy {
  /** Codecs we may use, in our order of preference. */
  codecs: readonly CodecFactory[];
  /** Offer and accept RFC 4733 telephone-event. */
  dtmf: boolean;
  /** Our wish: sendrecv normally, sendonly/inactive when we hold the remote. */
  direction: Direction;
  /** In an answer, pick by our preference order instead of the offerer's. */
  preferLocal: boolean;
}

export interface RemoteResult {
  type: SdpType;
  /** Our answer when the remote SDP was an offer. */
  answer?: string;
}

export class SdpSession {
  state = OfferAnswerState.Stable;
  negotiated: NegotiatedMedia = noMedia;
  private plan: LocalPlan | undefined;
  private version = 0;
  private lastBody = '';
  private readonly sessionId = String(Math.floor(Math.random() * 1e12));
  private audioIndex = 0;
  private rejected: RejectedLine[] = [];

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly ptimeMs: number,
  ) {}

  private move(op: SdpOp, type: SdpType): void {
    const t = nextOfferAnswerState(this.state, op, type);
    if (!t.ok) throw conflict(t.error);
    this.state = t.state;
  }

  /** Our new offer (initial, or a re-INVITE such as hold). */
  createOffer(policy: SdpPolicy): string {
    const t = nextOfferAnswerState(this.state, 'setLocal', 'offer');
    if (!t.ok) throw conflict(t.error);
    if (!policy.codecs.length) throw notAcceptable('no codecs to offer');
    const current = this.negotiated.send?.codec;
    const ordered = current && policy.codecs.includes(current) ? [current, ...policy.codecs.filter((c) => c !== current)] : policy.codecs;
    this.plan = planOffer(ordered, policy.dtmf, policy.direction);
    this.state = t.state;
    return this.render();
  }

  /** Apply the remote SDP; the type is inferred from the state unless given (e.g. a 183's pranswer). */
  applyRemote(sdp: string, policy: SdpPolicy, type?: SdpType): RemoteResult {
    const expectAnswer = this.state === OfferAnswerState.HaveLocalOffer || this.state === OfferAnswerState.HaveRemotePranswer;
    const t: SdpType = type ?? (expectAnswer ? 'answer' : 'offer');
    const desc = parseSdp(sdp);
    if (t === 'offer') return { type: t, answer: this.answerOffer(desc, policy) };
    const audio = desc.media[this.audioIndex];
    if (!audio || audio.type !== 'audio') throw notAcceptable('answer has no audio stream where we offered one');
    if (!this.plan) throw conflict('answer without an offer');
    this.move('setRemote', t);
    this.negotiated = negotiate(this.plan, audio, desc);
    return { type: t };
  }

  private answerOffer(desc: SessionDescription, policy: SdpPolicy): string {
    this.move('setRemote', 'offer');
    const index = desc.media.findIndex((m) => m.type === 'audio' && m.port !== 0 && m.protocol.toUpperCase().startsWith('RTP/AVP'));
    const anyAudio = index >= 0 ? index : desc.media.findIndex((m) => m.type === 'audio');
    if (anyAudio < 0) {
      this.state = OfferAnswerState.Stable;
      throw notAcceptable('offer has no audio stream');
    }
    const audio = desc.media[anyAudio]!;
    this.audioIndex = anyAudio;
    this.rejected = desc.media.filter((_, i) => i !== anyAudio).map(rejectedLine);
    const offered = payloadsOf(audio);
    const dir = answerDirection(remoteDirection(audio, desc), policy.direction);
    const choice = chooseFromOffer(offered, policy.codecs, policy.preferLocal, this.negotiated.send?.codec);
    const initial = this.plan === undefined;
    if (audio.port === 0 || !choice) {
      if (!choice && audio.port !== 0 && initial) {
        // An initial offer we cannot take at all is a 488, not a rejected stream.
        this.state = OfferAnswerState.Stable;
        throw notAcceptable(`no common codec in offer (${offered.map((p) => p.name).join(', ') || 'none'})`);
      }
      this.plan = { payloads: offered.slice(0, 1), direction: dir, rtcpMux: false, disabled: true };
    } else {
      this.plan = planAnswer(offered, choice, policy.dtmf, dir, audio.rtcpMux === 'rtcp-mux');
    }
    this.negotiated = negotiate(this.plan, audio, desc);
    this.move('setLocal', 'answer');
    return this.render();
  }

  private render(): string {
    if (!this.plan) throw conflict('nothing to describe');
    const id = { sessionId: this.sessionId, version: this.version, address: this.address, port: this.port };
    let text = writeSdp(id, this.plan, this.ptimeMs, this.audioIndex, this.rejected);
    const body = text.slice(text.indexOf('s='));
    // RFC 3264 §8: the version goes up by one for each changed description, and only then.
    if (body !== this.lastBody && this.lastBody !== '') {
      this.version++;
      text = writeSdp({ ...id, version: this.version }, this.plan, this.ptimeMs, this.audioIndex, this.rejected);
    }
    this.lastBody = body;
    return text;
  }
}

function rejectedLine(m: MediaDescription): RejectedLine {
  return { type: m.type, protocol: m.protocol, payloads: String(m.payloads ?? '0') };
}

function parseSdp(sdp: string): SessionDescription {
  if (!/^v=0/m.test(sdp)) throw notAcceptable('not an SDP body');
  let desc: SessionDescription;
  try {
    desc = parse(sdp);
  } catch (err) {
    throw notAcceptable(`unparsable SDP: ${(err as Error).message}`);
  }
  if (!Array.isArray(desc.media) || desc.media.length === 0) throw notAcceptable('SDP has no media');
  return desc;
}
