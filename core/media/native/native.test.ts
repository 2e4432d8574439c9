// The addon itself: argument checking, explicit close, finalizers, worker_threads, and the build hint.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadNative, NATIVE_ADDON_PATH, NATIVE_BUILD_COMMAND, NativeAddonError } from './index.ts';

describe('media native addon', () => {
  const native = loadNative();

  it('reports its features', () => {
    expect(native.features.opusVersion).toMatch(/^libopus 1\./);
    expect(typeof native.features.g729).toBe('boolean');
  });

  it('checks argument types and ranges instead of crashing', () => {
    const enc = new native.OpusEncoder(8000, 1);
    expect(() => enc.encode(new Float32Array(160) as unknown as Int16Array, Buffer.alloc(100))).toThrow(TypeError);
    expect(() => enc.encode(new Int16Array(160), new Int16Array(10) as unknown as Buffer)).toThrow(TypeError);
    expect(() => enc.setComplexity(11)).toThrow(RangeError);
    expect(() => new native.OpusEncoder(44100, 1)).toThrow(RangeError);
    expect(() => new native.Resampler(1, 8000, 16000, 3).process(new Int16Array(160), new Int16Array(10))).toThrow(
      /output too small/,
    );
    expect(() => new native.GsmEncoder().encode(new Int16Array(100), Buffer.alloc(33))).toThrow(RangeError);
    expect(() => new native.G722Decoder().decode(Buffer.alloc(160), new Int16Array(100))).toThrow(RangeError);
    enc.close();
  });

  it('close() is idempotent and later calls throw', () => {
    const dec = new native.OpusDecoder(16000, 1);
    dec.close();
    dec.close();
    expect(() => dec.decode(null, new Int16Array(320))).toThrow(/OpusDecoder is closed/);
  });

  it('frees native state in finalizers when objects are only dropped', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
    };
    const churn = (): void => {
      // ~40 KB of C state each: 20 000 leaked would add ~800 MB of RSS.
      for (let i = 0; i < 1000; i++) {
        new native.OpusEncoder(48000, 1).setComplexity(5);
        new native.Resampler(1, 8000, 48000, 10).inputLatency();
      }
    };
    churn();
    await settle();
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 20; round++) {
      churn();
      await settle();
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('loads and runs in worker threads, which exit cleanly', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const m = require(workerData);
      const enc = new m.OpusEncoder(16000, 1);
      const n = enc.encode(new Int16Array(320), Buffer.alloc(1500));
      const dec = new m.OpusDecoder(16000, 1);
      parentPort.postMessage(n > 0 ? dec.decode(null, new Int16Array(320)) : -1);
    `;
    const run = (): Promise<{ result: unknown; exitCode: number }> =>
      new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: NATIVE_ADDON_PATH });
        let result: unknown;
        w.on('message', (m: unknown) => (result = m));
        w.on('error', reject);
        w.on('exit', (exitCode) => resolve({ result, exitCode }));
      });
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) expect(r).toEqual({ result: 320, exitCode: 0 });
  });

  it('fails with the build command when the addon has not been built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-native-'));
    try {
      copyFileSync(new URL('./index.ts', import.meta.url), join(dir, 'index.ts'));
      const mod = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as typeof import('./index.ts');
      expect(mod.isNativeAvailable()).toBe(false);
      expect(() => mod.loadNative()).toThrow(NATIVE_BUILD_COMMAND);
      expect(() => mod.loadNative()).toThrow(expect.objectContaining({ name: 'NativeAddonError' }) as Error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(new NativeAddonError('x').name).toBe('NativeAddonError');
  });
});
