// Every recorded prompt the voicemail flows play, by what it says (Asterisk's core English sounds,
// looked up by the media server in its sound directories). One table, so a test can check that
// each one exists on disk and a translation has one place to look.
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';

export const PROMPTS = {
  // deposit
  theperson: 'vm-theperson', // "The person at extension"
  isonphone: 'vm-isonphone', // "is on the phone"
  isunavail: 'vm-isunavail', // "is unavailable"
  intro: 'vm-intro', // "Please leave your message after the tone. When done, hang up or press the pound key"
  nobox: 'vm-nobox',
  mailboxfull: 'vm-mailboxfull',
  msgsaved: 'vm-msgsaved',
  goodbye: 'vm-goodbye',
  // login
  login: 'vm-login', // "Mailbox?"
  password: 'vm-password', // "Password"
  incorrect: 'vm-incorrect', // "Login incorrect"
  incorrectMailbox: 'vm-incorrect-mailbox', // "Login incorrect. Mailbox?"
  // counts
  youhave: 'vm-youhave',
  no: 'vm-no',
  new: 'vm-INBOX',
  old: 'vm-Old',
  and: 'vm-and',
  message: 'vm-message',
  messages: 'vm-messages',
  // main and message menus (Asterisk's key layout)
  onefor: 'vm-onefor', // "Press 1 for"
  opts: 'vm-opts', // "Press 2 to change folders, 0 for mailbox options"
  prev: 'vm-prev', // 4
  advopts: 'vm-advopts', // 3
  repeat: 'vm-repeat', // 5
  next: 'vm-next', // 6
  delete: 'vm-delete', // 7
  savemessage: 'vm-savemessage', // 9
  helpexit: 'vm-helpexit', // "* for help, # to exit"
  first: 'vm-first',
  last: 'vm-last',
  nomore: 'vm-nomore',
  deleted: 'vm-deleted',
  saved: 'vm-saved',
  received: 'vm-received',
  fromExtension: 'vm-from-extension',
  fromPhonenumber: 'vm-from-phonenumber',
  unknownCaller: 'vm-unknown-caller',
  // advanced options (3)
  tocallback: 'vm-tocallback', // 2
  tohearenv: 'vm-tohearenv', // 3
  starmain: 'vm-starmain', // "* to return to the main menu"
  noCallback: 'unidentified-no-callback',
  // mailbox options (0)
  options: 'vm-options',
  recUnavailable: 'vm-rec-unv',
  recBusy: 'vm-rec-busy',
  recName: 'vm-rec-name',
  review: 'vm-review', // "1 accept, 2 listen, 3 re-record"
  tooshort: 'vm-tooshort',
  newpassword: 'vm-newpassword',
  reenterpassword: 'vm-reenterpassword',
  passchanged: 'vm-passchanged',
  mismatch: 'vm-mismatch',
  invalidPassword: 'vm-invalid-password',
  sorry: 'vm-sorry',
} as const;

export type PromptName = keyof typeof PROMPTS;

export function prompt(...names: PromptName[]): PlayItem[] {
  return names.map((n) => ({ file: PROMPTS[n] }));
}
