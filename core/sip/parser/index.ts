// The parser package's public surface, for the layers above.
export * from './message.ts';
export { canonicalHeaderName, prettyHeaderName, LIST_HEADERS } from './header-names.ts';
export { parseMessage, type ParseOutcome } from './parse.ts';
export { serializeMessage, startLine } from './serialize.ts';
export { parseUri, formatUri, type SipUri } from './uri.ts';
export { parseNameAddr, formatNameAddr, tagOf, type NameAddr } from './name-addr.ts';
export { parseVia, parseViaList, viaBranch, formatVia, type Via } from './via.ts';
export { parseCSeq, type CSeq } from './cseq.ts';
export { parseContacts, expiresParam, qParam } from './contact.ts';
export { splitList } from './list.ts';
export { getParam, hasParam, setParam, deleteParam, type Params } from './params.ts';
