// A ready-made echo test line: the explanation, then the PBX's echo service.
import { dialplan } from '@pbx/dialplan';
import { echoTest } from './echo-test.ts';

export default dialplan((call) => echoTest(call));
