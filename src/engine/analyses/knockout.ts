// Attention knockout (Geva et al. 2023, "Dissecting Recall of Factual Associations"):
// for a window of w layers centred on layer l, block the attention edges from the last
// position to a source set S, and measure the relative change of the target probability,
// effect = 100 · (p' − p) / p. Windows: layers lo..hi with lo = l − ⌊(w−1)/2⌋ and
// hi = lo + w − 1, clipped to 1..L. All windows and sets of a sweep go through the same
// session as batches (the graph's knockout-mask input), never one session per window.

import type { KnockoutSpec, LoadedModel } from '../model';
import { knockoutBatch } from '../arch/working-set';
import type { Segment } from '../text/prompt';
import { checkpoint } from '../runtime/cancel';

export type SourceSet = 'question' | 'answer' | 'context' | 'template';
export const SOURCE_SETS: SourceSet[] = ['question', 'answer', 'context', 'template'];

/** which token segments each source set blocks (the whole context includes the answer span) */
export const SET_SEGMENTS: Record<SourceSet, Segment[]> = {
  question: ['question'],
  answer: ['answer'],
  context: ['context', 'answer'],
  template: ['template'],
};

export function defaultWindow(L: number): number {
  return Math.max(1, Math.round(L / 4));
}

export function windowLayers(l: number, w: number, L: number): [number, number] {
  const lo = l - Math.floor((w - 1) / 2);
  const hi = lo + w - 1;
  return [Math.max(1, lo), Math.min(L, hi)];
}

/** the full mask [L*T*T] of a compact knockout (tests and benchmarks; the engine never builds one for a sweep) */
export function knockoutMask(L: number, T: number, keys: number[], lo: number, hi: number): Uint8Array {
  const m = new Uint8Array(L * T * T);
  for (let layer = lo; layer <= hi; layer++) {
    const base = (layer - 1) * T * T + (T - 1) * T;
    for (const k of keys) m[base + k] = 1;
  }
  return m;
}

export interface KnockoutSweep {
  window: number;
  sets: SourceSet[];
  /** baseline target probability at the last position */
  baseProb: number;
  /** windows[i] = [lo, hi] of the window centred on layer i+1 */
  windows: [number, number][];
  /** effect[set][i] = 100 (p' - p) / p for the window centred on layer i+1; null when the set is empty */
  effect: Record<SourceSet, (number | null)[]>;
  /** p' per set and window */
  prob: Record<SourceSet, (number | null)[]>;
}

export interface SweepOptions {
  window?: number;
  sets?: SourceSet[];
  batchSize?: number;
  /** called after every batch with the sweep so far (for streaming views) */
  onPartial?: (s: KnockoutSweep, done: number, total: number) => void;
  signal?: AbortSignal;
  /** run the prompt once and each mask as a one-token step (default); false = full prompt per mask (for benchmarks) */
  reusePrefix?: boolean;
}

export async function knockoutSweep(model: LoadedModel, ids: number[], segments: Segment[], target: number, opts: SweepOptions = {}): Promise<KnockoutSweep> {
  const L = model.spec.numLayers;
  const T = ids.length;
  const w = Math.max(1, Math.min(L, opts.window ?? defaultWindow(L)));
  const sets = opts.sets ?? SOURCE_SETS;
  const windows = Array.from({ length: L }, (_, i) => windowLayers(i + 1, w, L));
  const [base] = await model.knockoutBatch(ids, target, [{ lo: 1, hi: 0, keys: [] }], 1);
  const baseProb = Math.exp(base);
  const sweep: KnockoutSweep = {
    window: w,
    sets,
    baseProb,
    windows,
    effect: Object.fromEntries(sets.map((s) => [s, new Array(L).fill(null)])) as KnockoutSweep['effect'],
    prob: Object.fromEntries(sets.map((s) => [s, new Array(L).fill(null)])) as KnockoutSweep['prob'],
  };
  const jobs: { set: SourceSet; i: number; mask: KnockoutSpec }[] = [];
  for (const set of sets) {
    // never block the last position's edge to itself: the row would have nothing left to attend to
    const keys = segments.flatMap((s, k) => (SET_SEGMENTS[set].includes(s) && k !== T - 1 ? [k] : []));
    if (!keys.length) continue;
    windows.forEach(([lo, hi], i) => jobs.push({ set, i, mask: { lo, hi, keys } }));
  }
  const bs = opts.batchSize ?? knockoutBatch(model.spec, T);
  for (let j = 0; j < jobs.length; j += bs) {
    await checkpoint(opts.signal);
    const chunk = jobs.slice(j, j + bs);
    const lp = await model.knockoutBatch(ids, target, chunk.map((c) => c.mask), bs, { reusePrefix: opts.reusePrefix ?? true });
    chunk.forEach((c, k) => {
      const p = Math.exp(lp[k]);
      sweep.prob[c.set][c.i] = p;
      sweep.effect[c.set][c.i] = (100 * (p - baseProb)) / baseProb;
    });
    opts.onPartial?.(sweep, Math.min(j + bs, jobs.length), jobs.length);
  }
  return sweep;
}

/**
 * Phase depth from a knockout sweep: the last layer whose window drops p by at least 50%
 * when blocking the set (effect <= -50), or null if no window does.
 */
export function knockoutDepth(sweep: KnockoutSweep, set: SourceSet, threshold = -50): number | null {
  const eff = sweep.effect[set];
  if (!eff) return null;
  for (let i = eff.length - 1; i >= 0; i--) {
    const e = eff[i];
    if (e !== null && e <= threshold) return i + 1;
  }
  return null;
}
