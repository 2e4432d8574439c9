// Media server process entry:
//   node --import tsx core/media/main.ts --socket PATH --ports 30000-30999 --ip 127.0.0.1
// Prints "ready" on stdout once the control socket listens. SIGTERM/SIGINT close recordings and
// legs cleanly; a SIGKILL leaves WAV files valid up to their last one-second flush.

import { parseMediaArgs } from './cli-args.ts';
import { ControlServer } from './control/control-server.ts';
import { MediaServer } from './server.ts';

async function main(): Promise<void> {
  const args = parseMediaArgs(process.argv.slice(2));
  const media = new MediaServer(args.config);
  const control = new ControlServer(media, args.config.maxControlLineBytes);
  await control.listen(args.socketPath);
  media.start();
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await media.close().catch((err: unknown) => console.error('media close failed:', err));
    await control.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
