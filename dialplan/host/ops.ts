// The op channel's vocabulary: one entry per operation with its argument and result types, so
// `CallHost.op('dial', …)` is checked end to end. Arguments come from the zod schemas (they are what
// the bridge lets through); results reuse the SDK's own unions.
import type { z } from 'zod';
import type { DialResult, Digit, PlayResult } from '@pbx/dialplan';
import type { fallbackSchema, sandboxOpSchemas, targetSchema } from './op-schemas.ts';

type Schemas = typeof sandboxOpSchemas;
export type DialTargetArg = z.infer<typeof targetSchema>;
export type FallbackArgs = z.infer<typeof fallbackSchema>;

/** What the host reports for `collect`; attempts and validation happen in the SDK. */
export interface CollectValue {
  digits: string;
  endedBy: 'max' | 'terminator' | 'inter-digit-timeout' | 'timeout';
}

/** The host never sees PIN handling (the SDK does it), so it cannot deny for 'pin'. */
export type ConferenceValue =
  | { status: 'left'; seconds: number; endedBy: 'caller' | 'moderator' | 'empty' }
  | { status: 'denied'; reason: 'full' };

export interface FallbackValue {
  /** What the host did, for the log and the CDR: 'rejected 480', 'keep-bridge', 'hangup', 'none'. */
  action: string;
}

interface Values {
  answer: null;
  ring: null;
  play: PlayResult;
  collect: CollectValue;
  dial: DialResult;
  conference: ConferenceValue;
  hold: null;
  unhold: null;
  sleep: null;
  log: null;
  setVar: null;
  voicemail: null;
  transfer: null;
  reject: null;
  hangup: null;
  fallback: FallbackValue;
}

export type OpName = keyof Values;
export type OpArgs<K extends OpName> = K extends keyof Schemas ? z.infer<Schemas[K]> : K extends 'fallback' ? FallbackArgs : never;
export type OpValue<K extends OpName> = Values[K];

/** One request as a discriminated union, e.g. for traces and replay logs. */
export type OpRequest = { [K in OpName]: { op: K; args: OpArgs<K> } }[OpName];

export const TERMINAL_OPS = ['hangup', 'reject', 'voicemail', 'transfer'] as const;
export type TerminalOp = (typeof TERMINAL_OPS)[number];
export function isTerminalOp(op: OpName): op is TerminalOp {
  return (TERMINAL_OPS as readonly string[]).includes(op);
}

/** Fire-and-forget ops: the sandbox does not wait for them. */
export const POSTED_OPS: readonly OpName[] = ['log', 'setVar'];

export type { Digit };
