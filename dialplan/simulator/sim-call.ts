// One simulated call's state and its op model: how long each op takes in virtual time and what it
// returns, given the scenario. Time here is seconds from the op's start; fake-pbx.ts owns clocks.
import type { CallInfo } from '../host/call-info.ts';
import type { CollectValue, ConferenceValue, DialTargetArg, OpArgs } from '../host/ops.ts';
import { voicemailRequestUri } from '../host/rfc4458.ts';
import { planDial } from './dial-sim.ts';
import type { EndpointBehavior, Scenario, SimConfig } from './scenario.ts';

export type SimEnd =
  | { kind: 'hangup'; at: number }
  | { kind: 'reject'; code: number; reason: string | null; at: number }
  | { kind: 'voicemail'; mailbox: string; cause: number | null; ruri: string; at: number }
  | { kind: 'transfer'; target: DialTargetArg; at: number }
  | { kind: 'caller-hangup'; at: number }
  | { kind: 'fallback'; action: 'reject' | 'keep-bridge' | 'hangup' | 'none'; code?: number; at: number };

export interface TraceEntry {
  /** Seconds since the call started, when the op was requested. */
  at: number;
  op: string;
  args: unknown;
  result: unknown;
}

export interface SimCallState {
  readonly info: CallInfo;
  readonly scenario: Scenario;
  readonly start: number;
  /** Absolute ms; per call in auto mode. */
  now: number;
  /** Absolute ms at which the caller hangs up (Infinity: never). */
  hangupAt: number;
  dtmf: (string | null)[];
  answered: boolean;
  end: SimEnd | null;
  trace: TraceEntry[];
  logs: { at: number; level: string; msg: string; data: unknown }[];
  vars: Record<string, string>;
  /** Absolute ms span of the current bridge, if any. */
  bridge: { from: number; to: number } | null;
  /** Waiting for a timer (manual mode) — the call is blocked on the host. */
  pending: boolean;
  finished: boolean;
}

/** What one op does: its duration and its result, or that the caller hung up first. */
export interface OpPlan {
  seconds: number;
  value?: unknown;
  hangup?: boolean;
  /** Side effects applied at completion (absolute start ms of the op). */
  effect?: (startMs: number) => void;
}

export function plan(c: SimCallState, cfg: SimConfig, op: string, a: unknown, remaining: number): OpPlan {
  const capped = (seconds: number, value: unknown, effect?: OpPlan['effect']): OpPlan =>
    seconds >= remaining ? { seconds: remaining, hangup: true } : effect ? { seconds, value, effect } : { seconds, value };
  const end = (e: SimEnd): OpPlan => ({ seconds: 0, value: null, effect: () => void (c.end = e) });
  const at = (): number => (c.now - c.start) / 1000;
  switch (op) {
    case 'answer':
      return { seconds: 0, value: null, effect: () => void (c.answered = true) };
    case 'ring':
    case 'hold':
    case 'unhold':
      return { seconds: 0, value: null };
    case 'play': {
      const args = a as OpArgs<'play'>;
      return capped(args.prompts.length * cfg.promptSeconds, { status: 'played' });
    }
    case 'sleep':
      return capped((a as OpArgs<'sleep'>).seconds, null);
    case 'collect': {
      const r = collect(c, cfg, a as OpArgs<'collect'>);
      return capped(r.seconds, r.value);
    }
    case 'dial': {
      const d = planDial(a as OpArgs<'dial'>, (c.scenario.endpoints ?? {}) as Record<string, EndpointBehavior>, cfg, remaining);
      if (d.result === null) return { seconds: d.seconds, hangup: true };
      return {
        seconds: d.seconds,
        value: d.result,
        effect: (s) => {
          if (d.bridge) c.answered = true;
          if (d.callerGone) c.hangupAt = Math.min(c.hangupAt, s + d.seconds * 1000);
        },
      };
    }
    case 'conference': {
      const args = a as OpArgs<'conference'>;
      const room = c.scenario.conferences?.[args.room] ?? {};
      if (room.full) return { seconds: 0, value: { status: 'denied', reason: 'full' } satisfies ConferenceValue };
      const seconds = room.seconds ?? cfg.conferenceSeconds;
      const endedBy = room.endedBy ?? 'caller';
      // The caller leaving early ends the conference for them, and the call with it.
      if (seconds >= remaining) return { seconds: remaining, value: { status: 'left', seconds: remaining, endedBy: 'caller' } satisfies ConferenceValue };
      return {
        seconds,
        value: { status: 'left', seconds, endedBy } satisfies ConferenceValue,
        effect: (s) => void (endedBy === 'caller' && (c.hangupAt = Math.min(c.hangupAt, s + seconds * 1000))),
      };
    }
    case 'voicemail': {
      const args = a as OpArgs<'voicemail'>;
      return end({ kind: 'voicemail', mailbox: args.mailbox, cause: args.cause, ruri: voicemailRequestUri(cfg.voicemailUri, args.mailbox, cfg.domain, args.cause), at: at() });
    }
    case 'transfer':
      return end({ kind: 'transfer', target: (a as OpArgs<'transfer'>).target, at: at() });
    case 'reject': {
      const args = a as OpArgs<'reject'>;
      return end({ kind: 'reject', code: args.code, reason: args.reason, at: at() });
    }
    case 'hangup':
      return end({ kind: 'hangup', at: at() });
    default:
      return { seconds: 0, value: null };
  }
}

function collect(c: SimCallState, cfg: SimConfig, a: OpArgs<'collect'>): { seconds: number; value: CollectValue } {
  const prompts = a.prompts.length * cfg.promptSeconds;
  const entry = c.dtmf.shift() ?? null;
  if (entry === null || entry === '') return { seconds: prompts + a.timeout, value: { digits: '', endedBy: 'timeout' } };
  let digits = '';
  let used = 0;
  let endedBy: CollectValue['endedBy'] = 'inter-digit-timeout';
  for (const key of entry) {
    used++;
    if (a.terminators.includes(key)) {
      endedBy = 'terminator';
      break;
    }
    digits += key;
    if (digits.length >= a.max) {
      endedBy = 'max';
      break;
    }
  }
  const wait = endedBy === 'inter-digit-timeout' ? a.interDigitTimeout : 0;
  return { seconds: prompts + used * cfg.digitSeconds + wait, value: { digits, endedBy } };
}
