// How one run ends, as the isolate reports it to the host (plain data: it is copied out).
import type { TerminalOp } from '../host/ops.ts';

export type RunReport =
  | { kind: 'done'; terminal: TerminalOp }
  | { kind: 'hangup'; by: 'caller' | 'system' }
  | { kind: 'fellthrough'; returned: string }
  | { kind: 'error'; name: string; message: string; stack: string | null };

/**
 * How the host starts a call in a context: 'fresh' (made for this call), 'premade' (a spare made
 * ahead of the call, with the bundle already loaded) or 'shared' (one context for every call).
 */
export type StartMode = 'fresh' | 'premade' | 'shared';

/** A premade context whose module code read the clock or Math.random while loading: it cannot
 *  serve a call as if made for it, so the host makes a fresh one (no dialplan code ran for the call). */
export type StaleReport = { kind: 'stale' };
