// Colour scales for the xlens views. All colour-blind safe: viridis / cividis for sequential
// data, purple–orange (ColorBrewer PuOr) for diverging data, always centred on 0.
import { interpolateCividis, interpolatePuOr, interpolateViridis } from 'd3';

export type ScaleKind = 'sequential' | 'diverging';

export interface ColourScale {
  kind: ScaleKind;
  /** sequential: [min, max]; diverging: [-m, m] (symmetric, so 0 is the neutral middle) */
  domain: [number, number];
  /** value -> css colour; null / NaN -> the "no data" grey */
  colour(v: number | null): string;
  /** value in the domain -> position 0..1 along the legend */
  position(v: number): number;
  /** short legend title */
  label: string;
  /** tick values for the legend */
  ticks: number[];
  /** how tick values are printed */
  format(v: number): string;
}

const NO_DATA = '#d0d7de';

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => (hi - lo) / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : +v.toPrecision(12));
  return out;
}

function defaultFormat(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1).replace(/\.0$/, '');
  if (a >= 0.01) return String(+v.toPrecision(2));
  return v.toExponential(0);
}

/** sequential scale on [lo, hi]; `cividis` for a second kind of quantity beside viridis */
export function sequentialScale(lo: number, hi: number, label: string, opts: { scheme?: 'viridis' | 'cividis'; reverse?: boolean; format?: (v: number) => string; ticks?: number[] } = {}): ColourScale {
  const interp = opts.scheme === 'cividis' ? interpolateCividis : interpolateViridis;
  const span = hi - lo || 1;
  const position = (v: number) => clamp01((v - lo) / span);
  return {
    kind: 'sequential',
    domain: [lo, hi],
    label,
    position,
    colour: (v) => (v === null || !Number.isFinite(v) ? NO_DATA : interp(opts.reverse ? 1 - position(v) : position(v))),
    ticks: opts.ticks ?? niceTicks(lo, hi),
    format: opts.format ?? defaultFormat,
  };
}

/**
 * Diverging scale centred on 0: domain [-m, m] with m = max |value| (or `fixedMax`).
 * Negative values are orange, positive purple, 0 is the neutral light grey in the middle.
 */
export function divergingScale(values: Iterable<number | null>, label: string, opts: { fixedMax?: number; format?: (v: number) => string } = {}): ColourScale {
  let m = opts.fixedMax ?? 0;
  if (opts.fixedMax === undefined) for (const v of values) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  if (!(m > 0)) m = 1;
  const position = (v: number) => clamp01(0.5 + v / (2 * m));
  const tick = niceTicks(-m, m, 4);
  return {
    kind: 'diverging',
    domain: [-m, m],
    label,
    position,
    // PuOr runs purple (0) -> orange (1); flip it so negative = orange
    colour: (v) => (v === null || !Number.isFinite(v) ? NO_DATA : interpolatePuOr(1 - position(v))),
    ticks: tick.includes(0) ? tick : [...tick, 0].sort((a, b) => a - b),
    format: opts.format ?? defaultFormat,
  };
}

/** black or white text, whichever reads better on `fill` (WCAG relative luminance) */
export function textOn(fill: string): string {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(fill);
  let r = 0, g = 0, b = 0;
  if (m) [r, g, b] = [+m[1], +m[2], +m[3]];
  else if (/^#[0-9a-f]{6}$/i.test(fill)) [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16));
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return L > 0.22 ? '#111' : '#fff';
}
