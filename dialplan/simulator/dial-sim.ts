// The fake PBX's model of `dial`: each target rings, answers, is busy, declines or is absent as its
// scenario says; parallel takes the first answer, sequential tries each in turn with its own
// timeout. Pure (time in, result out), so it is tested directly and the clock stays elsewhere.
import type { DialResult } from '@pbx/dialplan';
import type { DialTargetArg, OpArgs } from '../host/ops.ts';
import type { EndpointBehavior, SimConfig } from './scenario.ts';

type Leg =
  | { kind: 'answer'; at: number; talk: number; endedBy: 'caller' | 'callee'; by: string }
  | { kind: 'fail'; at: number; status: 'busy' | 'unavailable' | 'rejected'; sipCode: number }
  | { kind: 'no-answer' };

export interface DialPlan {
  /** Seconds from the start of the op until it completes (bridge end when answered). */
  seconds: number;
  /** null: the caller hung up first (while ringing). */
  result: DialResult | null;
  /** Seconds from the op's start during which the caller was bridged. */
  bridge: { from: number; to: number } | null;
  /** The caller is gone after this op (hung up during the bridge or the endpoint says so). */
  callerGone: boolean;
}

export function endpointKey(t: DialTargetArg): string {
  return t.kind === 'user' ? t.user : t.kind === 'number' ? t.number : t.uri;
}

function lookup(t: DialTargetArg, endpoints: Record<string, EndpointBehavior>): EndpointBehavior {
  const key = endpointKey(t);
  const user = t.kind === 'uri' ? /^sips?:([^@;]+)@/.exec(t.uri)?.[1] : undefined;
  return endpoints[key] ?? (user !== undefined ? endpoints[user] : undefined) ?? 'unavailable';
}

function leg(t: DialTargetArg, timeout: number, endpoints: Record<string, EndpointBehavior>, cfg: SimConfig): Leg {
  const b = lookup(t, endpoints);
  if (b === 'busy') return { kind: 'fail', at: 0.5, status: 'busy', sipCode: 486 };
  if (b === 'unavailable') return { kind: 'fail', at: 0, status: 'unavailable', sipCode: 480 };
  if (b === 'decline') return { kind: 'fail', at: 1, status: 'rejected', sipCode: 603 };
  if (b === 'no-answer') return { kind: 'no-answer' };
  const o = b === 'answer' ? { answerAfter: cfg.answerSeconds } : b;
  const confirm = (t.kind === 'uri' || t.kind === 'number') && t.confirm !== undefined;
  if (confirm && o.confirms === false) return { kind: 'no-answer' };
  const at = o.answerAfter + (confirm ? cfg.promptSeconds + cfg.digitSeconds : 0);
  if (at >= timeout) return { kind: 'no-answer' };
  return { kind: 'answer', at, talk: o.talk ?? cfg.talkSeconds, endedBy: o.endedBy ?? 'callee', by: endpointKey(t) };
}

const FAIL_ORDER = ['busy', 'no-answer', 'rejected', 'unavailable'] as const;

function failure(legs: Leg[]): DialResult {
  const worst = FAIL_ORDER.find((s) => legs.some((l) => (l.kind === 'no-answer' ? 'no-answer' : l.kind === 'fail' ? l.status : '') === s));
  if (worst === 'no-answer' || worst === undefined) return { status: 'no-answer' };
  const l = legs.find((x): x is Extract<Leg, { kind: 'fail' }> => x.kind === 'fail' && x.status === worst)!;
  return { status: l.status, sipCode: l.sipCode };
}

export function planDial(args: OpArgs<'dial'>, endpoints: Record<string, EndpointBehavior>, cfg: SimConfig, callerLeavesIn: number): DialPlan {
  let elapsed = 0;
  let answer: { leg: Extract<Leg, { kind: 'answer' }>; at: number } | null = null;
  const legs: Leg[] = [];
  if (args.strategy === 'parallel') {
    for (const t of args.targets) legs.push(leg(t, Math.min(t.timeout ?? args.timeout, args.timeout), endpoints, cfg));
    for (const l of legs) if (l.kind === 'answer' && (!answer || l.at < answer.at)) answer = { leg: l, at: l.at };
    if (!answer) {
      const ends = args.targets.map((t, i) => { const l = legs[i]!; return l.kind === 'fail' ? l.at : Math.min(t.timeout ?? args.timeout, args.timeout); });
      elapsed = Math.max(...ends);
    }
  } else {
    for (const t of args.targets) {
      const timeout = t.timeout ?? args.timeout;
      const l = leg(t, timeout, endpoints, cfg);
      legs.push(l);
      if (l.kind === 'answer') {
        answer = { leg: l, at: elapsed + l.at };
        break;
      }
      elapsed += l.kind === 'fail' ? l.at : timeout;
    }
  }
  if (!answer) {
    if (callerLeavesIn <= elapsed) return { seconds: callerLeavesIn, result: null, bridge: null, callerGone: true };
    return { seconds: elapsed, result: failure(legs), bridge: null, callerGone: false };
  }
  if (callerLeavesIn <= answer.at) return { seconds: callerLeavesIn, result: null, bridge: null, callerGone: true };
  const limit = args.maxDuration ?? Infinity;
  const talk = Math.min(answer.leg.talk, limit, callerLeavesIn - answer.at);
  const endedBy = talk === callerLeavesIn - answer.at ? 'caller' : talk === answer.leg.talk ? answer.leg.endedBy : 'limit';
  return {
    seconds: answer.at + talk,
    result: { status: 'answered', by: answer.leg.by, talkSeconds: talk, endedBy },
    bridge: { from: answer.at, to: answer.at + talk },
    callerGone: endedBy === 'caller',
  };
}
