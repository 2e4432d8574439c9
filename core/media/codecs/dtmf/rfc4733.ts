// RFC 4733 telephone-event payload (section 2.3):
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  |     event     |E|R| volume    |          duration             |
// decode / encodedSize / encodeInto, like the RTP packet code, so the send path allocates nothing.

export interface TelephoneEvent {
  /** 0-9, 10 = '*', 11 = '#', 12-15 = A-D, 16 = flash (RFC 4733 3.2). */
  event: number;
  /** E bit: the last packets of an event carry it. */
  end: boolean;
  /** Power of the tone in -dBm0, 0..63 (larger is quieter). */
  volume: number;
  /** In RTP timestamp units since the event began, 0..65535. */
  duration: number;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const TELEPHONE_EVENT_SIZE = 4;

/** SDP for the event codec: 'telephone-event/8000' with events 0-16 (RFC 4733 2.4.1 / 3.2). */
export const telephoneEventInfo = { name: 'telephone-event', clockRate: 8000, fmtp: '0-16' } as const;

const DIGITS = '0123456789*#ABCD';

/** '0'-'9', '*', '#', 'A'-'D' (any case) → event code; undefined for anything else. */
export function digitToEvent(digit: string): number | undefined {
  const i = DIGITS.indexOf(digit.toUpperCase());
  return i < 0 || digit.length !== 1 ? undefined : i;
}

/** Event code → digit; 16 → 'flash'; undefined for codes with no DTMF meaning. */
export function eventToDigit(event: number): string | undefined {
  if (event === 16) return 'flash';
  return DIGITS[event];
}

/** Decodes the first event of a payload. The R bit is ignored on receipt, as RFC 4733 2.3.3 requires; any
 *  bytes after the first 4 (padding, or several events from a non-conforming sender) are left alone. */
export function decode(payload: Uint8Array, offset = 0): DecodeResult<TelephoneEvent> {
  if (payload.length - offset < TELEPHONE_EVENT_SIZE) {
    return { ok: false, error: `telephone-event payload needs ${TELEPHONE_EVENT_SIZE} bytes, got ${payload.length - offset}` };
  }
  const flags = payload[offset + 1]!;
  return {
    ok: true,
    value: {
      event: payload[offset]!,
      end: (flags & 0x80) !== 0,
      volume: flags & 0x3f,
      duration: (payload[offset + 2]! << 8) | payload[offset + 3]!,
    },
  };
}

export function encodedSize(_event?: TelephoneEvent): number {
  return TELEPHONE_EVENT_SIZE;
}

/** Writes the event at out[offset…] and returns bytes written. Throws on out-of-range fields (a bug in the
 *  caller, not bad network data). */
export function encodeInto(ev: TelephoneEvent, out: Uint8Array, offset = 0): number {
  if (!Number.isInteger(ev.event) || ev.event < 0 || ev.event > 255) throw new RangeError(`event ${ev.event} not in 0..255`);
  if (!Number.isInteger(ev.volume) || ev.volume < 0 || ev.volume > 63) throw new RangeError(`volume ${ev.volume} not in 0..63`);
  if (!Number.isInteger(ev.duration) || ev.duration < 0 || ev.duration > 0xffff) {
    throw new RangeError(`duration ${ev.duration} not in 0..65535`);
  }
  if (out.length - offset < TELEPHONE_EVENT_SIZE) throw new RangeError('telephone-event: output buffer too small');
  out[offset] = ev.event;
  out[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume; // R bit stays 0 (RFC 4733 2.3.3)
  out[offset + 2] = ev.duration >>> 8;
  out[offset + 3] = ev.duration & 0xff;
  return TELEPHONE_EVENT_SIZE;
}
