// The main number on its own: reception in office hours, the after-hours IVR otherwise.
import { dialplan } from '@pbx/dialplan';
import { mainNumber } from './lib/reception.ts';

export default dialplan((call) => mainNumber(call));
