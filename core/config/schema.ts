// The configuration file's shape, defaults and validation. Every timer, port and limit lives here
// once; the parts read their slice of it.
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const protocol = z.enum(['udp', 'tcp']);
const logLevel = z.enum(['debug', 'info', 'notice', 'warn', 'error']);

const listen = z
  .object({
    address: z.string().ip({ message: 'must be an IPv4 or IPv6 address' }),
    port: port.default(5060),
    protocols: z.array(protocol).nonempty().default(['udp', 'tcp']),
    externalAddress: z.string().min(1).optional(),
  })
  .strict();

const sip = z
  .object({
    listen: z.array(listen).nonempty().default([{ address: '0.0.0.0', port: 5060, protocols: ['udp', 'tcp'] }]),
    admin: z
      .object({
        address: z.string().ip().default('127.0.0.1'),
        port: port.default(9022),
        secret: z.string().min(1).default('cymru'),
      })
      .strict()
      .default({}),
    timers: z
      .object({
        t1: z.number().int().min(10).max(10_000).default(500),
        t2: z.number().int().min(100).max(60_000).default(4000),
        t4: z.number().int().min(0).max(60_000).default(5000),
        timerD: z.number().int().min(0).max(300_000).default(32_000),
        timerC: z.number().int().min(1000).max(3_600_000).default(185_000),
      })
      .strict()
      .default({}),
    maxUdpBytes: z.number().int().min(1500).max(65_535).default(65_535),
    maxTcpBytes: z.number().int().min(4096).max(64 * 1024 * 1024).default(1024 * 1024),
    tcpIdleTimeoutMs: z.number().int().min(1000).default(600_000),
    outboundProxy: z.string().regex(/^sips?:/, 'must be a sip: or sips: URI').optional(),
    userAgent: z.string().optional(),
    logLevel: logLevel.optional(),
  })
  .strict()
  .default({});

const digestAlgorithm = z.enum(['MD5', 'SHA-256', 'SHA-512-256']);
const seconds = (min: number, max: number, def: number) => z.number().int().min(min).max(max).default(def);

/** The PBX application (core/pbx): registrar, digest auth, location, keep-alives, HTTP API. */
const pbx = z
  .object({
    /** SIP domain of every AOR (`sip:EXT@domain`); phones may register to any host name or IP. */
    domain: z.string().min(1).regex(/^[A-Za-z0-9.\-:\[\]]+$/, 'must be a host name or IP').default('pbx.local'),
    /** Digest realm; defaults to the domain. Stored HA1 hashes depend on it: `pbx user passwd` after a change. */
    realm: z.string().min(1).regex(/^[^"\\\r\n]+$/, 'must not contain quotes, backslashes or line breaks').optional(),
    /** SQLite file, relative to dataDir. */
    database: z.string().min(1).default('pbx.sqlite'),
    /** Seed extensions 1001 and 1002 (random passwords, written to dataDir/demo-users.txt) when the database is created. */
    demoUsers: z.boolean().default(true),
    /** The engine's admin socket the app connects to; defaults to sip.admin (a real drachtio-server works too). */
    drachtio: z
      .object({ host: z.string().min(1), port: port, secret: z.string().min(1) })
      .strict()
      .optional(),
    /** How long the app waits between reconnect attempts to the engine, at most. */
    reconnectMaxDelayMs: z.number().int().min(100).max(60_000).default(2000),
    http: z
      .object({
        address: z.string().ip().default('127.0.0.1'),
        port: port.default(8080),
        /** Bearer token for /api; unset: one is generated into dataDir/admin-token on first start. */
        adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
        maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
      })
      .strict()
      .default({}),
    auth: z
      .object({
        /**
         * Offered in this order, one challenge each. MD5 alone by default: clients that take the
         * first challenge (sipp, older phones) cannot do SHA-256, and some (Debian's baresip 1.0)
         * fail outright when a SHA-256 challenge is present. Add 'SHA-256' for RFC 8760 phones.
         */
        algorithms: z.array(digestAlgorithm).nonempty().default(['MD5']),
        /** A nonce older than this gets `stale=true` and a fresh one. */
        nonceTtlSec: seconds(10, 86_400, 300),
        /** Nonces whose nonce-count history is kept for replay checks (oldest dropped first). */
        maxTrackedNonces: z.number().int().min(100).max(1_000_000).default(20_000),
        throttle: z
          .object({
            /** Failed authentications (wrong password, unknown user) from one IP before it is blocked; 0 = off. */
            maxFailures: z.number().int().min(0).max(10_000).default(5),
            windowSec: seconds(1, 86_400, 60),
            blockSec: seconds(1, 86_400, 300),
            maxTrackedSources: z.number().int().min(100).max(1_000_000).default(10_000),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    registrar: z
      .object({
        /** Shorter (non-zero) requested expiries get 423 Interval Too Brief with this Min-Expires. */
        minExpires: seconds(1, 86_400, 60),
        /** Longer requested expiries are cut to this. */
        maxExpires: seconds(1, 7 * 86_400, 3600),
        /** Used when the REGISTER names no expiry. */
        defaultExpires: seconds(1, 7 * 86_400, 3600),
        /** Contacts per AOR; a new one beyond this replaces the least recently refreshed. */
        maxContacts: z.number().int().min(1).max(100).default(10),
        /** How often expired bindings are deleted (lookups ignore them already). */
        sweepIntervalSec: seconds(1, 3600, 30),
      })
      .strict()
      .default({}),
    calls: z
      .object({
        /** Ring every registered phone of the callee at once, or one after another by q. */
        strategy: z.enum(['parallel', 'sequential']).default('parallel'),
        /** The caller hears "no answer" (480) after ringing this long in all. */
        ringTimeoutSec: seconds(1, 600, 30),
        /** Sequential ringing: each phone rings this long before the next. */
        perContactTimeoutSec: seconds(1, 600, 15),
        /** Extensions answered with 302 and their contacts instead of being bridged (redirect server). */
        redirect: z.array(z.string().regex(/^[A-Za-z0-9*#+._-]+$/, 'must be an extension')).default([]),
        /** Source IPs (trunks, peers) whose INVITEs need no credentials. */
        trustedSources: z.array(z.string().ip()).default([]),
      })
      .strict()
      .default({}),
    media: z
      .object({
        /** Anchor the audio of dialplan calls on the media server (needed for prompts, IVR, hold music,
         *  conference, voicemail); false passes SDP end to end and media operations fail. */
        anchor: z.boolean().default(true),
        /** The media server's control socket, relative to dataDir (`pbx start` starts it there). */
        socket: z.string().min(1).default('media.sock'),
        /** Codecs offered to called phones, in preference order. */
        codecs: z.array(z.string().min(1)).nonempty().default(['PCMU', 'PCMA', 'G722', 'opus']),
        /** Hold music (a file name under the sound directories, without extension). */
        holdMusic: z.string().min(1).default('macroform-the_simplicity'),
      })
      .strict()
      .default({}),
    dialplan: z
      .object({
        /** Route calls through the dialplans in `dir`; false: every call dials the extension. */
        enabled: z.boolean().default(true),
        /** Folder of dialplan files, relative to dataDir; created with the default dialplan when missing. */
        dir: z.string().min(1).default('dialplans'),
        /** The dialplan that new calls run (file name without .ts). */
        entry: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a dialplan name').default('main'),
        /** Dialed numbers that run another dialplan than `entry` (e.g. {"800": "conference"}). */
        routes: z.record(z.string().regex(/^[A-Za-z0-9*#+._-]+$/, 'must be a dialed number'), z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a dialplan name')).default({}),
        /** What a call gets when its dialplan is killed or fails: a SIP status before answer. */
        fallbackStatus: z.number().int().min(400).max(699).default(480),
        /** After answer: keep a running bridge, or hang up. */
        fallbackAfterAnswer: z.enum(['keep-bridge', 'hangup']).default('keep-bridge'),
        /** Calls in flight per dialplan version; beyond it new calls get the fallback status. */
        maxConcurrentCalls: z.number().int().min(1).max(100_000).default(1000),
        /** Isolate heap per dialplan version; default sized from maxConcurrentCalls. */
        memoryLimitMb: z.number().int().min(16).max(8192).optional(),
        /** CPU a dialplan may use without reaching an await before it is killed. */
        cpuLimitMs: z.number().int().min(10).max(60_000).default(500),
        /** 'frozen': one context per version with frozen built-ins, a fresh module instance (state,
         *  clock, random numbers, console) per call; 'per-call': a fresh V8 context per call, in which
         *  a call may also change built-ins (~1.5 ms CPU and ~170 KiB more per call); 'shared': one
         *  context and one module instance per version: module-level state is shared between calls. */
        contextMode: z.enum(['frozen', 'per-call', 'shared']).default('frozen'),
        /** Fresh contexts made ahead of calls ('per-call' mode), so a call's setup skips making one. */
        spareContexts: z.number().int().min(0).max(64).default(2),
      })
      .strict()
      .default({}),
    keepalive: z
      .object({
        /** OPTIONS to every registered UDP contact this often (keeps NAT bindings open); 0 = off. */
        intervalSec: seconds(0, 3600, 30),
        /** Only contacts registered from behind NAT (Contact host/port differ from the source). */
        natOnly: z.boolean().default(false),
      })
      .strict()
      .default({}),
    /** Message-waiting indication (voicemail/mwi, RFC 3842): SUBSCRIBE/NOTIFY message-summary. */
    mwi: z
      .object({
        /** NOTIFY (out of dialog) the registered phones of mailboxes nobody subscribed to. */
        unsolicited: z.boolean().default(true),
        /** Shorter (non-zero) requested subscriptions get 423 Interval Too Brief with this Min-Expires. */
        minExpires: seconds(1, 86_400, 60),
        /** Longer requested subscriptions are cut to this. */
        maxExpires: seconds(1, 7 * 86_400, 3600),
        /** Used when the SUBSCRIBE names no expiry (RFC 3842 §3.4: an hour). */
        defaultExpires: seconds(1, 7 * 86_400, 3600),
        /** Subscriptions per mailbox; a new one beyond this ends the oldest. */
        maxSubscriptionsPerMailbox: z.number().int().min(1).max(1000).default(10),
        /** Unsolicited NOTIFYs outstanding at once (a restart tells every registered phone). */
        maxUnsolicitedInFlight: z.number().int().min(1).max(10_000).default(50),
      })
      .strict()
      .superRefine((m, ctx) => {
        if (m.minExpires > m.maxExpires) ctx.addIssue({ code: 'custom', path: ['minExpires'], message: 'must not exceed maxExpires' });
        if (m.defaultExpires < m.minExpires || m.defaultExpires > m.maxExpires) {
          ctx.addIssue({ code: 'custom', path: ['defaultExpires'], message: 'must lie between minExpires and maxExpires' });
        }
      })
      .default({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    const r = p.registrar;
    if (r.minExpires > r.maxExpires) ctx.addIssue({ code: 'custom', path: ['registrar', 'minExpires'], message: 'must not exceed maxExpires' });
    if (r.defaultExpires < r.minExpires || r.defaultExpires > r.maxExpires) {
      ctx.addIssue({ code: 'custom', path: ['registrar', 'defaultExpires'], message: 'must lie between minExpires and maxExpires' });
    }
  })
  .default({});

/** Voicemail (voicemail/): mailboxes are extensions; messages are SQLite rows plus WAV files in `dir`. */
const voicemail = z
  .object({
    /** Folder of message and greeting WAV files, relative to dataDir. */
    dir: z.string().min(1).default('voicemail'),
    /** Messages a mailbox keeps (new and saved); callers to a full mailbox are told so. */
    maxMessages: z.number().int().min(1).max(100_000).default(100),
    /** Shorter recordings (a caller who hung up at the beep) are discarded. */
    minMessageMs: z.number().int().min(0).max(60_000).default(1000),
    maxMessageSec: seconds(1, 3600, 180),
    /** The recording stops after this much silence (0 = never). */
    silenceSec: seconds(0, 600, 5),
    maxGreetingSec: seconds(1, 600, 60),
    /** Wrong PINs on one call before goodbye. */
    maxPinAttempts: z.number().int().min(1).max(10).default(3),
    /** Wait for a key after a menu prompt, and between the digits of a PIN or mailbox number. */
    menuTimeoutSec: seconds(1, 60, 6),
    interDigitSec: seconds(1, 30, 4),
    /** Menu prompts replayed without a key pressed before the service says goodbye. */
    maxMenuRepeats: z.number().int().min(1).max(10).default(3),
    /** User part of the voicemail service URI (RFC 4458 `sip:voicemail@domain;target=…;cause=…`). */
    serviceUser: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a SIP user name').default('voicemail'),
    featureCodes: z
      .object({
        /** Own mailbox (the caller's authenticated extension), PIN asked. */
        own: z.string().regex(/^[0-9*#]{1,16}$/, 'must be digits, * or #').default('*97'),
        /** Any mailbox: number asked, then PIN. */
        any: z.string().regex(/^[0-9*#]{1,16}$/, 'must be digits, * or #').default('*98'),
      })
      .strict()
      .default({}),
    /** The voicemail web pages and JSON API, under /voicemail on the PBX's HTTP server (pbx.http). */
    web: z
      .object({
        enabled: z.boolean().default(true),
        /** Secure cookies on plain http too (TLS ends at a proxy in front); https requests always get them. */
        secureCookies: z.boolean().default(false),
        /** A login session unused this long ends. */
        sessionIdleSec: seconds(60, 86_400, 900),
        /** A login session ends this long after login, used or not. */
        sessionMaxAgeSec: seconds(300, 30 * 86_400, 43_200),
        maxSessions: z.number().int().min(10).max(1_000_000).default(10_000),
        login: z
          .object({
            /** Failed logins from one address within windowSec before it gets 429 for blockSec; 0 = no limit. */
            maxFailuresPerSource: z.number().int().min(0).max(10_000).default(5),
            /** Failed logins for one mailbox, from any address, before it gets 429 for blockSec; 0 = no limit. */
            maxFailuresPerMailbox: z.number().int().min(0).max(10_000).default(10),
            windowSec: seconds(1, 86_400, 300),
            blockSec: seconds(1, 86_400, 300),
            maxTracked: z.number().int().min(100).max(1_000_000).default(10_000),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    logLevel: logLevel.default('notice'),
    sip,
    pbx,
    voicemail,
  })
  .strict();

export type PbxConfig = z.infer<typeof configSchema>;
export type PbxConfigInput = z.input<typeof configSchema>;
