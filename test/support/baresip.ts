// Debian's baresip as a headless softphone for end-to-end tests: its own config folder, bound to
// loopback only (SIP, RTP and the control socket), a sine tone as microphone, audio to a file,
// and its ctrl_tcp JSON interface for commands (dial, hold, resume, transfer, hangup) and events.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, freePortBlock } from './ports.ts';

export interface BaresipOptions {
  user: string;
  password: string;
  /** The PBX's SIP port on 127.0.0.1 (outbound proxy and registrar). */
  pbxPort: number;
  domain: string;
  autoAnswer?: boolean;
}

export interface BaresipEvent {
  type: string;
  param?: string;
  peeruri?: string;
  [k: string]: unknown;
}

export class Baresip {
  private child!: ChildProcess;
  private ctrl!: net.Socket;
  private buf = '';
  readonly events: BaresipEvent[] = [];
  /** Everything baresip printed (with -s: every SIP message it sent and received). */
  output = '';
  private replies: ((r: Record<string, unknown>) => void)[] = [];
  private dir = '';
  sipPort = 0;

  constructor(private readonly opts: BaresipOptions) {}

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'baresip-'));
    // baresip also opens SIP/TLS on the next port up: both must be free.
    this.sipPort = await freePortBlock(2, 'both');
    const ctrlPort = await freePort('tcp');
    const rtp = await freePortBlock(20, 'udp', '127.0.0.1', { even: true });
    const o = this.opts;
    writeFileSync(join(this.dir, 'config'), [
      'poll_method epoll',
      'net_interface 127.0.0.1',
      `sip_listen 127.0.0.1:${this.sipPort}`,
      'sip_trans_def udp',
      `audio_player aufile,${join(this.dir, 'heard.wav')}`,
      'audio_source ausine,440',
      // ausine only produces 48 kHz; baresip resamples to the call's codec.
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 2',
      `audio_alert aufile,${join(this.dir, 'alert.wav')}`,
      'module_path /usr/lib/baresip/modules',
      ...['g711.so', 'ausine.so', 'aufile.so', 'sndfile.so', 'account.so', 'menu.so', 'ctrl_tcp.so'].map((m) => `module ${m}`),
      // sndfile writes what each call decodes (what this phone hears) to <snd_path>/dump-*-dec.wav.
      `snd_path ${this.dir}`,
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `rtp_ports ${rtp}-${rtp + 19}`,
      '',
    ].join('\n'));
    const params = [`auth_pass=${o.password}`, `outbound="sip:127.0.0.1:${o.pbxPort}"`, 'regint=300', `answermode=${o.autoAnswer ? 'auto' : 'manual'}`];
    writeFileSync(join(this.dir, 'accounts'), `<sip:${o.user}@${o.domain}>;${params.join(';')}\n`);
    this.child = spawn('baresip', ['-f', this.dir, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const onOut = (d: Buffer) => (this.output += d.toString());
    this.child.stdout!.on('data', onOut);
    this.child.stderr!.on('data', onOut);
    await this.until(() => this.output.includes('baresip is ready'), 10_000, 'start');
    this.ctrl = net.connect({ host: '127.0.0.1', port: ctrlPort });
    await new Promise<void>((resolve, reject) => {
      this.ctrl.once('connect', () => resolve());
      this.ctrl.once('error', reject);
    });
    this.ctrl.on('data', (d) => this.onData(d.toString()));
    return this;
  }

  /** ctrl_tcp speaks netstrings: `<len>:<json>,`. */
  private onData(chunk: string): void {
    this.buf += chunk;
    for (;;) {
      const colon = this.buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buf.slice(0, colon));
      if (this.buf.length < colon + 1 + len + 1) return;
      const json = this.buf.slice(colon + 1, colon + 1 + len);
      this.buf = this.buf.slice(colon + 2 + len);
      const msg = JSON.parse(json) as Record<string, unknown>;
      if (msg.event) this.events.push(msg as unknown as BaresipEvent);
      else if (msg.response) this.replies.shift()?.(msg);
    }
  }

  async command(command: string, params = ''): Promise<Record<string, unknown>> {
    const json = JSON.stringify({ command, params, token: String(Date.now()) });
    const reply = new Promise<Record<string, unknown>>((resolve) => this.replies.push(resolve));
    this.ctrl.write(`${Buffer.byteLength(json)}:${json},`);
    return reply;
  }

  /** WAVs of what this phone heard, one per call (sndfile's decoder dumps), oldest first. */
  heardFiles(): string[] {
    return readdirSync(this.dir).filter((f) => /^dump-.*-dec\.wav$/.test(f)).sort().map((f) => join(this.dir, f));
  }

  async waitEvent(type: string, ms = 10_000): Promise<BaresipEvent> {
    await this.until(() => this.events.some((e) => e.type === type), ms, `event ${type}`);
    return this.events.find((e) => e.type === type)!;
  }

  async until(pred: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`baresip ${this.opts.user}: timed out waiting for ${what}; output:\n${this.output.slice(-3000)}`);
      if (this.child.exitCode !== null) throw new Error(`baresip ${this.opts.user} exited: ${this.output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.ctrl?.destroy();
    if (this.child && this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      const exited = new Promise((r) => this.child.once('exit', r));
      const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    if (process.env.BARESIP_KEEP) process.stderr.write(`baresip ${this.opts.user}: kept ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}
