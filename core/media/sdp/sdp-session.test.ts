import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import { findCodec, type CodecFactory } from '../codec-lookup.ts';
import { SdpSession, type SdpPolicy } from './sdp-session.ts';
import { OfferAnswerState } from './offer-answer-state.ts';
import { MediaError } from '../util/media-error.ts';

const PCMU = findCodec('PCMU')!;
const PCMA = findCodec('PCMA')!;
const policy = (over: Partial<SdpPolicy> = {}): SdpPolicy => ({ codecs: [PCMU, PCMA], dtmf: true, direction: 'sendrecv', preferLocal: false, ...over });

function offer(opts: { pts?: string; extra?: string; dir?: string; ip?: string; port?: number; more?: string } = {}): string {
  const lines = [
    'v=0',
    'o=phone 1 1 IN IP4 192.0.2.10',
    's=-',
    `c=IN IP4 ${opts.ip ?? '192.0.2.10'}`,
    't=0 0',
    `m=audio ${opts.port ?? 4000} RTP/AVP ${opts.pts ?? '8 0 101'}`,
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    ...(opts.dir ? [`a=${opts.dir}`] : []),
    ...(opts.more ? [opts.more] : []),
  ];
  return lines.join('\r\n') + '\r\n';
}

describe('SdpSession as answerer', () => {
  it('answers with the first offered codec we support plus telephone-event', () => {
    const s = new SdpSession('127.0.0.1', 30000, 20);
    const r = s.applyRemote(offer(), policy());
    expect(r.type).toBe('offer');
    const a = parse(r.answer!);
    expect(a.media[0]!.payloads).toBe('8 101');
    expect(a.media[0]!.port).toBe(30000);
    expect(a.media[0]!.direction).toBe('sendrecv');
    expect(s.state).toBe(OfferAnswerState.Stable);
    const n = s.negotiated;
    expect(n.send?.codec).toBe(PCMA);
    expect(n.send?.pt).toBe(8);
    expect(n.sendEventPt).toBe(101);
    expect(n.remote).toEqual({ address: '192.0.2.10', port: 4000 });
    expect(n.flow).toEqual({ send: true, recv: true });
  });

  it('prefers our order when asked', () => {
    const s = new SdpSession('127.0.0.1', 30000, 20);
    s.applyRemote(offer(), policy({ preferLocal: true }));
    expect(s.negotiated.send?.codec).toBe(PCMU);
  });

  it('answers hold offers with the mirrored direction', () => {
    const cases: [string, string, { send: boolean; recv: boolean }][] = [
      ['sendonly', 'recvonly', { send: false, recv: true }],
      ['recvonly', 'sendonly', { send: true, recv: false }],
      ['inactive', 'inactive', { send: false, recv: false }],
    ];
    for (const [offered, answered, flow] of cases) {
      const s = new SdpSession('127.0.0.1', 30000, 20);
      const a = parse(s.applyRemote(offer({ dir: offered }), policy()).answer!);
      expect(a.media[0]!.direction).toBe(answered);
      expect(s.negotiated.flow).toEqual(flow);
    }
  });

  it('treats c=0.0.0.0 as hold: nothing is sent', () => {
    const s = new SdpSession('127.0.0.1', 30000, 20);
    s.applyRemote(offer({ ip: '0.0.0.0' }), policy());
    expect(s.negotiated.remote).toBeUndefined();
    expect(s.negotiated.flow.send).toBe(false);
  });

  it('re-offer keeps the codec, bumps the version only on change, and handles port 0', () => {
    const s = new SdpSession('127.0.0.1', 30000, 20);
    const first = parse(s.applyRemote(offer(), policy()).answer!);
    const same = parse(s.applyRemote(offer({ pts: '0 8 101' }), policy()).answer!);
    expect(same.origin!.sessionVersion).toBe(first.origin!.sessionVersion);
    expect(s.negotiated.send?.codec).toBe(PCMA); // kept although PCMU is now first
    const held = parse(s.applyRemote(offer({ dir: 'sendonly' }), policy()).answer!);
    expect(held.origin!.sessionVersion).toBe(first.origin!.sessionVersion + 1);
    const off = parse(s.applyRemote(offer({ port: 0 }), policy()).answer!);
    expect(off.media[0]!.port).toBe(0);
    expect(s.negotiated.enabled).toBe(false);
  });

  it('rejects extra m-lines with port 0 in place', () => {
    const more = 'm=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000';
    const s = new SdpSession('127.0.0.1', 30000, 20);
    const a = parse(s.applyRemote(offer({ more }), policy()).answer!);
    expect(a.media.map((m) => [m.type, m.port])).toEqual([
      ['audio', 30000],
      ['video', 0],
    ]);
  });

  it('refuses an initial offer without a common codec with 488', () => {
    const s = new SdpSession('127.0.0.1', 30000, 20);
    const noCommon = offer({ pts: '18' });
    expect(() => s.applyRemote(noCommon, policy())).toThrow(MediaError);
    try {
      s.applyRemote(noCommon, policy());
    } catch (e) {
      expect((e as MediaError).status).toBe(488);
    }
    expect(() => s.applyRemote('garbage', policy())).toThrow(/not an SDP/);
  });
});

describe('SdpSession as offerer', () => {
  it('offers our codecs, takes the answer and picks its first codec', () => {
    const s = new SdpSession('127.0.0.1', 30002, 20);
    const o = parse(s.createOffer(policy()));
    expect(o.media[0]!.payloads).toBe('0 8 101');
    expect(s.state).toBe(OfferAnswerState.HaveLocalOffer);
    s.applyRemote(offer({ pts: '8 101' }), policy());
    expect(s.state).toBe(OfferAnswerState.Stable);
    expect(s.negotiated.send?.codec).toBe(PCMA);
    expect(s.negotiated.recv.map((r) => r.pt).sort()).toEqual([0, 8]);
  });

  it('puts the remote on hold with a sendonly re-offer', () => {
    const s = new SdpSession('127.0.0.1', 30002, 20);
    s.createOffer(policy());
    s.applyRemote(offer({ pts: '0 101' }), policy());
    const o = parse(s.createOffer(policy({ direction: 'sendonly' })));
    expect(o.media[0]!.direction).toBe('sendonly');
    s.applyRemote(offer({ pts: '0 101', dir: 'recvonly' }), policy({ direction: 'sendonly' }));
    expect(s.negotiated.flow).toEqual({ send: true, recv: false });
  });

  it('handles a provisional answer then the final one', () => {
    const s = new SdpSession('127.0.0.1', 30002, 20);
    s.createOffer(policy());
    s.applyRemote(offer({ pts: '0' }), policy(), 'pranswer');
    expect(s.state).toBe(OfferAnswerState.HaveRemotePranswer);
    s.applyRemote(offer({ pts: '8' }), policy());
    expect(s.state).toBe(OfferAnswerState.Stable);
    expect(s.negotiated.send?.codec).toBe(PCMA);
  });

  it('an answer with port 0 disables the stream', () => {
    const s = new SdpSession('127.0.0.1', 30002, 20);
    s.createOffer(policy());
    s.applyRemote(offer({ port: 0 }), policy());
    expect(s.negotiated.enabled).toBe(false);
  });
});

const _typecheck: CodecFactory = PCMU;
void _typecheck;
