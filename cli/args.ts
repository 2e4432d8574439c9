// Minimal argv reading: positional words and `--name value` / `--flag` options.
export interface Args {
  words: string[];
  options: Map<string, string | true>;
}

export function readArgs(argv: readonly string[]): Args {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options.set(a.slice(2, eq), a.slice(eq + 1));
      else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) options.set(a.slice(2), argv[++i]!);
      else options.set(a.slice(2), true);
    } else words.push(a);
  }
  return { words, options };
}

export function option(args: Args, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}
