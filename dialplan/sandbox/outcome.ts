// How a call's dialplan run ended, as a value (never an exception): 'ok' when the dialplan ended
// the call itself or the caller left, otherwise the reason the runtime had to step in.
import type { TerminalOp } from '../host/ops.ts';

export type RunResult =
  | { result: 'ok'; end: TerminalOp | 'caller-hangup' | 'system-hangup' }
  /** CPU limit: a sync stretch over the limit, or the watchdog killed the isolate. */
  | { result: 'timedOut'; message: string }
  /** The isolate went away under the call: memory limit, shutdown, retirement. */
  | { result: 'disposed'; message: string }
  /** The dialplan threw, returned without ending the call, or could not start. */
  | { result: 'error'; message: string; stack?: string };

export type CallOutcome = RunResult & {
  callId: string;
  dialplan: string;
  version: string;
  /** A terminal op had already ended the call, so no fallback is due. */
  ended: boolean;
  /** What the host did when the runtime asked for the fallback (absent when none was due). */
  fallback?: string;
};
