// The dialplan's operations carried out on real calls: the `CallHost` of dialplan/host for the PBX.
// Each op finds the call's session and does the SIP and media work; an op on a call that is gone
// answers 'hangup' so the dialplan sees `Hangup` and its `finally` blocks run. Terminal ops end
// the call and reply with null (the SDK turns that into `Done`).
import type { DialResult, Prompt } from '@pbx/dialplan';
import type { CallHost, OpError, OpReply } from '../../../dialplan/host/call-host.ts';
import type { OpArgs, OpName, OpValue } from '../../../dialplan/host/ops.ts';
import { voicemailRequestUri } from '../../../dialplan/host/rfc4458.ts';
import type { Clock, TimerHandle } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { CallSession } from '../calls/call-session.ts';
import { dial, type DialDeps, type DialOutcome } from '../calls/dial.ts';
import type { PlayItem } from '../calls/media-call.ts';
import type { CdrStore } from '../store/cdr.ts';
import { ConferenceRooms } from './conference-rooms.ts';
import { toPlayItems, type PromptOptions } from './prompts.ts';
import { resolveTargets, type TargetDeps } from './targets.ts';

export interface HostedCall {
  session: CallSession;
  cdrId: number;
  vars: Record<string, string>;
  /** Ops in progress (a killed dialplan can leave a bridged dial running). */
  pending: number;
  /** The dialplan is gone but a bridge it started keeps running ('keep-bridge' fallback). */
  orphaned: boolean;
  /** Final status sent to an unanswered caller, for the CDR. */
  status?: number;
}

export interface PbxCallHostOptions {
  dial: DialDeps;
  targets: TargetDeps;
  prompts: PromptOptions;
  cdrs: CdrStore;
  domain: string;
  /** User part of the voicemail service URI (sip:voicemail@domain;target=…;cause=…). */
  voicemailUser: string;
  /**
   * Hands the call to a built-in service by Request-URI (voicemail with its RFC 4458 URI, echo):
   * false when the URI names no service. The retarget stays inside the PBX: the service sees the
   * same URI an INVITE from outside would carry, without a SIP loop through our own engine.
   */
  localService(session: CallSession, requestUri: string): Promise<boolean>;
  holdMusic: readonly PlayItem[];
  /** Ringing time of a dial when the dialplan gives none. */
  defaultRingMs: number;
  clock: Clock;
  log: Logger;
}

type Reply<K extends OpName> = OpReply<OpValue<K>>;

export class PbxCallHost implements CallHost {
  readonly calls = new Map<string, HostedCall>();
  readonly rooms: ConferenceRooms;
  readonly targetDeps: TargetDeps;

  constructor(private readonly o: PbxCallHostOptions) {
    this.targetDeps = o.targets;
    this.rooms = new ConferenceRooms(o.dial, o.clock, o.log);
  }

  add(call: HostedCall): void {
    this.calls.set(call.session.callId, call);
  }

  remove(callId: string): void {
    this.calls.delete(callId);
  }

  async op<K extends OpName>(callId: string, op: K, args: OpArgs<K>): Promise<Reply<K>> {
    const call = this.calls.get(callId);
    if (!call) return this.#err({ code: 'hangup', by: 'system', message: `call ${callId} is not active` });
    call.pending++;
    try {
      const reply = await this.#run(call, op, args);
      // Said with the reply, so the dialplan's hangup() afterwards needs no round trip of its own.
      if (reply.ok && call.session.isEnded) reply.gone = call.session.endedBy ?? 'system';
      return reply as Reply<K>;
    } catch (err) {
      if (call.session.isEnded) return this.#hangup(call);
      const message = (err as Error).message;
      this.o.log.warn(`call ${callId}: ${op} failed: ${message}`);
      return this.#err({ code: 'failed', message });
    } finally {
      call.pending--;
      if (call.orphaned && call.pending === 0) void this.#endCall(call, 480);
    }
  }

  async #run(call: HostedCall, op: OpName, args: unknown): Promise<Reply<OpName>> {
    const s = call.session;
    if (op === 'log') {
      const a = args as OpArgs<'log'>;
      const line = `dialplan ${s.callId}: ${a.msg}${a.data ? ' ' + JSON.stringify(a.data) : ''}`;
      if (a.level === 'error') this.o.log.error(line);
      else if (a.level === 'warn') this.o.log.warn(line);
      else this.o.log.info(line);
      return this.#ok(null);
    }
    if (op === 'setVar') {
      const a = args as OpArgs<'setVar'>;
      call.vars[a.name] = a.value;
      this.o.cdrs.setVars(call.cdrId, call.vars);
      return this.#ok(null);
    }
    if (op === 'fallback') return this.#ok(await this.#fallback(call, args as OpArgs<'fallback'>));
    if (s.isEnded) return this.#hangup(call);
    switch (op) {
      case 'answer':
        await s.answer();
        return this.#ok(null);
      case 'ring':
        await s.ring((args as OpArgs<'ring'>).earlyMedia);
        return this.#ok(null);
      case 'play': {
        const a = args as OpArgs<'play'>;
        const r = await s.play(await this.#items(a.prompts), { bargeIn: a.bargeIn });
        if (r.status === 'hangup') return this.#hangup(call);
        return this.#ok(r.status === 'interrupted' ? { status: 'interrupted', digit: r.digit as never } : { status: 'played' });
      }
      case 'collect': {
        const a = args as OpArgs<'collect'>;
        const r = await s.collect({
          prompts: await this.#items(a.prompts), max: a.max, timeoutMs: a.timeout * 1000, interDigitMs: a.interDigitTimeout * 1000, terminators: a.terminators,
        });
        if (r.endedBy === 'hangup') return this.#hangup(call);
        return this.#ok({ digits: r.digits, endedBy: r.endedBy });
      }
      case 'dial': {
        const r = await this.#dial(call, args as OpArgs<'dial'>);
        return r === 'hangup' ? this.#hangup(call) : this.#ok(r);
      }
      case 'conference': {
        const a = args as OpArgs<'conference'>;
        const music = a.waitMusic === null ? undefined : await this.#music(a.waitMusic);
        const r = await this.rooms.join(s, { ...a, waitMusic: music });
        return r === 'hangup' ? this.#hangup(call) : this.#ok(r);
      }
      case 'hold': {
        const a = args as OpArgs<'hold'>;
        await s.answer();
        await s.startPlay(await this.#music(a.music ?? 'default'), true);
        return this.#ok(null);
      }
      case 'unhold':
        await s.stopPlay();
        return this.#ok(null);
      case 'sleep': {
        const ms = (args as OpArgs<'sleep'>).seconds * 1000;
        let timer: TimerHandle | undefined;
        await Promise.race([new Promise<void>((r) => (timer = this.o.clock.setTimer(ms, r))), s.ended]);
        timer?.cancel();
        return s.isEnded ? this.#hangup(call) : this.#ok(null);
      }
      case 'voicemail': {
        const a = args as OpArgs<'voicemail'>;
        const service = `sip:${this.o.voicemailUser}@${this.o.domain}`;
        const uri = voicemailRequestUri(service, a.mailbox, this.o.domain, a.cause);
        this.o.log.info(`call ${s.callId}: to voicemail ${a.mailbox}${a.cause === null ? '' : ` (cause ${a.cause})`}: ${uri}`);
        if (!(await this.o.localService(s, uri))) throw new Error(`no voicemail service answers ${uri}`);
        await this.#endCall(call, 480);
        return this.#ok(null);
      }
      case 'transfer': {
        const target = (args as OpArgs<'transfer'>).target;
        if (target.kind === 'uri' && (await this.o.localService(s, target.uri))) await this.#endCall(call, 480);
        else await this.#terminalDial(call, target);
        return this.#ok(null);
      }
      case 'reject': {
        const a = args as OpArgs<'reject'>;
        if (s.answered) await this.#endCall(call, a.code);
        else {
          call.status = a.code;
          s.reject(a.code, a.reason ?? undefined);
        }
        return this.#ok(null);
      }
      case 'hangup':
        await this.#endCall(call, 480);
        return this.#ok(null);
      default:
        return this.#err({ code: 'invalid', message: `unknown operation ${op}` });
    }
  }

  async #dial(call: HostedCall, a: OpArgs<'dial'>): Promise<DialResult | 'hangup'> {
    const s = call.session;
    const resolved = await resolveTargets(a.targets, this.o.targets);
    for (const p of resolved.problems) this.o.log.info(`call ${s.callId}: dial: ${p}`);
    if (resolved.targets.length === 0) return failureResult(resolved.failures, resolved.problems);
    for (const t of resolved.targets) if (t.confirmPrompt !== undefined) t.confirm = await this.#items([t.confirmPrompt]);
    const from = callerIdHeader(a.callerId ?? {}, s, this.o.domain);
    const first = resolved.targets[0]!;
    const to = first.label.startsWith('sip') ? `<${first.label}>` : `<sip:${first.label}@${this.o.domain}>`;
    const holdMusic = a.holdMusic === false ? false : await this.#music(a.holdMusic);
    const ringback = a.ringback === 'ring' ? 'ring' as const : { music: await this.#music(a.ringback.music) };
    const sequential = a.strategy === 'sequential';
    const ringMs = a.timeout > 0 ? a.timeout * 1000 : this.o.defaultRingMs;
    const outcome: DialOutcome = await dial(s, {
      targets: resolved.targets,
      strategy: a.strategy,
      // Sequential: `timeout` is per target, so the whole ring time is their sum.
      ringTimeoutMs: sequential ? resolved.targets.reduce((t, x) => t + (x.timeoutMs ?? ringMs), 0) : ringMs,
      perTargetTimeoutMs: ringMs,
      headers: { From: from, To: to },
      ringback,
      holdMusic,
      maxDurationMs: a.maxDuration === null ? null : a.maxDuration * 1000,
      label: (t) => resolved.targets.find((x) => x.uri === t.uri)?.label ?? t.uri,
    }, this.o.dial);
    if (outcome.kind === 'hangup') return 'hangup';
    if (outcome.kind === 'answered') {
      return { status: 'answered', by: outcome.by, talkSeconds: Math.round(outcome.talkMs / 1000), endedBy: outcome.endedBy };
    }
    if (outcome.reason === 'canceled') return 'hangup';
    if (outcome.reason === 'no-answer') return { status: 'no-answer' };
    if (outcome.reason === 'busy') return { status: 'busy', sipCode: outcome.status };
    return failureResult([outcome.status], []);
  }

  /** voicemail and transfer: dial, and whatever happens the call ends afterwards. */
  async #terminalDial(call: HostedCall, target: OpArgs<'transfer'>['target']): Promise<void> {
    const r = await this.#dial(call, {
      targets: [target], strategy: 'parallel', timeout: 0, ringback: 'ring', callerId: null, holdMusic: false, maxDuration: null,
    });
    const status = r === 'hangup' || r.status === 'answered' || r.status === 'no-answer' ? 480 : 'sipCode' in r && r.sipCode ? r.sipCode : 480;
    await this.#endCall(call, status);
  }

  async #fallback(call: HostedCall, a: OpArgs<'fallback'>): Promise<OpValue<'fallback'>> {
    const s = call.session;
    this.o.log.warn(`call ${s.callId}: dialplan ${a.reason}: ${a.message}`);
    if (s.isEnded) return { action: 'none' };
    if (!s.answered) {
      call.status = a.beforeAnswer;
      s.reject(a.beforeAnswer);
      return { action: `rejected ${a.beforeAnswer}` };
    }
    // A bridged dial still runs: leave the two talking and hang up when it ends.
    if (a.afterAnswer === 'keep-bridge' && call.pending > 1) {
      call.orphaned = true;
      return { action: 'keep-bridge' };
    }
    await this.#endCall(call, 480);
    return { action: 'hangup' };
  }

  async #endCall(call: HostedCall, status: number): Promise<void> {
    if (!call.session.answered) call.status ??= status;
    await call.session.hangup(status);
  }

  /** A music name: 'default' is the PBX's hold music (pbx.media.holdMusic), anything else a sound. */
  #music(name: string): Promise<PlayItem[]> {
    return name === 'default' ? Promise.resolve([...this.o.holdMusic]) : this.#items([name]);
  }

  #items(prompts: readonly Prompt[]): Promise<PlayItem[]> {
    return toPlayItems(prompts, this.o.prompts);
  }

  #ok<V>(value: V): OpReply<V> {
    return { ok: true, value, t: this.o.clock.now() };
  }

  #err(error: OpError): OpReply<never> {
    return { ok: false, error, t: this.o.clock.now() };
  }

  #hangup(call: HostedCall): OpReply<never> {
    const by = call.session.endedBy ?? 'system';
    return this.#err({ code: 'hangup', by, message: by === 'caller' ? 'the caller hung up' : 'the call was ended' });
  }
}

/** The SDK's dial result for calls nobody answered, from every failure status seen. */
export function failureResult(statuses: readonly number[], problems: readonly string[]): DialResult {
  if (statuses.some((s) => s === 486 || s === 600)) return { status: 'busy', sipCode: statuses.find((s) => s === 486 || s === 600)! };
  const decline = statuses.find((s) => s === 603 || s === 403);
  if (decline) return { status: 'rejected', sipCode: decline };
  if (statuses.length > 0 && statuses.every((s) => s === 408 || s === 487)) return { status: 'no-answer' };
  const unavailable = statuses.find((s) => s === 404 || s === 410 || s === 480 || s === 503);
  if (unavailable) return problems.length === 0 && unavailable === 480 ? { status: 'no-answer' } : { status: 'unavailable', sipCode: unavailable };
  const other = statuses.find((s) => s >= 400);
  return { status: 'failed', ...(other ? { sipCode: other } : {}), reason: problems.join('; ') || `call failed${other ? ` with ${other}` : ''}` };
}

/** The caller as callees see it: the extension in our domain (or the dialplan's caller ID). */
function callerIdHeader(id: { number?: string | undefined; name?: string | undefined }, s: CallSession, domain: string): string {
  const user = id.number ?? s.caller;
  const display = id.name ?? s.callerName;
  const name = display === undefined ? '' : `"${display.replace(/["\\\r\n]/g, '')}" `;
  return `${name}<sip:${user}@${domain}>`;
}
