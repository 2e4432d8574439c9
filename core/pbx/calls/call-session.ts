// One incoming call as the PBX holds it while a dialplan or a built-in service decides what
// happens: the caller's INVITE (and later its dialog), the media leg that faces the caller's phone,
// the digits the caller typed, and how the call ended. It answers, rings, plays, collects and
// records; a dial bridges it to a callee (see dial.ts). Anything after the end is a no-op, so a
// dialplan racing a hang-up never touches a dead dialog.
import type { Clock, TimerHandle } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import { MediaError } from '../../media/util/media-error.ts';
import type { SrfResponse } from '../srf-types.ts';
import type {
  MediaCall, MediaCollectOptions, MediaCollectResult, MediaPlayResult, MediaRecordOptions, MediaRecordResult, PlayItem,
} from './media-call.ts';
import type { MediaLink } from './media-link.ts';
import type { DialogApi, SrfDialog, SrfInDialogRequest, SrfInDialogResponse, SrfInvite } from './srf-dialogs.ts';

export type EndedBy = 'caller' | 'system';

/** Who handles re-INVITEs and other in-dialog requests from the caller: the session, or a bridge. */
export interface InDialogHandler {
  modify(req: SrfInDialogRequest, res: SrfInDialogResponse): void;
  request(method: 'INFO' | 'UPDATE' | 'REFER' | 'NOTIFY', req: SrfInDialogRequest, res: SrfInDialogResponse): void;
}

export interface CallSessionDeps {
  api: DialogApi;
  /** Absent: SDP passes end to end and media operations fail with 503. */
  media: MediaLink | undefined;
  log: Logger;
  clock: Clock;
  /** The caller was answered (for the CDR). */
  onAnswer?: (at: number) => void;
}

export interface CallSessionInit {
  req: SrfInvite;
  res: SrfResponse;
  callId: string;
  caller: string;
  callerName: string | undefined;
}

export class CallSession implements MediaCall {
  readonly callId: string;
  readonly caller: string;
  readonly callerName: string | undefined;
  readonly req: SrfInvite;
  readonly res: SrfResponse;
  readonly ended: Promise<EndedBy>;
  /** The caller's dialog once answered. */
  uas: SrfDialog | undefined;
  /** The media leg facing the caller (anchored calls). */
  legId: string | undefined;
  #legSdp: string | undefined;
  #legPromise: Promise<string> | undefined;
  #answering: Promise<void> | undefined;
  #endedBy: EndedBy | undefined;
  #resolveEnded!: (by: EndedBy) => void;
  #ringing = false;
  #earlySent = false;
  /** Digits received and not consumed yet, with a waiter for the next one. */
  #digits: string[] = [];
  #digitWaiter: (() => void) | undefined;
  #offDtmf: (() => void) | undefined;
  #offLost: (() => void) | undefined;
  #inDialog: InDialogHandler | undefined;
  #answeredAt: number | undefined;

  constructor(
    init: CallSessionInit,
    private readonly deps: CallSessionDeps,
  ) {
    this.req = init.req;
    this.res = init.res;
    this.callId = init.callId;
    this.caller = init.caller;
    this.callerName = init.callerName;
    this.ended = new Promise((r) => (this.#resolveEnded = r));
    // After a CANCEL the engine has answered 487 itself; the session only has to stop.
    init.req.on('cancel', () => this.#end('caller'));
  }

  get isEnded(): boolean {
    return this.#endedBy !== undefined;
  }

  get endedBy(): EndedBy | undefined {
    return this.#endedBy;
  }

  get answered(): boolean {
    return this.uas !== undefined;
  }

  get answeredAt(): number | undefined {
    return this.#answeredAt;
  }

  get anchored(): boolean {
    return this.deps.media !== undefined;
  }

  /** A bridge takes over the caller's in-dialog requests while it runs (undefined gives them back). */
  set inDialog(h: InDialogHandler | undefined) {
    this.#inDialog = h;
  }

  /** The leg facing the caller, created on first use from the caller's offer. */
  async leg(): Promise<{ legId: string; sdp: string }> {
    const media = this.#media();
    this.#legPromise ??= (async () => {
      const r = await media.client.createLeg({ callId: this.callId, tag: 'caller', offer: this.req.body });
      this.legId = r.legId;
      this.#legSdp = r.sdp;
      this.#offDtmf = media.onDtmf(r.legId, (d) => this.pushDigit(d.digit));
      this.#offLost = media.onLegLost(r.legId, () => {
        this.deps.log.warn(`call ${this.callId}: media lost; hanging up`);
        void this.hangup();
      });
      if (this.isEnded) void this.#releaseLeg();
      return r.legId;
    })();
    const legId = await this.#legPromise;
    return { legId, sdp: this.#legSdp! };
  }

  /** 180 Ringing, or 183 Session Progress with the leg's SDP (early media). */
  async ring(earlyMedia: boolean): Promise<void> {
    if (this.isEnded || this.answered || this.res.finalResponseSent) return;
    if (earlyMedia) {
      const { sdp } = await this.leg();
      if (this.isEnded || this.res.finalResponseSent) return;
      this.#earlySent = true;
      this.#ringing = true;
      this.res.send(183, undefined, { body: sdp });
      return;
    }
    if (this.#ringing) return;
    this.#ringing = true;
    this.res.send(180, undefined, {});
  }

  /** True once 180/183 went to the caller (a dial need not send it again). */
  get ringing(): boolean {
    return this.#ringing;
  }

  markRinging(): void {
    this.#ringing = true;
  }

  /** 200 OK with the leg's SDP (anchored), or with `sdp` (pass-through, the callee's answer). */
  answer(sdp?: string): Promise<void> {
    this.#answering ??= (async () => {
      const localSdp = sdp ?? (await this.leg()).sdp;
      if (this.isEnded) throw hangupError(this.#endedBy!);
      const uas = await this.deps.api.createUAS(this.req, this.res, { localSdp });
      this.uas = uas;
      this.#answeredAt = this.deps.clock.now();
      this.deps.onAnswer?.(this.#answeredAt);
      uas.on('destroy', () => this.#end('caller'));
      uas.on('modify', (req, res) => (this.#inDialog ? this.#inDialog.modify(req, res) : void this.#reoffer(req, res)));
      for (const m of ['info', 'update', 'refer', 'notify'] as const) {
        uas.on(m, (req, res) => {
          // While bridged, everything (SIP INFO DTMF too) goes to the other party.
          if (this.#inDialog) return this.#inDialog.request(m.toUpperCase() as 'INFO', req, res);
          if (m === 'info' && this.#dtmfInfo(req, res)) return;
          res.send(m === 'info' || m === 'update' ? 200 : 501);
        });
      }
      if (this.isEnded) void uas.destroy().catch(() => {});
    })();
    return this.#answering;
  }

  async play(items: readonly PlayItem[], opts: { bargeIn?: boolean; loop?: boolean } = {}): Promise<MediaPlayResult> {
    if (this.isEnded) return { status: 'hangup' };
    const media = this.#media();
    const { legId } = await this.#mediaReady();
    const { playId } = await media.client.play({ legId, items: [...items], bargeIn: opts.bargeIn ?? false, loop: opts.loop ?? false });
    const done = await Promise.race([media.waitPlay(playId), this.ended.then(() => undefined)]);
    if (!done || done.reason === 'hangup' || this.isEnded) return { status: 'hangup' };
    if (done.reason === 'bargeIn' && done.digit) {
      this.#takeDigit(done.digit);
      return { status: 'interrupted', digit: done.digit };
    }
    return { status: 'played' };
  }

  /** Starts a play without waiting for it (music on hold, ringback); stop with stopPlay. */
  async startPlay(items: readonly PlayItem[], loop: boolean): Promise<void> {
    if (this.isEnded) return;
    const { legId } = await this.#mediaReady(false);
    await this.#media().client.play({ legId, items: [...items], loop });
  }

  async stopPlay(): Promise<void> {
    if (this.isEnded || this.legId === undefined || !this.deps.media?.connected) return;
    await this.deps.media.client.stopPlay(this.legId).catch(() => undefined);
  }

  async collect(o: MediaCollectOptions): Promise<MediaCollectResult> {
    if (this.isEnded) return { digits: '', endedBy: 'hangup' };
    this.#digits = [];
    const terminators = o.terminators ?? '';
    let digits = '';
    if (o.prompts && o.prompts.length > 0) {
      const p = await this.play(o.prompts, { bargeIn: true });
      if (p.status === 'hangup') return { digits: '', endedBy: 'hangup' };
      // The barge-in digit was consumed by play(); it is the first digit of the input.
      if (p.status === 'interrupted') {
        if (terminators.includes(p.digit)) return { digits: '', endedBy: 'terminator' };
        digits = p.digit;
      }
    } else {
      await this.#mediaReady();
    }
    while (digits.length < o.max) {
      const d = await this.nextDigit(digits.length === 0 ? o.timeoutMs : o.interDigitMs);
      if (d === 'hangup') return { digits, endedBy: 'hangup' };
      if (d === undefined) return { digits, endedBy: digits.length === 0 ? 'timeout' : 'inter-digit-timeout' };
      if (terminators.includes(d)) return { digits, endedBy: 'terminator' };
      digits += d;
    }
    return { digits, endedBy: 'max' };
  }

  async record(o: MediaRecordOptions): Promise<MediaRecordResult> {
    if (this.isEnded) return { durationMs: 0, reason: 'hangup' };
    const media = this.#media();
    const { legId } = await this.#mediaReady();
    this.#digits = [];
    const { recordId } = await media.client.record({
      legId, path: o.path, maxMs: o.maxMs, beep: o.beep ?? false, ...(o.silenceMs ? { silenceMs: o.silenceMs } : {}),
    });
    const stopDigits = o.stopDigits ?? '#';
    let stoppedBy: string | undefined;
    const finished = media.waitRecord(recordId);
    const stop = () => media.client.stopRecord(recordId).catch(() => undefined);
    // Digits and hang-up both stop the recording; the media server then reports what it wrote.
    const watcher = (async () => {
      for (;;) {
        const d = await Promise.race([this.nextDigit(Number.POSITIVE_INFINITY), finished.then(() => 'done' as const)]);
        if (d === 'done') return;
        if (d === 'hangup') return void (await stop());
        if (d !== undefined && stopDigits.includes(d)) {
          stoppedBy = d;
          return void (await stop());
        }
      }
    })();
    const done = await finished;
    this.#wakeDigitWaiter();
    await watcher;
    if (done.reason === 'error') return { durationMs: done.durationMs, reason: 'error', error: done.error ?? 'recording failed' };
    const reason: MediaRecordResult['reason'] =
      stoppedBy !== undefined ? 'digit' : this.isEnded || done.reason === 'hangup' ? 'hangup'
        : done.reason === 'silence' ? 'silence' : done.reason === 'maxDuration' ? 'max' : 'hangup';
    return { durationMs: done.durationMs, reason, ...(stoppedBy !== undefined ? { digit: stoppedBy } : {}) };
  }

  /** Next digit within `ms`; undefined on timeout, 'hangup' if the call ended. */
  nextDigit(ms: number): Promise<string | undefined | 'hangup'> {
    if (this.isEnded) return Promise.resolve('hangup');
    const queued = this.#digits.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const wake = () => {
        timer?.cancel();
        this.#digitWaiter = undefined;
        if (this.isEnded) return resolve('hangup');
        resolve(this.#digits.shift());
      };
      this.#digitWaiter = wake;
      if (Number.isFinite(ms)) timer = this.deps.clock.setTimer(ms, wake);
    });
  }

  pushDigit(d: string): void {
    this.#digits.push(d);
    if (this.#digits.length > 64) this.#digits.shift();
    this.#wakeDigitWaiter();
  }

  /** Ends the call from the PBX side: BYE when answered, else a final response. */
  async hangup(status = 480, reason?: string): Promise<void> {
    if (this.isEnded) return;
    this.#end('system');
    if (this.uas) await this.uas.destroy().catch(() => undefined);
    else if (!this.res.finalResponseSent) this.res.send(status, reason, {});
  }

  /** Refuses an unanswered call (a no-op once answered or ended: use hangup). */
  reject(status: number, reason?: string): void {
    if (this.isEnded || this.answered || this.res.finalResponseSent) return;
    this.#end('system');
    this.res.send(status, reason, {});
  }

  /** The call is over for the PBX (dialog gone elsewhere, e.g. a bridge saw the BYE). */
  markEnded(by: EndedBy): void {
    this.#end(by);
  }

  #end(by: EndedBy): void {
    if (this.#endedBy) return;
    this.#endedBy = by;
    this.#resolveEnded(by);
    this.#wakeDigitWaiter();
    void this.#releaseLeg();
  }

  async #releaseLeg(): Promise<void> {
    this.#offDtmf?.();
    this.#offLost?.();
    const legId = this.legId;
    this.legId = undefined;
    if (legId !== undefined && this.deps.media?.connected) await this.deps.media.client.destroyLeg(legId).catch(() => undefined);
  }

  #wakeDigitWaiter(): void {
    this.#digitWaiter?.();
  }

  #takeDigit(d: string): void {
    const i = this.#digits.indexOf(d);
    if (i >= 0) this.#digits.splice(i, 1);
  }

  #media(): MediaLink {
    if (!this.deps.media) throw new MediaError(503, 'media is not anchored on this PBX (pbx.media.anchor is false)');
    return this.deps.media;
  }

  /** Media needs the call answered, unless early media (183) already flows. */
  async #mediaReady(answer = true): Promise<{ legId: string }> {
    const leg = await this.leg();
    if (answer && !this.answered && !this.#earlyMediaSent()) await this.answer();
    return leg;
  }

  #earlyMediaSent(): boolean {
    return this.#earlySent;
  }

  /** A re-INVITE while no bridge runs: the caller's leg answers it (hold and unhold included). */
  async #reoffer(req: SrfInDialogRequest, res: SrfInDialogResponse): Promise<void> {
    try {
      if (this.legId === undefined) throw new MediaError(488, 'no media leg');
      const r = await this.#media().client.setRemote({ legId: this.legId, sdp: req.body, type: 'offer' });
      res.send(200, { body: r.sdp ?? this.#legSdp ?? '' });
    } catch (err) {
      this.deps.log.info(`call ${this.callId}: re-INVITE refused: ${(err as Error).message}`);
      res.send(488);
    }
  }

  /** SIP INFO DTMF (application/dtmf-relay, application/dtmf): taken as a digit, answered 200. */
  #dtmfInfo(req: SrfInDialogRequest, res: SrfInDialogResponse): boolean {
    const type = (req.get('Content-Type') ?? '').toLowerCase();
    if (!type.startsWith('application/dtmf')) return false;
    const m = /Signal\s*=\s*([0-9*#A-D])/i.exec(req.body) ?? /^\s*([0-9*#A-D])\s*$/i.exec(req.body);
    res.send(m ? 200 : 400);
    if (m) this.pushDigit(m[1]!.toUpperCase());
    return true;
  }
}

/** The error a media operation gets when the caller is gone. */
export function hangupError(by: EndedBy): Error & { hangup: EndedBy } {
  return Object.assign(new Error(by === 'caller' ? 'the caller hung up' : 'the call was ended'), { hangup: by });
}
