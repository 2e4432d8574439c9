// Which media server the benchmark launches. MEDIA_BENCH_SERVER=/path/to/other/checkout runs the same
// load against that checkout's core/media/main.ts (before/after comparisons in one bench version);
// MEDIA_BENCH_NODE_ARGS passes flags to its node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").

import path from 'node:path';
import type { LaunchOptions } from '../../core/media/control/launcher.ts';

export function serverOptions(): Pick<LaunchOptions, 'mainPath' | 'nodeArgs'> {
  const dir = process.env['MEDIA_BENCH_SERVER'];
  const nodeArgs = process.env['MEDIA_BENCH_NODE_ARGS']?.split(' ').filter(Boolean);
  return { ...(dir ? { mainPath: path.resolve(dir, 'core/media/main.ts') } : {}), ...(nodeArgs?.length ? { nodeArgs } : {}) };
}

export function serverLabel(): string {
  const dir = process.env['MEDIA_BENCH_SERVER'];
  return dir ? `media server from ${dir}` : 'media server from this checkout';
}
