// Which models the benches run on, and the xlens graph variants they time.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specFromConfig } from '../../src/engine/arch/families';
import type { ModelSpec } from '../../src/engine/arch/spec';
import { buildForwardGraph, type ForwardGraphOptions } from '../../src/engine/graph/forward';
import { APP_GRAPH as APP_GRAPH_OPTIONS } from '../../src/engine/model';
import { serializeModel } from '../../src/engine/graph/onnx';
import { Checkpoint } from '../../src/engine/weights/checkpoint';
import { PRESET_100M, PRESET_TINY, type RandomLlamaConfig, writeRandomLlama } from './random-model';

export const OUT = 'bench/out';
export const TINY_REAL = 'public/models/xlens-tiny-instruct';

export interface BenchModel {
  /** short label for tables */
  name: string;
  dir: string;
  /** true for the app's trained tiny model, false for a random stand-in */
  real: boolean;
  note?: string;
}

function complete(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && (existsSync(join(dir, 'model.safetensors')) || existsSync(join(dir, 'model.safetensors.index.json'))) && existsSync(join(dir, 'tokenizer.json'));
}

/** the app's tiny model if it has been trained, else a random model of the same shape (generated once) */
export function tinyModel(log: (s: string) => void = console.log): BenchModel {
  if (complete(TINY_REAL)) return { name: 'xlens-tiny-instruct', dir: TINY_REAL, real: true };
  const dir = join(OUT, 'tiny-random');
  const note = `${TINY_REAL} is not there yet (the tiny models are still being trained): using a random-weight model of the same shape (${PRESET_TINY.layers} layers, d=${PRESET_TINY.d}, vocab ${PRESET_TINY.vocab}) in ${dir}`;
  log(`note: ${note}`);
  writeRandomLlama(dir, PRESET_TINY, log);
  return { name: 'tiny-random', dir, real: false, note };
}

export function model100M(log: (s: string) => void = console.log): BenchModel {
  const dir = join(OUT, 'llama-100m');
  writeRandomLlama(dir, PRESET_100M, log);
  return { name: 'llama-100m', dir, real: false };
}

/** random tiny-shaped models with a given depth (for the layers scaling fit) */
export function layersModel(layers: number, log: (s: string) => void = console.log): BenchModel {
  const cfg: RandomLlamaConfig = { ...PRESET_TINY, layers };
  const dir = join(OUT, `tiny-random-${layers}l`);
  writeRandomLlama(dir, cfg, log);
  return { name: `tiny-random-${layers}l`, dir, real: false };
}

export function loadCheckpoint(dir: string): { spec: ModelSpec; ckpt: Checkpoint; config: Record<string, unknown> } {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const spec = specFromConfig(config);
  const indexPath = join(dir, 'model.safetensors.index.json');
  const files = existsSync(indexPath)
    ? [...new Set(Object.values(JSON.parse(readFileSync(indexPath, 'utf8')).weight_map as Record<string, string>))].sort()
    : ['model.safetensors'];
  const ckpt = Checkpoint.fromBuffers(
    files.map((f) => {
      const b = readFileSync(join(dir, f));
      return { name: f, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
    }),
  );
  return { spec, ckpt, config };
}

/** the graph the app runs (src/engine/model.ts); fed as the analysis forward runs it (feedData) */
export const APP_GRAPH: ForwardGraphOptions = { ...APP_GRAPH_OPTIONS };
/** a plain next-token forward: what "one forward" of a runtime costs without xlens's taps */
export const PLAIN_GRAPH: ForwardGraphOptions = { taps: false, knockout: false, logits: 'last', kvCache: 'none' };

export type Variant = 'app' | 'plain';
export const GRAPHS: Record<Variant, ForwardGraphOptions> = { app: APP_GRAPH, plain: PLAIN_GRAPH };

/** serialised ONNX with the weights inline (one buffer, simplest to hand to any runtime) */
export function serializedGraph(spec: ModelSpec, ckpt: Checkpoint, variant: Variant): Uint8Array {
  return serializeModel(buildForwardGraph(spec, ckpt, GRAPHS[variant]), { externalThreshold: 0 }).model;
}

/** the fetches the app's model.forward asks for (everything but the KV cache), or just the logits */
export function fetchNames(spec: ModelSpec, variant: Variant): string[] {
  const L = spec.numLayers;
  if (variant === 'plain') return ['logits'];
  return [
    'lens_target_logprob',
    'lens_target_rank',
    'lens_top_id',
    'lens_top_logprob',
    'logits',
    'lens_last',
    ...Array.from({ length: L + 1 }, (_, l) => `hidden_${l}`),
    ...Array.from({ length: L }, (_, l) => `attn_${l}`),
  ];
}

/** deterministic prompt ids (avoid the special tokens at 304..306 of the fixture tokenizer) */
export function promptIds(T: number, vocab: number): number[] {
  const top = Math.min(vocab, 300);
  return Array.from({ length: T }, (_, i) => (i * 7919 + 13) % top);
}

export interface FeedSpec {
  ids: number[];
  L: number;
  KVH: number;
  hd: number;
  variant: Variant;
  /** batch size (the same prompt repeated), default 1 */
  batch?: number;
}

/**
 * Feeds as plain data, so the same builder works with any ort module (node, web, browser):
 * the caller wraps each entry in its own Tensor class.
 */
export function feedData(f: FeedSpec): Record<string, { type: 'int64' | 'bool' | 'float32'; data: BigInt64Array | Uint8Array | Float32Array; dims: number[] }> {
  const T = f.ids.length;
  const B = f.batch ?? 1;
  const ids = new BigInt64Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) ids[b * T + t] = BigInt(f.ids[t]);
  const out: ReturnType<typeof feedData> = {
    input_ids: { type: 'int64', data: ids, dims: [B, T] },
  };
  if (f.variant === 'app') {
    out.knockout = { type: 'bool', data: new Uint8Array(B * f.L * T * T), dims: [B, f.L, T, T] };
    out.lens_target = { type: 'int64', data: new BigInt64Array(B).fill(5n), dims: [B] };
    // as model.forward runs an analysis: logits and the full-vocabulary lens at the last position, the target lens everywhere
    out.logit_rows = { type: 'int64', data: BigInt64Array.of(BigInt(T - 1)), dims: [1] };
    out.lens_last_rows = { type: 'int64', data: BigInt64Array.of(BigInt(T - 1)), dims: [1] };
    out.lens_rows = { type: 'int64', data: BigInt64Array.from({ length: T }, (_, t) => BigInt(t)), dims: [T] };
    // the relevance branch (an If) stays off, as in every run but relevance()
    out.rel_on = { type: 'bool', data: Uint8Array.of(0), dims: [] };
    out.rel_ids = { type: 'int64', data: new BigInt64Array(0), dims: [1, 0] };
    out.rel_target = { type: 'int64', data: BigInt64Array.of(0n), dims: [1] };
    for (let l = 0; l < f.L; l++) {
      out[`past_key_${l}`] = { type: 'float32', data: new Float32Array(0), dims: [B, f.KVH, 0, f.hd] };
      out[`past_value_${l}`] = { type: 'float32', data: new Float32Array(0), dims: [B, f.KVH, 0, f.hd] };
    }
  }
  return out;
}
