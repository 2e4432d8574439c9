// The sales ring group: three desks ring together; if nobody answers, the sales manager's mobile
// rings and must press a key (so the mobile's own voicemail cannot "answer" the call); then the
// sales mailbox.
import type { Call, Done } from '@pbx/dialplan';

export const SALES_DESKS = ['1010', '1011', '1012'] as const;
export const SALES_MOBILE = '+491701234567';
export const SALES_MAILBOX = '2000';

export async function salesGroup(call: Call): Promise<Done> {
  let r = await call.dial(SALES_DESKS, { strategy: 'parallel', timeout: 20, callerId: { name: `Sales: ${call.from.name ?? call.from.user}` } });
  if (r.status !== 'answered') {
    call.log('sales desks missed', { status: r.status });
    r = await call.dial({ number: SALES_MOBILE, trunk: 'carrier', confirm: 'sales/press-1' }, { timeout: 25 });
  }
  if (r.status === 'answered') {
    call.vars['answeredBy'] = r.by;
    return call.hangup();
  }
  return call.voicemail(SALES_MAILBOX, { cause: r.status === 'busy' ? 486 : 408 });
}
