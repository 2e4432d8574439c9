// Picks the UdpTransport: the native batched one when the addon is built, else Node's dgram.

import { isNativeAvailable, loadNative } from '../native/index.ts';
import { DgramUdpTransport } from './dgram-udp.ts';
import { NativeUdpTransport } from './native-udp.ts';
import type { UdpTransport } from './udp-transport.ts';

export type UdpIoChoice = 'auto' | 'native' | 'dgram';

/** The addon is built, and recently enough to have UdpIo (an older build still serves the codecs). */
function nativeUdpAvailable(): boolean {
  return isNativeAvailable() && typeof loadNative().UdpIo === 'function';
}

export function createUdpTransport(choice: UdpIoChoice, opts: { sendThread?: boolean } = {}): UdpTransport {
  if (choice === 'dgram' || (choice === 'auto' && !nativeUdpAvailable())) return new DgramUdpTransport();
  // 'native' without the addon throws NativeAddonError naming the build command.
  return new NativeUdpTransport(opts);
}
