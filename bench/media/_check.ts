import { launchMediaServer } from '../../core/media/control/launcher.ts';
import { serverOptions } from './server-choice.ts';
const m = await launchMediaServer({ socketPath: '/tmp/h4/chk.sock', ports: [40000, 40100], extraArgs: ['--udp-io', process.argv[2] ?? 'native'], ...serverOptions() });
console.log(JSON.stringify(await m.client.status()), m.child.spawnargs.join(' '));
await m.stop();
