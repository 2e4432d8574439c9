// The sales ring group as a dialplan of its own (e.g. for a sales DID).
import { dialplan } from '@pbx/dialplan';
import { salesGroup } from './lib/sales.ts';

export default dialplan((call) => salesGroup(call));
