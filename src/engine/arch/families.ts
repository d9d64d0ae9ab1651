// config.json -> ModelSpec. Each family states only how it differs from llama.

import { type Family, type ModelSpec, UnsupportedModelError } from './spec';

export const SUPPORTED_MODEL_TYPES: Family[] = ['llama', 'mistral', 'qwen2', 'qwen3'];

type Config = Record<string, unknown>;

function num(cfg: Config, key: string, fallback?: number): number {
  const v = cfg[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new UnsupportedModelError(`config.json has no numeric "${key}"`);
}

function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

/** inverse RoPE frequencies, with rope_scaling applied as transformers' rope utils do */
export function ropeInvFreq(cfg: Config, dim: number): { invFreq: Float32Array; attentionScaling: number } {
  const theta = num(cfg, 'rope_theta', 10000);
  const base = new Float64Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) {
    // transformers computes arange(0, dim, 2) / dim in float32, then base ** that
    const expo = Math.fround((2 * i) / dim);
    base[i] = Math.fround(1 / Math.fround(theta ** expo));
  }
  const scaling = (cfg.rope_scaling ?? null) as Config | null;
  const type = scaling ? String(scaling.rope_type ?? scaling.type ?? 'default') : 'default';
  const out = new Float32Array(dim / 2);
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
    default:
      throw new UnsupportedModelError(`rope_scaling type "${type}" is not supported (supported: default, linear, dynamic, llama3)`);
  }
  return { invFreq: out, attentionScaling: 1 };
}

export function specFromConfig(cfg: Config): ModelSpec {
  const modelType = String(cfg.model_type ?? '');
  if (!(SUPPORTED_MODEL_TYPES as string[]).includes(modelType)) {
    throw new UnsupportedModelError(
      `model_type "${modelType || '(missing)'}" is not supported. Supported families: ${SUPPORTED_MODEL_TYPES.join(', ')}.`,
    );
  }
  const family = modelType as Family;
  const hiddenSize = num(cfg, 'hidden_size');
  const numHeads = num(cfg, 'num_attention_heads');
  const numKvHeads = num(cfg, 'num_key_value_heads', numHeads);
  const headDim = num(cfg, 'head_dim', hiddenSize / numHeads);
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new UnsupportedModelError(`head_dim ${headDim} must be an even integer`);
  if (numHeads % numKvHeads !== 0) throw new UnsupportedModelError(`num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`);
  const act = String(cfg.hidden_act ?? 'silu');
  if (act !== 'silu') throw new UnsupportedModelError(`hidden_act "${act}" is not supported for ${family} (expected silu)`);
  const partial = cfg.partial_rotary_factor;
  if (typeof partial === 'number' && partial !== 1) throw new UnsupportedModelError('partial rotary embeddings are not supported yet');
  const { invFreq, attentionScaling } = ropeInvFreq(cfg, headDim);

  const useSliding = family === 'mistral' || cfg.use_sliding_window === true;
  const sw = typeof cfg.sliding_window === 'number' && useSliding ? (cfg.sliding_window as number) : null;
  if (family === 'qwen2' || family === 'qwen3') {
    if (cfg.use_sliding_window === true) throw new UnsupportedModelError('Qwen sliding-window layers are not supported yet');
  }

  return {
    family,
    modelType,
    vocabSize: num(cfg, 'vocab_size'),
    hiddenSize,
    numLayers: num(cfg, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    intermediateSize: num(cfg, 'intermediate_size'),
    rmsNormEps: num(cfg, 'rms_norm_eps', 1e-6),
    maxPositions: num(cfg, 'max_position_embeddings', 2048),
    rope: { theta: num(cfg, 'rope_theta', 10000), dim: headDim, invFreq, attentionScaling },
    // the family defaults are all false; a checkpoint without lm_head.weight is tied regardless
    tieWordEmbeddings: cfg.tie_word_embeddings === true,
    attentionBias: family === 'qwen2' ? true : cfg.attention_bias === true,
    oBias: family === 'qwen2' ? false : cfg.attention_bias === true,
    qkNorm: family === 'qwen3',
    mlpBias: cfg.mlp_bias === true,
    attnScale: 1 / Math.sqrt(headDim),
    hiddenAct: 'silu',
    bosTokenId: typeof cfg.bos_token_id === 'number' ? cfg.bos_token_id : undefined,
    eosTokenIds: ids(cfg.eos_token_id),
    slidingWindow: sw,
  };
}

/** tensor names of one layer, HF layout */
export function layerWeightNames(l: number) {
  const p = `model.layers.${l}`;
  return {
    inputNorm: `${p}.input_layernorm.weight`,
    postAttnNorm: `${p}.post_attention_layernorm.weight`,
    q: `${p}.self_attn.q_proj`,
    k: `${p}.self_attn.k_proj`,
    v: `${p}.self_attn.v_proj`,
    o: `${p}.self_attn.o_proj`,
    qNorm: `${p}.self_attn.q_norm.weight`,
    kNorm: `${p}.self_attn.k_norm.weight`,
    gate: `${p}.mlp.gate_proj`,
    up: `${p}.mlp.up_proj`,
    down: `${p}.mlp.down_proj`,
  };
}
