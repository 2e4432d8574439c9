// This instance's side of the realm (realm/realm.ts): its seeded random numbers, its console, and
// its clock (channel.ts), handed to the realm now, before any dialplan code runs, and again each
// time the host gives the instance control (boot.ts).
import { env, logicalNow, noteRandomRead, post, realmSwitch } from './channel.ts';
import type { Tenant } from './realm/realm.ts';

let consoleCallId = '*';
/** An instance serving one call logs as that call; a shared one logs as the version ('*'). */
export function setConsoleCall(id: string): void {
  consoleCallId = id;
}

// A 32-bit counter through a murmur-style mixer: fast, stateless apart from the counter, and good
// enough for picking a random agent (it is not for secrets, and nothing in a dialplan needs that).
let state = env.seed >>> 0;
function seededRandom(): number {
  noteRandomRead();
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
}

/** Restarts the generator for an instance made ahead of its call (see canRebase in channel.ts). */
export function reseed(seed: number): void {
  state = seed >>> 0;
}

const tenant: Tenant = {
  now: logicalNow,
  random: seededRandom,
  log(level, parts) {
    const msg = parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
    post(consoleCallId, 'log', { level, msg: msg.slice(0, 4000), data: null });
  },
};

/** Makes the realm's Date, Math.random and console this instance's until another one enters. */
export function enterRealm(): void {
  realmSwitch(tenant);
}
enterRealm();

export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
