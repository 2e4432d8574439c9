// Test support: a MediaCall driven by a script of what the caller does, one step per operation
// that waits for the caller (collect, record, a play the caller interrupts). Recordings are real
// WAV files written where the flow asked, so the store's effects can be checked for real.
// An operation that meets a step meant for another kind throws: a flow that asks for input the
// script did not expect fails its test instead of wandering on.
import type {
  MediaCall, MediaCollectOptions, MediaCollectResult, MediaPlayResult, MediaRecordOptions, MediaRecordResult, PlayItem,
} from '../../core/pbx/calls/media-call.ts';
import { existsSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { defaultMediaConfig } from '../../core/media/config.ts';
import { writeWav } from '../store/testing.ts';

export type CallerStep =
  /** Answer the next collect with these keys (a terminator in them ends input like on a phone); `act` runs first. */
  | { keys: string; act?: () => void }
  /** Let the next collect time out. */
  | { silent: true }
  /** Press a key during the next play that allows barge-in. */
  | { bargeIn: string }
  /** Speak for `ms` into the next record, which ends by `reason`; `headerMs`: the WAV header lags (a crash). */
  | { speak: number; reason: MediaRecordResult['reason']; headerMs?: number }
  /** The next record writes `ms` of audio (header lagging) and then throws: the media server died. */
  | { recordFails: number }
  /** The next record writes `ms` of audio with a header patched only to `headerMs`, and never returns: the PBX was killed. */
  | { pbxDies: number; headerMs: number }
  /** Hang up now: the next operation sees it. */
  | { hangup: true };

export interface HeardLog {
  /** Everything played, in order: prompt names, absolute files, `tone:beep`, `[record]`. */
  items: string[];
  collects: MediaCollectOptions[];
  records: MediaRecordOptions[];
}

export class FakeMediaCall implements MediaCall {
  readonly callId = 'fake-call-1';
  readonly ended: Promise<'caller' | 'system'>;
  readonly heard: HeardLog = { items: [], collects: [], records: [] };
  hungUpBy: 'caller' | 'system' | undefined;
  /** Resolves with the WAV path once a `pbxDies` recording is on disk. */
  readonly died: Promise<string>;
  private endedResolve!: (by: 'caller' | 'system') => void;
  private diedResolve!: (path: string) => void;

  constructor(
    readonly caller: string,
    private readonly steps: CallerStep[],
    readonly callerName: string | undefined = undefined,
  ) {
    this.ended = new Promise((r) => (this.endedResolve = r));
    this.died = new Promise((r) => (this.diedResolve = r));
  }

  get isEnded(): boolean {
    return this.hungUpBy !== undefined;
  }

  /** Steps not yet used (0 when the flow asked for exactly what the script expected). */
  get remaining(): number {
    return this.steps.length;
  }

  async play(items: readonly PlayItem[], opts: { bargeIn?: boolean } = {}): Promise<MediaPlayResult> {
    if (this.checkHangup()) return { status: 'hangup' };
    this.log(items);
    const next = this.steps[0];
    if (next && 'bargeIn' in next && opts.bargeIn) {
      this.steps.shift();
      return { status: 'interrupted', digit: next.bargeIn };
    }
    return { status: 'played' };
  }

  async collect(opts: MediaCollectOptions): Promise<MediaCollectResult> {
    if (this.checkHangup()) return { digits: '', endedBy: 'hangup' };
    this.heard.collects.push(opts);
    this.log(opts.prompts ?? []);
    const step = this.take('collect', (s) => 'keys' in s || 'silent' in s);
    if (!step) return { digits: '', endedBy: 'hangup' };
    if ('silent' in step) return { digits: '', endedBy: 'timeout' };
    const { keys, act } = step as { keys: string; act?: () => void };
    act?.();
    const term = [...keys].findIndex((k) => opts.terminators?.includes(k));
    if (term >= 0) return { digits: keys.slice(0, term).slice(0, opts.max), endedBy: 'terminator' };
    return keys.length >= opts.max ? { digits: keys.slice(0, opts.max), endedBy: 'max' } : { digits: keys, endedBy: 'inter-digit-timeout' };
  }

  async record(opts: MediaRecordOptions): Promise<MediaRecordResult> {
    if (this.checkHangup()) return { durationMs: 0, reason: 'hangup' };
    this.heard.records.push(opts);
    this.heard.items.push(...(opts.beep ? ['tone:beep'] : []), '[record]');
    const step = this.take('record', (s) => 'speak' in s || 'recordFails' in s || 'pbxDies' in s);
    if (!step) return { durationMs: 0, reason: 'hangup' };
    if ('pbxDies' in step) {
      writeWav(opts.path, step.pbxDies, { headerMs: step.headerMs });
      this.diedResolve(opts.path);
      return new Promise<never>(() => {});
    }
    if ('recordFails' in step) {
      writeWav(opts.path, step.recordFails, { headerMs: 0 });
      this.hungUpBy = 'system';
      this.endedResolve('system');
      throw new Error('media server connection lost');
    }
    const s = step as Extract<CallerStep, { speak: number }>;
    const ms = Math.min(s.speak, opts.maxMs);
    writeWav(opts.path, ms, { headerMs: s.headerMs });
    if (s.reason === 'hangup') this.endCall('caller');
    return s.reason === 'digit' ? { durationMs: ms, reason: 'digit', digit: '#' } : { durationMs: ms, reason: s.reason };
  }

  async hangup(): Promise<void> {
    this.endCall('system');
  }

  private take(op: string, fits: (s: CallerStep) => boolean): CallerStep | undefined {
    const step = this.steps.shift();
    if (!step || 'hangup' in step) {
      this.endCall('caller');
      return undefined;
    }
    if (!fits(step)) throw new Error(`script expected ${JSON.stringify(step)} but the flow did ${op} (heard so far: ${this.heard.items.join(' ')})`);
    return step;
  }

  private checkHangup(): boolean {
    if (this.isEnded) return true;
    const next = this.steps[0];
    if (next && 'hangup' in next) {
      this.steps.shift();
      this.endCall('caller');
      return true;
    }
    return false;
  }

  private endCall(by: 'caller' | 'system'): void {
    if (this.hungUpBy) return;
    this.hungUpBy = by;
    this.endedResolve(by);
  }

  /** Like the media server, refuses a prompt that is not on disk (so a misspelt name fails a test). */
  private log(items: readonly PlayItem[]): void {
    for (const i of items) {
      if ('file' in i && !promptExists(i.file)) throw new Error(`prompt not found: ${i.file}`);
      this.heard.items.push('file' in i ? i.file : 'tone' in i ? `tone:${i.tone}` : `silence:${i.silenceMs}`);
    }
  }
}

export function promptExists(name: string): boolean {
  const file = extname(name) ? name : `${name}.wav`;
  return isAbsolute(file) ? existsSync(file) : defaultMediaConfig.soundDirs.some((d) => existsSync(join(d, file)));
}
