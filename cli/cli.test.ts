// The `pbx` command as a user runs it: configuration checks and the engine's start and stop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/ports.ts';

const PBX = join(import.meta.dirname, '..', 'bin', 'pbx.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-cli-'));
  dirs.push(dir);
  const file = join(dir, 'pbx.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('pbx config', () => {
  it('prints the embedded defaults, which validate', () => {
    const r = spawnSync(process.execPath, [PBX, 'config', 'defaults'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const cfg = JSON.parse(r.stdout);
    expect(cfg.sip.admin).toEqual({ address: '127.0.0.1', port: 9022, secret: 'cymru' });
    expect(cfg.sip.timers.t1).toBe(500);
  });

  it('refuses a bad value and an unknown key, naming each by its path', () => {
    const file = configFile({ sip: { timers: { t1: 1 }, listen: [{ address: 'not-an-ip' }], bogus: true } });
    const r = spawnSync(process.execPath, [PBX, 'config', 'check', '--config', file], { encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('sip.timers.t1');
    expect(r.stderr).toContain('sip.listen.0.address');
    expect(r.stderr).toMatch(/bogus/);
  });

  it('refuses a file that is not JSON', () => {
    const r = spawnSync(process.execPath, [PBX, 'config', 'check', '--config', configFile('{ nope')], { encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('not valid JSON');
  });
});

describe('pbx sip', () => {
  it('starts the engine on the configured ports and stops on SIGTERM', async () => {
    const port = await freePort('both');
    const admin = await freePort('tcp');
    const file = configFile({ sip: { listen: [{ address: '127.0.0.1', port }], admin: { port: admin } } });
    const child = spawn(process.execPath, [PBX, 'sip', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${out}`)), 15_000);
      child.stderr.on('data', () => {
        if (out.includes('listening')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).toContain(`udp/127.0.0.1:${port}`);
    expect(out).toContain(`tcp/127.0.0.1:${port}`);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
  });
});
