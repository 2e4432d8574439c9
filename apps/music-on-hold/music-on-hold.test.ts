import { describe, expect, it } from 'vitest';
import { simulateApp } from '../test-support/simulate-app.ts';

const MOH = 'music-on-hold/main.ts';

describe('music on hold', () => {
  it('answers, holds with the default music and waits until the caller hangs up', async () => {
    const r = await simulateApp(MOH, { call: { to: '700' }, caller: { hangupAfter: 200 } });
    expect(r.ops).toEqual(['answer', 'hold', 'sleep', 'sleep', 'sleep', 'sleep']);
    expect(r.trace[1]!.args).toEqual({ music: 'default' });
    expect(r.trace.slice(2).map((t) => t.at)).toEqual([0, 60, 120, 180]);
    expect(r.outcome).toMatchObject({ result: 'ok', end: 'caller-hangup' });
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 200 });
  });

  it('a caller who never hangs up is hung up after an hour', async () => {
    const r = await simulateApp(MOH, { call: { to: '700' } });
    expect(r.ops.filter((op) => op === 'sleep')).toHaveLength(60);
    expect(r.end).toEqual({ kind: 'hangup', at: 3600 });
    expect(r.logs).toEqual(['music on hold: time limit reached {"minutes":60}']);
  });
});
