// How times, durations and callers read on the pages.
import type { WebMessage } from '../mailbox-access.ts';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Server-local time, `2024-05-01 14:03`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The number or user part of the caller's URI (`sip:1002@pbx` → `1002`); the raw value otherwise. */
export function callerNumber(caller: string): string {
  const m = /^(?:sips?|tel):([^@;?>]+)/i.exec(caller.trim());
  return m ? decodeURIComponentSafe(m[1]!) : caller;
}

export function callerLabel(m: Pick<WebMessage, 'caller' | 'callerName'>): string {
  const num = callerNumber(m.caller);
  return m.callerName ? `${m.callerName} <${num}>` : num;
}

/** A download name of safe characters only: `voicemail-1001-2024-05-01-1403-1002.wav`. */
export function downloadName(m: Pick<WebMessage, 'mailbox' | 'caller' | 'receivedAt'>): string {
  const when = formatTime(m.receivedAt).replace(/[ :]/g, (c) => (c === ' ' ? '-' : ''));
  const safe = (s: string) => s.replace(/[^A-Za-z0-9+._-]+/g, '_').slice(0, 40);
  return `voicemail-${safe(m.mailbox)}-${when}-${safe(callerNumber(m.caller)) || 'unknown'}.wav`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
