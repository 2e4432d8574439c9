// Typed, lossless views of header values, parsed on demand (see message.ts). One module per
// grammar; this file only gathers them.

export { type Params, getParam, hasParam, setParam, deleteParam, formatParams, parseHeaderParams } from './params.ts';
export { type SipUri, parseUri, formatUri, uriScheme, isAbsoluteUri, unescapeUriPart } from './uri.ts';
export { type NameAddr, parseNameAddr, formatNameAddr, tagOf } from './name-addr.ts';
export { type Via, parseVia, parseViaList, viaBranch, formatVia } from './via.ts';
export { type CSeq, parseCSeq } from './cseq.ts';
export { parseContacts, expiresParam, qParam } from './contact.ts';
export { splitList } from './list.ts';
export { quote, unquote } from './lex.ts';
