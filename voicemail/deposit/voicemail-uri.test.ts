// RFC 4458 Request-URIs: round trips with the producer the dialplan host uses, and the shapes
// other producers send (escaping, extra parameters, tel: targets), and what is refused.
import { describe, expect, it } from 'vitest';
import { voicemailRequestUri } from '../../dialplan/host/rfc4458.ts';
import { parseVoicemailUri } from './voicemail-uri.ts';

describe('parseVoicemailUri', () => {
  it('reads back every mailbox, domain and cause voicemailRequestUri writes', () => {
    for (const mailbox of ['1001', '42', 'sales.team_2-x', 'A'.repeat(64)]) {
      for (const domain of ['pbx.test', 'pbx.test:5070', '127.0.0.1', '[::1]:5070']) {
        for (const cause of [486, 408, 480, 503, 302, null]) {
          const uri = voicemailRequestUri('sip:voicemail@pbx.test', mailbox, domain, cause);
          expect(parseVoicemailUri(uri), uri).toEqual({ mailbox, cause });
        }
      }
    }
    expect(voicemailRequestUri('sip:voicemail@pbx.test', '1001', 'pbx.test', 486)).toBe('sip:voicemail@pbx.test;target=sip:1001%40pbx.test;cause=486');
  });

  it('accepts the shapes other producers send: escaped target parameters, tel:, raw @, headers', () => {
    const cases: [string, { mailbox: string; cause: number | null }][] = [
      ['sip:voicemail@pbx.test;target=sip:1001%40pbx.test%3Buser%3Dphone;cause=408', { mailbox: '1001', cause: 408 }],
      ['<sip:voicemail@pbx.test;TARGET=sips:1002%40pbx.test;Cause=302>', { mailbox: '1002', cause: 302 }],
      ['sip:voicemail@pbx.test;cause=480;target=tel:1003', { mailbox: '1003', cause: 480 }],
      ['sip:pbx.test;target=sip:1004@pbx.test;cause=486', { mailbox: '1004', cause: 486 }],
      ['sip:voicemail@pbx.test;target=sip:1005%40pbx.test?Subject=hi', { mailbox: '1005', cause: null }],
      ['sip:voicemail@pbx.test;target=sip:ab%252Ecd%40pbx.test', { mailbox: 'ab.cd', cause: null }],
    ];
    for (const [uri, want] of cases) expect(parseVoicemailUri(uri), uri).toEqual(want);
    // "+" is not a mailbox character: an E.164 target names no local mailbox.
    expect(parseVoicemailUri('sip:voicemail@example.com;target=sip:+15555551002%40example.com;user=phone;cause=486')).toBeUndefined();
  });

  it('keeps the mailbox but drops a malformed cause', () => {
    for (const cause of ['abc', '4861', '48', '', '099']) {
      expect(parseVoicemailUri(`sip:voicemail@pbx.test;target=sip:1001%40pbx.test;cause=${cause}`)).toEqual({ mailbox: '1001', cause: null });
    }
  });

  it('refuses URIs without a usable target, and mailbox names that would escape the voicemail folder', () => {
    for (const uri of [
      'sip:voicemail@pbx.test',
      'sip:voicemail@pbx.test;cause=486',
      'sip:voicemail@pbx.test;target=',
      'sip:voicemail@pbx.test;target=http://x%40y',
      'sip:voicemail@pbx.test;target=sip:pbx.test',
      'sip:voicemail@pbx.test;target=sip:..%40pbx.test',
      'sip:voicemail@pbx.test;target=sip:a%2F..%2Fb%40pbx.test',
      'sip:voicemail@pbx.test;target=sip:%2e%2e%40pbx.test',
      'sip:voicemail@pbx.test;target=sip:10%zz01%40pbx.test',
      `sip:voicemail@pbx.test;target=sip:${'1'.repeat(65)}%40pbx.test`,
    ]) {
      expect(parseVoicemailUri(uri), uri).toBeUndefined();
    }
  });
});
