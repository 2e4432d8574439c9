// IVR configurations the ready-made menu does not show, picked by the dialled number, for the tests:
// 'strict' has no dial-by-extension, tight retry counts, a hangup when they run out, a step limit,
// per-menu overrides and the `run` and voicemail actions; 'range' takes extensions 200-299 and uses
// '#' as a menu key (so '#' cannot end the typed number).
import { dialplan } from '@pbx/dialplan';
import { runIvr, type IvrConfig } from '../ivr-menu.ts';

const STRICT: IvrConfig = {
  menu: {
    prompt: ['strict/welcome', 'strict/options'],
    options: {
      '1': {
        submenu: {
          prompt: 'strict/submenu',
          timeout: 3,
          invalidPrompt: 'strict/sub-invalid',
          options: { '#': { back: true }, '2': { voicemail: '1001', cause: 302 } },
        },
      },
      '5': { run: (call) => call.transfer({ number: '+4930123456', trunk: 'carrier' }) },
      '6': { extension: '1006', mailbox: false },
    },
  },
  maxInvalid: 2,
  maxTimeouts: 1,
  invalidPrompt: 'strict/invalid',
  maxSteps: 4,
  onExhausted: { hangup: true, announce: 'vm-goodbye' },
};

const RANGE: IvrConfig = {
  menu: { prompt: 'range/menu', options: { '#': { hangup: true } } },
  dialByExtension: { digits: 3, match: { from: 200, to: 299 }, interDigitTimeout: 3, ringSeconds: 30 },
  onExhausted: { voicemail: '200' },
};

export default dialplan((call) => runIvr(call, call.dialed === 'range' ? RANGE : STRICT));
