// The sandbox's only way out. The bundle is one function whose parameters are the host's end of
// the channel (an isolated-vm Callback in "ignored" mode), this instance's boot values and the
// realm it runs in (realm/realm.ts); the host calls it once per instance, so the channel lives only
// in this closure: a host handle on the global object would be an escape route. Requests go out one
// way as (seq, callId, op, args); the host answers through the bundle's entry function (`deliver`).
// Two one-way messages cost the isolate less than an isolated-vm apply that waits on a host
// promise, which is most of an op's round trip.
import type { OpError } from '../host/call-host.ts';
import type { EnterRealm } from './realm/realm.ts';

/** The host end: never throws for a well-formed request (copy failures throw, like any apply). */
type HostFn = (seq: number, callId: string, op: string, args: unknown) => void;

export interface BootEnv {
  /** Seeds Math.random for this instance. */
  seed: number;
  /** Host clock (ms) when the instance was made: the logical clock's start. */
  now: number;
}

export type Reply = { ok: true; value: unknown; t: number; gone?: 'caller' | 'system' } | { ok: false; error: OpError; t?: number };

// The bundle function's parameters (compiler/script-wrap.ts).
declare const __pbxHost: HostFn | undefined;
declare const __pbxEnv: BootEnv | undefined;
declare const __pbxRealm: EnterRealm | undefined;

const host = __pbxHost;
const bootEnv = __pbxEnv;
if (typeof host !== 'function' || !bootEnv || typeof __pbxRealm !== 'function') throw new Error('dialplan runtime: started without its host channel');

/** The realm's switch: hands its clock, Math.random and console to an instance (prelude.ts). */
export const realmSwitch: EnterRealm = __pbxRealm;
export const env: BootEnv = bootEnv;
let clock = bootEnv.now;
/** Whether anything in this instance has read the clock or the seeded random numbers yet. */
let readNondeterministic = false;

/** The instance's logical clock (what `Date.now()` returns while it runs). */
export function logicalNow(): number {
  readNondeterministic = true;
  return clock;
}

/** Called by the seeded Math.random: a read of the instance's state like the clock's. */
export function noteRandomRead(): void {
  readNondeterministic = true;
}

/**
 * A context made ahead of its call (the host's spare contexts) may serve the call only if nothing
 * has read the clock or the random numbers yet: then restarting both from the call's values gives
 * exactly what a context made for the call would have given.
 */
export function canRebase(): boolean {
  return !readNondeterministic;
}

export function rebaseClock(now: number): void {
  clock = now;
}

const pending = new Map<number, (r: Reply) => void>();
let nextSeq = 1;

/** Request an op and wait for the host's reply (which never rejects across the boundary). */
export async function send(callId: string, op: string, args: unknown): Promise<Reply> {
  const seq = nextSeq++;
  const reply = new Promise<Reply>((resolve) => pending.set(seq, resolve));
  try {
    host!(seq, callId, op, args);
  } catch (e) {
    pending.delete(seq);
    throw e;
  }
  const r = await reply;
  if (typeof r.t === 'number' && r.t > clock) clock = r.t;
  return r;
}

/** The host's answer to request `seq` (reached through the bundle's entry function only). */
export function deliver(seq: number, reply: Reply): void {
  const resolve = pending.get(seq);
  if (!resolve) return;
  pending.delete(seq);
  resolve(reply);
}

/** Fire-and-forget op (log, setVar): ordered with the others, nothing to wait for. */
export function post(callId: string, op: string, args: unknown): void {
  try {
    host!(0, callId, op, args);
  } catch {
    // The host side is gone (isolate being disposed): there is no one left to tell.
  }
}
