// The 49 messages of RFC 4475 ("SIP Torture Test Messages"), one `<name>.sip` file each,
// byte-exact: transcribed from the message text of §3 and checked against the RFC's
// Appendix A bit-exact archive (CRLFs, the NUL/BEL/DEL of intmeth, the UTF-8 of unreason,
// the binary part of mpart01, and baddn's missing final empty line included).
//
// `rfc` says what the RFC expects of a receiving element; `expect` is what parseMessage
// yields for it here. Field-level checks of the valid messages live in rfc4475.rfc.test.ts.

export type Expectation =
  | { ok: true }
  | { ok: false; status: number; error: RegExp; request: boolean };

export interface TortureCase {
  name: string;
  section: string;
  title: string;
  rfc: string;
  expect: Expectation;
}

const valid = { ok: true } as const;
const reject = (status: number, error: RegExp, request = true): Expectation => ({ ok: false, status, error, request });

export const TORTURE_CASES: readonly TortureCase[] = [
  // §3.1.1 Valid messages: a parser must accept them.
  { name: 'wsinv', section: '3.1.1.1', title: 'A Short Tortuous INVITE', rfc: 'All elements should treat this as a well-formed request.', expect: valid },
  { name: 'intmeth', section: '3.1.1.2', title: 'Wide Range of Valid Characters', rfc: 'Well formed; a proxy forwards or 404s, an endpoint answers 501 (unknown method).', expect: valid },
  { name: 'esc01', section: '3.1.1.3', title: 'Valid Use of the % Escaping Mechanism', rfc: 'A parser must accept this as a well-formed message.', expect: valid },
  { name: 'escnull', section: '3.1.1.4', title: 'Escaped Nulls in URIs', rfc: 'Well formed; parsers must accept it; it registers two distinct contacts.', expect: valid },
  { name: 'esc02', section: '3.1.1.5', title: 'Use of % When It Is Not an Escape', rfc: 'Accept as well formed; the method is not REGISTER; two Contact values, not three.', expect: valid },
  { name: 'lwsdisp', section: '3.1.1.6', title: 'Message with No LWS between Display Name and <', rfc: 'Invalid per the grammar but a known spec bug: elements should accept it.', expect: valid },
  { name: 'longreq', section: '3.1.1.7', title: 'Long Values in Header Fields', rfc: 'Well-formed request with many and very long values.', expect: valid },
  { name: 'dblreq', section: '3.1.1.8', title: 'Extra Trailing Octets in a UDP Datagram', rfc: 'Handle the REGISTER normally and ignore the octets after it (§18.3).', expect: valid },
  { name: 'semiuri', section: '3.1.1.9', title: 'Semicolon-Separated Parameters in URI User Part', rfc: 'Accept; the Request-URI user part is "user;par=u@example.net".', expect: valid },
  { name: 'transports', section: '3.1.1.10', title: 'Varied and Unknown Transport Types', rfc: 'Parsers must accept this message as well formed.', expect: valid },
  { name: 'mpart01', section: '3.1.1.11', title: 'Multipart MIME Message', rfc: 'Accept as well formed; frame the binary body (with NULs) properly.', expect: valid },
  { name: 'unreason', section: '3.1.1.12', title: 'Unusual Reason Phrase', rfc: 'Well formed (UTF-8 reason phrase); a parser must accept it.', expect: valid },
  { name: 'noreason', section: '3.1.1.13', title: 'Empty Reason Phrase', rfc: 'Well formed; a parser must accept it.', expect: valid },

  // §3.1.2 Invalid messages.
  { name: 'badinv01', section: '3.1.2.1', title: 'Extraneous Header Field Separators', rfc: 'Syntactically invalid; respond 400.', expect: reject(400, /Via/) },
  { name: 'clerr', section: '3.1.2.2', title: 'Content Length Larger Than Message', rfc: 'Over UDP respond 400; over TCP wait for more data.', expect: reject(400, /^Content-Length exceeds body$/) },
  { name: 'ncl', section: '3.1.2.3', title: 'Negative Content-Length', rfc: 'Respond with an error; over TCP close the connection.', expect: reject(400, /^Bad Content-Length$/) },
  { name: 'scalar02', section: '3.1.2.4', title: 'Request Scalar Fields with Overlarge Values', rfc: 'Respond 400 because of the CSeq.', expect: reject(400, /CSeq/) },
  { name: 'scalarlg', section: '3.1.2.5', title: 'Response Scalar Fields with Overlarge Values', rfc: 'Discard the response.', expect: reject(0, /CSeq/, false) },
  { name: 'quotbal', section: '3.1.2.6', title: 'Unterminated Quoted String in Display Name', rfc: 'Respond 400 (inferring the quote is allowed but risky).', expect: reject(400, /To header.*quoted/) },
  { name: 'ltgtruri', section: '3.1.2.7', title: '<> Enclosing Request-URI', rfc: 'Reasonable always to reject with 400.', expect: reject(400, /Request-URI/) },
  { name: 'lwsruri', section: '3.1.2.8', title: 'Malformed SIP Request-URI (embedded LWS)', rfc: 'Respond 400.', expect: reject(400, /Whitespace in Request-URI/) },
  { name: 'lwsstart', section: '3.1.2.9', title: 'Multiple SP Separating Request-Line Elements', rfc: 'Acceptable to reject as malformed.', expect: reject(400, /whitespace in Request-Line/i) },
  { name: 'trws', section: '3.1.2.10', title: 'SP Characters at End of Request-Line', rfc: 'Acceptable to reject as malformed.', expect: reject(400, /Trailing whitespace/) },
  { name: 'escruri', section: '3.1.2.11', title: 'Escaped Headers in SIP Request-URI', rfc: 'Acceptable to reject with 400.', expect: reject(400, /must not contain headers/) },
  { name: 'baddate', section: '3.1.2.12', title: 'Invalid Time Zone in Date Header Field', rfc: 'May reject, but should not unless the Date matters; may ignore it.', expect: valid },
  { name: 'regbadct', section: '3.1.2.13', title: 'Failure to Enclose name-addr URI in <>', rfc: 'Reasonable to respond 400 (liberal: infer the brackets).', expect: valid },
  { name: 'badaspec', section: '3.1.2.14', title: 'Spaces within addr-spec', rfc: 'Must not break; reasonable to reject with 400.', expect: reject(400, /To header/) },
  { name: 'baddn', section: '3.1.2.15', title: 'Non-token Characters in Display Name', rfc: 'Reasonable always to reject with 400.', expect: reject(400, /From header.*display name/) },
  { name: 'badvers', section: '3.1.2.16', title: 'Unknown Protocol Version', rfc: 'Respond 505 Version Not Supported.', expect: reject(505, /version/i) },
  { name: 'mismatch01', section: '3.1.2.17', title: 'Start Line and CSeq Method Mismatch', rfc: 'Respond 400.', expect: reject(400, /^CSeq method does not match$/) },
  { name: 'mismatch02', section: '3.1.2.18', title: 'Unknown Method with CSeq Method Mismatch', rfc: 'Respond 501; 400 is also acceptable.', expect: reject(400, /^CSeq method does not match$/) },
  { name: 'bigcode', section: '3.1.2.19', title: 'Overlarge Response Code', rfc: 'Drop the response.', expect: reject(0, /status code/, false) },

  // §3.2 Transaction layer semantics.
  { name: 'badbranch', section: '3.2.1', title: 'Missing Transaction Identifier', rfc: 'Must not break; may 400 or fall back to RFC 2543 matching.', expect: valid },

  // §3.3 Application layer semantics.
  { name: 'insuf', section: '3.3.1', title: 'Missing Required Header Fields', rfc: 'Respond 400 Bad Request.', expect: reject(400, /^Missing (From|To|Call-ID) header$/, false) },
  { name: 'unkscm', section: '3.3.2', title: 'Request-URI with Unknown Scheme', rfc: 'Respond 416 Unsupported URI Scheme.', expect: reject(416, /scheme/) },
  { name: 'novelsc', section: '3.3.3', title: 'Request-URI with Known but Atypical Scheme', rfc: 'Parse it; if the scheme is never meaningful here, 416 is appropriate.', expect: reject(416, /scheme/) },
  { name: 'unksm2', section: '3.3.4', title: 'Unknown URI Schemes in Header Fields', rfc: 'Syntactically valid; parsers must not fail (a registrar would then 400).', expect: valid },
  { name: 'bext01', section: '3.3.5', title: 'Proxy-Require and Require', rfc: 'Respond 420 Bad Extension (an application decision).', expect: valid },
  { name: 'invut', section: '3.3.6', title: 'Unknown Content-Type', rfc: 'Syntactically valid; a UAS answers 415.', expect: valid },
  { name: 'regaut01', section: '3.3.7', title: 'Unknown Authorization Scheme', rfc: 'Well formed; a parser must not fail.', expect: valid },
  { name: 'multi01', section: '3.3.8', title: 'Multiple Values in Single Value Required Fields', rfc: 'Must not break; respond 400.', expect: reject(400, /^Multiple (Call-ID|CSeq|From|To|Max-Forwards) headers$/) },
  { name: 'mcl01', section: '3.3.9', title: 'Multiple Content-Length Values', rfc: 'Respond with an error; over TCP close the connection.', expect: reject(400, /^Multiple Content-Length headers$/) },
  { name: 'bcast', section: '3.3.10', title: '200 OK Response with Broadcast Via Header Field Value', rfc: 'Well formed; endpoints and proxies drop it (a routing decision).', expect: valid },
  { name: 'zeromf', section: '3.3.11', title: 'Max-Forwards of Zero', rfc: 'Legal; a proxy answers 483, an endpoint processes it.', expect: valid },
  { name: 'cparam01', section: '3.3.12', title: 'REGISTER with a Contact Header Parameter', rfc: 'unknownparam is a contact-param, not a url-param.', expect: valid },
  { name: 'cparam02', section: '3.3.13', title: 'REGISTER with a url-parameter', rfc: 'unknownparam is a url-param of the binding.', expect: valid },
  { name: 'regescrt', section: '3.3.14', title: 'REGISTER with a URL Escaped Header', rfc: 'Succeeds; the binding keeps the escaped Route header.', expect: valid },
  { name: 'sdp01', section: '3.3.15', title: 'Unacceptable Accept Offering', rfc: 'Well formed; a UAS may answer 406 (an application decision).', expect: valid },

  // §3.4 Backward compatibility.
  { name: 'inv2543', section: '3.4.1', title: 'INVITE with RFC 2543 Syntax', rfc: 'Accept: no branch, no From tag, no Content-Length (body is the rest), no Max-Forwards.', expect: valid },
];
