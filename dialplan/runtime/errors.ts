// The one error type the SDK throws on purpose: the call is gone. It is rejected into the pending
// operation and every later one, so `finally` blocks run and the runtime reports a clean end.
export class Hangup extends Error {
  readonly by: 'caller' | 'system';
  constructor(by: 'caller' | 'system') {
    super(by === 'caller' ? 'the caller hung up' : 'the call was ended by the system');
    this.name = 'Hangup';
    this.by = by;
  }
}
