// The main and message menus after login, with Asterisk's keys: 1 first new message (or the
// first), 2 saved messages, 4 previous, 5 repeat, 6 next, 7 delete, 9 save, 3 advanced options
// (call back, envelope), 0 mailbox options, * help, # goodbye. Messages are taken once at
// login: new ones first, then saved ones, each oldest first. Playing a message marks it heard.
import type { MediaCall, PlayItem } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import { sayCounts, sayNumber } from '../prompts/say.ts';
import type { VoicemailMessage } from '../store/voicemail-message.ts';
import { advancedOptions } from './advanced-options.ts';
import { askKey, say, type Key } from './ask.ts';
import { mailboxOptions } from './mailbox-options.ts';
import type { RetrievalDeps, RetrievalResult } from './retrieval-deps.ts';

/** Keys handled in one session at most; a caller pressing keys for hours still leaves. */
const MAX_STEPS = 1000;

type Step = Key | RetrievalResult | undefined;

export class MessageSession {
  private readonly list: VoicemailMessage[];
  private newTotal: number;
  private cur = -1;

  constructor(
    private readonly call: MediaCall,
    private readonly mailbox: string,
    private readonly deps: RetrievalDeps,
  ) {
    const oldestFirst = deps.store.list(mailbox).reverse();
    const fresh = oldestFirst.filter((m) => !m.heard);
    this.list = [...fresh, ...oldestFirst.filter((m) => m.heard)];
    this.newTotal = fresh.length;
  }

  async run(): Promise<RetrievalResult> {
    const cfg = this.deps.config;
    let key: Key = await askKey(this.call, [...sayCounts(this.deps.store.counts(this.mailbox)), ...this.instructions()], cfg);
    let idle = 0;
    for (let step = 0; step < MAX_STEPS; step++) {
      if (key === 'hangup') return { end: 'hangup' };
      let next: Step;
      if (key === 'timeout') {
        if (++idle >= cfg.maxMenuRepeats) return this.goodbye();
      } else {
        idle = 0;
        next = await this.onKey(key);
      }
      if (typeof next === 'object') return next;
      key = next ?? (await askKey(this.call, this.instructions(), cfg));
    }
    return this.goodbye();
  }

  private async onKey(key: string): Promise<Step> {
    const m = this.list[this.cur];
    switch (key) {
      case '1':
        return this.playAt(this.firstUnheard());
      case '2':
        return this.newTotal < this.list.length ? this.playAt(this.newTotal) : say(this.call, prompt('youhave', 'no', 'old', 'messages'));
      case '4':
        return this.cur > 0 ? this.playAt(this.cur - 1) : say(this.call, prompt('nomore'));
      case '5':
        return this.playAt(m ? this.cur : this.firstUnheard());
      case '6':
        return this.cur + 1 < this.list.length ? this.playAt(this.cur + 1) : say(this.call, prompt('nomore'));
      case '7':
        return m ? this.deleteCurrent(m) : undefined;
      case '9':
        return m ? this.saveCurrent(m) : undefined;
      case '3':
        return m ? advancedOptions(this.call, m, this.deps) : undefined;
      case '0':
        return mailboxOptions(this.call, this.mailbox, this.deps);
      case '#':
        return this.goodbye();
      default:
        // '*' (help) and keys with no meaning here: the instructions again.
        return undefined;
    }
  }

  /** Plays message i; the key pressed during or after it is the next command. */
  private async playAt(i: number): Promise<Step> {
    for (let guard = 0; guard <= this.list.length; guard++) {
      const m = this.list[i];
      if (!m) return say(this.call, prompt('youhave', 'no', 'messages'));
      const audio = this.deps.store.audioPath(m.id);
      if (audio) {
        this.cur = i;
        if (!m.heard) this.deps.store.markHeard(m.id);
        m.heard = true;
        return askKey(this.call, [...this.header(i), { file: audio }], this.deps.config);
      }
      // Deleted meanwhile (from the web pages): skip it.
      this.remove(i);
      i = Math.min(i, this.list.length - 1);
    }
    return undefined;
  }

  private async deleteCurrent(m: VoicemailMessage): Promise<Step> {
    this.deps.store.delete(m.id);
    this.remove(this.cur);
    const interrupted = await say(this.call, prompt('deleted'));
    if (interrupted) return interrupted;
    if (this.cur < this.list.length) return this.playAt(this.cur);
    this.cur = this.list.length - 1;
    return say(this.call, prompt('nomore'));
  }

  private async saveCurrent(m: VoicemailMessage): Promise<Step> {
    this.deps.store.markHeard(m.id);
    m.heard = true;
    const interrupted = await say(this.call, [...prompt('message'), ...sayNumber(this.cur + 1), ...prompt('saved')]);
    if (interrupted) return interrupted;
    return this.cur + 1 < this.list.length ? this.playAt(this.cur + 1) : say(this.call, prompt('nomore'));
  }

  private async goodbye(): Promise<RetrievalResult> {
    await this.call.play(prompt('goodbye'));
    return { end: 'goodbye' };
  }

  private remove(i: number): void {
    this.list.splice(i, 1);
    if (i < this.newTotal) this.newTotal--;
  }

  private firstUnheard(): number {
    const i = this.list.findIndex((m) => !m.heard);
    return i < 0 ? 0 : i;
  }

  private header(i: number): PlayItem[] {
    if (i === 0) return prompt('first', 'message');
    if (i === this.list.length - 1) return prompt('last', 'message');
    return [...prompt('message'), ...sayNumber(i + 1)];
  }

  /** Asterisk's: the main menu before any message, the message menu after one. */
  private instructions(): PlayItem[] {
    if (this.cur < 0 || !this.list[this.cur]) {
      const first = this.list.length ? [...prompt('onefor', this.list.some((m) => !m.heard) ? 'new' : 'old', 'messages')] : [];
      return [...first, ...prompt('opts', 'helpexit')];
    }
    const items: PlayItem[] = [];
    if (this.cur > 0) items.push(...prompt('prev'));
    items.push(...prompt('advopts', 'repeat'));
    if (this.cur + 1 < this.list.length) items.push(...prompt('next'));
    items.push(...prompt('delete', 'savemessage', 'helpexit'));
    return items;
  }
}
