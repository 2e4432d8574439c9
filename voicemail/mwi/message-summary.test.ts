import { describe, expect, it } from 'vitest';
import { acceptsSummary, eventPackage, messageSummary } from './message-summary.ts';
import { grantExpires } from './subscription-expiry.ts';
import { SipError } from '../../core/pbx/sip/sip-error.ts';

describe('message-summary body (RFC 3842)', () => {
  it('says yes while new messages wait, with new/old counts and CRLF line ends', () => {
    expect(messageSummary('sip:1001@pbx.test', { newCount: 2, oldCount: 5 })).toBe(
      'Messages-Waiting: yes\r\nMessage-Account: sip:1001@pbx.test\r\nVoice-Message: 2/5\r\n',
    );
    expect(messageSummary('sip:1001@pbx.test', { newCount: 0, oldCount: 3 })).toMatch(/^Messages-Waiting: no\r\n[\s\S]*Voice-Message: 0\/3\r\n$/);
  });

  it('reads the package of an Event header and the Accept list', () => {
    expect(eventPackage('message-summary;id=7')).toBe('message-summary');
    expect(eventPackage(' Message-Summary ')).toBe('message-summary');
    expect(eventPackage(undefined)).toBeUndefined();
    expect(acceptsSummary(undefined)).toBe(true);
    expect(acceptsSummary('application/simple-message-summary')).toBe(true);
    expect(acceptsSummary('text/plain, application/*;q=0.5')).toBe(true);
    expect(acceptsSummary('application/pidf+xml')).toBe(false);
  });
});

describe('grantExpires (RFC 6665 §4.2.1.1)', () => {
  const policy = { minExpires: 60, maxExpires: 3600, defaultExpires: 1800 };
  const status = (h: string | undefined) => {
    try {
      return grantExpires(h, policy);
    } catch (e) {
      return e instanceof SipError ? `${e.status} ${JSON.stringify(e.headers)}` : String(e);
    }
  };

  it('defaults, cuts to the maximum, keeps 0, and refuses too short or malformed values', () => {
    expect(status(undefined)).toBe(1800);
    expect(status('600')).toBe(600);
    expect(status('86400')).toBe(3600);
    expect(status('0')).toBe(0);
    expect(status('30')).toBe('423 {"Min-Expires":"60"}');
    expect(status('soon')).toBe('400 {}');
  });
});
