// Hand-written SIP requests for raw-socket tests.
export interface RequestSpec {
  method: string;
  uri: string;
  transport?: 'UDP' | 'TCP';
  localPort: number;
  branch?: string;
  callId?: string;
  cseq?: number;
  fromTag?: string;
  toTag?: string;
  headers?: string[];
  body?: string;
  /** Omit rport from Via. */
  noRport?: boolean;
}

let n = 0;

export function request(s: RequestSpec): string {
  const body = s.body ?? '';
  const id = ++n;
  return [
    `${s.method} ${s.uri} SIP/2.0`,
    `Via: SIP/2.0/${s.transport ?? 'UDP'} 127.0.0.1:${s.localPort};branch=${s.branch ?? `z9hG4bKraw${id}x${Date.now()}`}${s.noRport ? '' : ';rport'}`,
    'Max-Forwards: 70',
    `From: <sip:alice@127.0.0.1:${s.localPort}>;tag=${s.fromTag ?? `f${id}`}`,
    `To: <${s.uri}>${s.toTag ? `;tag=${s.toTag}` : ''}`,
    `Call-ID: ${s.callId ?? `raw-${id}-${Date.now()}@test`}`,
    `CSeq: ${s.cseq ?? 1} ${s.method}`,
    ...(s.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
