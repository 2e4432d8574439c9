// RFC 3264 offer/answer as a pure transition function (the shape of pion's signalingstate.go).
// SIP adds provisional answers (an SDP in a 183) which behave like WebRTC's pranswer.

export enum OfferAnswerState {
  Stable = 'stable',
  HaveLocalOffer = 'have-local-offer',
  HaveRemoteOffer = 'have-remote-offer',
  HaveRemotePranswer = 'have-remote-pranswer',
  HaveLocalPranswer = 'have-local-pranswer',
}

export type SdpOp = 'setLocal' | 'setRemote';
export type SdpType = 'offer' | 'answer' | 'pranswer';

export type Transition = { ok: true; state: OfferAnswerState } | { ok: false; error: string };

const S = OfferAnswerState;

export function nextOfferAnswerState(cur: OfferAnswerState, op: SdpOp, type: SdpType): Transition {
  const to = (state: OfferAnswerState): Transition => ({ ok: true, state });
  switch (cur) {
    case S.Stable:
      // "Either agent MAY generate a new offer ... in stable state" (RFC 3264 §8).
      if (type === 'offer') return to(op === 'setLocal' ? S.HaveLocalOffer : S.HaveRemoteOffer);
      break;
    case S.HaveLocalOffer:
      // The answer (or a provisional one) to our offer comes from the remote side;
      // a new local offer replaces one not yet answered (re-offer before the 200 OK).
      if (op === 'setRemote' && type === 'answer') return to(S.Stable);
      if (op === 'setRemote' && type === 'pranswer') return to(S.HaveRemotePranswer);
      if (op === 'setLocal' && type === 'offer') return to(S.HaveLocalOffer);
      break;
    case S.HaveRemotePranswer:
      if (op === 'setRemote' && type === 'answer') return to(S.Stable);
      if (op === 'setRemote' && type === 'pranswer') return to(S.HaveRemotePranswer);
      break;
    case S.HaveRemoteOffer:
      if (op === 'setLocal' && type === 'answer') return to(S.Stable);
      if (op === 'setLocal' && type === 'pranswer') return to(S.HaveLocalPranswer);
      break;
    case S.HaveLocalPranswer:
      if (op === 'setLocal' && type === 'answer') return to(S.Stable);
      if (op === 'setLocal' && type === 'pranswer') return to(S.HaveLocalPranswer);
      break;
  }
  return { ok: false, error: `cannot ${op} ${type} in state ${cur}` };
}
