// Media server configuration: every timer, port and limit lives here once, with a default.

export interface MediaConfig {
  /** Address the RTP sockets bind to. */
  bindIp: string;
  /** Address written into SDP c= lines (differs from bindIp behind 1:1 NAT). */
  advertiseIp: string;
  /** Inclusive RTP port range; RTP takes even ports, RTCP the odd port above. */
  portMin: number;
  portMax: number;
  /** Packetisation and mixer tick, in milliseconds. */
  ptimeMs: number;
  /** An `rtpTimeout` event fires after this long without RTP on a sendrecv/recvonly leg (0 = off). */
  rtpTimeoutMs: number;
  /** Same while the remote holds us (it sends nothing by design); 0 = off. */
  rtpHoldTimeoutMs: number;
  /** Latch the send address to the source of received RTP (symmetric RTP, NAT). */
  latching: boolean;
  /** Re-latch to a new source once the latched one has been silent this long. */
  relatchAfterMs: number;
  rtcpIntervalMs: number;
  jitterMinMs: number;
  jitterMaxMs: number;
  /** Frames the media clock may run back-to-back to catch up after a stall before it skips. */
  maxCatchUpTicks: number;
  /** Per-leg checks that need no 20 ms precision (RTP timeout, RTCP due, stale DTMF) run this often. */
  housekeepingMs: number;
  /** Periodic `stats` events per leg (0 = only a final one when the leg is destroyed). */
  statsIntervalMs: number;
  /** Level above which a conference participant counts as talking. */
  talkThresholdDbfs: number;
  /** Recording: pending PCM is written and the WAV header patched at least this often. */
  recordFlushMs: number;
  recordSilenceThresholdDbfs: number;
  /** Decoded prompt cache (bytes of PCM). */
  promptCacheBytes: number;
  /** Directories searched for a relative prompt name such as `beep`. */
  soundDirs: string[];
  /** Codecs offered when a request names none, in preference order. */
  defaultCodecs: string[];
  /** Requests bigger than this are refused and the connection closed. */
  maxControlLineBytes: number;
  /**
   * RTP sockets: 'native' reads all of them in batches through our addon (several times cheaper per
   * packet), 'dgram' uses Node's sockets, 'auto' takes native when the addon is built.
   */
  udpIo: 'auto' | 'native' | 'dgram';
  /** With native UDP: send from a second thread, so the event loop (and the media clock) spends no time in sendto(). */
  udpSendThread: boolean;
}

export const defaultMediaConfig: MediaConfig = {
  bindIp: '127.0.0.1',
  advertiseIp: '127.0.0.1',
  portMin: 30000,
  portMax: 30999,
  ptimeMs: 20,
  rtpTimeoutMs: 30_000,
  rtpHoldTimeoutMs: 0,
  latching: true,
  relatchAfterMs: 2_000,
  rtcpIntervalMs: 5_000,
  jitterMinMs: 40,
  jitterMaxMs: 200,
  maxCatchUpTicks: 10,
  housekeepingMs: 200,
  statsIntervalMs: 0,
  talkThresholdDbfs: -45,
  recordFlushMs: 1_000,
  recordSilenceThresholdDbfs: -40,
  promptCacheBytes: 64 * 1024 * 1024,
  soundDirs: ['/usr/share/asterisk/sounds/en', '/usr/share/asterisk/sounds/en_US_f_Allison', '/usr/share/asterisk/moh'],
  defaultCodecs: ['PCMU', 'PCMA', 'G722', 'opus'],
  maxControlLineBytes: 1024 * 1024,
  udpIo: 'auto',
  udpSendThread: true,
};

export function mediaConfig(overrides: Partial<MediaConfig> = {}): MediaConfig {
  const cfg = { ...defaultMediaConfig, ...overrides };
  if (cfg.portMin % 2 !== 0) cfg.portMin += 1;
  if (!(cfg.portMin > 0 && cfg.portMax <= 65535 && cfg.portMax > cfg.portMin)) {
    throw new Error(`bad RTP port range ${cfg.portMin}-${cfg.portMax}`);
  }
  if (cfg.ptimeMs !== 20) throw new Error('only 20 ms packetisation is supported');
  return cfg;
}
