// Starting a media server process for an end-to-end test and tearing it down, peers included.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchMediaServer, type MediaProcess } from '../control/launcher.ts';
import { RtpPeer } from './rtp-peer.ts';

export interface Harness {
  media: MediaProcess;
  dir: string;
  peer(opts?: { natPort?: boolean }): Promise<RtpPeer>;
  close(): Promise<void>;
}

export async function startHarness(ports: [number, number], extraArgs: string[] = []): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-e2e-'));
  const media = await launchMediaServer({ socketPath: path.join(dir, 'media.sock'), ports, extraArgs });
  const peers: RtpPeer[] = [];
  return {
    media,
    dir,
    async peer(opts = {}) {
      const p = await RtpPeer.open(opts);
      peers.push(p);
      return p;
    },
    async close() {
      for (const p of peers) p.close();
      await media.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll `cond` every 10 ms until true or `timeoutMs` passes (bounded; for real-time e2e only). */
export async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
