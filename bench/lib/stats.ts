// Medians, log-log fits, tables, arguments and JSON output shared by the bench scripts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

const now = () => performance.now();

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** least squares y = a·x^k on log-log: returns k (the exponent), a and r² */
export function powerFit(xs: number[], ys: number[]): { exponent: number; coef: number; r2: number } {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const n = xs.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
    syy += (ly[i] - my) ** 2;
  }
  const k = sxy / sxx;
  return { exponent: k, coef: Math.exp(my - k * mx), r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  return Number(x.toPrecision(digits)).toString();
}

/** a GitHub-flavoured markdown table (also readable in a terminal) */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const w = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => String(c ?? '').padEnd(w[i])).join(' | ')} |`;
  return [line(headers), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...cells.map((r) => line(r as string[]))].join('\n');
}

export interface Args {
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseArgs(argv = process.argv.slice(2)): Args {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) values.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values.set(a.slice(2), argv[++i]);
    else flags.add(a.slice(2));
  }
  return { flags, values };
}

export function argNum(a: Args, name: string, fallback: number): number {
  const v = a.values.get(name);
  return v === undefined ? fallback : Number(v);
}

export function argList(a: Args, name: string, fallback: number[]): number[] {
  const v = a.values.get(name);
  return v === undefined ? fallback : v.split(',').map(Number);
}

export function writeJSON(path: string | undefined, data: unknown): void {
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 2));
  console.log(`wrote ${path}`);
}

export function log(s: string): void {
  process.stdout.write(`${s}\n`);
}


/** true when the module at `metaUrl` is the script node was started with (tsx keeps argv[1]) */
export function isMain(metaUrl: string): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  const href = pathToFileURL(resolvePath(argv1)).href;
  return metaUrl === href || metaUrl.replace(/\.ts$/, '') === href.replace(/\.ts$/, '');
}
