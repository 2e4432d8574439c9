// DTMF: RFC 4733 telephone-events, in-band detection and generation.
export * as rfc4733 from './rfc4733.ts';
export { digitToEvent, eventToDigit, telephoneEventInfo, type TelephoneEvent } from './rfc4733.ts';
export { DtmfDetector, type DtmfDetection, type DtmfDetectorOptions } from './detector.ts';
export { DtmfGenerator, dtmfSequence, type DtmfToneOptions } from './generator.ts';
export { dtmfFrequencies, DTMF_COL_HZ, DTMF_ROW_HZ } from './keypad.ts';
