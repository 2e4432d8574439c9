// Proves the sipp runner and every scenario pair sipp-against-sipp on loopback, UDP and TCP.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, freePortBlock, freePortSync, isLoopbackAddress } from '../support/ports.ts';
import { startRecordRouteRelay } from '../support/sip-relay.ts';
import {
  SCENARIO_DIR,
  SIPP_EXIT,
  isProcessAlive,
  liveSippPids,
  parseSippMessages,
  runSipp,
  sipBody,
  sipHeader,
  startSipp,
  type SippOptions,
  type SippResult,
  type SippRun,
  type SippTracedMessage,
  type SippTransport,
  waitForSippReady,
} from './sipp.ts';

const spawned: SippRun[] = [];
function track(run: SippRun): SippRun {
  spawned.push(run);
  return run;
}

afterAll(async () => {
  await Promise.all(spawned.map((r) => (r.exited ? r.done : r.stop())));
  for (const r of spawned) {
    expect(isProcessAlive(r.pid), `sipp pid ${r.pid} still alive`).toBe(false);
    expect(existsSync(r.traceDir), `trace dir ${r.traceDir} left behind`).toBe(false);
  }
  expect(liveSippPids()).toEqual([]);
});

/** Messages minus retransmissions (an identical text already seen in the same direction). */
function unique(r: SippResult): SippTracedMessage[] {
  const seen = new Set<string>();
  return parseSippMessages(r.messages).filter((m) => {
    const key = `${m.direction}\n${m.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** '> INVITE', '< 200 INVITE', ... */
function flow(r: SippResult): string[] {
  return unique(r).map((m) => `${m.direction === 'sent' ? '>' : '<'} ${m.status ? `${m.status} ${m.method}` : m.method}`);
}

function mirror(f: readonly string[]): string[] {
  return f.map((s) => (s.startsWith('>') ? `<${s.slice(1)}` : `>${s.slice(1)}`));
}

function sent(r: SippResult, method: string): SippTracedMessage[] {
  return unique(r).filter((m) => m.direction === 'sent' && m.status === 0 && m.method === method);
}

function received(r: SippResult, pred: (m: SippTracedMessage) => boolean): SippTracedMessage[] {
  return unique(r).filter((m) => m.direction === 'received' && pred(m));
}

function branch(m: SippTracedMessage | undefined): string {
  return /;branch=([^;,\s]+)/.exec(sipHeader(m?.text ?? '', 'Via')[0] ?? '')?.[1] ?? '';
}

function explain(r: SippResult): string {
  return [`exit ${String(r.exitCode)}`, r.stderr, r.errors, r.callDebug.slice(0, 3000), flow(r).join(' | ')].join('\n');
}

interface PairResult {
  uac: SippResult;
  uas: SippResult;
  uacRun: SippRun;
  uasRun: SippRun;
}

async function runPair(
  uas: Omit<SippOptions, 'transport'>,
  uac: Omit<SippOptions, 'transport' | 'remote'>,
  transport: SippTransport,
): Promise<PairResult> {
  const uasRun = track(await startSipp({ pauseMs: 100, ...uas, transport }));
  const uacRun = track(
    runSipp({ pauseMs: 100, ...uac, transport, remote: `${uasRun.localIp}:${uasRun.localPort}` }),
  );
  const [a, b] = await Promise.all([uacRun.done, uasRun.done]);
  for (const r of [uacRun, uasRun]) {
    expect(isProcessAlive(r.pid)).toBe(false);
    expect(existsSync(r.traceDir)).toBe(false);
  }
  return { uac: a, uas: b, uacRun, uasRun };
}

function expectOk(r: SippResult, calls = 1): void {
  expect(r.exitCode, explain(r)).toBe(SIPP_EXIT.allSuccessful);
  expect(r.successful, explain(r)).toBe(calls);
  expect(r.failed, explain(r)).toBe(0);
  expect(r.killed).toBe(false);
}

const CALL = ['> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK'];

interface PairCase {
  title: string;
  uas: Omit<SippOptions, 'transport'>;
  uac: Omit<SippOptions, 'transport' | 'remote'>;
  flow: string[];
  check?: (p: PairResult) => void;
}

const PAIRS: PairCase[] = [
  {
    title: 'uac-invite-bye -> uas-answer (3 calls)',
    uas: { scenario: 'uas-answer', calls: 3 },
    uac: { scenario: 'uac-invite-bye', calls: 3, rate: 10 },
    flow: [],
    check: ({ uac }) => {
      expect(sent(uac, 'INVITE')).toHaveLength(3);
      expect(sent(uac, 'BYE')).toHaveLength(3);
    },
  },
  {
    title: 'uac-invite-bye -> uas-answer',
    uas: { scenario: 'uas-answer' },
    uac: { scenario: 'uac-invite-bye' },
    flow: [...CALL, '> BYE', '< 200 BYE'],
    check: ({ uac }) => {
      const ok = received(uac, (m) => m.status === 200 && m.method === 'INVITE')[0];
      expect(sipHeader(ok?.text ?? '', 'Content-Type')).toEqual(['application/sdp']);
      const contact = /<([^>]+)>/.exec(sipHeader(ok?.text ?? '', 'Contact')[0] ?? '')?.[1];
      // ACK and BYE go to the answer's Contact ([next_url]) with the dialog's tags.
      for (const m of [...sent(uac, 'ACK'), ...sent(uac, 'BYE')]) {
        expect(m.startLine.split(' ')[1]).toBe(contact);
        expect(sipHeader(m.text, 'To')[0]).toContain(';tag=');
      }
    },
  },
  {
    title: 'uac-invite-wait-bye -> uas-answer-then-bye',
    uas: { scenario: 'uas-answer-then-bye' },
    uac: { scenario: 'uac-invite-wait-bye', keys: { from_user: 'alice' } },
    flow: [...CALL, '< BYE', '> 200 BYE'],
    check: ({ uac, uas }) => {
      const invite = sent(uac, 'INVITE')[0]?.text ?? '';
      const answer = received(uac, (m) => m.status === 200 && m.method === 'INVITE')[0]?.text ?? '';
      const bye = sent(uas, 'BYE')[0]?.text ?? '';
      // Request-URI = caller's Contact; From = their To + our tag; To = their From.
      expect(bye.split(' ')[1]).toBe(/<([^>]+)>/.exec(sipHeader(invite, 'Contact')[0] ?? '')?.[1]);
      expect(sipHeader(bye, 'From')).toEqual(sipHeader(answer, 'To'));
      expect(sipHeader(bye, 'To')).toEqual(sipHeader(invite, 'From'));
      expect(sipHeader(bye, 'From')[0]).toContain('<sip:service@');
      expect(sipHeader(invite, 'From')[0]).toMatch(/^"alice" <sip:alice@127\.0\.0\.1:\d+>;tag=/);
      expect(sipHeader(bye, 'Call-ID')).toEqual(sipHeader(invite, 'Call-ID'));
      expect(sipHeader(bye, 'Route')).toEqual([]);
    },
  },
  {
    title: 'uac-expect-486 -> uas-486',
    uas: { scenario: 'uas-486' },
    uac: { scenario: 'uac-expect-486' },
    flow: ['> INVITE', '< 100 INVITE', '< 486 INVITE', '> ACK'],
    check: ({ uac }) => {
      expect(branch(sent(uac, 'ACK')[0])).toBe(branch(sent(uac, 'INVITE')[0]));
    },
  },
  {
    title: 'uac-expect-487-cancel -> uas-no-answer',
    uas: { scenario: 'uas-no-answer' },
    uac: { scenario: 'uac-expect-487-cancel', pauseMs: 200 },
    flow: ['> INVITE', '< 100 INVITE', '< 180 INVITE', '> CANCEL', '< 200 CANCEL', '< 487 INVITE', '> ACK'],
    check: ({ uac, uas }) => {
      const invite = sent(uac, 'INVITE')[0];
      const cancel = sent(uac, 'CANCEL')[0];
      const ack = sent(uac, 'ACK')[0];
      expect(branch(cancel)).toBe(branch(invite));
      expect(branch(ack)).toBe(branch(invite));
      expect(cancel?.startLine.split(' ')[1]).toBe(invite?.startLine.split(' ')[1]);
      expect(sipHeader(cancel?.text ?? '', 'CSeq')).toEqual([`${(sipHeader(invite?.text ?? '', 'CSeq')[0] ?? '').split(' ')[0]} CANCEL`]);
      // The 487 answers the INVITE transaction, built from the remembered INVITE headers.
      const r487 = unique(uas).find((m) => m.status === 487);
      expect(sipHeader(r487?.text ?? '', 'CSeq')).toEqual(sipHeader(invite?.text ?? '', 'CSeq'));
      expect(sipHeader(r487?.text ?? '', 'Via')).toEqual(sipHeader(invite?.text ?? '', 'Via'));
    },
  },
  ...[404, 408, 480, 503, 603].map(
    (code): PairCase => ({
      title: `uac-expect-code ${code} -> uas-reject-${code}`,
      uas: { scenario: `uas-reject-${code}` },
      uac: { scenario: 'uac-expect-code', keys: { expected_code: String(code) } },
      flow: ['> INVITE', '< 100 INVITE', `< ${code} INVITE`, '> ACK'],
      check: ({ uac }) => expect(branch(sent(uac, 'ACK')[0])).toBe(branch(sent(uac, 'INVITE')[0])),
    }),
  ),
  {
    title: 'uac-expect-code 302 -> uas-302',
    uas: { scenario: 'uas-302', keys: { redirect_to: '127.0.0.1:5999' } },
    uac: { scenario: 'uac-expect-code', keys: { expected_code: '302' }, service: '2001' },
    flow: ['> INVITE', '< 302 INVITE', '> ACK'],
    check: ({ uac }) => {
      const r302 = received(uac, (m) => m.status === 302)[0];
      expect(sipHeader(r302?.text ?? '', 'Contact')).toEqual(['<sip:2001@127.0.0.1:5999>']);
    },
  },
  {
    title: 'uac-hold-unhold -> uas-hold-unhold',
    uas: { scenario: 'uas-hold-unhold' },
    uac: { scenario: 'uac-hold-unhold' },
    flow: [...CALL, '> INVITE', '< 200 INVITE', '> ACK', '> INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE'],
    check: ({ uac, uas }) => {
      const offers = sent(uac, 'INVITE').map((m) => sipBody(m.text));
      expect(offers.map((b) => /a=(sendrecv|sendonly)/.exec(b)?.[1])).toEqual(['sendrecv', 'sendonly', 'sendrecv']);
      expect(offers.map((b) => /^o=\S+ \d+ (\d+)/m.exec(b)?.[1])).toEqual(['1', '2', '3']);
      const answers = unique(uas).filter((m) => m.direction === 'sent' && m.status === 200 && m.method === 'INVITE');
      expect(answers.map((m) => /a=(sendrecv|recvonly)/.exec(sipBody(m.text))?.[1])).toEqual(['sendrecv', 'recvonly', 'sendrecv']);
    },
  },
  {
    title: 'uac-info-notify -> uas-info-notify',
    uas: { scenario: 'uas-info-notify' },
    uac: { scenario: 'uac-info-notify' },
    flow: [...CALL, '> INFO', '< 200 INFO', '> NOTIFY', '< 200 NOTIFY', '> BYE', '< 200 BYE'],
    check: ({ uas }) => {
      const info = received(uas, (m) => m.method === 'INFO' && m.status === 0)[0]?.text ?? '';
      expect(sipHeader(info, 'Content-Type')).toEqual(['application/dtmf-relay']);
      expect(sipBody(info)).toContain('Signal=5');
      const notify = received(uas, (m) => m.method === 'NOTIFY' && m.status === 0)[0]?.text ?? '';
      expect(sipHeader(notify, 'Event')).toEqual(['talk']);
    },
  },
  {
    title: 'uac-expect-reinvite -> uas-reinvite-hold',
    uas: { scenario: 'uas-reinvite-hold' },
    uac: { scenario: 'uac-expect-reinvite' },
    flow: [...CALL, '< INVITE', '> 200 INVITE', '< ACK', '< INVITE', '> 200 INVITE', '< ACK', '> BYE', '< 200 BYE'],
    check: ({ uas, uac }) => {
      const reinvites = sent(uas, 'INVITE');
      expect(reinvites.map((m) => /a=(sendrecv|sendonly)/.exec(sipBody(m.text))?.[1])).toEqual(['sendonly', 'sendrecv']);
      const invite = received(uas, (m) => m.method === 'INVITE' && m.status === 0)[0]?.text ?? '';
      for (const m of reinvites) {
        expect(sipHeader(m.text, 'To')).toEqual(sipHeader(invite, 'From'));
        expect(m.startLine.split(' ')[1]).toBe(/<([^>]+)>/.exec(sipHeader(invite, 'Contact')[0] ?? '')?.[1]);
      }
      // CSeq grows in each direction independently.
      const cseqs = [...reinvites, ...sent(uas, 'ACK')].map((m) => Number((sipHeader(m.text, 'CSeq')[0] ?? '').split(' ')[0]));
      expect(cseqs[1]).toBeGreaterThan(cseqs[0] ?? Infinity);
      const bye = sent(uac, 'BYE')[0]?.text ?? '';
      expect(Number((sipHeader(bye, 'CSeq')[0] ?? '').split(' ')[0])).toBeGreaterThan(1);
    },
  },
  {
    title: 'uac-invite-auth -> uas-401-challenge',
    uas: { scenario: 'uas-401-challenge', keys: { auth_user: '1001', auth_password: 's3cret', realm: 'pbx.test' } },
    uac: { scenario: 'uac-invite-auth', service: '1002', authUser: '1001', authPassword: 's3cret' },
    flow: ['> INVITE', '< 401 INVITE', '> ACK', '> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE'],
    check: ({ uac }) => {
      const [first, second] = sent(uac, 'INVITE');
      expect(branch(sent(uac, 'ACK')[0])).toBe(branch(first));
      expect(sipHeader(second?.text ?? '', 'Call-ID')).toEqual(sipHeader(first?.text ?? '', 'Call-ID'));
      expect(sipHeader(second?.text ?? '', 'CSeq')).toEqual(['2 INVITE']);
      const auth = sipHeader(second?.text ?? '', 'Authorization')[0] ?? '';
      expect(auth).toMatch(/^Digest /);
      expect(auth).toContain('username="1001"');
      expect(auth).toContain('realm="pbx.test"');
    },
  },
  {
    title: 'uac-invite-100rel -> uas-183-100rel',
    uas: { scenario: 'uas-183-100rel' },
    uac: { scenario: 'uac-invite-100rel' },
    flow: ['> INVITE', '< 100 INVITE', '< 183 INVITE', '> PRACK', '< 200 PRACK', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE'],
    check: ({ uac }) => {
      const r183 = received(uac, (m) => m.status === 183)[0]?.text ?? '';
      expect(sipHeader(r183, 'Require')).toEqual(['100rel']);
      expect(sipHeader(r183, 'RSeq')).toEqual(['1']);
      expect(sipBody(r183)).toMatch(/^m=audio \d+/m);
      expect(sipHeader(sent(uac, 'PRACK')[0]?.text ?? '', 'RAck')).toEqual(['1 1 INVITE']);
      expect(sipHeader(sent(uac, 'ACK')[0]?.text ?? '', 'CSeq')).toEqual(['1 ACK']);
    },
  },
  {
    title: 'uac-register -> uas-register',
    uas: { scenario: 'uas-register', keys: { auth_user: '1001', auth_password: 's3cret', expires: '120' } },
    uac: { scenario: 'uac-register', service: '1001', authUser: '1001', authPassword: 's3cret', keys: { expires: '120' } },
    flow: ['> REGISTER', '< 401 REGISTER', '> REGISTER', '< 200 REGISTER'],
    check: ({ uac }) => {
      const [first, second] = sent(uac, 'REGISTER');
      expect(sipHeader(first?.text ?? '', 'Authorization')).toEqual([]);
      expect(sipHeader(second?.text ?? '', 'Authorization')[0]).toContain('username="1001"');
      expect(sipHeader(second?.text ?? '', 'Call-ID')).toEqual(sipHeader(first?.text ?? '', 'Call-ID'));
      expect(sipHeader(second?.text ?? '', 'Expires')).toEqual(['120']);
      const ok = received(uac, (m) => m.status === 200)[0]?.text ?? '';
      expect(sipHeader(ok, 'Contact')[0]).toMatch(/^<sip:1001@127\.0\.0\.1:\d+;transport=(UDP|TCP)>;expires=120$/);
    },
  },
  {
    title: 'uac-register-noauth -> uas-register-noauth',
    uas: { scenario: 'uas-register-noauth' },
    uac: { scenario: 'uac-register-noauth', service: '1001' },
    flow: ['> REGISTER', '< 200 REGISTER'],
  },
];

describe.concurrent.each(['u1', 't1'] as const)('sipp pairs over %s', (transport) => {
  for (const pc of PAIRS) {
    it(pc.title, async () => {
      const p = await runPair(pc.uas, pc.uac, transport);
      const calls = pc.uac.calls ?? 1;
      expectOk(p.uac, calls);
      expectOk(p.uas, calls);
      if (pc.flow.length > 0) {
        expect(flow(p.uac), explain(p.uac)).toEqual(pc.flow);
        expect(flow(p.uas), explain(p.uas)).toEqual(mirror(pc.flow));
      }
      const transportName = transport === 't1' ? 'TCP' : 'UDP';
      expect(unique(p.uac).every((m) => m.transport === transportName)).toBe(true);
      pc.check?.(p);
    });
  }
});

describe.concurrent('scenarios fail when the far end misbehaves', () => {
  it('uac-expect-code fails on the wrong final code but still ACKs it', async () => {
    const p = await runPair({ scenario: 'uas-reject-480' }, { scenario: 'uac-expect-code', keys: { expected_code: '404' } }, 'u1');
    expect(p.uac.exitCode).toBe(SIPP_EXIT.someFailed);
    expect(p.uac.failed).toBe(1);
    expect(p.uac.stats?.['FailedStrcmpDoesntMatch(C)']).toBe('1');
    expect(flow(p.uac)).toEqual(['> INVITE', '< 100 INVITE', '< 480 INVITE', '> ACK']);
    expectOk(p.uas);
  });

  it('uas-401-challenge rejects a wrong password with 403 and fails the call', async () => {
    const p = await runPair(
      { scenario: 'uas-401-challenge', keys: { auth_user: '1001', auth_password: 's3cret' } },
      { scenario: 'uac-invite-auth', authUser: '1001', authPassword: 'wrong' },
      'u1',
    );
    expect(p.uas.exitCode).toBe(SIPP_EXIT.someFailed);
    expect(p.uas.failed).toBe(1);
    expect(flow(p.uas).slice(0, 5)).toEqual(['< INVITE', '> 401 INVITE', '< ACK', '< INVITE', '> 403 INVITE']);
    expect(p.uac.exitCode).toBe(SIPP_EXIT.someFailed);
  });

  it('uas-register rejects a wrong password', async () => {
    const p = await runPair(
      { scenario: 'uas-register', keys: { auth_user: '1001', auth_password: 's3cret' } },
      { scenario: 'uac-register', service: '1001', authUser: '1001', authPassword: 'nope' },
      'u1',
    );
    expect(p.uas.failed).toBe(1);
    expect(p.uac.failed).toBe(1);
    expect(flow(p.uac).slice(0, 4)).toEqual(['> REGISTER', '< 401 REGISTER', '> REGISTER', '< 403 REGISTER']);
  });

  it('uas-hold-unhold fails when a BYE comes instead of the hold re-INVITE', async () => {
    // sipp answers an unexpected BYE with 200 and counts the call as failed.
    const p = await runPair({ scenario: 'uas-hold-unhold' }, { scenario: 'uac-invite-bye' }, 'u1');
    expect(p.uas.failed).toBe(1);
    expect(p.uas.stats?.['FailedUnexpectedMessage(C)']).toBe('1');
  });

  it('a caller gives up after the per-recv timeout (10 s) when nobody answers', async () => {
    const uas = track(await startSipp({ scenario: 'uas-no-answer' }));
    const started = Date.now();
    const uac = track(runSipp({ scenario: 'uac-invite-bye', remote: `127.0.0.1:${uas.localPort}` }));
    const r = await uac.done;
    const elapsed = Date.now() - started;
    expect(r.exitCode).toBe(SIPP_EXIT.someFailed);
    expect(r.stats?.['FailedTimeoutOnRecv(C)']).toBe('1');
    expect(elapsed).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(15_000);
    await uas.stop();
  });
});

describe.concurrent('through a record-routing proxy (UDP)', () => {
  async function viaRelay(uasScenario: string, uacScenario: string): Promise<PairResult & { rr: string }> {
    const uasRun = track(await startSipp({ scenario: uasScenario, pauseMs: 100 }));
    const relay = await startRecordRouteRelay({ host: '127.0.0.1', port: uasRun.localPort });
    try {
      const uacRun = track(runSipp({ scenario: uacScenario, remote: `127.0.0.1:${relay.port}`, pauseMs: 100 }));
      const [uac, uas] = await Promise.all([uacRun.done, uasRun.done]);
      expectOk(uac);
      expectOk(uas);
      return { uac, uas, uacRun, uasRun, rr: relay.recordRoute };
    } finally {
      await relay.close();
    }
  }

  it('UAC: ACK and BYE carry Route from the Record-Route of the 200, Request-URI = Contact', async () => {
    const p = await viaRelay('uas-answer', 'uac-invite-bye');
    const ok = received(p.uac, (m) => m.status === 200 && m.method === 'INVITE')[0]?.text ?? '';
    expect(sipHeader(ok, 'Record-Route')).toEqual([p.rr]);
    for (const m of [...sent(p.uac, 'ACK'), ...sent(p.uac, 'BYE')]) {
      expect(sipHeader(m.text, 'Route')).toEqual([p.rr]);
      expect(m.startLine).toBe(`${m.method} sip:127.0.0.1:${p.uasRun.localPort};transport=UDP SIP/2.0`);
    }
  });

  it('UAS: its own BYE carries Route from the Record-Route of the INVITE, Request-URI = Contact', async () => {
    const p = await viaRelay('uas-answer-then-bye', 'uac-invite-wait-bye');
    const bye = sent(p.uas, 'BYE')[0];
    expect(sipHeader(bye?.text ?? '', 'Route')).toEqual([p.rr]);
    expect(bye?.startLine).toBe(`BYE sip:sipp@127.0.0.1:${p.uacRun.localPort};transport=UDP SIP/2.0`);
    // The caller receives it with the proxy's Via on top and the proxy's entry popped from Route.
    const got = received(p.uac, (m) => m.method === 'BYE' && m.status === 0)[0]?.text ?? '';
    expect(sipHeader(got, 'Route')).toEqual([]);
    expect(sipHeader(got, 'Via')).toHaveLength(2);
  });

  it('100rel: PRACK follows the early route set; the 200 echoes Record-Route', async () => {
    const p = await viaRelay('uas-183-100rel', 'uac-invite-100rel');
    expect(sipHeader(sent(p.uac, 'PRACK')[0]?.text ?? '', 'Route')).toEqual([p.rr]);
    const ok = received(p.uac, (m) => m.status === 200 && m.method === 'INVITE')[0]?.text ?? '';
    expect(sipHeader(ok, 'Record-Route')).toEqual([p.rr]);
  });
});

describe.concurrent('runner', () => {
  it('refuses non-loopback addresses without spawning anything', () => {
    const before = liveSippPids().length;
    expect(() => runSipp({ scenario: 'uas-answer', localIp: '10.1.2.3' })).toThrow(/loopback/);
    expect(() => runSipp({ scenario: 'uac-invite-bye', remote: '192.0.2.1:5060' })).toThrow(/loopback/);
    expect(() => runSipp({ scenario: 'uac-invite-bye', remote: 'example.com:5060' })).toThrow(/loopback/);
    expect(() => runSipp({ scenario: 'no-such-scenario' })).toThrow(/no sipp scenario/);
    expect(() => runSipp({ scenario: 'uas-answer', keys: { 'bad key': 'x' } })).toThrow(/bad sipp key/);
    expect(() => runSipp({ scenario: 'uas-answer', extraArgs: ['-mi', '10.0.0.1'] })).toThrow(/extraArgs/);
    expect(liveSippPids()).toHaveLength(before);
  });

  it('passes sockets only on loopback and the generated options', async () => {
    const uas = track(await startSipp({ scenario: 'uas-answer', service: 'svc', pauseMs: 5 }));
    const args = uas.args.join(' ');
    expect(args).toContain(`-i 127.0.0.1 -bind_local -mi 127.0.0.1 -ci 127.0.0.1 -p ${uas.localPort} -mp ${uas.mediaPort}`);
    expect(args).toContain('-nostdin');
    expect(args).toMatch(/-timeout 20s -timeout_error -recv_timeout 10000/);
    expect(args).toContain('-key from_user sipp');
    const r = await uas.stop();
    expect(r.killed).toBe(true);
    expect(isProcessAlive(uas.pid)).toBe(false);
    expect(existsSync(uas.traceDir)).toBe(false);
  });

  it('stop() ends a waiting UAS by PID', async () => {
    const uas = track(await startSipp({ scenario: 'uas-answer' }));
    expect(isProcessAlive(uas.pid)).toBe(true);
    const r = await uas.stop(1_000);
    expect(r.killed).toBe(true);
    expect(isProcessAlive(uas.pid)).toBe(false);
  });

  it('the hard kill timer ends a sipp that would wait forever', async () => {
    const started = Date.now();
    const uas = track(runSipp({ scenario: 'uas-answer', timeoutMs: 0, killAfterMs: 300 }));
    const r = await uas.done;
    expect(r.killed).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isProcessAlive(uas.pid)).toBe(false);
  });

  it('-timeout with -timeout_error makes an idle UAS fail fast', async () => {
    const uas = track(await startSipp({ scenario: 'uas-answer', timeoutMs: 1_000 }));
    const r = await uas.done;
    expect(r.exitCode).toBe(SIPP_EXIT.fatal);
    expect(r.timedOut).toBe(true);
    expect(r.killed).toBe(false);
  });

  it('waitForSippReady / startSipp reject when sipp dies before listening', async () => {
    const run = track(runSipp({ scenario: 'uas-answer', extraArgs: ['-no_such_option'] }));
    await expect(waitForSippReady(run, 3_000)).rejects.toThrow(/exited/);
    const r = await run.done;
    expect(r.exitCode).not.toBe(0);
    expect(isProcessAlive(run.pid)).toBe(false);
    expect(liveSippPids()).not.toContain(run.pid);
    await expect(startSipp({ scenario: 'uas-answer', extraArgs: ['-no_such_option'] })).rejects.toThrow(/exited/);
  });

  it('waitForSippReady sees a TCP UAS listening', async () => {
    const uas = track(await startSipp({ scenario: 'uas-answer', transport: 't1' }));
    const probe = createServer();
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      probe.once('error', (e: NodeJS.ErrnoException) => resolve(e));
      probe.listen({ host: '127.0.0.1', port: uas.localPort, exclusive: true }, () => probe.close(() => resolve(null)));
    });
    expect(err?.code).toBe('EADDRINUSE');
    await uas.stop();
  });

  it('a test process killed with SIGTERM takes its sipps and trace dirs down with it', async () => {
    const code = [
      `const { startSipp } = await import(${JSON.stringify(new URL('./sipp.ts', import.meta.url).pathname)});`,
      "const run = await startSipp({ scenario: 'uas-answer' });",
      'console.log(JSON.stringify({ pid: run.pid, dir: run.traceDir }));',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.once('exit', () => reject(new Error(`child exited early: ${out}`)));
      });
      const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
      expect(isProcessAlive(pid)).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, sig) => resolve(sig)));
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      expect(await exited).toBe('SIGTERM');
      for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      expect(isProcessAlive(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      clearTimeout(killer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('works over IPv6 loopback (::1) with unbracketed addresses in the SDP', async () => {
    const uas = track(await startSipp({ scenario: 'uas-answer', localIp: '::1' }));
    const uac = track(runSipp({ scenario: 'uac-invite-bye', localIp: '::1', remote: `[::1]:${uas.localPort}` }));
    const [a, b] = await Promise.all([uac.done, uas.done]);
    expectOk(a);
    expectOk(b);
    const invite = sent(a, 'INVITE')[0]?.text ?? '';
    expect(invite.split('\n')[0]).toBe(`INVITE sip:service@[::1]:${uas.localPort} SIP/2.0`);
    expect(sipBody(invite)).toMatch(/^o=\S+ \d+ 1 IN IP6 ::1$/m);
    expect(sipBody(invite)).toMatch(/^c=IN IP6 ::1$/m);
  });

  it('built-in scenarios work too (-sn uac / -sn uas)', async () => {
    const p = await runPair({ scenario: 'uas' }, { scenario: 'uac' }, 'u1');
    expectOk(p.uac);
    expectOk(p.uas);
  });
});

describe('ports', () => {
  it('hands out distinct loopback ports that are free for UDP and TCP', async () => {
    const ports = new Set<number>();
    for (let i = 0; i < 20; i++) ports.add(await freePort('both'));
    ports.add(freePortSync());
    expect(ports.size).toBe(21);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20000);
      expect(p).toBeLessThan(60000);
    }
    const port = await freePort('both');
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind({ address: '127.0.0.1', port, exclusive: true }, () => r()));
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen({ host: '127.0.0.1', port, exclusive: true }, () => r()));
    await new Promise<void>((r) => udp.close(() => r()));
    await new Promise<void>((r) => tcp.close(() => r()));
  });

  it('gives even-aligned blocks and refuses non-loopback hosts', async () => {
    const start = await freePortBlock(4, 'udp', '127.0.0.1', { even: true });
    expect(start % 2).toBe(0);
    await expect(freePort('udp', '0.0.0.0')).rejects.toThrow(/non-loopback/);
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('192.168.0.1')).toBe(false);
    expect(isLoopbackAddress('localhost')).toBe(false);
  });
});

describe('scenario files', () => {
  it('keep < and > out of attribute values (sipp silently stops parsing there) and name themselves', () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(29);
    for (const f of files) {
      const xml = readFileSync(join(SCENARIO_DIR, f), 'latin1').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
      for (const m of xml.matchAll(/\s[\w-]+="([^"]*)"/g)) expect(m[1], `${f}: ${m[0]}`).not.toMatch(/[<>]/);
      expect(xml, f).toContain(`<scenario name="${f.replace(/\.xml$/, '')}">`);
      expect(xml.trimEnd().endsWith('</scenario>'), f).toBe(true);
    }
  });
});

describe('trace parsing', () => {
  it('splits a -trace_msg log into messages', () => {
    const log = [
      '----------------------------------------------- 2026-01-01 10:00:00.000001',
      'UDP message sent (100 bytes):',
      '',
      'INVITE sip:a@127.0.0.1:5060 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1',
      'v: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-2',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
      '----------------------------------------------- 2026-01-01 10:00:00.000002',
      'TCP message received [80] bytes :',
      '',
      'SIP/2.0 180 Ringing',
      'CSeq: 1 INVITE',
      'Content-Length: 4',
      '',
      'body',
      '',
    ].join('\r\n');
    const msgs = parseSippMessages(log);
    expect(msgs.map((m) => [m.direction, m.transport, m.method, m.status])).toEqual([
      ['sent', 'UDP', 'INVITE', 0],
      ['received', 'TCP', 'INVITE', 180],
    ]);
    expect(sipHeader(msgs[0]?.text ?? '', 'via')).toHaveLength(2);
    expect(sipBody(msgs[1]?.text ?? '')).toBe('body\n');
  });
});
