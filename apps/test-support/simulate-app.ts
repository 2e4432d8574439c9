// Test support for the apps: the simulator with the apps folder as the import root, and a fake PBX
// that knows which extensions exist. The stock simulator treats an unlisted endpoint as a user who
// is not registered (480); the real router answers a number that is no user with 404, and the apps
// tell those apart (voicemail for the one, "not a valid extension" for the other).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMediaConfig } from '../../core/media/config.ts';
import type { OpReply } from '../../dialplan/host/call-host.ts';
import type { OpArgs, OpName, OpValue } from '../../dialplan/host/ops.ts';
import { createSandbox } from '../../dialplan/sandbox/index.ts';
import { compileCached } from '../../dialplan/simulator/compile-cache.ts';
import { FakePbx, simulate, simulateOn, type Scenario, type SimResult } from '../../dialplan/simulator/index.ts';

export const APPS_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Runs `file` (a path under apps/) in the simulator, compiled with apps/ as its folder. */
export function simulateApp(file: string, scenario: Scenario, root = APPS_DIR): Promise<SimResult> {
  return simulate(root + file, scenario, { root });
}

/** How the PBX reports a dial to a number that is no user: the status is the host's to choose. */
export type UnknownUserStatus = 'unavailable' | 'rejected';

/** A FakePbx whose dial answers 404 when every target is a user it does not know. */
export class DirectoryPbx extends FakePbx {
  readonly #known: ReadonlySet<string>;
  readonly #status: UnknownUserStatus;

  constructor(known: readonly string[], status: UnknownUserStatus = 'unavailable') {
    super({ clock: 'auto' });
    this.#known = new Set(known);
    this.#status = status;
  }

  override async op<K extends OpName>(callId: string, op: K, args: OpArgs<K>): Promise<OpReply<OpValue<K>>> {
    if (op !== 'dial' || !(args as OpArgs<'dial'>).targets.every((t) => t.kind === 'user' && !this.#known.has(t.user))) {
      return super.op(callId, op, args);
    }
    const c = this.call(callId);
    const value = { status: this.#status, sipCode: 404 };
    c.trace.push({ at: (c.now - c.start) / 1000, op, args, result: value });
    return { ok: true, value: value as OpValue<K>, t: c.now };
  }
}

/** Like simulateApp, on a DirectoryPbx that knows only `known`. */
export async function simulateWithDirectory(
  file: string,
  scenario: Scenario,
  known: readonly string[],
  o: { root?: string; status?: UnknownUserStatus } = {},
): Promise<SimResult> {
  const root = o.root ?? APPS_DIR;
  const sandbox = createSandbox(await compileCached(root + file, { root }), { log: () => undefined });
  try {
    return await simulateOn(sandbox, scenario, new DirectoryPbx(known, o.status));
  } finally {
    await sandbox.dispose();
  }
}

/** True when the media server would find `name` (a prompt id such as 'demo-echotest') in its sound folders. */
export function soundExists(name: string): boolean {
  return defaultMediaConfig.soundDirs.some((dir) => existsSync(join(dir, `${name}.wav`)));
}

/** The string prompts a simulated call played or offered in a collect. */
export function promptsOf(r: SimResult): string[] {
  return r.trace.flatMap((t) => (t.op === 'play' || t.op === 'collect' ? (t.args as { prompts: unknown[] }).prompts : [])).filter((p): p is string => typeof p === 'string');
}
