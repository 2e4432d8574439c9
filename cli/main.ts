// Command dispatch for `pbx`.
import { readArgs, option } from './args.ts';
import { loadConfig, ConfigError } from '../core/config/load-config.ts';
import { configSchema } from '../core/config/schema.ts';
import { runSipEngine } from './sip-command.ts';
import { runStart } from './start-command.ts';
import { runUserCommand, USER_HELP } from './user-command.ts';
import { runDialplanCommand, DIALPLAN_HELP } from './dialplan-command.ts';

const HELP = `pbx — a programmable PBX

usage:
  pbx start [--config FILE]        start the PBX (SIP engine and the PBX app) under a supervisor
  pbx sip [--config FILE]          run the SIP engine alone, in the foreground
  pbx app [--config FILE]          run the PBX app alone (registrar, HTTP API), connecting to the engine
${USER_HELP}
${DIALPLAN_HELP}
  pbx config check [--config FILE] validate a configuration file and print the effective settings
  pbx config defaults              print the embedded default configuration
  pbx help                         this text

Without --config the embedded defaults are used (SIP on 0.0.0.0:5060 udp+tcp, admin socket on
127.0.0.1:9022, HTTP API on 127.0.0.1:8080, data in ./data, demo users 1001 and 1002 whose
passwords are written to ./data/demo-users.txt on first start).`;

export async function runCli(argv: readonly string[]): Promise<number> {
  const args = readArgs(argv);
  const [cmd, sub] = args.words;
  try {
    switch (cmd) {
      case 'dialplan':
        return await runDialplanCommand(args);
      case 'sip':
        return await runSipEngine(loadConfig(option(args, 'config')));
      case 'start':
        return await runStart(option(args, 'config'));
      case 'app': {
        // Loaded on demand: srf, hono and SQLite are not needed by the other commands.
        const { runPbxApp } = await import('../core/pbx/main.ts');
        return await runPbxApp(loadConfig(option(args, 'config')));
      }
      case 'user':
        return runUserCommand(loadConfig(option(args, 'config')), args);
      case 'config':
        if (sub === 'defaults') {
          process.stdout.write(JSON.stringify(configSchema.parse({}), null, 2) + '\n');
          return 0;
        }
        if (sub === 'check') {
          const cfg = loadConfig(option(args, 'config') ?? args.words[2]);
          process.stdout.write(JSON.stringify(cfg, null, 2) + '\nconfiguration OK\n');
          return 0;
        }
        break;
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(HELP + '\n');
        return 0;
    }
    process.stderr.write(`pbx: unknown command '${args.words.join(' ')}'\n\n${HELP}\n`);
    return 2;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`pbx: ${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
}
