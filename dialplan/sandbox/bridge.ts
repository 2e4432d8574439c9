// The host end of the op channel, shared by both sandboxes: everything arriving from the dialplan
// is untrusted, so the op name and arguments are parsed here before the CallHost sees them, and a
// CallHost that throws becomes a 'failed' reply instead of an exception in the isolate.
import type { CallHost, OpReply } from '../host/call-host.ts';
import type { CallInfo } from '../host/call-info.ts';
import { clearlyValid } from '../host/op-fast-check.ts';
import { isSandboxOp, sandboxOpSchemas, type SandboxOpName } from '../host/op-schemas.ts';
import { isTerminalOp, type OpArgs } from '../host/ops.ts';
import { errorText } from '../util/log.ts';

/** Host-side state of one call in flight. */
export interface CallState {
  readonly info: CallInfo;
  readonly host: CallHost;
  ops: number;
  /** A terminal op succeeded. */
  ended: boolean;
  answered: boolean;
  /** The run has an outcome; later ops are refused. */
  finished: boolean;
}

export function newCallState(info: CallInfo, host: CallHost): CallState {
  return { info, host, ops: 0, ended: false, answered: false, finished: false };
}

const fail = (code: 'invalid' | 'ended' | 'failed', message: string): OpReply<never> => ({ ok: false, error: { code, message } });

/** True when the op counts as progress for the watchdog (it was accepted within the op budget). */
export function admit(call: CallState, maxOps: number): boolean {
  return !call.finished && ++call.ops <= maxOps;
}

export async function bridgeOp(call: CallState, op: unknown, args: unknown, maxOps: number): Promise<OpReply<unknown>> {
  if (call.finished) return fail('ended', 'the call has finished');
  if (call.ops > maxOps) return fail('failed', `operation limit reached (${maxOps} per call)`);
  if (!isSandboxOp(op)) return fail('invalid', `unknown operation '${String(op)}'`);
  let data = args;
  if (!clearlyValid(op, args)) {
    const parsed = sandboxOpSchemas[op].safeParse(args);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
      return fail('invalid', why); // the SDK prefixes '<op> failed:'
    }
    data = parsed.data;
  }
  try {
    const reply = await call.host.op<SandboxOpName>(call.info.id, op, data as OpArgs<SandboxOpName>);
    if (reply.ok) {
      if (isTerminalOp(op)) call.ended = true;
      if (op === 'answer' || (op === 'dial' && (reply.value as { status?: string }).status === 'answered')) call.answered = true;
    }
    return reply;
  } catch (err) {
    return fail('failed', `the host failed on ${op}: ${errorText(err)}`);
  }
}
