// One normalised description of a decoder-only transformer, whatever family it came from.
// The graph builder reads only this; per-family quirks are resolved in arch/families.ts.

export type Family = 'llama' | 'mistral' | 'qwen2' | 'qwen3' | 'gemma' | 'gemma2' | 'gemma3' | 'phi3';

export interface RopeSpec {
  theta: number;
  /** rotary dimension: the first `dim` dims of every head are rotated, the rest pass (phi3 partial_rotary_factor) */
  dim: number;
  /** inverse frequencies, length dim/2, already adjusted for rope_scaling (llama3, linear, longrope short factors ...) */
  invFreq: Float32Array;
  /** multiplier on cos/sin (1 except for scaling types that use an attention factor, e.g. longrope) */
  attentionScaling: number;
  /**
   * longrope: inverse frequencies with the long factors, used (for every position) once the total length
   * (past + current tokens) exceeds `after` = original_max_position_embeddings, as transformers'
   * dynamic longrope update does; `invFreq` holds the short-factor ones. null for every other type.
   */
  long: { invFreq: Float32Array; after: number } | null;
}

/** the elementwise activation of the gated MLP: silu(gate) * up, or GeGLU gelu(gate) * up */
export type HiddenAct = 'silu' | 'gelu_tanh' | 'gelu';

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
  /** RoPE of full-attention layers (and of all layers unless ropeLocal is set) */
  rope: RopeSpec;
  /** RoPE of sliding-window layers when it differs (gemma3: rope_local_base_freq, no scaling); null = `rope` */
  ropeLocal: RopeSpec | null;
  /** per layer (length numLayers): true where ropeLocal applies (gemma3 sliding_attention layers) */
  layerLocalRope: boolean[];
  tieWordEmbeddings: boolean;
  /** q/k/v projections carry a bias (qwen2) */
  attentionBias: boolean;
  /** o_proj carries a bias */
  oBias: boolean;
  /** per-head RMSNorm on q and k before RoPE (qwen3, gemma3) */
  qkNorm: boolean;
  /** mlp projections carry a bias */
  mlpBias: boolean;
  /** scale of the attention logits: 1/sqrt(headDim), or query_pre_attn_scalar^-0.5 (gemma2/3) */
  attnScale: number;
  /** activation in the gated MLP */
  hiddenAct: HiddenAct;
  bosTokenId?: number;
  eosTokenIds: number[];
  /** sliding window size of the layers that use one (mistral, gemma2/3, phi3); null = every layer full attention */
  slidingWindow: number | null;
  /** per layer (length numLayers): that layer's window, or null for full causal attention */
  layerWindows: (number | null)[];
  /** RMSNorm multiplies by (1 + w) (gemma family, computed in fp32 as transformers does) instead of w */
  normPlusOne: boolean;
  /** the embedding output is multiplied by this (gemma: sqrt(hidden_size) in fp32; 1 otherwise); hidden_0 is after it */
  embedScale: number;
  /**
   * gemma2/3 "sandwich" norms: x += post_attention_layernorm(attn(input_layernorm(x)));
   * x += post_feedforward_layernorm(mlp(pre_feedforward_layernorm(x))). Otherwise (llama):
   * post_attention_layernorm is the pre-MLP norm.
   */
  sandwichNorms: boolean;
  /** attention logits soft-capping, tanh(s / cap) * cap before the mask (gemma2); null = none */
  attnSoftcap: number | null;
  /** final logits soft-capping, tanh(z / cap) * cap (gemma2/3 when set); also applied by the logit lens */
  finalSoftcap: number | null;
  /** phi3: one qkv_proj [(H + 2 kvH) * hd, d], split in q, k, v order */
  fusedQkv: boolean;
  /** phi3: one gate_up_proj [2 I, d], first half gate, second half up */
  fusedGateUp: boolean;
}

/** Raised for config.json files xlens cannot run. The message names the supported families. */
export class UnsupportedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}
