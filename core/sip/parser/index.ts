// The parser package's public surface, for the layers above.
export * from './message.ts';
export { canonicalHeaderName, prettyHeaderName, LIST_HEADERS } from './header-names.ts';
export { parseMessage, type ParseOutcome, type ParseOptions } from './parse.ts';
export { serializeMessage, startLine } from './serialize.ts';
export { StreamFramer, type FrameEvent, type StreamFramerOptions } from './stream-framer.ts';
export * from './headers.ts';
export { topVia, cseqOf, fromAddr, toAddr, fromTag, toTag } from './views.ts';
