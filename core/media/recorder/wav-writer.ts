// Incremental WAV writer: a 44-byte header, then PCM appended in batches. After every batch the
// header's sizes are patched, so if the process dies the file is a valid WAV holding everything up
// to the last flush (the recorder flushes once a second). Writes are serialised on one chain.

import { open, type FileHandle } from 'node:fs/promises';
import { wavHeader } from '../player/wav.ts';

export class WavWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private chain: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;

  private constructor(
    private readonly fh: FileHandle,
    readonly rate: number,
  ) {}

  static async create(path: string, rate: number): Promise<WavWriter> {
    const fh = await open(path, 'w');
    await fh.write(wavHeader(rate, 0), 0, 44, 0);
    return new WavWriter(fh, rate);
  }

  /** Samples accepted so far (written or pending). */
  get samples(): number {
    return (this.written + this.pendingBytes) / 2;
  }

  get error(): Error | undefined {
    return this.failed;
  }

  append(pcm: Int16Array): void {
    if (this.closed) return;
    const b = Buffer.allocUnsafe(pcm.length * 2);
    for (let i = 0; i < pcm.length; i++) b.writeInt16LE(pcm[i]!, i * 2);
    this.pending.push(b);
    this.pendingBytes += b.length;
  }

  /** Write what is pending and patch the header; resolves when both are on disk (not fsynced). */
  flush(): Promise<void> {
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (bytes === 0) return this.chain;
    const at = 44 + this.written;
    this.written += bytes;
    const total = this.written;
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await this.fh.write(Buffer.concat(batch, bytes), 0, bytes, at);
        await this.fh.write(wavHeader(this.rate, total), 0, 44, 0);
      } catch (err) {
        this.failed = err as Error;
      }
    });
    return this.chain;
  }

  /** Cut the audio to its first `samples` samples (trailing silence after a silence stop). */
  truncate(samples: number): void {
    const keep = Math.max(0, Math.min(samples * 2, this.written + this.pendingBytes));
    if (keep >= this.written) {
      let drop = this.written + this.pendingBytes - keep;
      while (drop > 0 && this.pending.length) {
        const last = this.pending[this.pending.length - 1]!;
        if (last.length <= drop) {
          this.pending.pop();
          drop -= last.length;
          this.pendingBytes -= last.length;
        } else {
          this.pending[this.pending.length - 1] = last.subarray(0, last.length - drop);
          this.pendingBytes -= drop;
          drop = 0;
        }
      }
      return;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.written = keep;
    this.chain = this.chain.then(async () => {
      await this.fh.truncate(44 + keep);
      await this.fh.write(wavHeader(this.rate, keep), 0, 44, 0);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return this.chain;
    await this.flush();
    this.closed = true;
    await this.chain;
    await this.fh.close();
    if (this.failed) throw this.failed;
  }
}
