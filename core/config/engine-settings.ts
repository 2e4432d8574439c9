// The SIP engine's settings derived from the PBX configuration.
import { networkInterfaces } from 'node:os';
import type { EngineConfig } from '../sip/engine/engine-config.ts';
import type { PbxConfig } from './schema.ts';

/** A wildcard listener must advertise a reachable address, not 0.0.0.0. */
function primaryAddress(v6: boolean): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && (a.family === 'IPv6') === v6) return a.address;
  }
  return v6 ? '::1' : '127.0.0.1';
}

export function engineSettings(cfg: PbxConfig): Partial<EngineConfig> {
  return {
    listen: cfg.sip.listen.map((l) => ({
      address: l.address,
      port: l.port,
      protocols: [...l.protocols],
      externalAddress: l.externalAddress ?? (l.address === '0.0.0.0' || l.address === '::' ? primaryAddress(l.address === '::') : undefined),
    })),
    admin: cfg.sip.admin,
    timers: cfg.sip.timers,
    maxUdpBytes: cfg.sip.maxUdpBytes,
    maxTcpBytes: cfg.sip.maxTcpBytes,
    tcpIdleTimeoutMs: cfg.sip.tcpIdleTimeoutMs,
    outboundProxy: cfg.sip.outboundProxy,
    userAgent: cfg.sip.userAgent,
    logLevel: cfg.sip.logLevel ?? cfg.logLevel,
  };
}
