// What the voicemail web pages take from the configuration (`voicemail.web` and
// `voicemail.maxGreetingSec` in core/config/schema.ts, where the defaults live).
import type { PbxConfig } from '../../core/config/schema.ts';

type WebConfig = PbxConfig['voicemail']['web'];

export interface VoicemailWebSettings {
  /** Mark cookies Secure even on plain http (a TLS-terminating proxy in front); https requests always get it. */
  secureCookies: WebConfig['secureCookies'];
  sessionIdleSec: number;
  sessionMaxAgeSec: number;
  maxSessions: number;
  login: WebConfig['login'];
  /** Longest greeting recorded in the browser. */
  maxGreetingSec: number;
  /** Largest greeting upload: the longest greeting at the highest rate the store takes. */
  maxGreetingBytes: number;
}

/** 48 kHz, 16-bit mono: the largest WAV format the store accepts for a greeting. */
const MAX_GREETING_BYTES_PER_SEC = 48_000 * 2;
/** Room for the RIFF header and any extra chunks an editor writes. */
const HEADER_ALLOWANCE = 64 * 1024;

export function webSettings(cfg: Pick<PbxConfig, 'voicemail'>): VoicemailWebSettings {
  const w = cfg.voicemail.web;
  const maxGreetingSec = cfg.voicemail.maxGreetingSec;
  return {
    secureCookies: w.secureCookies,
    sessionIdleSec: w.sessionIdleSec,
    sessionMaxAgeSec: w.sessionMaxAgeSec,
    maxSessions: w.maxSessions,
    login: w.login,
    maxGreetingSec,
    maxGreetingBytes: maxGreetingSec * MAX_GREETING_BYTES_PER_SEC + HEADER_ALLOWANCE,
  };
}
