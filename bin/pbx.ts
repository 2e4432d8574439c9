// `pbx` command line: the entry point people type.
import { runCli } from '../cli/main.ts';

process.exitCode = await runCli(process.argv.slice(2));
