// Dialplan calls end to end: the engine, the PBX app with its dialplan runtime and a real media
// server process, all on loopback. Dialplans are files in the PBX's dialplan folder, so tests
// exercise compilation, activation and hot reload exactly as a user's edits would.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PbxConfigInput } from '../../../../core/config/schema.ts';
import { installDefaultDialplan } from '../../../../core/pbx/dialplan-host/default-dialplan.ts';
import { launchMediaServer, type MediaProcess } from '../../../../core/media/control/launcher.ts';
import { freePortBlock } from '../../../support/ports.ts';
import { Baresip } from '../../../support/baresip.ts';
import { freePort } from '../../../support/ports.ts';
import { SCENARIO_DIR, startSipp, type SippRun } from '../../../sipp/sipp.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from '../../pbx/support/pbx-harness.ts';

export interface CallHarness extends PbxHarness {
  media: MediaProcess;
  dialplanDir: string;
  /** Writes (or replaces) a dialplan file; resolves once the runtime activated or refused it. */
  writeDialplan(name: string, source: string): Promise<void>;
  /** Waits (bounded) until the app logged a line matching `re`. */
  waitLog(re: RegExp, ms?: number): Promise<string>;
}

/** `dialplans`: files to write, or 'default' for the PBX's own default dialplan (apps/default). */
export async function startCallHarness(dialplans: Record<string, string> | 'default', pbx: PbxConfigInput['pbx'] = {}): Promise<CallHarness> {
  const mediaDir = mkdtempSync(join(tmpdir(), 'pbx-media-'));
  const ports = await freePortBlock(64, 'udp', '127.0.0.1', { even: true });
  const socketPath = join(mediaDir, 'media.sock');
  const media = await launchMediaServer({ socketPath, ports: [ports, ports + 63] });
  const dialplanDir = join(mediaDir, 'dialplans');
  if (dialplans === 'default') installDefaultDialplan(dialplanDir);
  else {
    mkdirSync(dialplanDir);
    for (const [name, src] of Object.entries(dialplans)) writeFileSync(join(dialplanDir, `${name}.ts`), src);
  }
  let h: PbxHarness;
  try {
    h = await startPbxHarness({
      ...pbx,
      media: { anchor: true, socket: socketPath, ...pbx.media },
      dialplan: { enabled: true, cpuLimitMs: 200, ...pbx.dialplan, dir: dialplanDir },
    });
  } catch (err) {
    await media.stop();
    rmSync(mediaDir, { recursive: true, force: true });
    throw err;
  }
  await h.pbx.app.routing.media?.ready(10_000);
  const stop = h.stop.bind(h);
  const waitLog = async (re: RegExp, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = h.logs.find((l) => re.test(l));
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no log line matching ${re} within ${ms} ms; last lines:\n${h.logs.slice(-15).join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return Object.assign(h, {
    media,
    dialplanDir,
    waitLog,
    async writeDialplan(name: string, source: string) {
      const registry = h.pbx.app.routing.dialplans!.registry;
      const settled = Promise.race([registry.activated.next((n) => n === name), registry.refused.next((n) => n === name)]);
      writeFileSync(join(dialplanDir, `${name}.ts`), source);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`dialplan ${name} was neither activated nor refused`)), 30_000)))]);
      clearTimeout(timer);
    },
    async stop() {
      try {
        // Every call's media legs are gone once its calls ended (bounded wait: BYEs may be in flight).
        const deadline = Date.now() + 5000;
        let status = await media.client.status();
        while (status.legs > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          status = await media.client.status();
        }
        await stop();
        if (status.legs !== 0 || status.bridges !== 0 || status.conferences !== 0) {
          throw new Error(`media server kept ${status.legs} legs, ${status.bridges} bridges, ${status.conferences} conferences after the calls ended`);
        }
      } finally {
        await media.stop();
        rmSync(mediaDir, { recursive: true, force: true });
      }
    },
  });
}

/**
 * A sipp caller scenario (digest auth, like uac-invite-auth) that runs `actions` (sipp XML:
 * pauses, play_pcap_audio with RFC 4733 digits or rtp_stream audio) once the call is up, then
 * hangs up. Returns the path of a scenario file in `dir`.
 */
export function callerScenario(dir: string, name: string, actions: string, end: 'hang-up' | 'wait-bye' = 'hang-up'): string {
  let base = readFileSync(join(SCENARIO_DIR, 'uac-invite-auth.xml'), 'utf8');
  const marker = '  <!-- -d milliseconds -->\n  <pause/>';
  if (!base.includes(marker)) throw new Error('uac-invite-auth.xml changed: cannot find its pause');
  if (end === 'wait-bye') {
    // The PBX ends the call: replace our BYE and its 200 with receiving a BYE and answering it.
    const from = base.indexOf('  <send retrans="500">', base.indexOf(marker));
    const tail = '  <recv response="200" timeout="10000" crlf="true"/>';
    const to = base.indexOf(tail, from);
    if (from < 0 || to < 0) throw new Error('uac-invite-auth.xml changed: cannot find its BYE');
    base = base.slice(0, from) + WAIT_BYE + base.slice(to + tail.length);
  }
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, base.replace(marker, actions).replace('<scenario name="uac-invite-auth">', `<scenario name="${name}">`));
  return file;
}

const WAIT_BYE = `  <recv request="BYE" timeout="15000"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>`;

/** sipp XML that sends RFC 4733 digits (sip-tester's pcaps), with a pause after each. */
export function dtmfActions(digits: string, gapMs = 400): string {
  const name = (d: string) => (d === '*' ? 'star' : d === '#' ? 'pound' : d);
  return [...digits]
    .map((d) => `  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${name(d)}.pcap"/></action></nop>\n  <pause milliseconds="${gapMs}"/>`)
    .join('\n');
}

/**
 * A sipp phone registered as `ext` (digest auth) that then answers calls on the same port with
 * `scenario`. The caller stops it (SippRun.stop) when the test ends.
 */
export async function sippPhone(h: PbxHarness, ext: string, scenario: string, password = PASSWORDS[ext]!): Promise<SippRun> {
  const port = await freePort('both');
  const reg = await (await startSipp({ scenario: 'uac-register', remote: h.engine.hostport, localPort: port, service: ext, authUser: ext, authPassword: password })).done;
  if (reg.exitCode !== 0) throw new Error(`sipp could not register ${ext}: ${reg.errors || reg.stdout}`);
  return startSipp({ scenario, localPort: port });
}

/** A baresip softphone for `user`, started and registered (bounded wait on the location service). */
export async function softphone(h: PbxHarness, user: string, autoAnswer: boolean): Promise<Baresip> {
  const p = new Baresip({ user, password: PASSWORDS[user]!, pbxPort: h.engine.sipPort, domain: 'pbx.test', autoAnswer });
  await p.start();
  const deadline = Date.now() + 10_000;
  while ((await h.pbx.app.location.lookup(user)).length === 0) {
    if (Date.now() > deadline) {
      await p.stop();
      throw new Error(`${user} did not register`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return p;
}
