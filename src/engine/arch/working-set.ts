// How much WebAssembly memory an analysis needs next to the weights, by stage, from the spec and the
// prompt length: the tensors each stage keeps alive at once, as the graphs are built (forward in
// prefill chunks, the lens in capped row blocks, knockout steps in batches of up to 8 (fewer on long prompts) on the prefix's keys
// and values, relevance one layer at a time with attention in blocks of query rows). The estimate
// decides whether a prompt is refused before it runs, which weight format `auto` picks, and what an
// out-of-memory message suggests. Measured against onnxruntime-web's heap in bench/real-shapes.ts.

import type { ModelSpec } from './spec';

// The block sizes are defined here, once, and the graphs and runs use them from here.

/** query rows per attention block in the relevance pass (graph/relevance.ts) */
export const ATTENTION_BLOCK = 128;
/** the lens branch's working-set cap: blocks of rows are sized to stay under it (and under WebGPU buffer limits) */
export const LENS_WORKING_SET = 64 * 2 ** 20;
/** the largest [H, chunk, T] attention score tensor a prefill chunk may make */
const PREFILL_SCORES_BYTES = 16 * 2 ** 20;
/** knockout windows run per batch at most (analyses/knockout.ts) */
export const KNOCKOUT_BATCH = 8;
/** the prefix's keys and values a knockout batch may copy (each batch row holds its own past and present) */
export const KNOCKOUT_KV_BYTES = 128 * 2 ** 20;

/** knockout windows per batch: KNOCKOUT_BATCH, fewer when the batch's copies of the prompt's keys and values would pass KNOCKOUT_KV_BYTES */
export function knockoutBatch(s: ModelSpec, T: number): number {
  const kvBytes = 4 * 2 * s.numLayers * s.numKvHeads * T * s.headDim;
  return Math.max(1, Math.min(KNOCKOUT_BATCH, Math.floor(KNOCKOUT_KV_BYTES / (2 * kvBytes))));
}

/** positions per prefill chunk: whole prompts while their scores stay small, else a multiple of 64 */
export function prefillChunk(H: number, T: number, cap = PREFILL_SCORES_BYTES): number {
  const rows = Math.floor(cap / (4 * H * T));
  return rows >= T ? T : Math.max(64, rows - (rows % 64));
}

/** bytes of the lens branch's working set per row: logits, log-softmax, comparison and its cast, each [V] fp32 */
const LENS_BYTES_PER_ROW = (V: number) => 4 * V * 4;

/** rows per lens block under the working-set cap */
export function lensBlockRows(V: number, cap = LENS_WORKING_SET): number {
  return Math.max(1, Math.floor(cap / LENS_BYTES_PER_ROW(V)));
}

export interface WorkingSet {
  forward: number;
  lens: number;
  knockout: number;
  relevance: number;
  /** the largest of the stages: what must fit next to the weights */
  peak: number;
}

export function workingSet(s: ModelSpec, T: number): WorkingSet {
  const { numLayers: L, numHeads: H, numKvHeads: KVH, headDim: hd, hiddenSize: d, intermediateSize: I, vocabSize: V } = s;
  const C = prefillChunk(H, T);
  const kv = 2 * L * KVH * T * hd; // one copy of the prompt's keys and values
  const forward = 4 * (3 * H * C * T + 3 * C * I + C * (H + 2 * KVH) * hd + (L + 1) * C * d + 2 * kv + (L + 1) * V);
  const lens = LENS_WORKING_SET + 4 * (L + 1) * T * 2;
  const KB = knockoutBatch(s, T);
  const knockout = 4 * (2 * KB * kv + KB * (V + H * T));
  const B = Math.min(ATTENTION_BLOCK, T);
  const relevance = 4 * (5 * H * B * T + 8 * H * T * hd + 8 * T * I + 10 * T * d);
  return { forward, lens, knockout, relevance, peak: Math.max(forward, lens, knockout, relevance) };
}

/** the longest prompt (a multiple of 16, at most `max`) whose analysis needs at most `bytes` next to the weights */
export function longestPromptWithin(s: ModelSpec, bytes: number, max = 8192): number {
  let lo = 0;
  let hi = max;
  while (hi - lo > 16) {
    const mid = Math.floor((lo + hi) / 2);
    if (workingSet(s, mid).peak <= bytes) lo = mid;
    else hi = mid;
  }
  return lo - (lo % 16);
}
