// The sandbox's only way out. The host puts an isolated-vm Reference and the boot values on the
// global object; this module (evaluated before any dialplan code) reads and deletes them, so the
// handle lives only in this closure: a leaked ivm handle would be an escape route.
import type { OpError } from '../host/call-host.ts';

/** The part of isolated-vm's Reference the runtime uses (the unsafe sandbox mimics it). */
interface HostRef {
  apply(receiver: undefined, args: unknown[], options: object): Promise<unknown>;
  applyIgnored(receiver: undefined, args: unknown[], options: object): void;
}

export interface BootEnv {
  /** Seeds Math.random for everything in this context. */
  seed: number;
  /** Host clock (ms) when the context was made: the logical clock's start. */
  now: number;
}

export type Reply = { ok: true; value: unknown; t: number } | { ok: false; error: OpError; t?: number };

const g = globalThis as unknown as Record<string, unknown>;
const host = g['__pbxHost'] as HostRef | undefined;
const bootEnv = g['__pbxEnv'] as BootEnv | undefined;
delete g['__pbxHost'];
delete g['__pbxEnv'];
if (!host || !bootEnv) throw new Error('dialplan runtime: started without its host channel');

export const env: BootEnv = bootEnv;
let clock = bootEnv.now;

/** The context-wide logical clock (what `Date.now()` returns). */
export function logicalNow(): number {
  return clock;
}

const SEND = { arguments: { copy: true }, result: { promise: true, copy: true } };
const POST = { arguments: { copy: true } };

/** Request an op and wait for the host's reply (which never rejects across the boundary). */
export async function send(callId: string, op: string, args: unknown): Promise<Reply> {
  const reply = (await host!.apply(undefined, [callId, op, args], SEND)) as Reply;
  if (typeof reply.t === 'number' && reply.t > clock) clock = reply.t;
  return reply;
}

/** Fire-and-forget op (log, setVar): ordered with the others, nothing to wait for. */
export function post(callId: string, op: string, args: unknown): void {
  try {
    host!.applyIgnored(undefined, [callId, op, args], POST);
  } catch {
    // The host side is gone (isolate being disposed): there is no one left to tell.
  }
}
