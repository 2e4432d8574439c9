// The dialplan SDK: the only API a dialplan sees. A dialplan is one `async (call) => Done` function;
// every operation is awaited and returns a value (a discriminated union where there is an outcome),
// and only the terminal operations (hangup, reject, voicemail, transfer) produce `Done`, so a code
// path that forgets to end the call does not compile.
//
// Editors and `tsc` pick this file up when it is part of the project (it is an ambient module, so
// `import { dialplan } from '@pbx/dialplan'` resolves without a package). The PBX type-checks every
// dialplan against it before activation; the implementation runs inside the sandbox
// (dialplan/runtime/), where there is no `require`, `process`, network, timer or WebAssembly.
declare module '@pbx/dialplan' {
  export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';

  /** A media id such as 'ivr/welcome', a file, text to speak, or a value to say. */
  export type Prompt =
    | string
    | { file: string }
    | { tts: string; voice?: string }
    | { say: 'digits' | 'number' | 'date'; value: string | number };

  export interface Party {
    readonly user: string;
    readonly host: string;
    readonly uri: string;
    readonly name?: string;
  }

  const done: unique symbol;
  /** Proof that the call was ended; only terminal operations produce it. */
  export interface Done {
    readonly [done]: true;
  }

  /** An extension ('1005'), a user, a SIP URI or an external number (optionally via a trunk).
   *  External targets may require the callee to press a key (`confirm`) so that a mobile's own
   *  voicemail answering first does not win the race. `timeout` is seconds, per target. */
  export type DialTarget =
    | string
    | { user: string; timeout?: number }
    | { uri: string; timeout?: number; confirm?: Prompt; headers?: Record<string, string> }
    | { number: string; trunk?: string; timeout?: number; confirm?: Prompt };

  export interface DialOptions {
    /** 'parallel' rings every target at once (first answer wins); 'sequential' one after another. */
    strategy?: 'parallel' | 'sequential';
    /** Seconds of ringing: for all targets together when parallel, per target when sequential. */
    timeout?: number;
    /** What the caller hears while the targets ring. */
    ringback?: 'ring' | { music: string };
    callerId?: { number?: string; name?: string };
    /** Music played to whichever side is put on hold during the bridge; false for silence. */
    holdMusic?: string | false;
    /** Seconds after which an answered bridge is ended. */
    maxDuration?: number;
  }

  /** 'answered' resolves when the bridge has ended. */
  export type DialResult =
    | { status: 'answered'; by: string; talkSeconds: number; endedBy: 'caller' | 'callee' | 'limit' }
    | { status: 'busy'; sipCode: number }
    | { status: 'no-answer' }
    | { status: 'unavailable'; sipCode: number }
    | { status: 'rejected'; sipCode: number }
    | { status: 'failed'; sipCode?: number; reason: string };

  export type PlayResult = { status: 'played' } | { status: 'interrupted'; digit: Digit };

  export interface CollectOptions {
    prompt?: Prompt | Prompt[];
    /** Stop after this many digits. */
    max: number;
    min?: number;
    /** Seconds to wait for the first digit. */
    timeout?: number;
    /** Seconds to wait between digits. */
    interDigitTimeout?: number;
    /** Keys that end the input early (not included in `digits`); default '#'. */
    terminators?: string;
    valid?: RegExp;
    /** How many times to ask; default 1. */
    attempts?: number;
    invalidPrompt?: Prompt;
  }

  export type CollectResult =
    | { ok: true; digits: string; endedBy: 'max' | 'terminator' | 'inter-digit-timeout' }
    | { ok: false; digits: string; reason: 'timeout' | 'invalid' };

  export interface MenuOptions<K extends Digit> {
    prompt: Prompt | Prompt[];
    options: readonly K[];
    attempts?: number;
    timeout?: number;
    invalidPrompt?: Prompt;
    noInputPrompt?: Prompt;
  }

  export interface ConferenceOptions {
    /** Ask for this PIN first (up to `pinAttempts`, default 3) and deny on failure. */
    pin?: string | readonly string[];
    pinAttempts?: number;
    pinPrompt?: Prompt;
    moderator?: boolean;
    muted?: boolean;
    waitMusic?: string;
    maxMembers?: number;
    endWhenModeratorLeaves?: boolean;
  }

  export type ConferenceResult =
    | { status: 'left'; seconds: number; endedBy: 'caller' | 'moderator' | 'empty' }
    | { status: 'denied'; reason: 'pin' | 'full' };

  /** RFC 4458 `cause` values: 486 busy, 408 no reply, 302 unconditional, 404 unknown,
   *  480/487 deflection, 503 unreachable. */
  export type VoicemailCause = 302 | 404 | 408 | 480 | 486 | 487 | 503;
  export type RejectCode = 403 | 404 | 480 | 486 | 503 | 603;

  export interface Call {
    readonly id: string;
    readonly from: Party;
    readonly to: Party;
    readonly requestUri: string;
    /** The user part the caller dialled. */
    readonly dialed: string;
    readonly direction: 'internal' | 'inbound' | 'outbound';
    /** True once the call was answered (by `answer()`, a media operation or a bridge). */
    readonly answered: boolean;
    /** Written into the call detail record, also when the dialplan is killed later. */
    readonly vars: Record<string, string>;
    /** Logical clock: the host's time at the last completed operation (virtual in the simulator). */
    now(): Date;
    /** A header of the initial INVITE, case-insensitive. */
    header(name: string): string | undefined;
    log(msg: string, data?: Record<string, unknown>): void;

    /** 180 Ringing, or 183 with early media. */
    ring(o?: { earlyMedia?: boolean }): Promise<void>;
    answer(): Promise<void>;
    /** Media operations answer the call first unless early media is on. */
    play(p: Prompt | readonly Prompt[], o?: { bargeIn?: boolean }): Promise<PlayResult>;
    collect(o: CollectOptions): Promise<CollectResult>;
    /** The chosen key, or null when the attempts ran out. */
    menu<K extends Digit>(o: MenuOptions<K>): Promise<K | null>;
    dial(t: DialTarget | readonly DialTarget[], o?: DialOptions): Promise<DialResult>;
    conference(room: string, o?: ConferenceOptions): Promise<ConferenceResult>;
    hold(o?: { music?: string }): Promise<void>;
    unhold(): Promise<void>;
    sleep(seconds: number): Promise<void>;

    /** Retargets the call to the voicemail service: Request-URI `…;target=<mailbox>;cause=<cause>`. */
    voicemail(mailbox: string, o?: { cause?: VoicemailCause }): Promise<Done>;
    transfer(to: DialTarget): Promise<Done>;
    /** Refuses the call with a SIP status (default 603 Decline). */
    reject(code?: RejectCode, reason?: string): Promise<Done>;
    /** Ends the call; also resolves (without effect) when the caller has already hung up. */
    hangup(): Promise<Done>;
  }

  export type Dialplan = (call: Call) => Promise<Done>;
  /** Identity function that gives the callback its parameter and return types. */
  export function dialplan(fn: Dialplan): Dialplan;

  /** Rejected into the pending and every later operation once the call is gone; `finally` still runs. */
  export class Hangup extends Error {
    constructor(by: 'caller' | 'system');
    readonly by: 'caller' | 'system';
  }

  /** Asterisk extension patterns: '_1XXX', '_NXX.', '_0[1-5]!'; without '_' an exact match. */
  export function pattern(p: string): RegExp;
  /** True if `dialed` is a plain number (no leading zero) in [lo, hi]. */
  export function inRange(dialed: string, lo: number, hi: number): boolean;

  export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  export interface ScheduleDefinition {
    /** IANA time zone, e.g. 'Europe/Berlin'. */
    tz: string;
    /** 'HH:MM-HH:MM' ranges per day or day range ('mon-fri'); an end before the start runs past midnight. */
    hours: Partial<Record<Weekday | `${Weekday}-${Weekday}`, string | readonly string[]>>;
    /** Local dates ('YYYY-MM-DD') on which it is closed all day. */
    closedOn?: readonly string[];
  }
  export interface Schedule {
    isOpen(at: Date): boolean;
  }
  export function schedule(def: ScheduleDefinition): Schedule;
}
