// Command-line options through node:util parseArgs: typed booleans (`--depths`, and
// `--no-depths` for those on by default), strings checked by the accessors below, every
// command's --help generated from the same table, and messages that say what to type.
import { parseArgs as nodeParseArgs } from 'node:util';
import { LANGUAGES } from '../data/languages';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** what the value looks like in the help, e.g. "<id,id,…>" */
  value?: string;
  help: string;
  /** booleans: the value when the flag is absent (true adds --no-<name>) */
  default?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** usage lines after "xlens <name>" */
  usage: string[];
  options: Record<string, OptionSpec>;
  /** extra paragraphs at the end of the help */
  notes?: string[];
}

/** a mistake in how the command was called: exit status 2, the message says what to do */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const flag = o.type === 'boolean' ? (o.default ? `--${name}, --no-${name}` : `--${name}`) : `--${name} ${o.value ?? '<value>'}`;
    return [flag, o.help + (o.type === 'boolean' ? ` (default: ${o.default ? 'on' : 'off'})` : '')];
  });
  rows.push(['-h, --help', 'show this help']);
  const w = Math.min(34, Math.max(...rows.map(([f]) => f.length)) + 2);
  const lines = [
    `xlens ${spec.name}: ${spec.summary}`,
    '',
    'usage:',
    ...spec.usage.map((u) => `  xlens ${spec.name} ${u}`),
    '',
    'options:',
    ...rows.map(([f, h]) => (f.length + 2 > w ? `  ${f}\n  ${' '.repeat(w)}${h}` : `  ${f.padEnd(w)}${h}`)),
  ];
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return lines.join('\n') + '\n';
}

/** the closest known option name, for "did you mean" */
function closest(name: string, known: string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export interface ParsedArgs {
  help: boolean;
  values: Record<string, string | boolean | undefined>;
}

/** parse argv against a command's options; mistakes become UsageErrors that name the fix */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type };
    // "--no-x" as an option of its own: works on every Node 20 (parseArgs' allowNegative is newer)
    if (o.type === 'boolean' && o.default) options[`no-${name}`] = { type: 'boolean' };
  }
  const see = `(see: xlens ${spec.name} --help)`;
  const isBool = (flag: string) => options[flag.replace(/^--/, '').split('=')[0]]?.type === 'boolean';
  let parsed;
  try {
    parsed = nodeParseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    const err = e as Error & { code?: string };
    const msg = err.message;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'(-{1,2}[^']*)'/.exec(msg)?.[1] ?? msg;
      const name = flag.replace(/^-+/, '').split('=')[0];
      const near = closest(name, Object.keys(options));
      throw new UsageError(`unknown option ${flag}${near ? `; did you mean --${near}?` : ''} ${see}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const value = /'([^']*)'/.exec(msg)?.[1] ?? '';
      const i = argv.indexOf(value);
      const before = i > 0 ? argv[i - 1] : '';
      if (before.startsWith('--') && isBool(before)) {
        const name = before.slice(2);
        const neg = spec.options[name]?.default ? ` (to turn it off: --no-${name})` : '';
        throw new UsageError(`${before} is a switch and takes no value: write ${before}${neg}, not "${before} ${value}" ${see}`);
      }
      throw new UsageError(`unexpected argument "${value}": every value follows its option, as in --model <name> ${see}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--[a-z0-9-]+)/.exec(msg)?.[1] ?? '';
      if (flag && isBool(flag)) throw new UsageError(`${flag} is a switch and takes no value: write ${flag} ${see}`);
      throw new UsageError(`${flag || 'an option'} needs a value: ${flag} ${spec.options[flag.slice(2)]?.value ?? '<value>'} ${see}`);
    }
    throw new UsageError(`${msg} ${see}`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === 'boolean') {
      if (raw[name] && raw[`no-${name}`]) throw new UsageError(`--${name} and --no-${name} contradict each other ${see}`);
      values[name] = raw[`no-${name}`] ? false : raw[name] ? true : (o.default ?? false);
    } else values[name] = raw[name];
  }
  return { help: raw.help === true, values };
}

/** typed access to parsed values, with the checks every command shares */
export class Args {
  constructor(
    private readonly spec: CommandSpec,
    readonly values: Record<string, string | boolean | undefined>,
  ) {}

  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  need(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} is required: --${name} ${this.spec.options[name]?.value ?? '<value>'} (see: xlens ${this.spec.name} --help)`);
    return v;
  }

  bool(name: string): boolean {
    return this.values[name] === true;
  }

  /** a whole number in [min, max] */
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\s*-?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} takes a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` of at least ${min}`}, not "${v}"`);
    }
    return n;
  }

  oneOf<T extends string>(name: string, options: readonly T[], fallback: T): T {
    const v = this.str(name);
    if (v === undefined) return fallback;
    if (!(options as readonly string[]).includes(v)) throw new UsageError(`--${name} is one of ${options.join(', ')}, not "${v}"`);
    return v as T;
  }

  lang(name: string, fallback?: string): string | undefined {
    const v = this.str(name) ?? fallback;
    if (v === undefined) return undefined;
    return checkLang(v, `--${name}`);
  }

  /** a comma-separated language list (duplicates dropped, order kept) */
  langs(name: string): string[] | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const list = [...new Set(v.split(',').map((x) => x.trim()).filter(Boolean))];
    if (!list.length) throw new UsageError(`--${name} needs at least one language code (valid: ${LANGUAGES.join(', ')})`);
    return list.map((l) => checkLang(l, `--${name}`));
  }

  list(name: string): string[] | undefined {
    const v = this.str(name);
    return v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean);
  }
}

function checkLang(v: string, where: string): string {
  if (!(LANGUAGES as readonly string[]).includes(v)) throw new UsageError(`${where}: unknown language "${v}"; valid codes: ${LANGUAGES.join(', ')}`);
  return v;
}
