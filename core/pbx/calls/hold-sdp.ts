// Whether an SDP offer puts the other party on hold: RFC 3264 §8.4 (a=sendonly or a=inactive, at
// session level or on the audio stream) or the RFC 2543 style c=0.0.0.0 older phones still send.
import sdpTransform from 'sdp-transform';

export function isHoldSdp(sdp: string): boolean {
  if (!sdp) return false;
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(sdp);
  } catch {
    return false;
  }
  const audio = parsed.media.find((m) => m.type === 'audio');
  if (!audio || audio.port === 0) return false;
  const direction = audio.direction ?? parsed.direction ?? 'sendrecv';
  const ip = audio.connection?.ip ?? parsed.connection?.ip;
  return direction === 'sendonly' || direction === 'inactive' || ip === '0.0.0.0';
}
