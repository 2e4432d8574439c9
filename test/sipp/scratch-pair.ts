import { runSipp, startSipp, parseSippMessages } from './sipp.ts';
import { freePort } from '../support/ports.ts';
const [uasName, uacName, transport = 'u1', ...rest] = process.argv.slice(2);
const extra: Record<string, string> = {};
for (const kv of rest) { const [k, v] = kv.split('='); if (k && v !== undefined) extra[k] = v; }
const uas = await startSipp({ scenario: uasName!, transport: transport as 'u1' | 't1', pauseMs: 100, keys: extra, timeoutMs: 15000 });
const uac = runSipp({ scenario: uacName!, remote: `127.0.0.1:${uas.localPort}`, localPort: await freePort('both'), transport: transport as 'u1' | 't1', pauseMs: 100, keys: extra, timeoutMs: 15000, service: extra['service'], authUser: extra['au'], authPassword: extra['ap'] });
const [a, b] = await Promise.all([uac.done, uas.done]);
for (const [n, r] of [['UAC', a], ['UAS', b]] as const) {
  console.log(n, 'exit', r.exitCode, 'ok', r.successful, 'failed', r.failed, 'timedOut', r.timedOut);
  if (r.exitCode !== 0 || process.env.SHOW) { console.log(r.stderr); console.log(r.errors); console.log(r.callDebug.slice(0, 4000)); }
  if (process.env.FULL) console.log(r.messages); else console.log(parseSippMessages(r.messages).map((m) => `${m.direction === "sent" ? "->" : "<-"} ${m.startLine}`).join("\n"));
}
