import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../../media/testing/harness.ts';
import { createLogger } from '../../sip/util/logger.ts';
import { MediaLink } from './media-link.ts';

// The PBX's link to the media server: a connection it closes itself (shutdown) is no error; one
// the media server drops is.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function linkTo(socketPath: string) {
  const lines: string[] = [];
  const link = new MediaLink({ socketPath, log: createLogger('debug', 'pbx', (l) => void lines.push(l)), retryMs: 50 });
  return { link, lines };
}

describe('MediaLink', () => {
  it('closing the link ourselves logs no error', async () => {
    h = await startHarness([32600, 32619]);
    const { link, lines } = linkTo(join(h.dir, 'media.sock'));
    expect(await link.ready(5000)).toBe(true);
    link.close();
    await waitFor(() => lines.some((l) => l.includes('media server connection closed')));
    expect(lines.filter((l) => / ERROR /.test(l))).toEqual([]);
  });

  it('the media server going away is an error', async () => {
    h = await startHarness([32620, 32639]);
    const { link, lines } = linkTo(join(h.dir, 'media.sock'));
    try {
      expect(await link.ready(5000)).toBe(true);
      await h.media.stop();
      await waitFor(() => lines.some((l) => / ERROR .*media server connection lost \(media server connection lost\); 0 call legs lost/.test(l)));
      expect(link.connected).toBe(false);
    } finally {
      link.close();
    }
  });
});
