// Runs one call on a sandbox and, when the dialplan could not end the call itself (killed, threw,
// fell through), asks the host for the configured fallback: a SIP error before answer, keep the
// bridge (or hang up) after. Shared by the service and the simulator so both behave the same.
import type { CallHost } from '../host/call-host.ts';
import type { CallInfo } from '../host/call-info.ts';
import type { CallOutcome } from '../sandbox/outcome.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { errorText } from '../util/log.ts';

export interface FallbackPolicy {
  /** SIP status for a call not answered yet. */
  beforeAnswer: number;
  /** For an answered call: keep a running bridge until it ends, or hang up at once. */
  afterAnswer: 'keep-bridge' | 'hangup';
}

export const DEFAULT_FALLBACK: FallbackPolicy = { beforeAnswer: 480, afterAnswer: 'keep-bridge' };

export async function runCall(sandbox: Sandbox, call: CallInfo, host: CallHost, policy: FallbackPolicy = DEFAULT_FALLBACK): Promise<CallOutcome> {
  const out = await sandbox.run(call, host);
  if (out.result === 'ok' || out.ended) return out;
  try {
    const r = await host.op(call.id, 'fallback', { reason: out.result, message: out.message, ...policy });
    return { ...out, fallback: r.ok ? r.value.action : `fallback failed: ${r.error.message}` };
  } catch (err) {
    return { ...out, fallback: `fallback failed: ${errorText(err)}` };
  }
}
