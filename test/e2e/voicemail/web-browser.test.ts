// The voicemail web pages in a real browser (Debian's chromium through playwright-core) against
// the PBX's own HTTP server: log in, play a message (the audio element loads the WAV through
// range requests and the play marks it heard), delete it, and record a greeting with the
// browser's (fake) microphone. A phone subscribed to the mailbox (RFC 3842) sees its lamp follow:
// on with the message, out once it is deleted on the web.
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWav } from '../../../core/media/player/wav.ts';
import { writeWav } from '../../../voicemail/store/testing.ts';
import { startPbxHarness, type PbxHarness } from '../pbx/support/pbx-harness.ts';
import { closeMwiPhones, MwiPhone, summaryOf } from './support/mwi-phone.ts';

const MESSAGE_MS = 3000;

/** The part of HTMLMediaElement used here (the project compiles without the DOM library). */
interface MediaElement {
  play(): Promise<void>;
  pause(): void;
}

let h: PbxHarness;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  h = await startPbxHarness();
  origin = `http://127.0.0.1:${h.pbx.httpPort}`;
  h.pbx.app.admin.update('1001', { voicemailPin: '4321' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--autoplay-policy=no-user-gesture-required',
      // A synthetic microphone (a beep) that needs no permission prompt, for greeting recording.
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
});
afterAll(async () => {
  closeMwiPhones();
  await browser?.close();
  await h?.stop();
});

/** A page that fails the test on any script error or CSP violation (a nonce that does not match). */
async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${origin}/voicemail`);
  expect(new URL(page.url()).pathname).toBe('/voicemail/login');
  await page.fill('#extension', '1001');
  await page.fill('#pin', '4321');
  await Promise.all([page.waitForURL(`${origin}/voicemail`), page.click('button[type=submit]')]);
}

describe('voicemail web in a browser', () => {
  it('logs in, plays a message (finite duration, marked heard), deletes it; the subscribed phone\'s lamp goes out', async () => {
    const store = h.pbx.voicemail;
    const lamp = await MwiPhone.open(h, '1001');
    expect((await lamp.subscribe({ expires: 600 })).status).toBe(200);
    expect(summaryOf(await lamp.nextNotify()).waiting).toBe('no');
    const { id, path } = store.beginMessage({ mailbox: '1001', caller: '1002', callerName: 'Bob <script>', called: '1001', cause: 486 });
    writeWav(path, MESSAGE_MS);
    store.finishMessage(id, MESSAGE_MS);
    expect(store.counts('1001')).toEqual({ newCount: 1, oldCount: 0 });
    expect(summaryOf(await lamp.nextNotify())).toMatchObject({ waiting: 'yes', voice: '1/0' });
    const changed: string[] = [];
    const off = store.changed.on((m) => changed.push(m));

    const { page, problems } = await newPage();
    await logIn(page);
    const card = page.locator(`[data-message="${id}"]`);
    await expect.poll(() => card.locator('.who').textContent()).toBe('Bob <script> <1002>');
    expect(await card.locator('[data-status]').textContent()).toBe('new');
    expect(await page.locator('#counts').textContent()).toBe('1 new, 0 old');

    const audio = card.locator('audio');
    await audio.evaluate((a: MediaElement) => a.play());
    // The element has loaded the WAV (through the session cookie) once it knows its duration.
    const duration = Number(await page.waitForFunction(
      (sel) => {
        const a = (globalThis as unknown as { document: { querySelector(s: string): { duration: number } | null } }).document.querySelector(sel);
        return a && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : null;
      },
      `[data-message="${id}"] audio`,
    ).then((v) => v.jsonValue()));
    expect(duration).toBeCloseTo(MESSAGE_MS / 1000, 1);

    // Playing marked it heard through the API: the badge says so, and so does the store.
    await card.locator('[data-status]:text-is("heard")').waitFor();
    expect(store.get(id)?.heard).toBe(true);
    expect(store.counts('1001')).toEqual({ newCount: 0, oldCount: 1 });
    expect(await page.locator('#counts').textContent()).toBe('0 new, 1 old');
    expect(changed).toEqual(['1001']);

    await audio.evaluate((a: MediaElement) => a.pause());
    await Promise.all([page.waitForURL(`${origin}/voicemail?done=deleted`), card.locator('button.danger').click()]);
    await page.locator('text=No messages.').waitFor();
    expect(await page.locator('#counts').textContent()).toBe('0 new, 0 old');
    expect(store.counts('1001')).toEqual({ newCount: 0, oldCount: 0 });
    expect(store.get(id)).toBeUndefined();
    expect(changed).toEqual(['1001', '1001']);
    // The lamp: heard on the web (0/1, off), then deleted (0/0).
    expect(summaryOf(await lamp.nextNotify())).toMatchObject({ waiting: 'no', voice: '0/1' });
    expect(summaryOf(await lamp.nextNotify())).toMatchObject({ waiting: 'no', voice: '0/0' });
    expect((await lamp.refresh(0)).status).toBe(200);
    await lamp.nextNotify(); // terminated
    expect(problems).toEqual([]);
    off();
    await page.context().close();
  });

  it('records a greeting with the microphone, encodes it as WAV in the page and saves it', async () => {
    const store = h.pbx.voicemail;
    expect(store.greetingPath('1001', 'busy')).toBeUndefined();
    const { page, problems } = await newPage();
    await logIn(page);
    await page.click('nav >> text=Greetings');
    const box = page.locator('[data-recorder][data-kind="busy"]');
    await box.locator('[data-start]').click();
    // Stop once the page says it has a second of audio (it counts the samples it captured).
    await page.waitForFunction(() => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string> } | null } }).document
        .querySelector('[data-recorder][data-kind="busy"]');
      return Number(el?.dataset.recordedSec ?? 0) >= 1;
    });
    await Promise.all([page.waitForURL(`${origin}/voicemail/greetings?done=greeting-saved`), box.locator('[data-stop]').click()]);

    const file = store.greetingPath('1001', 'busy');
    expect(file).toBeDefined();
    const bytes = readFileSync(file!);
    expect(bytes.readUInt16LE(22)).toBe(1); // mono
    expect(bytes.readUInt16LE(34)).toBe(16); // 16-bit
    const wav = parseWav(bytes);
    expect(wav.rate).toBe(16000);
    expect(wav.samples.length).toBeGreaterThanOrEqual(16000);
    // The fake microphone beeps: the recording is not silence.
    expect(wav.samples.some((s) => Math.abs(s) > 1000)).toBe(true);
    await page.locator('[data-greeting="busy"] audio').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
