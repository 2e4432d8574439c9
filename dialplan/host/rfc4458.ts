// RFC 4458 voicemail retargeting: the call goes to the voicemail service with the original target
// and the reason in the Request-URI, e.g. sip:voicemail@vm.example;target=sip:1005%40example;cause=486.
// Shared by the simulator and the real host so both produce the same URI.

/** §3: the target parameter carries the retargeted-from URI, escaped as a URI parameter value. */
export function voicemailRequestUri(service: string, mailbox: string, domain: string, cause: number | null): string {
  const target = `sip:${escapeParam(mailbox)}%40${escapeParam(domain)}`;
  return `${service};target=${target}${cause === null ? '' : `;cause=${cause}`}`;
}

// RFC 3261 `paramchar`: unreserved / param-unreserved ("[]/:&+$") / escaped.
function escapeParam(s: string): string {
  return s.replace(/[^A-Za-z0-9\-_.!~*'()[\]/:&+$]/g, (c) =>
    [...new TextEncoder().encode(c)].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}
