import { describe, expect, it } from 'vitest';
import { nextOfferAnswerState, OfferAnswerState as S, type SdpOp, type SdpType } from './offer-answer-state.ts';

// [from, op, type, to | undefined (illegal)]
const table: [S, SdpOp, SdpType, S | undefined][] = [
  [S.Stable, 'setLocal', 'offer', S.HaveLocalOffer],
  [S.Stable, 'setRemote', 'offer', S.HaveRemoteOffer],
  [S.Stable, 'setLocal', 'answer', undefined],
  [S.Stable, 'setRemote', 'answer', undefined],
  [S.Stable, 'setRemote', 'pranswer', undefined],
  [S.HaveLocalOffer, 'setRemote', 'answer', S.Stable],
  [S.HaveLocalOffer, 'setRemote', 'pranswer', S.HaveRemotePranswer],
  [S.HaveLocalOffer, 'setLocal', 'offer', S.HaveLocalOffer],
  [S.HaveLocalOffer, 'setRemote', 'offer', undefined],
  [S.HaveLocalOffer, 'setLocal', 'answer', undefined],
  [S.HaveRemotePranswer, 'setRemote', 'pranswer', S.HaveRemotePranswer],
  [S.HaveRemotePranswer, 'setRemote', 'answer', S.Stable],
  [S.HaveRemotePranswer, 'setLocal', 'offer', undefined],
  [S.HaveRemoteOffer, 'setLocal', 'answer', S.Stable],
  [S.HaveRemoteOffer, 'setLocal', 'pranswer', S.HaveLocalPranswer],
  [S.HaveRemoteOffer, 'setRemote', 'offer', undefined],
  [S.HaveRemoteOffer, 'setLocal', 'offer', undefined],
  [S.HaveLocalPranswer, 'setLocal', 'answer', S.Stable],
  [S.HaveLocalPranswer, 'setRemote', 'answer', undefined],
];

describe('nextOfferAnswerState', () => {
  it.each(table)('%s + %s %s → %s', (from, op, type, to) => {
    const r = nextOfferAnswerState(from, op, type);
    if (to === undefined) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, state: to });
  });
});
