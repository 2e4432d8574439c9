// The `call` object a dialplan receives. Operations are serialised (one op per call at a time, as a
// call leg has one media stream); `Promise.all` over ops still works, it just runs them in order.
import type * as Sdk from '@pbx/dialplan';
import type { CallInfo } from '../host/call-info.ts';
import type { OpArgs, OpValue, TerminalOp } from '../host/ops.ts';
import type { SandboxOpName } from '../host/op-schemas.ts';
import { dialArgs, dialTarget, promptList } from './args.ts';
import { send, post } from './channel.ts';
import { Hangup } from './errors.ts';
import { checkPin, collectDigits, menu, type Exec } from './ivr.ts';
import { safeJson } from './prelude.ts';
import type { RunReport } from './report.ts';

const noop = (): void => undefined;

export class CallImpl implements Sdk.Call {
  readonly id: string;
  readonly from: Sdk.Party;
  readonly to: Sdk.Party;
  readonly requestUri: string;
  readonly dialed: string;
  readonly direction: Sdk.Call['direction'];
  readonly vars: Record<string, string>;
  readonly #headers: Map<string, string>;
  readonly #done = Object.freeze({}) as unknown as Sdk.Done;
  #t: number;
  #answered = false;
  #earlyMedia = false;
  #gone: 'caller' | 'system' | null = null;
  #ended: TerminalOp | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(init: CallInfo) {
    this.id = init.id;
    this.from = Object.freeze({ ...init.from });
    this.to = Object.freeze({ ...init.to });
    this.requestUri = init.requestUri;
    this.dialed = init.dialed;
    this.direction = init.direction;
    this.#t = init.startedAt;
    this.#headers = new Map(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v]));
    // Every write is posted at once, so the CDR keeps the vars even if the isolate is killed later.
    const id = this.id;
    this.vars = new Proxy({} as Record<string, string>, {
      set(target, key, value) {
        if (typeof key !== 'string') return false;
        target[key] = String(value);
        post(id, 'setVar', { name: key, value: String(value).slice(0, 4000) });
        return true;
      },
      deleteProperty(target, key) {
        if (typeof key === 'string' && key in target) post(id, 'setVar', { name: key, value: '' });
        return Reflect.deleteProperty(target, key);
      },
    });
  }

  get answered(): boolean {
    return this.#answered;
  }
  now(): Date {
    return new Date(this.#t);
  }
  header(name: string): string | undefined {
    return this.#headers.get(String(name).toLowerCase());
  }
  log(msg: string, data?: Record<string, unknown>): void {
    const plain = data === undefined ? null : (JSON.parse(safeJson(data)) as Record<string, unknown>);
    post(this.id, 'log', { level: 'info', msg: String(msg).slice(0, 4000), data: plain });
  }

  ring(o?: { earlyMedia?: boolean }): Promise<void> {
    return this.#serial(async () => {
      await this.#exec('ring', { earlyMedia: o?.earlyMedia === true });
      if (o?.earlyMedia === true) this.#earlyMedia = true;
    });
  }
  answer(): Promise<void> {
    return this.#serial(() => this.#answer());
  }
  play(p: Sdk.Prompt | readonly Sdk.Prompt[], o?: { bargeIn?: boolean }): Promise<Sdk.PlayResult> {
    return this.#media(() => this.#exec('play', { prompts: promptList(p), bargeIn: o?.bargeIn === true }));
  }
  collect(o: Sdk.CollectOptions): Promise<Sdk.CollectResult> {
    return this.#media(() => collectDigits(this.#execBound, o));
  }
  menu<K extends Sdk.Digit>(o: Sdk.MenuOptions<K>): Promise<K | null> {
    return this.#media(() => menu(this.#execBound, o));
  }
  dial(t: Sdk.DialTarget | readonly Sdk.DialTarget[], o?: Sdk.DialOptions): Promise<Sdk.DialResult> {
    return this.#serial(async () => {
      const r = await this.#exec('dial', dialArgs(t, o));
      if (r.status === 'answered') this.#answered = true;
      return r;
    });
  }
  conference(room: string, o: Sdk.ConferenceOptions = {}): Promise<Sdk.ConferenceResult> {
    return this.#media(async () => {
      if (o.pin !== undefined && !(await checkPin(this.#execBound, o))) return { status: 'denied', reason: 'pin' };
      return this.#exec('conference', {
        room: String(room),
        moderator: o.moderator === true,
        muted: o.muted === true,
        waitMusic: o.waitMusic ?? null,
        maxMembers: o.maxMembers ?? null,
        endWhenModeratorLeaves: o.endWhenModeratorLeaves === true,
      });
    });
  }
  hold(o?: { music?: string }): Promise<void> {
    return this.#media(async () => void (await this.#exec('hold', { music: o?.music ?? null })));
  }
  unhold(): Promise<void> {
    return this.#serial(async () => void (await this.#exec('unhold', {})));
  }
  sleep(seconds: number): Promise<void> {
    return this.#serial(async () => void (await this.#exec('sleep', { seconds: Number(seconds) })));
  }

  voicemail(mailbox: string, o?: { cause?: Sdk.VoicemailCause }): Promise<Sdk.Done> {
    return this.#terminal('voicemail', { mailbox: String(mailbox), cause: o?.cause ?? null });
  }
  transfer(to: Sdk.DialTarget): Promise<Sdk.Done> {
    return this.#terminal('transfer', { target: dialTarget(to) });
  }
  reject(code: Sdk.RejectCode = 603, reason?: string): Promise<Sdk.Done> {
    return this.#terminal('reject', { code, reason: reason ?? null });
  }
  /** Idempotent: a call the caller already left (or one already ended) just yields Done. */
  hangup(): Promise<Sdk.Done> {
    if (this.#gone !== null || this.#ended !== null) return Promise.resolve(this.#done);
    return this.#terminal('hangup', {}).catch((e: unknown) => {
      if (e instanceof Hangup) return this.#done;
      throw e;
    });
  }

  /** How the run ended, from what the dialplan returned or threw (static: not on the call object). */
  static report(call: CallImpl, outcome: { returned: unknown } | { threw: unknown }): RunReport {
    if (call.#ended !== null) return { kind: 'done', terminal: call.#ended };
    if ('threw' in outcome) {
      const e = outcome.threw;
      if (e instanceof Hangup) return { kind: 'hangup', by: e.by };
      if (call.#gone !== null) return { kind: 'hangup', by: call.#gone };
      if (e instanceof Error) return { kind: 'error', name: e.name, message: e.message, stack: e.stack ?? null };
      return { kind: 'error', name: 'Error', message: `non-Error thrown: ${safeJson(e)}`, stack: null };
    }
    if (call.#gone !== null) return { kind: 'hangup', by: call.#gone };
    return { kind: 'fellthrough', returned: safeJson(outcome.returned) };
  }

  // Written with await (not `queue.then(fn)`) so V8's async stack traces still reach the
  // dialplan line that called the op: errors then name `office.ts:12:5`, not only runtime frames.
  async #serial<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let release = noop;
    this.#queue = new Promise<void>((r) => (release = r));
    try {
      await previous;
      return await fn();
    } finally {
      release();
    }
  }
  /** Media needs an answered call unless early media is on (as Asterisk's Playback answers). */
  #media<T>(fn: () => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      if (!this.#answered && !this.#earlyMedia) await this.#answer();
      return fn();
    });
  }
  async #answer(): Promise<void> {
    if (this.#answered) return;
    await this.#exec('answer', {});
    this.#answered = true;
  }
  #terminal<K extends TerminalOp>(op: K, args: OpArgs<K>): Promise<Sdk.Done> {
    return this.#serial(async () => {
      await this.#exec(op, args);
      this.#ended = op;
      return this.#done;
    });
  }
  readonly #execBound: Exec = (op, args) => this.#exec(op, args);
  async #exec<K extends SandboxOpName>(op: K, args: OpArgs<K>): Promise<OpValue<K>> {
    if (this.#gone !== null) throw new Hangup(this.#gone);
    if (this.#ended !== null) throw new Error(`${op}: the call was already ended by ${this.#ended}()`);
    const r = await send(this.id, op, args);
    if (typeof r.t === 'number' && r.t > this.#t) this.#t = r.t;
    if (r.ok) {
      if (r.gone !== undefined) this.#gone = r.gone; // later ops throw Hangup; hangup() is Done
      return r.value as OpValue<K>;
    }
    if (r.error.code === 'hangup') {
      this.#gone = r.error.by;
      throw new Hangup(r.error.by);
    }
    throw new Error(`${op} failed: ${r.error.message}`);
  }
}
