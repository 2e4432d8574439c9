// The voicemail core: the store (messages, greetings, recovery), RFC 4458 deposit and retrieval
// by phone. MWI (./mwi) and the web pages (./web) build on the store and have their own entries.
export { MailboxStore, type MailboxStoreOptions } from './store/mailbox-store.ts';
export type { GreetingKind, VoicemailMessage } from './store/voicemail-message.ts';
export { GREETING_KINDS } from './store/voicemail-message.ts';
export { isMailboxName, isMessageId } from './store/mailbox-name.ts';
export { WavFormatError } from './store/wav-file.ts';
export { voicemailDir, type VoicemailConfig } from './store/voicemail-config.ts';
export { parseVoicemailUri, type VoicemailTarget } from './deposit/voicemail-uri.ts';
export { depositMessage, type DepositDeps, type DepositOutcome, type DepositRequest } from './deposit/deposit-message.ts';
export { greetingKindFor } from './deposit/greeting.ts';
export { retrieveMessages, type RetrievalDeps, type RetrievalRequest, type RetrievalResult } from './retrieval/retrieve-messages.ts';
