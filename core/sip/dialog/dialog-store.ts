// Dialog lookup by the app's dialogId and by the network's (Call-ID, local tag, remote tag).
import { Dialog } from './dialog.ts';

const netKey = (callId: string, localTag: string, remoteTag: string) => `${callId}\u0000${localTag}\u0000${remoteTag}`;

export class DialogStore {
  private readonly byId = new Map<string, Dialog>();
  private readonly byNet = new Map<string, Dialog>();
  /** Call-ID → its dialogs in the order they were added (forks share one Call-ID). */
  private readonly byCallId = new Map<string, Dialog[]>();

  get size(): number {
    return this.byId.size;
  }

  add(d: Dialog): void {
    this.byId.set(d.id, d);
    if (d.remoteTag) this.byNet.set(netKey(d.callId, d.localTag, d.remoteTag), d);
    const same = this.byCallId.get(d.callId);
    if (same === undefined) this.byCallId.set(d.callId, [d]);
    else if (!same.includes(d)) same.push(d);
  }

  /** The remote tag became known (UAC got a tagged response). */
  setRemoteTag(d: Dialog, tag: string): void {
    if (d.remoteTag) this.byNet.delete(netKey(d.callId, d.localTag, d.remoteTag));
    d.remoteTag = tag;
    this.byNet.set(netKey(d.callId, d.localTag, tag), d);
  }

  get(id: string): Dialog | undefined {
    return this.byId.get(id);
  }

  /** Match an incoming in-dialog request: its To-tag is ours, its From-tag theirs. */
  match(callId: string, toTag: string, fromTag: string): Dialog | undefined {
    return this.byNet.get(netKey(callId, toTag, fromTag));
  }

  /** drachtio quirk: a new request whose Call-ID matches a dialog is sent inside it. */
  findByCallId(callId: string): Dialog | undefined {
    for (const d of this.byCallId.get(callId) ?? []) if (this.byId.get(d.id) === d) return d;
    return undefined;
  }

  delete(d: Dialog): void {
    d.state = 'terminated';
    if (d.awaitingAck) for (const t of d.awaitingAck.timers) t.cancel();
    d.awaitingAck = undefined;
    if (this.byId.get(d.id) === d) this.byId.delete(d.id);
    const same = this.byCallId.get(d.callId);
    const i = same?.indexOf(d) ?? -1;
    if (i >= 0) {
      if (same!.length === 1) this.byCallId.delete(d.callId);
      else same!.splice(i, 1);
    }
    const k = netKey(d.callId, d.localTag, d.remoteTag);
    if (this.byNet.get(k) === d) this.byNet.delete(k);
  }

  all(): IterableIterator<Dialog> {
    return this.byId.values();
  }
}
