// A leg's use of the media clock: an idle relay leg is in no per-tick phase; it joins the input
// phase while someone consumes its audio and the output phase while digits go out.

import { afterEach, describe, expect, it } from 'vitest';
import { findCodec } from '../codec-lookup.ts';
import { mediaConfig } from '../config.ts';
import { PortAllocator } from '../rtp/port-allocator.ts';
import { DgramUdpTransport } from '../rtp/dgram-udp.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { Leg, type LegTicks } from './leg.ts';

class Ticks implements LegTicks {
  readonly input = this.phase('input');
  readonly output = this.phase('output');
  readonly live = { input: new Set<() => void>(), output: new Set<() => void>() };
  private phase(name: 'input' | 'output') {
    return (fn: () => void): (() => void) => {
      this.live[name].add(fn);
      return () => this.live[name].delete(fn);
    };
  }
  run(name: 'input' | 'output'): void {
    for (const fn of [...this.live[name]]) fn();
  }
}

const offer = (port: number, withEvents: boolean): string =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0${withEvents ? ' 101' : ''}`, 'a=rtpmap:0 PCMU/8000', ...(withEvents ? ['a=rtpmap:101 telephone-event/8000'] : []), 'a=sendrecv', ''].join('\r\n');

describe('Leg and the media clock', () => {
  const legs: Leg[] = [];
  afterEach(() => {
    for (const l of legs.splice(0)) l.destroy();
  });

  async function leg(withEvents: boolean): Promise<{ leg: Leg; ticks: Ticks }> {
    const config = mediaConfig({ portMin: 32600, portMax: 32699 });
    const ticks = new Ticks();
    const l = await Leg.create(
      { config, clock: new FakeClock(), allocator: new PortAllocator(config.portMin, config.portMax, config.bindIp, new DgramUdpTransport()), ticks },
      { id: 'l1', callId: 'c1', policy: { codecs: [findCodec('PCMU')!], dtmf: true, direction: 'sendrecv', preferLocal: false }, inbandDtmf: 'auto' },
    );
    legs.push(l);
    l.applyRemote(offer(9, withEvents), 'offer');
    return { leg: l, ticks };
  }

  it('is in no phase while it only relays, and in the input phase while tapped', async () => {
    const { leg: l, ticks } = await leg(true);
    expect(ticks.live.input.size + ticks.live.output.size).toBe(0);
    const frames: (Int16Array | null)[] = [];
    const untap = l.addTap((pcm) => frames.push(pcm));
    expect(ticks.live.input.size).toBe(1);
    ticks.run('input');
    expect(frames).toEqual([null]); // nothing received yet: the tap hears "no stream"
    untap();
    expect(ticks.live.input.size).toBe(0);
  });

  it('stays in the input phase for in-band DTMF when the far end has no telephone-event', async () => {
    const { leg: l, ticks } = await leg(false);
    expect(ticks.live.input.size).toBe(1);
    l.destroy();
    expect(ticks.live.input.size).toBe(0);
  });

  it('is in the output phase only while digits go out', async () => {
    const { leg: l, ticks } = await leg(true);
    const done = l.sendDigits('1', 40, 20);
    expect(ticks.live.output.size).toBe(1);
    for (let i = 0; i < 20 && ticks.live.output.size > 0; i++) ticks.run('output');
    await done;
    expect(ticks.live.output.size).toBe(0);
  });
});
