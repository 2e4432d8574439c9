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
    keepalive: z
      .object({
        /** OPTIONS to every registered UDP contact this often (keeps NAT bindings open); 0 = off. */
        intervalSec: seconds(0, 3600, 30),
        /** Only contacts registered from behind NAT (Contact host/port differ from the source). */
        natOnly: z.boolean().default(false),
      })
      .strict()
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

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    logLevel: logLevel.default('notice'),
    sip,
    pbx,
  })
  .strict();

export type PbxConfig = z.infer<typeof configSchema>;
export type PbxConfigInput = z.input<typeof configSchema>;
