// Typed runner for sipp (Debian sip-tester 3.6.x) as an independent SIP peer in end-to-end tests.
//
// Every sipp is started without a terminal (-nostdin, stdin ignored), with every socket it opens
// pinned to loopback (-i/-bind_local for SIP, -mi for media, -ci for the control socket), with
// all trace files written into a private temp dir (its cwd) that is read back and deleted when
// it exits, and with a hard kill timer. Processes are only ever signalled by their own PID.
//
//   const uas = await startSipp({ scenario: 'uas-answer' });           // picks ports, waits ready
//   const uac = runSipp({ scenario: 'uac-invite-bye', remote: `127.0.0.1:${uas.localPort}` });
//   const [a, b] = await Promise.all([uac.done, uas.done]);
//   expect(a.successful).toBe(1);

import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePortBlock, freePortBlockSync, freePortSync, isLoopbackAddress } from '../support/ports.ts';

/** Directory holding our scenario XML files. */
export const SCENARIO_DIR: string = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** Scenarios compiled into sipp, selected with -sn instead of -sf. */
export const SIPP_BUILTIN_SCENARIOS = ['uac', 'uas', 'regexp', 'branchc', 'branchs'] as const;
export type SippBuiltinScenario = (typeof SIPP_BUILTIN_SCENARIOS)[number];

/** u1 = UDP, one socket; t1 = TCP, one connection. */
export type SippTransport = 'u1' | 't1';

/** sipp's documented exit codes (-1/-2 show up as 255/254). */
export const SIPP_EXIT = {
  allSuccessful: 0,
  someFailed: 1,
  internalCommand: 97,
  noCallsProcessed: 99,
  bindError: 254,
  fatal: 255,
} as const;

/**
 * Values for the `[keyword]`s our scenarios use. sipp refuses to load a scenario that uses a
 * keyword it was not given with -key, so the runner always passes all of these (unused ones are
 * harmless); `opts.keys` overrides them.
 */
export const DEFAULT_SIPP_KEYS: Readonly<Record<string, string>> = {
  /** user part (and display name) of the From of UAC scenarios */
  from_user: 'sipp',
  /** Expires of uac-register*.xml; also echoed by uas-register*.xml */
  expires: '3600',
  /** final status uac-expect-code.xml must get */
  expected_code: '486',
  /** status line uas-reject-code.xml answers with */
  reject_code: '480',
  reject_reason: 'Temporarily Unavailable',
  /** host:port uas-302.xml redirects to */
  redirect_to: '127.0.0.1:5060',
  /** challenge realm of uas-401-challenge.xml / uas-register.xml */
  realm: 'sipp.test',
  /** credentials uas-401-challenge.xml / uas-register.xml verify the digest against */
  auth_user: 'sipp',
  auth_password: 'password',
};

export interface SippOptions {
  /** One of our files ('uac-invite-bye' or 'uac-invite-bye.xml'), a path to an XML file, or a sipp built-in ('uac', 'uas', ...). */
  scenario: string;
  /** Where a UAC sends: 'host:port' ('[::1]:port' for IPv6). Optional for a UAS. Loopback only. */
  remote?: string;
  /** -i: local address for Via/Contact and the SIP socket (also -mi). Default 127.0.0.1. */
  localIp?: string;
  /**
   * -p: local SIP port (a UAS listens here; a UDP UAC sends from it; a TCP UAC listens on it
   * and connects from it). Omitted: runSipp picks one with freePortSync() (never sipp's own
   * default, which grabs the first free port from 5060 up); startSipp uses freePort().
   */
  localPort?: number;
  /** -t: 'u1' (default) or 't1'. */
  transport?: SippTransport;
  /** -m: stop after this many calls. Default 1. */
  calls?: number;
  /** -r: calls per rate period. */
  rate?: number;
  /** -rp: rate period in ms. */
  ratePeriodMs?: number;
  /** -l: max simultaneous calls. */
  maxConcurrent?: number;
  /** -d: length of every <pause/> without its own milliseconds (ms). */
  pauseMs?: number;
  /** -s: user part of the request URI ([service]). */
  service?: string;
  /** -au: user for [authentication] (defaults to service in sipp). */
  authUser?: string;
  /** -ap: password for [authentication] (sipp default 'password'). */
  authPassword?: string;
  /** -auth_uri: digest uri for [authentication] (sipp default: remote_ip:remote_port). */
  authUri?: string;
  /** -key name value, merged over DEFAULT_SIPP_KEYS. */
  keys?: Readonly<Record<string, string>>;
  /** -set name value (only for variables a scenario declares in <Global variables="..."/>). */
  vars?: Readonly<Record<string, string>>;
  /** -mp: local media port ([media_port]); sipp binds it and port+2 on localIp. Omitted: picked like localPort (sipp's own default is 6000 up). */
  mediaPort?: number;
  /** -cp: control port (UDP, always on 127.0.0.1). Omitted: picked like localPort (sipp's own default is 8888 up). */
  controlPort?: number;
  /** -timeout (rounded up to whole seconds, sipp's granularity). Default 20000; 0 disables. */
  timeoutMs?: number;
  /** -timeout_error: hitting -timeout is a failure (exit 255). Default true. */
  timeoutError?: boolean;
  /** -recv_timeout for recvs without their own timeout (ms). Default 10000; 0 leaves sipp's default. */
  recvTimeoutMs?: number;
  /** SIGTERM (then SIGKILL) the process after this long. Default timeoutMs + 5000 (60000 without timeout). */
  killAfterMs?: number;
  /** -trace_screen: keep the final statistics screens (SippResult.screen). Default true. */
  traceScreen?: boolean;
  /** Appended verbatim (after the generated arguments). */
  extraArgs?: readonly string[];
  /** Keep the trace dir instead of deleting it (also when SIPP_KEEP_TRACES=1). */
  keepTraces?: boolean;
}

export interface SippResult {
  /** Process exit code (0 all calls ok, 1 some failed, 99 no calls, 255 fatal/-timeout_error, 254 bind error); null if killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Cumulative SuccessfulCall / FailedCall from the -trace_stat CSV (0 when sipp died before writing it). */
  successful: number;
  failed: number;
  stdout: string;
  stderr: string;
  /** -trace_msg log: every SIP message sent and received. See parseSippMessages(). */
  messages: string;
  /** -trace_err log: unexpected messages and warnings. */
  errors: string;
  /** -trace_screen dump (final scenario/statistics screens). */
  screen: string;
  /** -trace_logs: output of <log> actions. */
  logs: string;
  /** -trace_calldebug: message history of failed/aborted calls. */
  callDebug: string;
  /** Last row of the -trace_stat CSV, by column name (e.g. 'FailedUnexpectedMessage(C)'). */
  stats: Readonly<Record<string, string>> | null;
  /** sipp's own -timeout fired. */
  timedOut: boolean;
  /** The hard kill timer or stop() had to signal the process. */
  killed: boolean;
  args: readonly string[];
  /** Trace dir if it was kept, else null (deleted). */
  traceDir: string | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

export interface SippRun {
  /** PID of the sipp process (-1 if it could not be spawned). */
  readonly pid: number;
  readonly args: readonly string[];
  readonly localIp: string;
  readonly localPort: number;
  readonly mediaPort: number;
  readonly controlPort: number;
  readonly transport: SippTransport;
  readonly traceDir: string;
  /** Resolves (never rejects) once the process has exited and its traces were collected. */
  readonly done: Promise<SippResult>;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** SIGTERM, then SIGKILL after graceMs (default 2000) if still alive; resolves with the result. */
  stop(graceMs?: number): Promise<SippResult>;
}

const OUTPUT_CAP = 1 << 20;
const live = new Map<number, SippRun>();
/** Trace dirs still to delete (their run has not finished collecting yet). */
const pendingDirs = new Set<string>();
let exitHookInstalled = false;

/** Kill every live sipp by PID and drop pending trace dirs, synchronously. */
function emergencyCleanup(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of pendingDirs) rmSync(dir, { recursive: true, force: true });
  pendingDirs.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the test process goes away with sipps still running (a test timed out, vitest stops its
  // worker with SIGTERM), take them down with it rather than leave orphans and temp dirs.
  process.once('exit', emergencyCleanup);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(sig, () => {
      emergencyCleanup();
      // We were the only listener: carry on with the default action (terminate).
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

/** Absolute path of one of our scenario files ('uas-answer' or 'uas-answer.xml'). */
export function scenarioPath(name: string): string {
  const file = join(SCENARIO_DIR, name.endsWith('.xml') ? name : `${name}.xml`);
  if (!existsSync(file)) throw new Error(`no sipp scenario ${name} in ${SCENARIO_DIR}`);
  return file;
}

function isBuiltin(name: string): name is SippBuiltinScenario {
  return (SIPP_BUILTIN_SCENARIOS as readonly string[]).includes(name);
}

function scenarioArgs(scenario: string): string[] {
  if (isBuiltin(scenario)) return ['-sn', scenario];
  if (isAbsolute(scenario) || scenario.includes('/')) {
    const file = resolve(scenario);
    if (!existsSync(file)) throw new Error(`sipp scenario file not found: ${file}`);
    return ['-sf', file];
  }
  return ['-sf', scenarioPath(scenario)];
}

/** Split 'host:port' / '[v6]:port' / 'host'. */
export function parseHostPort(target: string): { host: string; port: number | undefined } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (v6) return { host: v6[1] ?? '', port: v6[2] === undefined ? undefined : Number(v6[2]) };
  const colons = target.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = target.split(':');
    return { host: host ?? '', port: Number(port) };
  }
  return { host: target, port: undefined };
}

function checkPort(name: string, port: number | undefined): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad ${name}: ${port}`);
}

function checkCount(name: string, n: number | undefined): void {
  if (n === undefined) return;
  if (!Number.isFinite(n) || n < 0) throw new Error(`bad ${name}: ${n}`);
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FORBIDDEN_EXTRA_ARGS: ReadonlySet<string> = new Set(['-i', '-mi', '-ci', '-rsa', '-bg', '-3pcc', '-master', '-slave', '-slave_cfg']);

function checkPairs(kind: string, pairs: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(pairs)) {
    if (!NAME_RE.test(k)) throw new Error(`bad sipp ${kind} name ${JSON.stringify(k)}`);
    if (/[\r\n]/.test(v)) throw new Error(`sipp ${kind} ${k} must not contain line breaks`);
  }
}

/** Command-line arguments for `opts` (trace files go under traceDir). Exposed for debugging. */
export function buildSippArgs(opts: SippOptions, traceDir: string): string[] {
  const localIp = opts.localIp ?? '127.0.0.1';
  if (!isLoopbackAddress(localIp)) throw new Error(`sipp localIp must be loopback, got ${localIp}`);
  checkPort('localPort', opts.localPort);
  checkPort('mediaPort', opts.mediaPort);
  checkPort('controlPort', opts.controlPort);
  for (const [n, v] of [
    ['calls', opts.calls],
    ['rate', opts.rate],
    ['ratePeriodMs', opts.ratePeriodMs],
    ['maxConcurrent', opts.maxConcurrent],
    ['pauseMs', opts.pauseMs],
    ['timeoutMs', opts.timeoutMs],
    ['recvTimeoutMs', opts.recvTimeoutMs],
  ] as const) {
    checkCount(n, v);
  }

  const args: string[] = [];
  if (opts.remote !== undefined) {
    const { host, port } = parseHostPort(opts.remote);
    if (!isLoopbackAddress(host)) throw new Error(`sipp remote must be loopback, got ${opts.remote}`);
    checkPort('remote port', port);
    args.push(opts.remote);
  }
  args.push(...scenarioArgs(opts.scenario));

  args.push('-i', localIp, '-bind_local', '-mi', localIp, '-ci', '127.0.0.1');
  if (opts.localPort !== undefined) args.push('-p', String(opts.localPort));
  if (opts.mediaPort !== undefined) args.push('-mp', String(opts.mediaPort));
  if (opts.controlPort !== undefined) args.push('-cp', String(opts.controlPort));
  args.push('-t', opts.transport ?? 'u1');
  args.push('-m', String(opts.calls ?? 1));
  if (opts.rate !== undefined) args.push('-r', String(opts.rate));
  if (opts.ratePeriodMs !== undefined) args.push('-rp', String(Math.round(opts.ratePeriodMs)));
  if (opts.maxConcurrent !== undefined) args.push('-l', String(opts.maxConcurrent));
  if (opts.pauseMs !== undefined) args.push('-d', String(Math.round(opts.pauseMs)));
  if (opts.service !== undefined) args.push('-s', opts.service);
  if (opts.authUser !== undefined) args.push('-au', opts.authUser);
  if (opts.authPassword !== undefined) args.push('-ap', opts.authPassword);
  if (opts.authUri !== undefined) args.push('-auth_uri', opts.authUri);

  const keys = { ...DEFAULT_SIPP_KEYS, ...(opts.keys ?? {}) };
  checkPairs('key', keys);
  for (const [k, v] of Object.entries(keys)) args.push('-key', k, v);
  const vars = opts.vars ?? {};
  checkPairs('variable', vars);
  for (const [k, v] of Object.entries(vars)) args.push('-set', k, v);

  const timeoutMs = opts.timeoutMs ?? 20_000;
  if (timeoutMs > 0) {
    args.push('-timeout', `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`);
    if (opts.timeoutError ?? true) args.push('-timeout_error');
  }
  const recvTimeoutMs = opts.recvTimeoutMs ?? 10_000;
  if (recvTimeoutMs > 0) args.push('-recv_timeout', String(Math.round(recvTimeoutMs)));

  args.push('-nostdin');
  args.push('-trace_msg', '-message_file', join(traceDir, 'messages.log'));
  args.push('-trace_err', '-error_file', join(traceDir, 'errors.log'));
  args.push('-trace_stat', '-stf', join(traceDir, 'stats.csv'));
  args.push('-trace_logs', '-log_file', join(traceDir, 'logs.log'));
  args.push('-trace_calldebug', '-calldebug_file', join(traceDir, 'calldebug.log'));
  if (opts.traceScreen ?? true) args.push('-trace_screen', '-screen_file', join(traceDir, 'screen.log'));
  if (opts.extraArgs) {
    // Addresses are the runner's business (loopback only); -bg would detach from our PID.
    const banned = opts.extraArgs.filter((a) => FORBIDDEN_EXTRA_ARGS.has(a));
    if (banned.length > 0) throw new Error(`sipp extraArgs may not contain ${banned.join(' ')}`);
    args.push(...opts.extraArgs);
  }
  return args;
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, 'latin1');
  } catch {
    return '';
  }
}

/** Last data row of a sipp -trace_stat CSV, keyed by column name. */
export function parseSippStats(csv: string): Record<string, string> | null {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0];
  const last = lines[lines.length - 1];
  if (header === undefined || last === undefined || lines.length < 2) return null;
  const names = header.split(';');
  const values = last.split(';');
  const row: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name !== '') row[name] = values[i] ?? '';
  });
  return row;
}

function statNumber(stats: Readonly<Record<string, string>> | null, column: string): number {
  const n = Number.parseInt(stats?.[column] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

function appendCapped(buf: string, chunk: Buffer): string {
  if (buf.length >= OUTPUT_CAP) return buf;
  return (buf + chunk.toString('latin1')).slice(0, OUTPUT_CAP);
}

/**
 * Start sipp now. Throws synchronously on bad options (including any non-loopback address).
 * Never rejects later: the outcome, whatever it is, arrives in `done`.
 */
export function runSipp(options: SippOptions): SippRun {
  const localIp = options.localIp ?? '127.0.0.1';
  if (!isLoopbackAddress(localIp)) throw new Error(`sipp localIp must be loopback, got ${localIp}`);
  const opts: SippOptions & { localPort: number; mediaPort: number; controlPort: number } = {
    ...options,
    localIp,
    localPort: options.localPort ?? freePortSync(localIp),
    mediaPort: options.mediaPort ?? freePortBlockSync(4, localIp, { even: true }),
    controlPort: options.controlPort ?? freePortSync('127.0.0.1'),
  };
  const traceDir = mkdtempSync(join(tmpdir(), 'sipp-'));
  let args: string[];
  try {
    args = buildSippArgs(opts, traceDir);
  } catch (err) {
    rmSync(traceDir, { recursive: true, force: true });
    throw err;
  }
  const keepTraces = opts.keepTraces === true || process.env['SIPP_KEEP_TRACES'] === '1';
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const killAfterMs = opts.killAfterMs ?? (timeoutMs > 0 ? timeoutMs + 5_000 : 60_000);

  const child = spawn('sipp', args, { cwd: traceDir, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const pid = child.pid ?? -1;
  let stdout = '';
  let stderr = '';
  let exited = false;
  let killed = false;
  let spawnError: string | undefined;
  const timers: NodeJS.Timeout[] = [];

  child.stdout.on('data', (c: Buffer) => {
    stdout = appendCapped(stdout, c);
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr = appendCapped(stderr, c);
  });

  const signal = (sig: NodeJS.Signals): void => {
    if (exited || pid < 0) return;
    try {
      process.kill(pid, sig);
    } catch {
      // exited in the meantime
    }
  };

  const terminate = (graceMs: number): void => {
    if (exited) return;
    killed = true;
    signal('SIGTERM');
    timers.push(setTimeout(() => signal('SIGKILL'), graceMs));
  };

  const done = new Promise<SippResult>((resolveDone) => {
    let settled = false;
    const finish = async (code: number | null, sig: NodeJS.Signals | null): Promise<void> => {
      if (settled) return;
      settled = true;
      exited = true;
      live.delete(pid);
      for (const t of timers) clearTimeout(t);
      const [messages, errors, screen, logs, callDebug, csv] = await Promise.all(
        ['messages.log', 'errors.log', 'screen.log', 'logs.log', 'calldebug.log', 'stats.csv'].map((f) =>
          readIfExists(join(traceDir, f)),
        ),
      );
      const stats = parseSippStats(csv ?? '');
      if (!keepTraces) rmSync(traceDir, { recursive: true, force: true });
      pendingDirs.delete(traceDir);
      const result: SippResult = {
        exitCode: code,
        signal: sig,
        successful: statNumber(stats, 'SuccessfulCall(C)'),
        failed: statNumber(stats, 'FailedCall(C)'),
        stdout,
        stderr,
        messages: messages ?? '',
        errors: errors ?? '',
        screen: screen ?? '',
        logs: logs ?? '',
        callDebug: callDebug ?? '',
        stats,
        timedOut: /timed out after/.test(stderr),
        killed,
        args,
        traceDir: keepTraces ? traceDir : null,
      };
      if (spawnError !== undefined) result.spawnError = spawnError;
      resolveDone(result);
    };
    child.once('error', (err) => {
      spawnError = err.message;
      if (pid < 0) void finish(null, null);
    });
    child.once('exit', () => {
      exited = true; // reaped: from here on the PID may belong to someone else, never signal it
      live.delete(pid);
    });
    child.once('close', (code, sig) => {
      void finish(code, sig);
    });
  });

  const run: SippRun = {
    pid,
    args,
    localIp,
    localPort: opts.localPort,
    mediaPort: opts.mediaPort,
    controlPort: opts.controlPort,
    transport: opts.transport ?? 'u1',
    traceDir,
    done,
    get exited(): boolean {
      return exited;
    },
    stop(graceMs = 2_000): Promise<SippResult> {
      terminate(graceMs);
      return done;
    },
  };

  installExitHook();
  if (!keepTraces) pendingDirs.add(traceDir);
  if (pid > 0) {
    live.set(pid, run);
    timers.push(setTimeout(() => terminate(2_000), killAfterMs));
  }
  return run;
}

/** Stop every sipp this process started that is still running (for afterEach/afterAll). */
export async function stopAllSipp(graceMs = 2_000): Promise<void> {
  await Promise.all([...live.values()].map((r) => r.stop(graceMs)));
}

/** Await every run's result after its process has gone; handy in afterEach. */
export async function stopAndCollect(runs: readonly SippRun[], graceMs = 2_000): Promise<SippResult[]> {
  return Promise.all(runs.map((r) => (r.exited ? r.done : r.stop(graceMs))));
}

/** PIDs of sipps started by this process that have not exited yet. */
export function liveSippPids(): number[] {
  return [...live.keys()];
}

/** Whether a process with this PID exists (signal 0 probe). */
export function isProcessAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // fd closed while we looked
    }
  }
  return inodes;
}

/** Does `pid` own a socket bound to `port` (UDP) / listening on it (TCP)? Reads /proc. */
function ownsBoundPort(pid: number, port: number, transport: SippTransport): boolean {
  const inodes = socketInodes(pid);
  const tables = transport === 't1' ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/udp', '/proc/net/udp6'];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of tables) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const state = cols[3];
      const inode = cols[9];
      if (local === undefined || inode === undefined) continue;
      if (!local.endsWith(`:${hexPort}`)) continue;
      if (transport === 't1' && state !== '0A') continue; // TCP_LISTEN
      if (inodes.has(inode)) return true;
    }
  }
  return false;
}

/** Fallback without /proc: the port is taken once we can no longer bind it ourselves. */
function portTaken(host: string, port: number, transport: SippTransport): Promise<boolean> {
  return new Promise((resolveTaken) => {
    if (transport === 't1') {
      const server = createServer();
      server.once('error', () => resolveTaken(true));
      server.listen({ host, port, exclusive: true }, () => server.close(() => resolveTaken(false)));
    } else {
      const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
      sock.once('error', () => {
        try {
          sock.close();
        } catch {
          // never bound
        }
        resolveTaken(true);
      });
      sock.bind({ address: host, port, exclusive: true }, () => sock.close(() => resolveTaken(false)));
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Resolve once sipp's SIP socket is bound (UDP) / listening (TCP) on run.localPort, i.e. a
 * peer may send to it. Deterministic: checks that this very PID owns a socket on that port
 * (via /proc; falls back to a bind probe). Rejects if sipp exits first or after timeoutMs.
 */
export async function waitForSippReady(run: SippRun, timeoutMs = 5_000): Promise<void> {
  const port = run.localPort;
  const useProc = existsSync(`/proc/${process.pid}/fd`);
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / 10) + 1;
  for (let i = 0; i < maxPolls; i++) {
    if (run.exited || run.pid < 0) {
      const r = await run.done;
      throw new Error(`sipp exited (code ${String(r.exitCode)}) before listening on ${port}: ${r.stderr.trim()}`);
    }
    let ready = false;
    try {
      ready = useProc ? ownsBoundPort(run.pid, port, run.transport) : await portTaken(run.localIp, port, run.transport);
    } catch {
      ready = false; // process vanished between checks; the exited branch reports it
    }
    if (ready) return;
    if (Date.now() >= deadline) break;
    await sleep(10);
  }
  throw new Error(`sipp pid ${run.pid} not listening on ${run.localIp}:${port} after ${timeoutMs} ms`);
}

export interface StartSippOptions {
  /** Wait until the SIP socket is bound/listening. Default: only for a UAS (no `remote`). */
  waitReady?: boolean;
  /** Bound on that wait (ms). Default 5000. */
  readyTimeoutMs?: number;
}

/**
 * runSipp after picking free ports for whatever `opts` leaves out (SIP port free for UDP and
 * TCP, an even media port with its 3 neighbours free, a control port), then, for a UAS,
 * waitForSippReady. If sipp does not come up it is stopped and the error rethrown.
 */
export async function startSipp(opts: SippOptions, start: StartSippOptions = {}): Promise<SippRun> {
  const localIp = opts.localIp ?? '127.0.0.1';
  const full: SippOptions = {
    ...opts,
    localIp,
    localPort: opts.localPort ?? (await freePort('both', localIp)),
    mediaPort: opts.mediaPort ?? (await freePortBlock(4, 'udp', localIp, { even: true })),
    controlPort: opts.controlPort ?? (await freePort('udp', '127.0.0.1')),
  };
  const run = runSipp(full);
  if (start.waitReady ?? opts.remote === undefined) {
    try {
      await waitForSippReady(run, start.readyTimeoutMs ?? 5_000);
    } catch (err) {
      await run.stop();
      throw err;
    }
  }
  return run;
}

export interface SippTracedMessage {
  direction: 'sent' | 'received';
  /** 'UDP' | 'TCP' */
  transport: string;
  /** Timestamp sipp wrote above the message. */
  time: string;
  /** The SIP message, CRLF-normalised to LF. */
  text: string;
  /** 'INVITE sip:...' or 'SIP/2.0 200 OK' */
  startLine: string;
  /** Method for requests, CSeq method for responses. */
  method: string;
  /** Status code for responses, 0 for requests. */
  status: number;
}

/** Split a -trace_msg log into messages, oldest first. */
export function parseSippMessages(log: string): SippTracedMessage[] {
  const out: SippTracedMessage[] = [];
  const blocks = log.replace(/\r\n/g, '\n').split(/^-{20,} (.*)$/m);
  // split with one capture group: [preamble, time1, body1, time2, body2, ...]
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const time = (blocks[i] ?? '').trim();
    const body = blocks[i + 1] ?? '';
    const m = /^\s*(\w+) message (sent|received)[^\n]*\n\n?([\s\S]*)$/.exec(body);
    if (!m) continue;
    const text = (m[3] ?? '').replace(/\n+$/, '\n');
    const startLine = text.split('\n')[0] ?? '';
    const statusMatch = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    const status = statusMatch ? Number(statusMatch[1]) : 0;
    const cseq = sipHeader(text, 'CSeq')[0] ?? '';
    const method = status ? (cseq.split(/\s+/)[1] ?? '') : (startLine.split(' ')[0] ?? '');
    out.push({ direction: m[2] === 'sent' ? 'sent' : 'received', transport: m[1] ?? '', time, text, startLine, method, status });
  }
  return out;
}

const COMPACT_FORMS: Readonly<Record<string, string>> = {
  'call-id': 'i',
  contact: 'm',
  'content-length': 'l',
  'content-type': 'c',
  from: 'f',
  to: 't',
  via: 'v',
  supported: 'k',
  subject: 's',
  event: 'o',
};

/** Values of every occurrence of a header (long or compact form) in one SIP message's header section. */
export function sipHeader(message: string, name: string): string[] {
  const want = name.toLowerCase();
  const compact = COMPACT_FORMS[want];
  const head = message.replace(/\r\n/g, '\n').split('\n\n')[0] ?? '';
  const values: string[] = [];
  for (const line of head.split('\n').slice(1)) {
    const idx = line.indexOf(':');
    if (idx <= 0) continue;
    const n = line.slice(0, idx).trim().toLowerCase();
    if (n === want || (compact !== undefined && n === compact)) values.push(line.slice(idx + 1).trim());
  }
  return values;
}

/** Body of one SIP message (after the blank line), LF line endings. */
export function sipBody(message: string): string {
  const text = message.replace(/\r\n/g, '\n');
  const idx = text.indexOf('\n\n');
  return idx < 0 ? '' : text.slice(idx + 2);
}
