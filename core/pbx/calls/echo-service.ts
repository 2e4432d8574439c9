// The echo test service: the caller hears their own audio back through the media server, to check
// a phone's audio path and latency. Reached as sip:echo@<domain> (the default dialplan's *43
// transfers here after its explanation).
import type { Logger } from '../../sip/util/logger.ts';
import type { CallSession } from './call-session.ts';
import type { MediaLink } from './media-link.ts';

export async function echoService(session: CallSession, media: MediaLink | undefined, log: Logger): Promise<void> {
  if (!media) return session.reject(488, 'Echo Needs Media Anchoring');
  await session.answer();
  const { legId } = await session.leg();
  if (session.isEnded) return;
  // Prompts may still be playing on the leg (an intro that was cut short): stop them first.
  await session.stopPlay();
  const { bridgeId } = await media.client.echo(legId);
  log.info(`call ${session.callId}: echo test for ${session.caller || 'caller'}`);
  await session.ended;
  if (media.connected) await media.client.unbridge(bridgeId).catch(() => undefined);
}
