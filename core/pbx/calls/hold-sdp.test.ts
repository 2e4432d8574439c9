import { describe, expect, it } from 'vitest';
import { isHoldSdp } from './hold-sdp.ts';

const sdp = (extra: string, c = '127.0.0.1') =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', `c=IN IP4 ${c}`, 't=0 0', 'm=audio 4000 RTP/AVP 0', extra, ''].filter(Boolean).join('\r\n');

describe('isHoldSdp', () => {
  it('sees sendonly, inactive and c=0.0.0.0 as hold', () => {
    expect(isHoldSdp(sdp('a=sendonly'))).toBe(true);
    expect(isHoldSdp(sdp('a=inactive'))).toBe(true);
    expect(isHoldSdp(sdp('', '0.0.0.0'))).toBe(true);
  });
  it('sees sendrecv, recvonly, no direction and garbage as not hold', () => {
    expect(isHoldSdp(sdp('a=sendrecv'))).toBe(false);
    expect(isHoldSdp(sdp('a=recvonly'))).toBe(false);
    expect(isHoldSdp(sdp(''))).toBe(false);
    expect(isHoldSdp('')).toBe(false);
    expect(isHoldSdp('garbage')).toBe(false);
  });
});
