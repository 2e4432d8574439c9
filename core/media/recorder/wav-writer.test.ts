import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWav } from '../player/wav.ts';
import { WavWriter } from './wav-writer.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wav-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ramp = (n: number, from = 0) => Int16Array.from({ length: n }, (_, i) => from + i);

describe('WavWriter', () => {
  it('leaves a valid WAV on disk after each flush, before close (crash safety)', async () => {
    const file = path.join(dir, 'a.wav');
    const w = await WavWriter.create(file, 8000);
    w.append(ramp(160));
    w.append(ramp(160, 160));
    await w.flush();
    w.append(ramp(160, 320)); // not flushed: a crash now loses only this
    const onDisk = parseWav(readFileSync(file));
    expect(onDisk.rate).toBe(8000);
    expect([...onDisk.samples]).toEqual([...ramp(320)]);
    await w.close();
    expect(parseWav(readFileSync(file)).samples.length).toBe(480);
  });

  it('truncates pending and written audio', async () => {
    const file = path.join(dir, 'b.wav');
    const w = await WavWriter.create(file, 16000);
    w.append(ramp(1000));
    await w.flush();
    w.append(ramp(1000, 1000));
    w.truncate(1500);
    await w.close();
    const wav = parseWav(readFileSync(file));
    expect(wav.rate).toBe(16000);
    expect([...wav.samples]).toEqual([...ramp(1500)]);
    const w2 = await WavWriter.create(path.join(dir, 'c.wav'), 8000);
    w2.append(ramp(800));
    await w2.flush();
    w2.truncate(100);
    await w2.close();
    expect(parseWav(readFileSync(path.join(dir, 'c.wav'))).samples.length).toBe(100);
  });
});
