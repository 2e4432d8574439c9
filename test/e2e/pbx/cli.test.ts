// The `pbx` command as people use it: `pbx user …` on the database a running PBX uses, and
// `pbx app` as its own process on the embedded demo users.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopWhenIdle, type EngineHarness } from '../../support/engine-harness.ts';
import { freePort } from '../../support/ports.ts';
import { startPbxHarness, waitApps, type PbxHarness } from './support/pbx-harness.ts';
import { UdpPhone } from './support/udp-phone.ts';

const PBX = join(import.meta.dirname, '..', '..', '..', 'bin', 'pbx.js');
let h: PbxHarness | undefined;
const phones: UdpPhone[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.close();
  for (const c of cleanups.splice(0).reverse()) await c();
  await h?.stop();
  h = undefined;
});

function pbx(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [PBX, ...args], { encoding: 'utf8', input, timeout: 20_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

async function phone(user: string, password: string, sipPort: number): Promise<UdpPhone> {
  const p = await new UdpPhone(user, password, { port: sipPort }).bind();
  phones.push(p);
  return p;
}

describe('pbx user', () => {
  it('adds, lists, changes the password of and removes users; the running PBX follows at once', async () => {
    h = await startPbxHarness({}, {});
    const cfg = ['--config', h.configFile];
    const added = pbx(['user', 'add', '2001', '--name', 'Front Desk', '--pin', '2468', '--password-stdin', ...cfg], 'first-password\n');
    expect(added, added.err).toMatchObject({ status: 0 });
    expect(added.out).toBe('added extension 2001\n');
    const generated = pbx(['user', 'add', '2002', ...cfg]);
    expect(generated.out).toMatch(/^added extension 2002 with password [A-Za-z0-9]{16}\n$/);
    expect(pbx(['user', 'add', '2001', '--password', 'whatever-pw', ...cfg])).toMatchObject({ status: 1, err: expect.stringContaining('exists already') });
    expect(pbx(['user', 'add', '12a', '--password', 'x', ...cfg])).toMatchObject({ status: 1, err: expect.stringMatching(/extension: must be 2 to 15 digits[\s\S]*password: must be at least 8/) });

    const p = await phone('2001', 'first-password', h.engine.sipPort);
    expect((await p.registerWithAuth()).res.status).toBe(200);
    const list = pbx(['user', 'list', ...cfg]);
    expect(list.out.split('\n')[0]).toMatch(/^EXT\s+NAME\s+ENABLED\s+PIN\s+REGISTERED$/);
    expect(list.out).toMatch(/2001\s+Front Desk\s+yes\s+yes\s+1/);
    expect(list.out).toMatch(/2002\s+-\s+yes\s+no\s+0/);

    expect(pbx(['user', 'passwd', '2001', '--password', 'second-password', ...cfg]).out).toBe('new password for 2001 set\n');
    expect((await p.registerWithAuth()).res.status).toBe(401);
    const p2 = await phone('2001', 'second-password', h.engine.sipPort);
    expect((await p2.registerWithAuth()).res.status).toBe(200);

    expect(pbx(['user', 'remove', '2001', ...cfg]).out).toBe('removed extension 2001\n');
    expect(await h.pbx.app.location.lookup('2001')).toEqual([]);
    expect((await p2.registerWithAuth()).res.status).toBe(401);
    expect(pbx(['user', 'remove', '2001', ...cfg]).status).toBe(1);
    expect(pbx(['user', 'frobnicate', ...cfg]).status).toBe(2);
  }, 90_000); // eight CLI processes, each starting tsx: slow on a loaded machine
});

describe('pbx app', () => {
  it('runs on the embedded demo users: two phones register with the passwords it wrote down; SIGTERM stops it', async () => {
    const engine: EngineHarness = await startEngine();
    cleanups.push(() => stopWhenIdle(engine));
    const dataDir = mkdtempSync(join(tmpdir(), 'pbx-app-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const httpPort = await freePort('tcp');
    const file = join(dataDir, 'pbx.json');
    writeFileSync(file, JSON.stringify({
      dataDir: '.', logLevel: 'info',
      sip: { admin: { address: '127.0.0.1', port: engine.adminPort, secret: engine.secret } },
      pbx: { http: { address: '127.0.0.1', port: httpPort } },
    }));
    const child = spawn(process.execPath, [PBX, 'app', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const deadline = Date.now() + 15_000;
    while (!err.includes('connected to the SIP engine') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(err).toContain('connected to the SIP engine');
    expect(err).toMatch(/created demo users 1001, 1002; passwords in .*demo-users\.txt/);

    const demo = readFileSync(join(dataDir, 'demo-users.txt'), 'utf8');
    const pw = (ext: string) => new RegExp(`^${ext}  password (\\S+)`, 'm').exec(demo)![1]!;
    const one = await phone('1001', pw('1001'), engine.sipPort);
    const two = await phone('1002', pw('1002'), engine.sipPort);
    expect((await one.registerWithAuth({ expires: 300 })).res.status).toBe(200);
    expect((await two.registerWithAuth({ expires: 300 })).res.status).toBe(200);

    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const regs = await fetch(`http://127.0.0.1:${httpPort}/api/registrations`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await regs.json()) as { registrations: { aor: string }[] }).registrations.map((r) => r.aor)).toEqual([
      'sip:1001@pbx.local', 'sip:1002@pbx.local',
    ]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await waitApps(engine, 0)).toBe(0);
  });
});

describe('pbx start', () => {
  it('supervises the engine and the app: a demo phone registers; SIGTERM stops everything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pbx-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const [sipPort, adminPort, httpPort] = [await freePort('both'), await freePort('tcp'), await freePort('tcp')];
    const file = join(dataDir, 'pbx.json');
    writeFileSync(file, JSON.stringify({
      dataDir: '.', logLevel: 'notice',
      sip: { listen: [{ address: '127.0.0.1', port: sipPort, protocols: ['udp'] }], admin: { address: '127.0.0.1', port: adminPort } },
      pbx: { http: { address: '127.0.0.1', port: httpPort } },
    }));
    const child = spawn(process.execPath, [PBX, 'start', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    cleanups.push(async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // the supervisor takes its children down with it
      await exited;
    });
    const deadline = Date.now() + 20_000;
    while (!out.includes('connected to the SIP engine') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('connected to the SIP engine');
    const demo = readFileSync(join(dataDir, 'demo-users.txt'), 'utf8');
    const password = /^1001  password (\S+)/m.exec(demo)![1]!;
    const p = await phone('1001', password, sipPort);
    expect((await p.registerWithAuth({ expires: 60 })).res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
