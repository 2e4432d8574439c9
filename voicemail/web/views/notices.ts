// What a page says after a form did something: a fixed text per code in `?done=`, so the query
// string cannot put words of an attacker's choosing on the page.
const NOTICES = {
  deleted: 'Message deleted.',
  heard: 'Marked as heard.',
  unheard: 'Marked as new.',
  'greeting-saved': 'Greeting saved.',
  'greeting-deleted': 'Greeting deleted.',
  'logged-out': 'You are logged out.',
} as const;

export type NoticeCode = keyof typeof NOTICES;

export function noticeFor(code: string | undefined): string | undefined {
  return code && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : undefined;
}
