// Logit lens (nostalgebraist 2020): p_l(y) = softmax(W_U · norm_final(h_l))[y].
// The projection runs inside the graph (outputs lens_last, and lens_* over residual states in row
// blocks: lensOverStates below, sized by arch/working-set.ts); here the last position's rows are
// normalised and the grid is run block by block.

import { lensBlockRows } from '../arch/working-set';
import type { LensRowsResult } from '../model';
import { checkpoint } from '../runtime/cancel';

/** softmax of one row, in float64 for the normaliser */
export function softmaxRow(logits: Float32Array, offset: number, n: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp(logits[offset + i] - max);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** log-softmax of one row, in float64 */
export function logSoftmaxRow(logits: Float32Array, offset: number, n: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[offset + i] - max);
  const lz = max + Math.log(sum);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logits[offset + i] - lz;
  return out;
}

/** (layer, position) of every cell of the lens grid, layer-major */
export function lensGridRows(L: number, T: number): [number, number][] {
  const rows: [number, number][] = [];
  for (let l = 0; l <= L; l++) for (let t = 0; t < T; t++) rows.push([l, t]);
  return rows;
}

/**
 * The logit lens of the residual states at the given (layer, position) cells, in blocks of rows sized by
 * the working-set cap. `onBlock` is called after every block with the cells done so far.
 */
export async function lensOverStates(
  m: { lensRows(states: Float32Array, targets: ArrayLike<number>): Promise<LensRowsResult> },
  hidden: Float32Array[],
  d: number,
  cells: [number, number][],
  targetOf: (cell: [number, number]) => number,
  V: number,
  opts: { signal?: AbortSignal; onBlock?: (done: number, total: number, block: LensRowsResult, from: number) => void; blockRows?: number } = {},
): Promise<LensRowsResult> {
  const n = cells.length;
  const all: LensRowsResult = { logprob: new Float32Array(n), rank: new Float32Array(n), topId: new Int32Array(n), topLogprob: new Float32Array(n) };
  // rows per block: from the working-set cap, unless the caller sizes them (the blocked-equals-whole tests)
  const block = Math.max(1, opts.blockRows ?? lensBlockRows(V));
  for (let i = 0; i < n; i += block) {
    await checkpoint(opts.signal);
    const part = cells.slice(i, i + block);
    const states = new Float32Array(part.length * d);
    part.forEach(([l, t], j) => states.set(hidden[l].subarray(t * d, (t + 1) * d), j * d));
    const r = await m.lensRows(states, part.map(targetOf));
    all.logprob.set(r.logprob, i);
    all.rank.set(r.rank, i);
    all.topId.set(r.topId, i);
    all.topLogprob.set(r.topLogprob, i);
    opts.onBlock?.(Math.min(i + block, n), n, r, i);
  }
  return all;
}
