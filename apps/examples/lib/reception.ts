// The main number: during office hours (Berlin time) reception rings; after hours, and on
// holidays, an IVR offers sales, the support mailbox, dial-by-extension and the operator mailbox.
import { schedule, type Call, type Done } from '@pbx/dialplan';
import { salesGroup } from './sales.ts';
import { extensionWithVoicemail } from './voicemail.ts';

export const RECEPTION = '1000';
export const SUPPORT_MAILBOX = '1050';

export const OFFICE_HOURS = schedule({
  tz: 'Europe/Berlin',
  hours: { 'mon-thu': '08:30-17:30', fri: '08:30-15:00' },
  closedOn: ['2025-12-24', '2025-12-25', '2025-12-26'],
});

export async function mainNumber(call: Call): Promise<Done> {
  if (OFFICE_HOURS.isOpen(call.now())) return extensionWithVoicemail(call, RECEPTION, 25);
  return afterHoursMenu(call);
}

export async function afterHoursMenu(call: Call): Promise<Done> {
  await call.answer();
  const choice = await call.menu({
    prompt: ['ivr/closed', 'ivr/after-hours-options'],
    options: ['1', '2', '3', '0'] as const,
    attempts: 3,
    timeout: 6,
    invalidPrompt: 'ivr/invalid',
    noInputPrompt: 'ivr/no-input',
  });
  call.vars['ivr'] = choice ?? 'none';
  switch (choice) {
    case '1':
      return salesGroup(call);
    case '2':
      return call.voicemail(SUPPORT_MAILBOX, { cause: 480 });
    case '3': {
      const ext = await call.collect({
        prompt: 'ivr/enter-extension',
        max: 4,
        min: 4,
        timeout: 8,
        attempts: 2,
        invalidPrompt: 'ivr/invalid',
        valid: /^10\d\d$/,
      });
      return ext.ok ? extensionWithVoicemail(call, ext.digits) : call.voicemail(RECEPTION, { cause: 404 });
    }
    case '0':
      return call.voicemail(RECEPTION, { cause: 480 });
    case null:
      return call.voicemail(RECEPTION, { cause: 408 });
  }
}
