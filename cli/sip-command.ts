// `pbx sip`: the SIP engine in the foreground until SIGINT/SIGTERM.
import { SipEngine } from '../core/sip/engine/engine.ts';
import { engineSettings } from '../core/config/engine-settings.ts';
import type { PbxConfig } from '../core/config/schema.ts';

export async function runSipEngine(cfg: PbxConfig): Promise<number> {
  // Handlers first: a supervisor may signal us the moment we report that we listen.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const engine = new SipEngine(engineSettings(cfg));
  // `kill -USR2 <pid>` prints the live counts (transactions, dialogs, connections, apps, counters).
  const dump = () => process.stderr.write(`pbx sip stats ${JSON.stringify(engine.stats())}\n`);
  process.on('SIGUSR2', dump);
  try {
    await engine.start();
  } catch (err) {
    process.stderr.write(`pbx sip: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  await stopRequested;
  process.off('SIGUSR2', dump);
  await engine.stop();
  return 0;
}
