// Tiny --flag value parser; unknown flags are errors so typos never pass silently.

export function parseArgs(argv: string[], known: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.includes(key)) throw new Error(`unknown option --${key} (known: ${known.map((k) => `--${k}`).join(', ')})`);
    out[key] = eq > 0 ? a.slice(eq + 1) : (argv[++i] ?? '');
  }
  return out;
}
