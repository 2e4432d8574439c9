// The floor for a Node relay on this machine: one socket in and one out per stream, no parsing,
// no rewriting. Started as a child by media-bench.ts; prints its ports as JSON on stdout.

import dgram from 'node:dgram';

const targets = JSON.parse(process.argv[2] ?? '[]') as number[];
const ports: number[] = [];
let bound = 0;
const bind = (s: dgram.Socket): Promise<void> => new Promise((r) => s.bind(0, '127.0.0.1', () => r()));
for (const [i, target] of targets.entries()) {
  const rx = dgram.createSocket('udp4');
  const tx = dgram.createSocket('udp4');
  rx.on('message', (m) => tx.send(m, target, '127.0.0.1'));
  void Promise.all([bind(rx), bind(tx)]).then(() => {
    ports[i] = rx.address().port;
    if (++bound === targets.length) process.stdout.write(`${JSON.stringify(ports)}\n`);
  });
}
process.on('SIGTERM', () => process.exit(0));
