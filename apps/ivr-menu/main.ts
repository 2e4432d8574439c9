// A ready-made IVR: whatever number reaches this dialplan hears the company menu. 1 rings sales
// (1001, then 1002), 2 rings support's extension, 3 opens a submenu (leave a message, join the
// team's conference, * back), 9 says goodbye, 0 is the operator; a caller may also type any 1XXX
// extension. Three wrong keys or three silences go to the operator.
import { dialplan } from '@pbx/dialplan';
import { runIvr, type IvrConfig } from './ivr-menu.ts';

export const IVR: IvrConfig = {
  menu: {
    prompt: 'basic-pbx-ivr-main',
    options: {
      '1': { ringGroup: { members: [{ extension: '1001', ringSeconds: 15 }, { extension: '1002', ringSeconds: 20 }], voicemail: { mailbox: '1001', cause: 408 } } },
      '2': { extension: '1003', ringSeconds: 25, announce: 'transfer' },
      '3': {
        submenu: {
          prompt: ['vm-leavemsg', 'conf-placeintoconf'],
          timeout: 8,
          options: {
            '1': { voicemail: '1003' },
            '2': { conference: { room: 'team', pins: { participant: '2468' }, maxMembers: 10 } },
            '*': { back: true },
          },
        },
      },
      '9': { hangup: true, announce: 'goodbye' },
      '0': { extension: '1000' },
    },
  },
  dialByExtension: { digits: 4, match: '_1XXX', announce: 'transfer' },
  timeoutPrompt: 'vm-sorry',
  onExhausted: { extension: '1000', announce: 'transfer' },
};

export default dialplan((call) => runIvr(call, IVR));
