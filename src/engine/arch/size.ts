// Parameter counts and memory estimates from a ModelSpec, before anything is downloaded.

import type { ModelSpec } from './spec';

export function paramCount(s: ModelSpec): number {
  const d = s.hiddenSize;
  const qkv = d * (s.numHeads + 2 * s.numKvHeads) * s.headDim + (s.attentionBias ? (s.numHeads + 2 * s.numKvHeads) * s.headDim : 0);
  const o = s.numHeads * s.headDim * d + (s.oBias ? d : 0);
  const mlp = 3 * d * s.intermediateSize + (s.mlpBias ? 2 * s.intermediateSize + d : 0);
  const norms = (s.sandwichNorms ? 4 : 2) * d + (s.qkNorm ? 2 * s.headDim : 0);
  const perLayer = qkv + o + mlp + norms;
  const embed = s.vocabSize * d;
  return embed + (s.tieWordEmbeddings ? 0 : embed) + s.numLayers * perLayer + d;
}

/** WebAssembly (wasm32) can address at most 4 GiB; leave room for activations and the runtime */
export const WASM_WEIGHT_BUDGET = 3 * 2 ** 30;

export interface MemoryEstimate {
  params: number;
  /** bytes of fp32 weights the session holds */
  fp32Bytes: number;
  /** activations of one analysis forward of `tokens` tokens (taps, attention, lens), fp32 */
  activationBytes: number;
  /** whether fp32 weights + activations fit the WASM budget */
  fitsWasm: boolean;
}

export function estimateMemory(s: ModelSpec, tokens = 256): MemoryEstimate {
  const params = paramCount(s);
  const fp32Bytes = params * 4;
  const T = tokens;
  const L = s.numLayers;
  const activationBytes =
    4 *
    (L * s.numHeads * T * T * 2 + // scores and probabilities (probabilities kept as outputs)
      (L + 1) * T * s.hiddenSize * 3 + // residual taps
      T * s.vocabSize * 2 + // logits and one layer's lens at a time
      T * s.intermediateSize * 3);
  return { params, fp32Bytes, activationBytes, fitsWasm: fp32Bytes + activationBytes <= WASM_WEIGHT_BUDGET };
}
