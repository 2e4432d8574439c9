// Command line of the media process: `--socket PATH --ports 30000-30999 --ip 127.0.0.1 [--advertise IP]
// [--rtp-timeout MS] [--stats-interval MS] [--sounds DIR[:DIR...]] [--udp-io auto|native|dgram]
// [--udp-send-thread on|off]`.

import { mediaConfig, type MediaConfig } from './config.ts';

export interface MediaArgs {
  socketPath: string;
  config: MediaConfig;
}

export function parseMediaArgs(argv: readonly string[]): MediaArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(`bad argument near ${key ?? '(end)'}`);
    values.set(key.slice(2), value);
    i++;
  }
  const socketPath = values.get('socket');
  if (!socketPath) throw new Error('--socket PATH is required');
  const overrides: Partial<MediaConfig> = {};
  const ports = values.get('ports');
  if (ports) {
    const m = /^(\d+)-(\d+)$/.exec(ports);
    if (!m) throw new Error(`--ports wants MIN-MAX, got ${ports}`);
    overrides.portMin = Number(m[1]);
    overrides.portMax = Number(m[2]);
  }
  const ip = values.get('ip');
  if (ip) overrides.bindIp = ip;
  overrides.advertiseIp = values.get('advertise') ?? ip ?? undefined;
  if (overrides.advertiseIp === undefined) delete overrides.advertiseIp;
  const num = (name: string, key: keyof MediaConfig): void => {
    const v = values.get(name);
    if (v === undefined) return;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a number, got ${v}`);
    (overrides as Record<string, unknown>)[key] = n;
  };
  num('rtp-timeout', 'rtpTimeoutMs');
  num('stats-interval', 'statsIntervalMs');
  num('rtcp-interval', 'rtcpIntervalMs');
  const udpIo = values.get('udp-io');
  if (udpIo !== undefined) {
    if (udpIo !== 'auto' && udpIo !== 'native' && udpIo !== 'dgram') throw new Error(`--udp-io wants auto, native or dgram, got ${udpIo}`);
    overrides.udpIo = udpIo;
  }
  const sendThread = values.get('udp-send-thread');
  if (sendThread !== undefined) {
    if (sendThread !== 'on' && sendThread !== 'off') throw new Error(`--udp-send-thread wants on or off, got ${sendThread}`);
    overrides.udpSendThread = sendThread === 'on';
  }
  const sounds = values.get('sounds');
  if (sounds) overrides.soundDirs = sounds.split(':');
  return { socketPath, config: mediaConfig(overrides) };
}
