// What the isolated sandbox keeps per isolate and per context. In the per-call and shared modes a
// context is "made" (created, its realm set up, the host channel installed) and "loaded" (the bundle
// evaluated, giving its entry function); a spare context is made, and usually loaded, before the
// call it will serve exists. In frozen mode the isolate has one context, and each call's instance
// is made in it when the call starts.
import type ivm from 'isolated-vm';
import type { CallState } from '../bridge.ts';
import type { RunResult } from '../outcome.ts';
import type { SparePool } from './spare-pool.ts';
import type { Watchdog } from './watchdog.ts';

/** The bundle's entry (runtime/boot.ts `Entry`): `(info, mode)` starts a call, `(seq, reply)`
 *  answers an op. Typed loosely here because isolated-vm's Reference typing takes no overloads. */
export type EntryRef = ivm.Reference<(a: unknown, b: unknown) => unknown>;

export interface Live {
  state: CallState;
  /** Handles to free when the call ends (context, entry function), so a busy isolate does not
   *  wait for the garbage collector to drop 1000 calls' worth of them. */
  handles: { release(): void }[];
  /** Frozen mode, until the call reports: drops the realm's route to its instance. */
  forget?: (() => void) | undefined;
  finish(r: RunResult): void;
}

/** The host's view of one context's channel: which call it serves and where replies go. */
export interface Slot {
  /** The shared context serves every call (ops name their call), as does the frozen one (its
   *  glue names the call); any other serves one call. */
  readonly shared: boolean;
  live: Live | null;
  entry: EntryRef | null;
}

export interface Made {
  ctx: ivm.Context;
  slot: Slot;
}

/** Frozen mode's one context: `spawn(checks, env, info)` makes a call's instance and starts the
 *  call, `check(ids)` reports spawns stopped at the CPU limit, `forget(id)` drops the route to an
 *  instance whose call the host ended (contexts.ts). */
export interface FrozenRealm {
  /** Held for the isolate's life; the functions below run in it. */
  ctx: ivm.Context;
  spawn: ivm.Reference<(checks: string[], env: unknown, info: unknown) => void>;
  check: ivm.Reference<(ids: string[]) => void>;
  forget: ivm.Reference<(id: string) => void>;
  /** Spawned calls whose check has not been asked for yet (it rides on the next spawn). */
  unchecked: string[];
  checkTimer: NodeJS.Timeout | null;
}

export interface Box {
  isolate: ivm.Isolate;
  /** The bundle: in frozen mode its function, otherwise an instance made at once (sandbox-scripts.ts). */
  script: Promise<ivm.Script>;
  /** Sets up a context's realm (frozen mode: and freezes it). */
  realm: Promise<ivm.Script>;
  frozen: Promise<FrozenRealm> | null;
  watchdog: Watchdog;
  calls: Map<string, Live>;
  killed: RunResult | null;
  shared: Promise<Made> | null;
  spares: SparePool;
  /** Calls making their own context right now (spare preparation waits for them). */
  making: number;
}

export function releaseMade(m: Made): void {
  try {
    m.slot.entry?.release();
    m.ctx.release();
  } catch {
    // already released, or the isolate is gone
  }
}
