// The simulator's PBX: a CallHost whose ops complete in virtual time. In 'auto' mode each call has
// its own clock that jumps to the end of every op at once (a two-minute IVR runs in milliseconds);
// in 'manual' mode one clock moves only when the test calls `advance`, so calls can be caught in
// flight (hot reload, kills during a bridge).
import type { CallHost, OpReply } from '../host/call-host.ts';
import { party, type CallInfo } from '../host/call-info.ts';
import type { FallbackArgs, OpArgs, OpName, OpValue } from '../host/ops.ts';
import { DEFAULT_SIM_CONFIG, DEFAULT_START, type Scenario, type SimConfig } from './scenario.ts';
import { plan, type SimCallState, type SimEnd } from './sim-call.ts';
import { VirtualClock } from './virtual-clock.ts';

export interface FakePbxOptions {
  clock?: 'auto' | 'manual';
  config?: Partial<SimConfig>;
  /** Manual mode's start time (ISO); auto mode uses each scenario's `at`. */
  at?: string;
}

export class FakePbx implements CallHost {
  readonly config: SimConfig;
  readonly mode: 'auto' | 'manual';
  readonly clock: VirtualClock;
  readonly #calls = new Map<string, SimCallState>();
  readonly #watchers = new Set<() => void>();
  #nextId = 1;

  constructor(o: FakePbxOptions = {}) {
    this.config = { ...DEFAULT_SIM_CONFIG, ...o.config };
    this.mode = o.clock ?? 'auto';
    this.clock = new VirtualClock(Date.parse(o.at ?? DEFAULT_START));
  }

  /** Registers a call from a scenario and returns what the runtime needs to start it. */
  addCall(s: Scenario): CallInfo {
    const id = s.call.id ?? `sim-${this.#nextId++}`;
    const start = this.mode === 'manual' ? this.clock.now : Date.parse(s.at ?? DEFAULT_START);
    const d = this.config.domain;
    const info: CallInfo = {
      id,
      from: party(s.call.from ?? '1001', d, s.call.fromName),
      to: party(s.call.to, d),
      requestUri: `sip:${s.call.to}@${d}`,
      dialed: s.call.to,
      direction: s.call.direction ?? 'internal',
      headers: Object.fromEntries(Object.entries(s.call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      startedAt: start,
      ...(s.seed !== undefined && { seed: s.seed }),
    };
    const hangupAt = s.caller?.hangupAfter === undefined ? Infinity : start + s.caller.hangupAfter * 1000;
    const call: SimCallState = {
      info, scenario: s, start, now: start, hangupAt, dtmf: [...(s.caller?.dtmf ?? [])], answered: false, end: null,
      trace: [], logs: [], vars: {}, bridge: null, pending: false, finished: false,
    };
    this.#calls.set(id, call);
    // Manual mode: the caller's hangup is an event even while the dialplan is busy computing.
    if (this.mode === 'manual' && hangupAt !== Infinity) this.clock.at(hangupAt, () => void (call.end ??= { kind: 'caller-hangup', at: (hangupAt - start) / 1000 }));
    return info;
  }

  call(id: string): SimCallState {
    const c = this.#calls.get(id);
    if (!c) throw new Error(`no simulated call ${id}`);
    return c;
  }

  /** The runtime has an outcome for this call: it no longer holds up `advance`. */
  finish(id: string): void {
    this.call(id).finished = true;
    this.#changed();
  }

  async op<K extends OpName>(callId: string, op: K, args: OpArgs<K>): Promise<OpReply<OpValue<K>>> {
    const c = this.#calls.get(callId);
    if (!c) return { ok: false, error: { code: 'failed', message: `unknown call ${callId}` } };
    const now = this.mode === 'manual' ? this.clock.now : c.now;
    const at = (now - c.start) / 1000;
    if (op === 'log' || op === 'setVar') return this.#posted(c, op, args, now);
    if (op === 'fallback') return this.#reply(c, op, args, now, { ok: true, value: this.#fallback(c, args as FallbackArgs, now) as OpValue<K>, t: now });
    if (c.end && c.end.kind !== 'caller-hangup') return this.#reply(c, op, args, now, { ok: false, error: { code: 'ended', message: `the call already ended (${c.end.kind})` }, t: now });
    const remaining = Math.max(0, (c.hangupAt - now) / 1000);
    if (remaining === 0) return this.#reply(c, op, args, now, this.#gone(c, now));
    const p = plan(c, this.config, op, args, remaining);
    const due = now + p.seconds * 1000;
    // An answered dial is a bridge from the answer to the op's end; the fallback needs to see it
    // while it runs (manual mode), to keep it after a kill.
    const talk = op === 'dial' ? (p.value as { status?: string; talkSeconds?: number } | undefined) : undefined;
    if (talk?.status === 'answered') c.bridge = { from: due - (talk.talkSeconds ?? 0) * 1000, to: due };
    const complete = (): OpReply<OpValue<K>> => {
      c.now = due;
      if (p.hangup) return this.#gone(c, due) as OpReply<OpValue<K>>;
      p.effect?.(now);
      return { ok: true, value: p.value as OpValue<K>, t: due };
    };
    if (this.mode === 'auto' || p.seconds === 0) return this.#reply(c, op, args, now, complete(), at);
    return new Promise((resolve) => {
      c.pending = true;
      this.#changed();
      this.clock.at(due, () => {
        c.pending = false;
        resolve(this.#reply(c, op, args, now, complete(), at));
      });
    });
  }

  #posted<K extends OpName>(c: SimCallState, op: K, args: OpArgs<K>, now: number): OpReply<OpValue<K>> {
    const at = (now - c.start) / 1000;
    if (op === 'log') {
      const a = args as OpArgs<'log'>;
      c.logs.push({ at, level: a.level, msg: a.msg, data: a.data });
    } else {
      const a = args as OpArgs<'setVar'>;
      c.vars[a.name] = a.value;
    }
    return { ok: true, value: null as OpValue<K>, t: now };
  }

  #gone(c: SimCallState, t: number): OpReply<never> {
    c.end ??= { kind: 'caller-hangup', at: (Math.min(t, c.hangupAt) - c.start) / 1000 };
    return { ok: false, error: { code: 'hangup', by: 'caller', message: 'the caller hung up' }, t };
  }

  #fallback(c: SimCallState, a: FallbackArgs, now: number): { action: string } {
    const at = (now - c.start) / 1000;
    if (c.end) return { action: 'none' };
    const bridged = c.bridge !== null && c.bridge.from <= now && now < c.bridge.to;
    let end: SimEnd;
    if (bridged && a.afterAnswer === 'keep-bridge') end = { kind: 'fallback', action: 'keep-bridge', at: (c.bridge!.to - c.start) / 1000 };
    else if (c.answered || bridged) end = { kind: 'fallback', action: 'hangup', at };
    else end = { kind: 'fallback', action: 'reject', code: a.beforeAnswer, at };
    c.end = end;
    return { action: end.action === 'reject' ? `rejected ${a.beforeAnswer}` : end.action };
  }

  #reply<V>(c: SimCallState, op: string, args: unknown, now: number, r: OpReply<V>, at = (now - c.start) / 1000): OpReply<V> {
    c.trace.push({ at, op, args, result: r.ok ? r.value : { error: r.error } });
    this.#changed();
    return r;
  }

  /** Manual mode: move time forward, firing due ops, letting the dialplans react between them. */
  async advance(seconds: number): Promise<void> {
    if (this.mode !== 'manual') throw new Error('advance() needs a FakePbx with clock: manual');
    const target = this.clock.now + seconds * 1000;
    for (let guard = 0; guard < 1_000_000; guard++) {
      await this.settled();
      const fire = this.clock.takeNext(target);
      if (!fire) break;
      fire();
    }
    this.clock.moveTo(target);
    await this.settled();
  }

  /** Resolves when every unfinished call is waiting on the clock (nothing is computing). */
  settled(): Promise<void> {
    return this.#until(() => [...this.#calls.values()].every((c) => c.finished || c.pending));
  }

  /** Resolves when the call is blocked on a timed op (or finished): it is "in flight". */
  waiting(id: string): Promise<void> {
    const c = this.call(id);
    return this.#until(() => c.finished || c.pending);
  }

  #until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        this.#watchers.delete(check);
        resolve();
      };
      this.#watchers.add(check);
    });
  }

  #changed(): void {
    for (const w of [...this.#watchers]) w();
  }
}
