// Logit lens (nostalgebraist 2020): p_l(y) = softmax(W_U · norm_final(h_l))[y].
// The projection runs inside the graph (output lens_last); here we only normalise and rank.

import type { ForwardResult, LoadedModel } from '../model';

export interface LensRow {
  layer: number;
  topId: number;
  topToken: string;
  topProb: number;
}

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

/** top-1 next token of every layer (0 = embeddings) at the last position */
export function lensLastPosition(model: Pick<LoadedModel, 'tokenizer'>, r: ForwardResult): LensRow[] {
  const rows: LensRow[] = [];
  for (let l = 0; l <= r.L; l++) {
    const p = softmaxRow(r.lensLast, l * r.V, r.V);
    let best = 0;
    for (let v = 1; v < r.V; v++) if (p[v] > p[best]) best = v;
    rows.push({ layer: l, topId: best, topToken: model.tokenizer.tokenStrings([best])[0], topProb: p[best] });
  }
  return rows;
}
