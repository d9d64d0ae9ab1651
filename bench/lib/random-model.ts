// Random-weight Llama checkpoints in Hugging Face layout (config.json + fp32
// model.safetensors + tokenizer files), written from TypeScript. Only the shapes matter for
// timing and memory; the values are N(0, 0.02) like a fresh HF init, norms are 1.

import { copyFileSync, existsSync, mkdirSync, openSync, writeSync, closeSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalFiller } from '../../fixtures/random-checkpoint';

export interface RandomLlamaConfig {
  layers: number;
  d: number;
  heads: number;
  kvHeads?: number;
  intermediate: number;
  vocab: number;
  maxPositions: number;
  tied: boolean;
  seed?: number;
}

/** the "100M" bench model: ≈ 110M parameters (tied embeddings, like SmolLM2-135M) */
export const PRESET_100M: RandomLlamaConfig = { layers: 12, d: 768, heads: 12, intermediate: 2048, vocab: 32000, maxPositions: 2048, tied: true };
/** the shape of the app's tiny models (tools/tiny-model/model.py defaults) */
export const PRESET_TINY: RandomLlamaConfig = { layers: 4, d: 128, heads: 4, intermediate: 384, vocab: 4096, maxPositions: 1024, tied: true };

/** a byte-level BPE tokenizer from a fixture: every id it emits is < 352, valid for any of these vocabularies */
const FIXTURE_TOKENIZER_DIR = 'fixtures/models/llama-tied-fp32';

function hfConfig(c: RandomLlamaConfig): Record<string, unknown> {
  const eos = 304; // the fixture tokenizer's <|endoftext|>
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: c.vocab,
    hidden_size: c.d,
    intermediate_size: c.intermediate,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads ?? c.heads,
    head_dim: c.d / c.heads,
    hidden_act: 'silu',
    max_position_embeddings: c.maxPositions,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    rope_scaling: null,
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: c.tied,
    bos_token_id: eos,
    eos_token_id: eos,
    torch_dtype: 'float32',
    transformers_version: '4.51.0',
  };
}

function tensorShapes(c: RandomLlamaConfig): [string, number[]][] {
  const hd = c.d / c.heads;
  const kv = (c.kvHeads ?? c.heads) * hd;
  const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocab, c.d]]];
  for (let l = 0; l < c.layers; l++) {
    const p = `model.layers.${l}`;
    out.push(
      [`${p}.input_layernorm.weight`, [c.d]],
      [`${p}.self_attn.q_proj.weight`, [c.heads * hd, c.d]],
      [`${p}.self_attn.k_proj.weight`, [kv, c.d]],
      [`${p}.self_attn.v_proj.weight`, [kv, c.d]],
      [`${p}.self_attn.o_proj.weight`, [c.d, c.heads * hd]],
      [`${p}.post_attention_layernorm.weight`, [c.d]],
      [`${p}.mlp.gate_proj.weight`, [c.intermediate, c.d]],
      [`${p}.mlp.up_proj.weight`, [c.intermediate, c.d]],
      [`${p}.mlp.down_proj.weight`, [c.d, c.intermediate]],
    );
  }
  out.push(['model.norm.weight', [c.d]]);
  if (!c.tied) out.push(['lm_head.weight', [c.vocab, c.d]]);
  return out;
}

export function paramCount(c: RandomLlamaConfig): number {
  return tensorShapes(c).reduce((a, [, s]) => a + s.reduce((x, y) => x * y, 1), 0);
}

/** write the checkpoint to `dir` (skipped when a checkpoint with the same config is already there) */
export function writeRandomLlama(dir: string, c: RandomLlamaConfig, log: (s: string) => void = () => {}): { dir: string; params: number; bytes: number; written: boolean } {
  const config = hfConfig(c);
  const params = paramCount(c);
  const cfgPath = join(dir, 'config.json');
  const stPath = join(dir, 'model.safetensors');
  const stamp = JSON.stringify({ ...config, xlens_bench_seed: c.seed ?? 1 });
  if (existsSync(cfgPath) && existsSync(stPath)) {
    try {
      const old = JSON.parse(readFileSync(cfgPath, 'utf8'));
      if (JSON.stringify(old) === stamp) return { dir, params, bytes: params * 4, written: false };
    } catch {
      /* rewrite */
    }
  }
  mkdirSync(dir, { recursive: true });
  const shapes = tensorShapes(c);
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', source: 'xlens bench/make-model.ts (random weights)' } };
  let off = 0;
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [off, off + n] };
    off += n;
  }
  let hjson = JSON.stringify(header);
  // pad the header so the data starts 8-byte aligned (safetensors convention; fp32 views need 4)
  while ((8 + Buffer.byteLength(hjson)) % 8 !== 0) hjson += ' ';
  const hbytes = Buffer.from(hjson);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hbytes.length));
  const fd = openSync(stPath, 'w');
  writeSync(fd, len);
  writeSync(fd, hbytes);
  const fill = normalFiller(c.seed ?? 1);
  for (const [name, shape] of shapes) {
    const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
    if (name.endsWith('norm.weight')) a.fill(1);
    else fill(a, 0.02);
    writeSync(fd, new Uint8Array(a.buffer));
  }
  closeSync(fd);
  writeFileSync(cfgPath, JSON.stringify({ ...config, xlens_bench_seed: c.seed ?? 1 }, null, 2));
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(FIXTURE_TOKENIZER_DIR, f), join(dir, f));
  log(`wrote ${dir}: ${(params / 1e6).toFixed(1)}M params, ${(off / 2 ** 20).toFixed(0)} MiB fp32`);
  return { dir, params, bytes: off, written: true };
}
