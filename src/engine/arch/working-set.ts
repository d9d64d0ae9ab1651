// How much WebAssembly memory an analysis needs next to the weights, by stage, from the spec and the
// prompt length: the tensors each stage keeps alive at once, as the graphs are built (forward in
// prefill chunks, the lens in capped row blocks, knockout steps in batches of 8 on the prefix's keys
// and values, relevance one layer at a time with attention in blocks of query rows). The estimate
// decides whether a prompt is refused before it runs, which weight format `auto` picks, and what an
// out-of-memory message suggests. Measured against onnxruntime-web's heap in bench/real-shapes.ts.

import type { ModelSpec } from './spec';

/** query rows per attention block in the relevance pass (graph/relevance.ts ATTENTION_BLOCK) */
const RELEVANCE_BLOCK = 128;
/** the lens branch's working-set cap (model.ts LENS_WORKING_SET) */
export const LENS_BYTES = 64 * 2 ** 20;
/** the largest prefill chunk's score tensor (model.ts PREFILL_SCORES_BYTES) */
const PREFILL_SCORES = 16 * 2 ** 20;
/** knockout batch size (analyses/knockout.ts) */
const KNOCKOUT_BATCH = 8;

/** positions per prefill chunk (model.ts prefillChunk, repeated here so the engine's arch layer has no graph import) */
export function chunkRows(H: number, T: number): number {
  const rows = Math.floor(PREFILL_SCORES / (4 * H * T));
  return rows >= T ? T : Math.max(64, rows - (rows % 64));
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
  const C = chunkRows(H, T);
  const kv = 2 * L * KVH * T * hd; // one copy of the prompt's keys and values
  const forward = 4 * (3 * H * C * T + 3 * C * I + C * (H + 2 * KVH) * hd + (L + 1) * C * d + 2 * kv + (L + 1) * V);
  const lens = LENS_BYTES + 4 * (L + 1) * T * 2;
  const knockout = 4 * (2 * KNOCKOUT_BATCH * kv + KNOCKOUT_BATCH * (V + H * T));
  const B = Math.min(RELEVANCE_BLOCK, T);
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
