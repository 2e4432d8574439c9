import { describe, expect, it } from 'vitest';
import { simulateApp, soundExists } from '../test-support/simulate-app.ts';

const ECHO = 'echo-test/main.ts';

describe('echo test', () => {
  it('plays the echo test explanation (skippable), then transfers to the echo service of this domain', async () => {
    const r = await simulateApp(ECHO, { call: { to: '*43' } });
    expect(r.ops).toEqual(['answer', 'play', 'transfer']);
    expect(r.trace[1]!.args).toEqual({ prompts: ['demo-echotest'], bargeIn: true });
    expect(r.end).toEqual({ kind: 'transfer', target: { kind: 'uri', uri: 'sip:echo@pbx.local' }, at: 2 });
  });

  it("its prompt is in the media server's sound folders (Debian asterisk-core-sounds-en-wav)", () => {
    expect(soundExists('demo-echotest')).toBe(true);
    expect(soundExists('demo-echotest-nonexistent')).toBe(false);
  });

  it('a caller who hangs up during the explanation is not transferred', async () => {
    const r = await simulateApp(ECHO, { call: { to: '*43' }, caller: { hangupAfter: 1 } });
    expect(r.ops).toEqual(['answer', 'play']);
    expect(r.end).toEqual({ kind: 'caller-hangup', at: 1 });
  });
});
