// config.json -> ModelSpec. Each family states only how it differs from llama.
// Family details follow Hugging Face transformers (modeling_<family>.py / configuration_<family>.py):
//   gemma   scaled embeddings (x sqrt(d)), RMSNorm with (1 + w), GeGLU (gelu tanh), head_dim from config, tied
//   gemma2  + sandwich norms, query_pre_attn_scalar, attention and final logit soft-capping,
//           sliding window on even layers (or config.layer_types)
//   gemma3  + q/k RMSNorm (1 + w), sliding pattern (sliding_window_pattern / layer_types), local layers with
//           rope_local_base_freq and default RoPE, global ones with rope_theta and rope_scaling; no attention
//           soft-capping (Gemma3Attention never passes it); `gemma3` configs nesting a text_config are read
//           for their text part
//   phi3    fused qkv_proj and gate_up_proj, partial rotary, longrope (su) scaling, sliding_window on all layers

import { type Family, type HiddenAct, type ModelSpec, type RopeSpec, UnsupportedModelError } from './spec';

const SUPPORTED_MODEL_TYPES: string[] = ['llama', 'mistral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'gemma3_text', 'gemma3', 'phi3'];
const SUPPORTED_FAMILIES: Family[] = ['llama', 'mistral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'gemma3', 'phi3'];

type Config = Record<string, unknown>;

function num(cfg: Config, key: string, fallback?: number): number {
  const v = cfg[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new UnsupportedModelError(`config.json has no numeric "${key}"`);
}

function numOrNull(cfg: Config, key: string): number | null {
  const v = cfg[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

// configuration_<family>.py defaults for keys real checkpoints sometimes leave out (gemma3 multimodal
// text_configs hold only what differs). A key present with null stays null (e.g. no soft-capping).
const DEFAULTS: Partial<Record<Family, Config>> = {
  gemma: { head_dim: 256, tie_word_embeddings: true, rope_theta: 10000, rms_norm_eps: 1e-6, max_position_embeddings: 8192 },
  gemma2: {
    head_dim: 256, tie_word_embeddings: true, rope_theta: 10000, rms_norm_eps: 1e-6, max_position_embeddings: 8192,
    hidden_activation: 'gelu_pytorch_tanh', query_pre_attn_scalar: 256, sliding_window: 4096,
    final_logit_softcapping: 30.0, attn_logit_softcapping: 50.0,
  },
  gemma3: {
    vocab_size: 262208, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8,
    num_key_value_heads: 4, head_dim: 256, hidden_activation: 'gelu_pytorch_tanh', max_position_embeddings: 131072,
    rms_norm_eps: 1e-6, tie_word_embeddings: true, rope_theta: 1000000.0, query_pre_attn_scalar: 256, sliding_window: 4096,
    final_logit_softcapping: null, attn_logit_softcapping: null, rope_scaling: null, rope_local_base_freq: 10000.0,
    sliding_window_pattern: 6, bos_token_id: 2, eos_token_id: 1,
  },
  phi3: { tie_word_embeddings: false, rope_theta: 10000, rms_norm_eps: 1e-5, original_max_position_embeddings: 4096, sliding_window: null },
};

/** the family of a model_type, and the (text) config with the family defaults filled in */
function normaliseConfig(raw: Config): { family: Family; modelType: string; cfg: Config } {
  let modelType = String(raw.model_type ?? '');
  let src = raw;
  if (modelType === 'gemma3') {
    // Gemma3ForConditionalGeneration: the language model is described by text_config
    const text = raw.text_config;
    if (!text || typeof text !== 'object') throw new UnsupportedModelError('model_type "gemma3" without a text_config is not supported');
    src = { ...(text as Config) };
    for (const k of ['bos_token_id', 'eos_token_id', 'pad_token_id']) if (!(k in src) && k in raw) src[k] = raw[k];
    modelType = 'gemma3_text';
  }
  const family: Family | undefined = modelType === 'gemma3_text' ? 'gemma3' : (SUPPORTED_FAMILIES as string[]).includes(modelType) && modelType !== 'gemma3' ? (modelType as Family) : undefined;
  if (!family) {
    throw new UnsupportedModelError(
      `model_type "${modelType || '(missing)'}" is not supported. Supported families: ${SUPPORTED_FAMILIES.join(', ')} ` +
        `(model_types ${SUPPORTED_MODEL_TYPES.join(', ')}).`,
    );
  }
  const cfg: Config = { ...(DEFAULTS[family] ?? {}) };
  for (const [k, v] of Object.entries(src)) if (v !== undefined) cfg[k] = v;
  return { family, modelType: String(raw.model_type), cfg };
}

function ropeScalingType(scaling: Config | null): string {
  return scaling ? String(scaling.rope_type ?? scaling.type ?? 'default') : 'default';
}

/** theta ** (2i / dim) -> inverse frequency, as transformers computes it in float32 */
function defaultInvFreq(theta: number, dim: number): Float64Array {
  const base = new Float64Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) {
    // transformers computes arange(0, dim, 2) / dim in float32, then base ** that
    const expo = Math.fround((2 * i) / dim);
    base[i] = Math.fround(1 / Math.fround(theta ** expo));
  }
  return base;
}

/**
 * RoPE tables for one layer type: `theta` and `scaling` (the config's rope_scaling / rope_parameters entry),
 * `cfg` for the context keys (max_position_embeddings, original_max_position_embeddings), `dim` = rotary dim.
 */
export function ropeTables(theta: number, scaling: Config | null, cfg: Config, dim: number): RopeSpec {
  const base = defaultInvFreq(theta, dim);
  let type = ropeScalingType(scaling);
  if (type === 'su' || (type === 'yarn' && cfg.model_type === 'phi3')) type = 'longrope'; // Phi3Config renames these
  const out = new Float32Array(dim / 2);
  let attentionScaling = 1;
  let long: RopeSpec['long'] = null;
  switch (type) {
    case 'default':
    case 'dynamic': // dynamic NTK only changes frequencies beyond max_position_embeddings, which inputs are limited to
      out.set(base);
      break;
    case 'linear': {
      const factor = num(scaling!, 'factor');
      for (let i = 0; i < out.length; i++) out[i] = base[i] / factor;
      break;
    }
    case 'llama3': {
      const factor = num(scaling!, 'factor');
      const low = num(scaling!, 'low_freq_factor');
      const high = num(scaling!, 'high_freq_factor');
      const oldCtx = num(scaling!, 'original_max_position_embeddings');
      const lowWavelen = oldCtx / low;
      const highWavelen = oldCtx / high;
      for (let i = 0; i < out.length; i++) {
        const f = base[i];
        const wavelen = (2 * Math.PI) / f;
        let v = wavelen > lowWavelen ? f / factor : f;
        const medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
        if (medium) {
          const smooth = (oldCtx / wavelen - low) / (high - low);
          v = (1 - smooth) * (v / factor) + smooth * v;
        }
        out[i] = v;
      }
      break;
    }
    case 'longrope': {
      // transformers _compute_longrope_parameters + longrope_frequency_update
      const shortF = scaling!.short_factor;
      const longF = scaling!.long_factor;
      const okList = (v: unknown): v is number[] => Array.isArray(v) && v.length === dim / 2 && v.every((x) => typeof x === 'number');
      if (!okList(shortF) || !okList(longF)) {
        throw new UnsupportedModelError(`rope_scaling longrope needs short_factor and long_factor lists of length ${dim / 2} (rotary dim / 2)`);
      }
      const maxPos = num(cfg, 'max_position_embeddings');
      let factor = numOrNull(scaling!, 'factor') ?? 1;
      let orig = numOrNull(cfg, 'original_max_position_embeddings');
      if (orig !== null) factor = maxPos / orig;
      else orig = maxPos;
      const af = numOrNull(scaling!, 'attention_factor');
      attentionScaling = af ?? (factor <= 1 ? 1 : Math.sqrt(1 + Math.log(factor) / Math.log(orig)));
      // inv_freq = 1 / (ext_factors * base ** (arange(0, dim, 2) / dim)), all float32
      const table = (ext: number[]) => {
        const t = new Float32Array(dim / 2);
        for (let i = 0; i < t.length; i++) {
          const p = Math.fround(theta ** Math.fround((2 * i) / dim));
          t[i] = Math.fround(1 / Math.fround(Math.fround(ext[i]) * p));
        }
        return t;
      };
      out.set(table(shortF));
      long = { invFreq: table(longF), after: orig };
      break;
    }
    default:
      throw new UnsupportedModelError(`rope_scaling type "${type}" is not supported (supported: default, linear, dynamic, llama3, longrope/su)`);
  }
  return { theta, dim, invFreq: out, attentionScaling, long };
}

/** inverse RoPE frequencies from a (flat) config's rope_theta and rope_scaling, as transformers' rope utils do */
export function ropeInvFreq(cfg: Config, dim: number): { invFreq: Float32Array; attentionScaling: number } {
  const r = ropeTables(num(cfg, 'rope_theta', 10000), (cfg.rope_scaling ?? null) as Config | null, cfg, dim);
  return { invFreq: r.invFreq, attentionScaling: r.attentionScaling };
}

function activation(family: Family, cfg: Config): HiddenAct {
  // gemma: transformers uses hidden_activation and falls back to gelu_pytorch_tanh (hidden_act is ignored);
  // gemma2/3: hidden_activation; others: hidden_act
  const isGemma = family === 'gemma' || family === 'gemma2' || family === 'gemma3';
  const name = isGemma ? String(cfg.hidden_activation ?? 'gelu_pytorch_tanh') : String(cfg.hidden_act ?? 'silu');
  if (name === 'silu' || name === 'swish') return 'silu';
  if (name === 'gelu_pytorch_tanh' || name === 'gelu_new' || name === 'gelu_fast') return 'gelu_tanh';
  if (name === 'gelu') return 'gelu';
  throw new UnsupportedModelError(`activation "${name}" is not supported for ${family} (supported: silu, gelu_pytorch_tanh, gelu)`);
}

/** per layer: 'sliding' or 'full', from config.layer_types or the family's rule */
function layerKinds(family: Family, cfg: Config, L: number): ('sliding' | 'full')[] {
  const lt = cfg.layer_types;
  if (Array.isArray(lt)) {
    if (lt.length !== L) throw new UnsupportedModelError(`layer_types has ${lt.length} entries for ${L} layers`);
    return lt.map((t) => {
      if (t === 'sliding_attention') return 'sliding';
      if (t === 'full_attention') return 'full';
      throw new UnsupportedModelError(`layer type "${String(t)}" is not supported (sliding_attention, full_attention)`);
    });
  }
  const kinds: ('sliding' | 'full')[] = [];
  for (let l = 0; l < L; l++) {
    if (family === 'gemma2') kinds.push(l % 2 === 0 ? 'sliding' : 'full'); // Gemma2: not bool(layer_idx % 2)
    else if (family === 'gemma3') {
      const pattern = num(cfg, 'sliding_window_pattern', num(cfg, '_sliding_window_pattern', 6));
      kinds.push((l + 1) % pattern !== 0 ? 'sliding' : 'full');
    } else kinds.push('full');
  }
  return kinds;
}

export function specFromConfig(raw: Config): ModelSpec {
  const { family, modelType, cfg } = normaliseConfig(raw);
  const isGemma = family === 'gemma' || family === 'gemma2' || family === 'gemma3';
  const hiddenSize = num(cfg, 'hidden_size');
  const numHeads = num(cfg, 'num_attention_heads');
  const numKvHeads = num(cfg, 'num_key_value_heads', numHeads);
  const headDim = num(cfg, 'head_dim', hiddenSize / numHeads);
  const L = num(cfg, 'num_hidden_layers');
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new UnsupportedModelError(`head_dim ${headDim} must be an even integer`);
  if (numHeads % numKvHeads !== 0) throw new UnsupportedModelError(`num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`);
  const hiddenAct = activation(family, cfg);

  // rotary dim: int(head_dim * partial_rotary_factor), phi3 (Phi-4-mini 0.75) only
  const partial = cfg.partial_rotary_factor;
  let rotaryDim = headDim;
  if (typeof partial === 'number' && partial !== 1) {
    if (family !== 'phi3') throw new UnsupportedModelError(`partial_rotary_factor is not supported for ${family}`);
    rotaryDim = Math.floor(headDim * partial);
    if (rotaryDim <= 0 || rotaryDim % 2 !== 0) throw new UnsupportedModelError(`partial rotary dim ${rotaryDim} (head_dim ${headDim} x ${partial}) must be a positive even integer`);
  }

  // RoPE: one table, or (gemma3) a global and a local one
  let rope: RopeSpec;
  let ropeLocal: RopeSpec | null = null;
  if (family === 'gemma3') {
    const rp = cfg.rope_parameters as Record<string, Config | null> | undefined;
    if (rp && typeof rp === 'object' && ('full_attention' in rp || 'sliding_attention' in rp)) {
      // transformers 5 layout: one entry per layer type, each with its rope_theta
      const full = rp.full_attention ?? { rope_type: 'default' };
      const slide = rp.sliding_attention ?? { rope_type: 'default' };
      rope = ropeTables(num(full, 'rope_theta', num(cfg, 'rope_theta')), full, cfg, headDim);
      ropeLocal = ropeTables(num(slide, 'rope_theta', num(cfg, 'rope_local_base_freq')), slide, cfg, headDim);
    } else {
      rope = ropeTables(num(cfg, 'rope_theta'), (cfg.rope_scaling ?? null) as Config | null, cfg, headDim);
      ropeLocal = ropeTables(num(cfg, 'rope_local_base_freq'), null, cfg, headDim);
    }
  } else {
    rope = ropeTables(num(cfg, 'rope_theta', 10000), (cfg.rope_scaling ?? null) as Config | null, cfg, rotaryDim);
  }

  // sliding windows
  let sw: number | null = null;
  let layerWindows: (number | null)[] = new Array(L).fill(null);
  const cfgWindow = numOrNull(cfg, 'sliding_window');
  if (family === 'mistral' || family === 'phi3') {
    sw = cfgWindow; // every layer (phi3: create_sliding_window_causal_mask when sliding_window is set)
    layerWindows = layerWindows.map(() => sw);
  } else if (family === 'gemma2' || family === 'gemma3') {
    const kinds = layerKinds(family, cfg, L);
    if (cfgWindow !== null) {
      sw = cfgWindow;
      layerWindows = kinds.map((k) => (k === 'sliding' ? cfgWindow : null));
    }
    if (family === 'gemma3' && cfg.use_bidirectional_attention === true) {
      throw new UnsupportedModelError('gemma3 with use_bidirectional_attention (an embedding model) is not supported');
    }
  } else if (family === 'llama' && cfg.use_sliding_window === true && cfgWindow !== null) {
    sw = cfgWindow;
    layerWindows = layerWindows.map(() => sw);
  } else if (family === 'qwen2' || family === 'qwen3') {
    if (cfg.use_sliding_window === true) throw new UnsupportedModelError('Qwen sliding-window layers are not supported yet');
  }
  // gemma3 sliding-type layers use the local RoPE (even if sliding_window were unset)
  const layerLocalRope = family === 'gemma3' ? layerKinds(family, cfg, L).map((k) => k === 'sliding') : new Array<boolean>(L).fill(false);

  const attnScale = isGemma && family !== 'gemma' ? num(cfg, 'query_pre_attn_scalar', headDim) ** -0.5 : 1 / Math.sqrt(headDim);
  const attnSoftcap = family === 'gemma2' ? numOrNull(cfg, 'attn_logit_softcapping') : null;
  const finalSoftcap = family === 'gemma2' || family === 'gemma3' ? numOrNull(cfg, 'final_logit_softcapping') : null;

  return {
    family,
    modelType,
    vocabSize: num(cfg, 'vocab_size'),
    hiddenSize,
    numLayers: L,
    numHeads,
    numKvHeads,
    headDim,
    intermediateSize: num(cfg, 'intermediate_size'),
    rmsNormEps: num(cfg, 'rms_norm_eps', 1e-6),
    maxPositions: num(cfg, 'max_position_embeddings', 2048),
    rope,
    ropeLocal,
    layerLocalRope,
    // a checkpoint without lm_head.weight is tied regardless; gemma's default is tied
    tieWordEmbeddings: cfg.tie_word_embeddings === true,
    attentionBias: family === 'qwen2' ? true : cfg.attention_bias === true,
    oBias: family === 'qwen2' ? false : cfg.attention_bias === true,
    qkNorm: family === 'qwen3' || family === 'gemma3',
    mlpBias: cfg.mlp_bias === true,
    attnScale,
    hiddenAct,
    bosTokenId: typeof cfg.bos_token_id === 'number' ? cfg.bos_token_id : undefined,
    eosTokenIds: ids(cfg.eos_token_id),
    slidingWindow: layerWindows.some((w) => w !== null) ? sw : null,
    layerWindows,
    normPlusOne: isGemma,
    // GemmaModel: normalizer = tensor(hidden_size ** 0.5, dtype=hidden dtype); fp32 here
    embedScale: isGemma ? Math.fround(Math.sqrt(hiddenSize)) : 1,
    sandwichNorms: family === 'gemma2' || family === 'gemma3',
    attnSoftcap,
    finalSoftcap,
    fusedQkv: family === 'phi3',
    fusedGateUp: family === 'phi3',
  };
}

/** the RoPE of layer l (gemma3 sliding layers use the local one) */
export function layerRope(spec: ModelSpec, l: number): RopeSpec {
  return spec.ropeLocal && spec.layerLocalRope[l] ? spec.ropeLocal : spec.rope;
}

/** where the decoder's tensors live: "model." normally; multimodal gemma3 checkpoints nest the language model */
export function decoderPrefix(ckpt: { has(name: string): boolean }): string {
  for (const p of ['model.', 'language_model.model.', 'model.language_model.']) if (ckpt.has(`${p}embed_tokens.weight`)) return p;
  return 'model.';
}

/** the untied unembedding's tensor name, if the checkpoint stores one */
export function lmHeadName(spec: ModelSpec, ckpt: { has(name: string): boolean }): string | null {
  if (spec.tieWordEmbeddings) return null;
  for (const n of ['lm_head.weight', 'language_model.lm_head.weight']) if (ckpt.has(n)) return n;
  return null;
}

/** tensor names of one layer, HF layout */
export function layerWeightNames(l: number, prefix = 'model.') {
  const p = `${prefix}layers.${l}`;
  return {
    inputNorm: `${p}.input_layernorm.weight`,
    postAttnNorm: `${p}.post_attention_layernorm.weight`,
    preFfnNorm: `${p}.pre_feedforward_layernorm.weight`,
    postFfnNorm: `${p}.post_feedforward_layernorm.weight`,
    q: `${p}.self_attn.q_proj`,
    k: `${p}.self_attn.k_proj`,
    v: `${p}.self_attn.v_proj`,
    qkv: `${p}.self_attn.qkv_proj`,
    o: `${p}.self_attn.o_proj`,
    qNorm: `${p}.self_attn.q_norm.weight`,
    kNorm: `${p}.self_attn.k_norm.weight`,
    gate: `${p}.mlp.gate_proj`,
    up: `${p}.mlp.up_proj`,
    gateUp: `${p}.mlp.gate_up_proj`,
    down: `${p}.mlp.down_proj`,
  };
}
