// One normalised description of a decoder-only transformer, whatever family it came from.
// The graph builder reads only this; per-family quirks are resolved in arch/families.ts.

export type Family = 'llama' | 'mistral' | 'qwen2' | 'qwen3';

export interface RopeSpec {
  theta: number;
  /** rotary dimension (== headDim for every family supported so far) */
  dim: number;
  /** inverse frequencies, length dim/2, already adjusted for rope_scaling (llama3, linear, ...) */
  invFreq: Float32Array;
  /** multiplier on cos/sin (1 except for scaling types that use an attention factor) */
  attentionScaling: number;
}

export interface ModelSpec {
  family: Family;
  modelType: string;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  rmsNormEps: number;
  maxPositions: number;
  rope: RopeSpec;
  tieWordEmbeddings: boolean;
  /** q/k/v projections carry a bias (qwen2) */
  attentionBias: boolean;
  /** o_proj carries a bias */
  oBias: boolean;
  /** per-head RMSNorm on q and k before RoPE (qwen3) */
  qkNorm: boolean;
  /** mlp projections carry a bias */
  mlpBias: boolean;
  /** scale of the attention logits, 1/sqrt(headDim) unless the config says otherwise */
  attnScale: number;
  /** activation in the gated MLP */
  hiddenAct: 'silu';
  bosTokenId?: number;
  eosTokenIds: number[];
  /** sliding window (mistral) if the config sets one; null = full attention */
  slidingWindow: number | null;
}

/** Raised for config.json files xlens cannot run. The message names the supported families. */
export class UnsupportedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}
