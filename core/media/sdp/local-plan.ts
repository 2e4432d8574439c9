// What we put in our own SDP: payload types for an offer, or the codec picked from an offer for
// an answer (one audio codec plus telephone-event, so the remote cannot switch codecs under us
// and pass-through stays possible).

import { sdpChannels, type CodecFactory } from '../codec-lookup.ts';
import { codecFor, isTelephoneEvent, TELEPHONE_EVENT, type SdpPayload } from './payloads.ts';
import type { Direction } from './direction.ts';

export interface LocalPayload extends SdpPayload {
  codec?: CodecFactory;
}

export interface LocalPlan {
  payloads: LocalPayload[];
  direction: Direction;
  rtcpMux: boolean;
  /** Port 0: the stream is rejected or disabled. */
  disabled: boolean;
}

function fromCodec(pt: number, codec: CodecFactory): LocalPayload {
  const p: LocalPayload = { pt, name: codec.info.name, clockRate: codec.info.clockRate, channels: sdpChannels(codec.info), codec };
  if (codec.info.fmtp) p.fmtp = codec.info.fmtp;
  return p;
}

export function planOffer(codecs: readonly CodecFactory[], dtmf: boolean, direction: Direction): LocalPlan {
  const used = new Set<number>();
  const payloads: LocalPayload[] = [];
  let dyn = 96;
  const nextDynamic = (prefer?: number): number => {
    if (prefer !== undefined && !used.has(prefer)) return prefer;
    while (used.has(dyn)) dyn++;
    return dyn;
  };
  for (const c of codecs) {
    const stat = c.info.payloadType;
    const pt = stat !== undefined && stat < 96 ? stat : nextDynamic(stat);
    used.add(pt);
    payloads.push(fromCodec(pt, c));
  }
  if (dtmf) {
    const rates = [...new Set(codecs.map((c) => c.info.clockRate))];
    for (const rate of rates) {
      const pt = nextDynamic(rate === 8000 ? 101 : undefined);
      used.add(pt);
      payloads.push({ pt, name: TELEPHONE_EVENT, clockRate: rate, channels: 1, fmtp: '0-16' });
    }
  }
  return { payloads, direction, rtcpMux: false, disabled: false };
}

export interface AnswerChoice {
  codec: CodecFactory;
  payload: SdpPayload;
}

/** Pick the codec to answer with: offer order, or ours when `preferLocal`. */
export function chooseFromOffer(
  offered: readonly SdpPayload[],
  allowed: readonly CodecFactory[],
  preferLocal: boolean,
  current?: CodecFactory,
): AnswerChoice | undefined {
  const candidates = offered.flatMap((p) => {
    const codec = isTelephoneEvent(p) ? undefined : codecFor(p, allowed);
    return codec ? [{ codec, payload: p }] : [];
  });
  // Keep the codec in use across a re-offer: a switch would break pass-through and reset decoders.
  const keep = current && candidates.find((c) => c.codec === current);
  if (keep) return keep;
  if (preferLocal) {
    for (const codec of allowed) {
      const hit = candidates.find((c) => c.codec === codec);
      if (hit) return hit;
    }
  }
  return candidates[0];
}

export function planAnswer(offered: readonly SdpPayload[], choice: AnswerChoice, dtmf: boolean, direction: Direction, rtcpMux: boolean): LocalPlan {
  const main = fromCodec(choice.payload.pt, choice.codec);
  if (choice.payload.fmtp !== undefined && main.fmtp === undefined) main.fmtp = choice.payload.fmtp;
  const payloads: LocalPayload[] = [main];
  if (dtmf) {
    const events = offered.filter(isTelephoneEvent);
    const te = events.find((e) => e.clockRate === choice.codec.info.clockRate) ?? events[0];
    if (te) payloads.push({ ...te });
  }
  return { payloads, direction, rtcpMux, disabled: false };
}
