// How one run ends, as the isolate reports it to the host (plain data: it is copied out).
import type { TerminalOp } from '../host/ops.ts';

export type RunReport =
  | { kind: 'done'; terminal: TerminalOp }
  | { kind: 'hangup'; by: 'caller' | 'system' }
  | { kind: 'fellthrough'; returned: string }
  | { kind: 'error'; name: string; message: string; stack: string | null };

/**
 * How the host starts a call in an instance: 'fresh' (made for this call: frozen or per-call mode),
 * 'premade' (a spare context made ahead of the call, with the bundle already loaded) or 'shared'
 * (one instance for every call).
 */
export type StartMode = 'fresh' | 'premade' | 'shared';

/** What the entry returns for a premade context whose module code read the clock or Math.random
 *  while loading: it cannot serve a call as if made for it, so the host makes a fresh one (no
 *  dialplan code ran for the call). */
export const STALE = 'stale';

/**
 * The run's report travels back as a last message on the op channel (never a real op), not as the
 * entry's promise: isolated-vm instantiates a promise-holder class in each context whose promise
 * it waits on, and V8 pays for that in proportion to the number of contexts in the isolate.
 */
export const REPORT_OP = '__report';

/**
 * Frozen mode: a call's instance could not be made or started (its module code threw, or ran past
 * the CPU limit and was stopped). Sent by the frozen context's glue, never by an instance.
 */
export const SPAWN_FAILED_OP = '__spawnFailed';
export type SpawnFailure = { timedOut: true } | { timedOut: false; message: string };
