// Decoded prompts by path, bounded by bytes (least recently used goes first). A prompt name without
// a directory is looked up in the configured sound directories, with ".wav" added when missing.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../util/media-error.ts';
import { parseWav, type WavAudio } from './wav.ts';

export class PromptCache {
  private readonly entries = new Map<string, { audio: WavAudio; mtimeMs: number }>();
  private bytes = 0;

  constructor(
    private readonly dirs: readonly string[],
    private readonly maxBytes: number,
  ) {}

  async resolve(name: string): Promise<string> {
    const withExt = path.extname(name) ? name : `${name}.wav`;
    const candidates = path.isAbsolute(withExt) ? [withExt] : this.dirs.map((d) => path.join(d, withExt));
    for (const c of candidates) {
      try {
        if ((await stat(c)).isFile()) return c;
      } catch {
        // try the next directory
      }
    }
    throw notFound(`prompt not found: ${name}`);
  }

  async load(name: string): Promise<WavAudio> {
    const file = await this.resolve(name);
    const st = await stat(file);
    const hit = this.entries.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) {
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit.audio;
    }
    let audio: WavAudio;
    try {
      audio = parseWav(await readFile(file));
    } catch (err) {
      throw notFound(`cannot play ${name}: ${(err as Error).message}`);
    }
    this.store(file, { audio, mtimeMs: st.mtimeMs });
    return audio;
  }

  private store(file: string, entry: { audio: WavAudio; mtimeMs: number }): void {
    const old = this.entries.get(file);
    if (old) this.bytes -= old.audio.samples.byteLength;
    this.entries.set(file, entry);
    this.bytes += entry.audio.samples.byteLength;
    for (const [key, e] of this.entries) {
      if (this.bytes <= this.maxBytes || key === file) break;
      this.entries.delete(key);
      this.bytes -= e.audio.samples.byteLength;
    }
  }
}
