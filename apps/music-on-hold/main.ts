// A ready-made music-on-hold test line: the default music class until the caller hangs up.
import { dialplan } from '@pbx/dialplan';
import { musicOnHold } from './music-on-hold.ts';

export default dialplan((call) => musicOnHold(call, { music: 'default' }));
