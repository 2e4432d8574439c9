// Keep-alive OPTIONS through srf: one request, resolved with the final status.
import type { Clock } from '../../sip/util/clock.ts';
import type { SrfApp } from '../srf-types.ts';
import type { OptionsSender } from './keepalive.ts';

/**
 * `timeoutMs` guards against an answer that never comes (the engine connection dropped
 * mid-request); set it past the engine's own Timer F (64·T1), which normally answers 408 first.
 */
export function srfOptionsSender(srf: SrfApp, opts: { fromUri: string; clock: Clock; timeoutMs: number }): OptionsSender {
  return async ({ uri, nextHop }) => {
    const sent = await srf.request(uri, {
      method: 'OPTIONS',
      headers: { From: `<${opts.fromUri}>` },
      ...(nextHop ? { proxy: nextHop } : {}),
    });
    return new Promise<number>((resolve) => {
      const guard = opts.clock.setTimer(opts.timeoutMs, () => resolve(408));
      sent.on('response', (res) => {
        guard.cancel();
        resolve(res.status);
      });
    });
  };
}
