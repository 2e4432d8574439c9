// An answered call whose audio the PBX anchors: what the built-in services (voicemail deposit and
// retrieval, echo test) and the dialplan host use to talk to a caller. One media leg on the media
// server faces the caller's phone; prompts, DTMF and recordings go through it.
import type { PlayItem } from '../../media/control/protocol.ts';

export type { PlayItem };

export type MediaPlayResult = { status: 'played' } | { status: 'interrupted'; digit: string } | { status: 'hangup' };

export interface MediaCollectOptions {
  /** Played first; a key pressed during them counts as the first digit (barge-in). */
  prompts?: readonly PlayItem[];
  max: number;
  /** Wait for the first digit (after the prompts ended). */
  timeoutMs: number;
  /** Wait between digits. */
  interDigitMs: number;
  /** Keys that end input early; not included in `digits`. */
  terminators?: string;
}

export interface MediaCollectResult {
  digits: string;
  endedBy: 'max' | 'terminator' | 'inter-digit-timeout' | 'timeout' | 'hangup';
}

export interface MediaRecordOptions {
  /** WAV file to write; written incrementally by the media server (a crash keeps what was said). */
  path: string;
  maxMs: number;
  /** Stop after this much silence (omit: never). */
  silenceMs?: number;
  /** Play a beep first. */
  beep?: boolean;
  /** Keys that stop the recording (default '#'). */
  stopDigits?: string;
}

export interface MediaRecordResult {
  durationMs: number;
  reason: 'digit' | 'silence' | 'max' | 'hangup' | 'error';
  digit?: string;
  /** For reason 'error'. */
  error?: string;
}

export interface MediaCall {
  readonly callId: string;
  /** User part of the caller (the authenticated extension when there is one). */
  readonly caller: string;
  readonly callerName: string | undefined;
  /** Settles once when the call ends: 'caller' hung up, or 'system' (PBX, media loss). */
  readonly ended: Promise<'caller' | 'system'>;
  readonly isEnded: boolean;
  play(items: readonly PlayItem[], opts?: { bargeIn?: boolean; loop?: boolean }): Promise<MediaPlayResult>;
  /** Digits typed ahead (during an earlier prompt that did not barge in) are not kept. */
  collect(opts: MediaCollectOptions): Promise<MediaCollectResult>;
  record(opts: MediaRecordOptions): Promise<MediaRecordResult>;
  /** Sends BYE (no-op when already ended). */
  hangup(): Promise<void>;
}
