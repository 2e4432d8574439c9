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

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    logLevel: logLevel.default('notice'),
    sip,
  })
  .strict();

export type PbxConfig = z.infer<typeof configSchema>;
export type PbxConfigInput = z.input<typeof configSchema>;
