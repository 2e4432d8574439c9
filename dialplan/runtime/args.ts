// Turns the SDK's friendly argument shapes into the op channel's normalised ones (every option
// present, `null` for "not set"), so the host never has to apply defaults of its own.
import type { DialOptions, DialTarget, Prompt } from '@pbx/dialplan';
import type { DialTargetArg, OpArgs } from '../host/ops.ts';

export const DEFAULT_RING_SECONDS = 30;

export function promptList(p: Prompt | readonly Prompt[] | undefined): Prompt[] {
  if (p === undefined) return [];
  return Array.isArray(p) ? [...(p as readonly Prompt[])] : [p as Prompt];
}

/** Drops undefined members: a key that is present but undefined still counts for `.strict()` readers. */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function dialTarget(t: DialTarget): DialTargetArg {
  if (typeof t === 'string') return { kind: 'user', user: t };
  if (typeof t !== 'object' || t === null) throw new TypeError(`dial: a target must be a string or an object, not ${String(t)}`);
  if ('user' in t) return compact({ kind: 'user', user: t.user, timeout: t.timeout });
  if ('uri' in t) return compact({ kind: 'uri', uri: t.uri, timeout: t.timeout, confirm: t.confirm, headers: t.headers });
  if ('number' in t) return compact({ kind: 'number', number: t.number, trunk: t.trunk, timeout: t.timeout, confirm: t.confirm });
  throw new TypeError('dial: a target object needs one of user, uri or number');
}

export function dialArgs(t: DialTarget | readonly DialTarget[], o: DialOptions = {}): OpArgs<'dial'> {
  const list = Array.isArray(t) ? (t as readonly DialTarget[]) : [t as DialTarget];
  return {
    targets: list.map(dialTarget),
    strategy: o.strategy ?? 'parallel',
    timeout: o.timeout ?? DEFAULT_RING_SECONDS,
    ringback: o.ringback ?? 'ring',
    callerId: o.callerId ? compact({ number: o.callerId.number, name: o.callerId.name }) : null,
    holdMusic: o.holdMusic ?? 'default',
    maxDuration: o.maxDuration ?? null,
  };
}
