// Mailbox names (extension numbers) and message ids become path segments under the voicemail
// folder, so both are checked against a strict pattern before any path is built from them.

const MAILBOX = /^[0-9A-Za-z_.-]{1,64}$/;
const MESSAGE_ID = /^[0-9a-f]{32}$/;

export function isMailboxName(s: string): boolean {
  // "." and ".." match the character class but name folders of their own.
  return MAILBOX.test(s) && s !== '.' && s !== '..';
}

export function assertMailboxName(s: string): string {
  if (!isMailboxName(s)) throw new Error(`invalid mailbox name ${JSON.stringify(s.slice(0, 80))}`);
  return s;
}

export function isMessageId(s: string): boolean {
  return MESSAGE_ID.test(s);
}
