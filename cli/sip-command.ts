// `pbx sip`: the SIP engine in the foreground until SIGINT/SIGTERM.
import { SipEngine } from '../core/sip/engine/engine.ts';
import { engineSettings } from '../core/config/engine-settings.ts';
import type { PbxConfig } from '../core/config/schema.ts';

export async function runSipEngine(cfg: PbxConfig): Promise<number> {
  const engine = new SipEngine(engineSettings(cfg));
  try {
    await engine.start();
  } catch (err) {
    process.stderr.write(`pbx sip: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await engine.stop();
  return 0;
}
