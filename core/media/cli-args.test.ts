import { describe, expect, it } from 'vitest';
import { parseMediaArgs } from './cli-args.ts';

describe('parseMediaArgs', () => {
  it('reads socket, ports and ip, with defaults for the rest', () => {
    const a = parseMediaArgs(['--socket', '/tmp/m.sock', '--ports', '30000-30999', '--ip', '127.0.0.1', '--rtp-timeout', '5000']);
    expect(a.socketPath).toBe('/tmp/m.sock');
    expect(a.config).toMatchObject({ portMin: 30000, portMax: 30999, bindIp: '127.0.0.1', advertiseIp: '127.0.0.1', rtpTimeoutMs: 5000, ptimeMs: 20 });
  });

  it('refuses bad input with a clear message', () => {
    expect(() => parseMediaArgs(['--ports', '1-2'])).toThrow(/--socket/);
    expect(() => parseMediaArgs(['--socket', 's', '--ports', 'x'])).toThrow(/MIN-MAX/);
    expect(() => parseMediaArgs(['--socket', 's', '--ports', '40000-30000'])).toThrow(/port range/);
    expect(() => parseMediaArgs(['--socket'])).toThrow(/bad argument/);
    expect(() => parseMediaArgs(['--socket', 's', '--udp-io', 'epoll'])).toThrow(/--udp-io wants auto, native or dgram/);
    expect(() => parseMediaArgs(['--socket', 's', '--udp-send-thread', 'yes'])).toThrow(/--udp-send-thread wants on or off/);
  });

  it('picks the UDP layer', () => {
    expect(parseMediaArgs(['--socket', 's']).config).toMatchObject({ udpIo: 'auto', udpSendThread: true });
    expect(parseMediaArgs(['--socket', 's', '--udp-io', 'dgram', '--udp-send-thread', 'off']).config).toMatchObject({ udpIo: 'dgram', udpSendThread: false });
  });
});
