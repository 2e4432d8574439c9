// Hold with music: the caller is answered, told to hold, and put on hold (jazz) while the support
// agents are tried in three rounds, hearing the same music instead of ringback; agents who put the
// caller on hold during the call also play it. After three rounds: the support mailbox.
import type { Call, Done } from '@pbx/dialplan';

export const AGENTS = ['1040', '1041', '1042'] as const;
export const SUPPORT_MAILBOX = '1050';
const MUSIC = 'jazz';

export async function supportQueue(call: Call): Promise<Done> {
  await call.answer();
  await call.play('support/please-hold');
  await call.hold({ music: MUSIC });
  for (let round = 1; round <= 3; round++) {
    const r = await call.dial(AGENTS, { strategy: 'parallel', timeout: 15, ringback: { music: MUSIC }, holdMusic: MUSIC });
    if (r.status === 'answered') {
      call.vars['agent'] = r.by;
      return call.hangup();
    }
    call.log('no agent free', { round, status: r.status });
    await call.sleep(10);
  }
  await call.unhold();
  await call.play('support/sorry');
  return call.voicemail(SUPPORT_MAILBOX, { cause: 408 });
}
