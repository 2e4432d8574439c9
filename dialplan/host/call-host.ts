// The host side of the op channel. Everything a dialplan cannot compute itself (time, DTMF, dial
// results, media) comes through `op`, so a call can be simulated or replayed by swapping the host.
// The simulator's fake PBX is one implementation; core/pbx implements it for real calls.
import type { OpArgs, OpName, OpValue } from './ops.ts';

export type OpError =
  /** The call is gone: the SDK throws `Hangup` into the dialplan. */
  | { code: 'hangup'; by: 'caller' | 'system'; message: string }
  /** Arguments failed validation (the bridge answers this itself). */
  | { code: 'invalid'; message: string }
  /** A terminal operation already ended the call. */
  | { code: 'ended'; message: string }
  /** The host could not carry the operation out. */
  | { code: 'failed'; message: string };

/**
 * `t` is the host clock (ms since the epoch) when the op completed: the sandbox's logical clock.
 * `gone` on a success says the call ended meanwhile (a bridged dial that the caller hung up): the
 * runtime then treats the call as gone, as a 'hangup' error would, without another round trip.
 */
export type OpReply<V> = { ok: true; value: V; t: number; gone?: 'caller' | 'system' } | { ok: false; error: OpError; t?: number };

export interface CallHost {
  /**
   * Carry out one operation for one call. Must not reject: failures are `{ok:false}` values
   * (a rejection is turned into a 'failed' error by the bridge, but loses its detail).
   * Called at most once at a time per call, except for 'log' and 'setVar' (fire-and-forget)
   * and 'fallback' (issued by the runtime while an op such as a bridged dial may still be pending).
   */
  op<K extends OpName>(callId: string, op: K, args: OpArgs<K>): Promise<OpReply<OpValue<K>>>;
}
