// Which models the benches run on, and the xlens graph variants they time.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specFromConfig } from '../../src/engine/arch/families';
import type { ModelSpec } from '../../src/engine/arch/spec';
import { buildForwardGraph, type ForwardGraphOptions } from '../../src/engine/graph/forward';
import { APP_GRAPH as APP_GRAPH_OPTIONS } from '../../src/engine/graph/app-io';
import { PLAIN_GRAPH, promptIds, type Variant } from './graph-io';
import { serializeModel } from '../../src/engine/graph/onnx';
import { Checkpoint } from '../../src/engine/weights/checkpoint';
import { PRESET_100M, PRESET_TINY, type RandomLlamaConfig, writeRandomLlama } from './random-model';

/** where generated models, builds and profiles go (git-ignored) */
export const BENCH_OUT = 'bench/out';
const TINY_REAL = 'public/models/xlens-tiny-instruct';

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
  const dir = join(BENCH_OUT, 'tiny-random');
  const note = `${TINY_REAL} is not there yet (the tiny models are still being trained): using a random-weight model of the same shape (${PRESET_TINY.layers} layers, d=${PRESET_TINY.d}, vocab ${PRESET_TINY.vocab}) in ${dir}`;
  log(`note: ${note}`);
  writeRandomLlama(dir, PRESET_TINY, log);
  return { name: 'tiny-random', dir, real: false, note };
}

export function model100M(log: (s: string) => void = console.log): BenchModel {
  const dir = join(BENCH_OUT, 'llama-100m');
  writeRandomLlama(dir, PRESET_100M, log);
  return { name: 'llama-100m', dir, real: false };
}

/** random tiny-shaped models with a given depth (for the layers scaling fit) */
export function layersModel(layers: number, log: (s: string) => void = console.log): BenchModel {
  const cfg: RandomLlamaConfig = { ...PRESET_TINY, layers };
  const dir = join(BENCH_OUT, `tiny-random-${layers}l`);
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

/** the graph the app runs (src/engine/graph/app-io.ts) */
export const APP_GRAPH: ForwardGraphOptions = { ...APP_GRAPH_OPTIONS };
export { PLAIN_GRAPH, promptIds, type Variant };
const GRAPHS: Record<Variant, ForwardGraphOptions> = { app: APP_GRAPH, plain: PLAIN_GRAPH };

/** serialised ONNX with the weights inline (one buffer, simplest to hand to any runtime) */
export function serializedGraph(spec: ModelSpec, ckpt: Checkpoint, variant: Variant): Uint8Array {
  return serializeModel(buildForwardGraph(spec, ckpt, GRAPHS[variant]), { externalThreshold: 0 }).model;
}
