// A mailbox owner's greetings: dir/<mailbox>/greeting-<kind>.wav. Phone recordings go to a
// separate file first and replace the greeting only once accepted, so a caller who hangs up
// half-way through re-recording keeps the old greeting.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertMailboxName } from './mailbox-name.ts';
import { GREETING_KINDS, type GreetingKind } from './voicemail-message.ts';
import { checkGreetingWav, GREETING_RATES, measureWavFile, repairWavHeader } from './wav-file.ts';

export class GreetingFiles {
  constructor(
    private readonly dir: string,
    private readonly minMs: number,
  ) {}

  /** The greeting file when the owner has one. */
  existing(mailbox: string, kind: GreetingKind): string | undefined {
    const p = this.path(mailbox, kind);
    return existsSync(p) ? p : undefined;
  }

  /** Throws WavFormatError (a message fit for the user) when the WAV cannot be played as is. */
  save(mailbox: string, kind: GreetingKind, wav: Buffer): void {
    checkGreetingWav(wav);
    const final = this.path(mailbox, kind);
    const tmp = `${final}.upload`;
    this.ensureFolder(mailbox);
    writeFileSync(tmp, wav, { mode: 0o600 });
    renameSync(tmp, final);
  }

  /** Where a phone recording of this greeting is written before `recorded` accepts it. */
  target(mailbox: string, kind: GreetingKind): string {
    this.ensureFolder(mailbox);
    return this.recordingPath(mailbox, kind);
  }

  /** Installs the phone recording at `target`; false (and the recording dropped) when unusable or too short. */
  recorded(mailbox: string, kind: GreetingKind): boolean {
    const tmp = this.recordingPath(mailbox, kind);
    const m = measureWavFile(tmp);
    const playable = m && m.format === 1 && m.bits === 16 && m.channels === 1 && GREETING_RATES.includes(m.rate);
    if (!m || !playable || m.durationMs < this.minMs || m.durationMs === 0) {
      rmSync(tmp, { force: true });
      return false;
    }
    repairWavHeader(tmp, m);
    renameSync(tmp, this.path(mailbox, kind));
    return true;
  }

  remove(mailbox: string, kind: GreetingKind): boolean {
    const p = this.path(mailbox, kind);
    if (!existsSync(p)) return false;
    rmSync(p, { force: true });
    return true;
  }

  private path(mailbox: string, kind: GreetingKind): string {
    if (!GREETING_KINDS.includes(kind)) throw new Error(`unknown greeting kind ${JSON.stringify(kind)}`);
    return join(this.dir, assertMailboxName(mailbox), `greeting-${kind}.wav`);
  }

  private recordingPath(mailbox: string, kind: GreetingKind): string {
    return this.path(mailbox, kind).replace(/\.wav$/, '.new.wav');
  }

  private ensureFolder(mailbox: string): void {
    mkdirSync(join(this.dir, assertMailboxName(mailbox)), { recursive: true, mode: 0o700 });
  }
}
