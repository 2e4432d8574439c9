// `pbx start`: supervise the PBX's processes, restarting one that dies (DESIGN.md process model).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config/load-config.ts';

const PBX_TS = fileURLToPath(new URL('../bin/pbx.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const MEDIA_TS = fileURLToPath(new URL('../core/media/main.ts', import.meta.url));

interface Part {
  name: string;
  /** Script and its arguments, run under tsx. */
  args: string[];
  child?: ChildProcess;
  restarts: number;
}

export async function runStart(configPath: string | undefined): Promise<number> {
  const cfg = loadConfig(configPath); // validate before spawning anything
  mkdirSync(cfg.dataDir, { recursive: true });
  const cfgArgs = configPath ? ['--config', configPath] : [];
  const parts: Part[] = [
    { name: 'sip', args: [PBX_TS, 'sip', ...cfgArgs], restarts: 0 },
    // The PBX app reconnects to the engine by itself, so the two may (re)start in any order.
    { name: 'app', args: [PBX_TS, 'app', ...cfgArgs], restarts: 0 },
    // The media server's own defaults (port range, timers) live in core/media/config.ts.
    { name: 'media', args: [MEDIA_TS, '--socket', join(cfg.dataDir, 'media.sock')], restarts: 0 },
  ];
  let stopping = false;

  const launch = (p: Part) => {
    const child = spawn(process.execPath, ['--no-node-snapshot', '--import', TSX, ...p.args], { stdio: 'inherit' });
    p.child = child;
    const started = Date.now();
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // A part that keeps dying at once is broken, not unlucky: back off, give up after 10 tries.
      p.restarts = Date.now() - started > 30_000 ? 0 : p.restarts + 1;
      process.stderr.write(`pbx: ${p.name} exited (${signal ?? code}); restart ${p.restarts}\n`);
      if (p.restarts > 10) {
        process.stderr.write(`pbx: ${p.name} keeps failing; stopping\n`);
        shutdown();
        return;
      }
      setTimeout(() => launch(p), Math.min(200 * 2 ** p.restarts, 10_000));
    });
  };
  const shutdown = () => {
    stopping = true;
    for (const p of parts) p.child?.kill('SIGTERM');
  };
  for (const p of parts) launch(p);
  process.stdout.write(`pbx: started ${parts.map((p) => p.name).join(', ')} (data in ${cfg.dataDir}); Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  shutdown();
  await Promise.all(parts.map((p) => (p.child && p.child.exitCode === null ? new Promise((r) => p.child!.once('exit', r)) : null)));
  return 0;
}
