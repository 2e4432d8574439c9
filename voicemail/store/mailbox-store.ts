// Voicemail messages: a SQLite row each (table voicemail_messages) and a WAV file at
// dir/<mailbox>/<id>.wav, written by the media server while the caller speaks. A row is
// 'recording' until the deposit finishes it; rows a crash left 'recording' are recovered from
// the audio on disk at the next start. `changed` tells MWI and the web pages a mailbox moved.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Db } from '../../core/pbx/store/db.ts';
import { Event } from '../../core/media/util/event.ts';
import { GreetingFiles } from './greeting-files.ts';
import { assertMailboxName, isMailboxName, isMessageId } from './mailbox-name.ts';
import type { GreetingKind, VoicemailMessage } from './voicemail-message.ts';
import { measureWavFile, repairWavHeader } from './wav-file.ts';

export type { GreetingKind, VoicemailMessage };

export interface MailboxStoreOptions {
  /** Folder of the WAV files (`voicemailDir(cfg)`). */
  dir: string;
  clock: { now(): number };
  /** Messages per mailbox, counting those being recorded. */
  maxMessages: number;
  /** Recordings shorter than this are discarded. */
  minMessageMs: number;
}

interface Row {
  id: string;
  mailbox: string;
  caller: string;
  caller_name: string | null;
  called: string;
  cause: number | null;
  received_at: number;
  duration_ms: number;
  heard: number;
  status: 'recording' | 'ready';
}

export class MailboxStore {
  /** The mailbox whose messages changed (new, heard, deleted, recovered). */
  readonly changed = new Event<[string]>();
  private readonly dir: string;
  private readonly greetings: GreetingFiles;
  private readonly q;

  constructor(
    db: Db,
    private readonly opts: MailboxStoreOptions,
  ) {
    this.dir = resolve(opts.dir);
    this.greetings = new GreetingFiles(this.dir, opts.minMessageMs);
    this.q = {
      insert: db.prepare(
        `INSERT INTO voicemail_messages (id, mailbox, caller, caller_name, called, cause, received_at, duration_ms, heard, status)
         VALUES (@id, @mailbox, @caller, @caller_name, @called, @cause, @received_at, 0, 0, 'recording')`,
      ),
      byId: db.prepare<[string], Row>('SELECT * FROM voicemail_messages WHERE id = ?'),
      recording: db.prepare<[], Row>(`SELECT * FROM voicemail_messages WHERE status = 'recording'`),
      list: db.prepare<[string], Row>(
        `SELECT * FROM voicemail_messages WHERE mailbox = ? AND status = 'ready' ORDER BY received_at DESC, rowid DESC`,
      ),
      finish: db.prepare<[number, string]>(`UPDATE voicemail_messages SET status = 'ready', duration_ms = ? WHERE id = ?`),
      heard: db.prepare<[number, string]>('UPDATE voicemail_messages SET heard = ? WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM voicemail_messages WHERE id = ?'),
      counts: db.prepare<[string], { newCount: number | null; oldCount: number | null }>(
        `SELECT sum(heard = 0) AS newCount, sum(heard = 1) AS oldCount
         FROM voicemail_messages WHERE mailbox = ? AND status = 'ready'`,
      ),
      held: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM voicemail_messages WHERE mailbox = ?'),
    };
  }

  /** Starts a message: the row (status 'recording') and the WAV path the recorder writes. */
  beginMessage(m: { mailbox: string; caller: string; callerName?: string; called: string; cause: number | null }): { id: string; path: string } {
    assertMailboxName(m.mailbox);
    const id = randomBytes(16).toString('hex');
    mkdirSync(join(this.dir, m.mailbox), { recursive: true, mode: 0o700 });
    this.q.insert.run({
      id,
      mailbox: m.mailbox,
      caller: m.caller,
      caller_name: m.callerName ?? null,
      called: m.called,
      cause: m.cause,
      received_at: this.opts.clock.now(),
    });
    return { id, path: this.messagePath(m.mailbox, id) };
  }

  /** Marks the message ready; a recording that is too short (or never reached the disk) is discarded. */
  finishMessage(id: string, durationMs: number): VoicemailMessage | undefined {
    const row = isMessageId(id) ? this.q.byId.get(id) : undefined;
    if (!row) return undefined;
    if (row.status === 'ready') return toMessage(row);
    const path = this.messagePath(row.mailbox, id);
    if (durationMs < this.opts.minMessageMs || durationMs <= 0 || !existsSync(path)) {
      this.discard(row);
      return undefined;
    }
    // A recorder that failed mid-way may have left the header short of the data.
    const m = measureWavFile(path);
    if (m && m.declaredBytes < m.dataBytes) repairWavHeader(path, m);
    this.q.finish.run(Math.round(durationMs), id);
    this.changed.emit(row.mailbox);
    return toMessage({ ...row, status: 'ready', duration_ms: Math.round(durationMs) });
  }

  /**
   * At start-up, before calls are taken: messages whose deposit the PBX did not live to finish.
   * Their length comes from the file size (the header may lag), and the header is fixed to match.
   */
  recoverInterrupted(): { recovered: number; discarded: number } {
    let recovered = 0;
    let discarded = 0;
    const touched = new Set<string>();
    for (const row of this.q.recording.all()) {
      const path = isMailboxName(row.mailbox) ? this.messagePath(row.mailbox, row.id) : undefined;
      const m = path ? measureWavFile(path) : undefined;
      if (!path || !m || m.durationMs < this.opts.minMessageMs || m.durationMs === 0) {
        this.discard(row);
        discarded++;
        continue;
      }
      repairWavHeader(path, m);
      this.q.finish.run(m.durationMs, row.id);
      touched.add(row.mailbox);
      recovered++;
    }
    for (const mailbox of touched) this.changed.emit(mailbox);
    return { recovered, discarded };
  }

  /** Ready messages, newest first. */
  list(mailbox: string): VoicemailMessage[] {
    return isMailboxName(mailbox) ? this.q.list.all(mailbox).map(toMessage) : [];
  }

  get(id: string): VoicemailMessage | undefined {
    const row = this.readyRow(id);
    return row && toMessage(row);
  }

  /** false when there is no such message. */
  markHeard(id: string, heard = true): boolean {
    const row = this.readyRow(id);
    if (!row) return false;
    if ((row.heard === 1) !== heard) {
      this.q.heard.run(heard ? 1 : 0, id);
      this.changed.emit(row.mailbox);
    }
    return true;
  }

  delete(id: string): boolean {
    const row = this.readyRow(id);
    if (!row) return false;
    this.discard(row);
    this.changed.emit(row.mailbox);
    return true;
  }

  /** new = not heard yet. */
  counts(mailbox: string): { newCount: number; oldCount: number } {
    if (!isMailboxName(mailbox)) return { newCount: 0, oldCount: 0 };
    const r = this.q.counts.get(mailbox);
    return { newCount: r?.newCount ?? 0, oldCount: r?.oldCount ?? 0 };
  }

  /** Counts messages being recorded too, so callers leaving messages at once cannot overfill it. */
  isFull(mailbox: string): boolean {
    assertMailboxName(mailbox);
    return (this.q.held.get(mailbox)?.n ?? 0) >= this.opts.maxMessages;
  }

  /** The WAV of a ready message (always inside dir). */
  audioPath(id: string): string | undefined {
    const row = this.readyRow(id);
    return row && this.messagePath(row.mailbox, row.id);
  }

  greetingPath(mailbox: string, kind: GreetingKind): string | undefined {
    return this.greetings.existing(mailbox, kind);
  }

  /** Throws WavFormatError unless RIFF/WAVE, 16-bit PCM mono at 8000/16000/48000 Hz. */
  saveGreeting(mailbox: string, kind: GreetingKind, wav: Buffer): void {
    this.greetings.save(mailbox, kind, wav);
  }

  /** Where a greeting recorded by phone is written; then call greetingRecorded. */
  greetingTarget(mailbox: string, kind: GreetingKind): string {
    return this.greetings.target(mailbox, kind);
  }

  /** Replaces the greeting with the recording at greetingTarget; false when it was unusable or too short. */
  greetingRecorded(mailbox: string, kind: GreetingKind): boolean {
    return this.greetings.recorded(mailbox, kind);
  }

  deleteGreeting(mailbox: string, kind: GreetingKind): boolean {
    return this.greetings.remove(mailbox, kind);
  }

  private readyRow(id: string): Row | undefined {
    if (!isMessageId(id)) return undefined;
    const row = this.q.byId.get(id);
    return row?.status === 'ready' ? row : undefined;
  }

  private discard(row: Row): void {
    this.q.remove.run(row.id);
    if (isMailboxName(row.mailbox) && isMessageId(row.id)) rmSync(this.messagePath(row.mailbox, row.id), { force: true });
  }

  private messagePath(mailbox: string, id: string): string {
    const p = join(this.dir, assertMailboxName(mailbox), `${id}.wav`);
    if (!isMessageId(id) || !p.startsWith(this.dir + sep)) throw new Error(`message path outside the voicemail folder: ${p}`);
    return p;
  }
}

function toMessage(r: Row): VoicemailMessage {
  return {
    id: r.id,
    mailbox: r.mailbox,
    caller: r.caller,
    callerName: r.caller_name,
    called: r.called,
    cause: r.cause,
    receivedAt: r.received_at,
    durationMs: r.duration_ms,
    heard: r.heard === 1,
  };
}
