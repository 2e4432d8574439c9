// Killing the PBX app (SIGKILL) while a caller is leaving a voicemail: the audio recorded so far
// is on disk (the media server flushes it every second), and when the app starts again the
// interrupted recording becomes a message holding what the caller said.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toneLevel } from '../../../core/media/codecs/dsp/goertzel.ts';
import { launchMediaServer } from '../../../core/media/control/launcher.ts';
import { parseWav } from '../../../core/media/player/wav.ts';
import { openDatabase } from '../../../core/pbx/store/db.ts';
import { MailboxStore } from '../../../voicemail/store/mailbox-store.ts';
import { Baresip } from '../../support/baresip.ts';
import { startEngine } from '../../support/engine-harness.ts';
import { freePort, freePortBlock } from '../../support/ports.ts';

// The CLI itself, not the bin/pbx.js shim: SIGKILL must hit the process that holds the call.
const PBX_TS = join(import.meta.dirname, '..', '..', '..', 'bin', 'pbx.ts');
const TSX = import.meta.resolve('tsx');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startApp(configFile: string): { child: ChildProcess; output: () => string; waitFor(re: RegExp, ms?: number): Promise<void> } {
  const child = spawn(process.execPath, ['--no-node-snapshot', '--import', TSX, PBX_TS, 'app', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => out,
    async waitFor(re, ms = 30_000) {
      const deadline = Date.now() + ms;
      while (!re.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`pbx app: no ${re} (exit ${child.exitCode}); output:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe('a PBX killed during a voicemail recording', () => {
  it('keeps the audio recorded so far; the message appears after the restart', async () => {
    const engine = await startEngine();
    cleanups.push(() => engine.stop());
    const dir = mkdtempSync(join(tmpdir(), 'crash-recording-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ports = await freePortBlock(64, 'udp', '127.0.0.1', { even: true });
    const media = await launchMediaServer({ socketPath: join(dir, 'media.sock'), ports: [ports, ports + 63] });
    cleanups.push(() => media.stop());
    mkdirSync(join(dir, 'dialplans'));
    writeFileSync(join(dir, 'dialplans', 'main.ts'), `import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => call.voicemail('1002', { cause: 480 }));
`);
    const configFile = join(dir, 'pbx.json');
    writeFileSync(configFile, JSON.stringify({
      dataDir: '.', logLevel: 'info',
      sip: { admin: { address: '127.0.0.1', port: engine.adminPort, secret: engine.secret } },
      pbx: {
        domain: 'pbx.test', demoUsers: true, http: { address: '127.0.0.1', port: await freePort('tcp') },
        media: { socket: join(dir, 'media.sock') }, keepalive: { intervalSec: 0 }, mwi: { unsolicited: false },
      },
    }));
    const first = startApp(configFile);
    await first.waitFor(/connected to the SIP engine/);
    await first.waitFor(/connected to the media server/);
    const password = /^1001  password (\S+)/m.exec(readFileSync(join(dir, 'demo-users.txt'), 'utf8'))![1]!;

    const caller = new Baresip({ user: '1001', password, pbxPort: engine.sipPort, domain: 'pbx.test' });
    cleanups.push(() => caller.stop());
    await caller.start();
    await first.waitFor(/registrar: sip:1001@pbx\.test (added|registered)|1001/);
    await new Promise((r) => setTimeout(r, 500));
    await caller.command('dial', 'sip:1002@pbx.test');
    await caller.waitEvent('CALL_ESTABLISHED', 20_000);
    // Wait until the recording holds at least 3 s of audio on disk, then kill the app outright.
    const mailboxDir = join(dir, 'voicemail', '1002');
    const recordedBytes = () => (existsSync(mailboxDir) ? readdirSync(mailboxDir).filter((f) => f.endsWith('.wav')).map((f) => statSync(join(mailboxDir, f)).size) : [0]);
    const deadline = Date.now() + 30_000;
    while (Math.max(0, ...recordedBytes()) < 44 + 3 * 8000 * 2) {
      if (Date.now() > deadline) throw new Error(`no recording grew on disk; app output:\n${first.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await caller.command('hangup');

    // Before the restart the recording is no message yet.
    const peek = openDatabase(join(dir, 'pbx.sqlite')).db;
    const clock = { now: () => Date.now() };
    expect(new MailboxStore(peek, { dir: join(dir, 'voicemail'), clock, maxMessages: 100, minMessageMs: 1000 }).list('1002')).toEqual([]);
    peek.close();

    const second = startApp(configFile);
    await second.waitFor(/voicemail: recovered 1 interrupted recordings/);
    await second.waitFor(/connected to the SIP engine/);
    const db = openDatabase(join(dir, 'pbx.sqlite')).db;
    cleanups.push(() => void db.close());
    const store = new MailboxStore(db, { dir: join(dir, 'voicemail'), clock, maxMessages: 100, minMessageMs: 1000 });
    const [msg] = store.list('1002');
    expect(msg).toMatchObject({ mailbox: '1002', caller: '1001', cause: 480, heard: false });
    expect(msg!.durationMs).toBeGreaterThanOrEqual(2500);
    const rec = parseWav(readFileSync(store.audioPath(msg!.id)!));
    // What was on disk at the kill holds the caller's tone (the media server may have kept recording
    // silence after the caller hung up, until it reaped the dead app's leg: look at the start).
    const best = Math.max(...[0, 0.5, 1, 1.5, 2].map((t) => toneLevel(rec.samples.subarray(t * rec.rate, (t + 1) * rec.rate), rec.rate, 440)));
    expect(best).toBeGreaterThan(-30);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 120_000);
});
