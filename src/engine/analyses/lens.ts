// Logit lens (nostalgebraist 2020): p_l(y) = softmax(W_U · norm_final(h_l))[y].
// The projection runs inside the graph (outputs lens_last, and lens_* over residual states in row
// blocks: model.ts lensOverStates); here we only normalise the last position's rows.

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
