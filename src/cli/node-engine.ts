// Engine plumbing for Node: model argument -> source, and the ort module.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import v8 from 'node:v8';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import type { WeightChoice } from '../engine/arch/size';
import { loadModel, type LoadedModel } from '../engine/model';
import { isValidRepoId, type ModelSource } from '../engine/hub/source';
import type { ModelRef } from '../state/page-state';
import { UsageError } from './args';

/** the repository root (src/cli/ is two levels down) */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUNDLED_DIR = join(REPO_ROOT, 'public/models');
export const DEFAULT_MODEL = 'xlens-tiny-instruct';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** the bundled models' names (public/models/index.json, else the folders with a config.json) */
function bundledModels(): string[] {
  try {
    const index = JSON.parse(readFileSync(join(BUNDLED_DIR, 'index.json'), 'utf8')) as { models?: { name?: unknown }[] };
    const names = (index.models ?? []).map((m) => m.name).filter((n): n is string => typeof n === 'string');
    if (names.length) return names;
  } catch {
    // no index: fall through
  }
  return [];
}

export interface ResolvedModel {
  source: ModelSource;
  /** the model as the app's page state names it (for permalinks); null for a folder the app does not serve */
  ref: ModelRef | null;
}

/**
 * A model argument: an existing folder; else a bundled model by name (public/models/<name>);
 * else a hub repo id "owner/name[@revision]" (base URL from --hub or $XLENS_HUB).
 */
export function resolveModel(arg: string, hub?: string): ResolvedModel {
  if (isDir(arg)) {
    const abs = resolve(arg);
    const bundled = dirname(abs) === BUNDLED_DIR ? basename(abs) : null;
    return { source: { kind: 'dir', path: arg }, ref: bundled ? { kind: 'bundled', name: bundled } : null };
  }
  if (!arg.includes('/') && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(arg) && existsSync(join(BUNDLED_DIR, arg, 'config.json'))) {
    return { source: { kind: 'dir', path: join(BUNDLED_DIR, arg) }, ref: { kind: 'bundled', name: arg } };
  }
  const [repo, revision] = arg.split('@');
  if (!isValidRepoId(repo)) {
    const names = bundledModels();
    throw new UsageError(`--model: "${arg}" is not a folder, a bundled model (${names.join(', ') || 'none found'}) or a hub repo id (owner/name)`);
  }
  const baseUrl = hub ?? process.env.XLENS_HUB;
  return { source: { kind: 'hub', repo, revision, baseUrl }, ref: { kind: 'hub', repo, ...(revision ? { revision } : {}), ...(baseUrl ? { hub: baseUrl } : {}) } };
}

/** a --weights value: auto (default), fp32 or int8 */
export function weightChoice(v: string | undefined): WeightChoice {
  if (v === undefined || v === 'auto' || v === 'fp32' || v === 'int8') return v ?? 'auto';
  throw new UsageError(`--weights is one of auto, fp32, int8, not "${v}"`);
}

/** weights below this size run on V8's baseline wasm code (see loadNodeModel) */
const BASELINE_WASM_BYTES = 256 * 1024 * 1024;

function safetensorsBytes(dir: string): number {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.safetensors'))
      .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  } catch {
    return Infinity;
  }
}

export async function loadNodeModel(arg: string, hub?: string, weights: WeightChoice = 'auto'): Promise<LoadedModel> {
  const { source } = resolveModel(arg, hub);
  // V8 optimises onnxruntime's 14 MB of wasm in background threads, and the process cannot
  // exit before they finish (1-2 s after the output here). For small local models the
  // baseline code is as fast (measured: five 400-token forwards of xlens-tiny, 0.74 s vs
  // 0.98-1.28 s), so skip the optimisation and exit at once; big models keep it. Must be
  // set before the first session compiles the wasm.
  if (source.kind === 'dir' && safetensorsBytes(source.path) < BASELINE_WASM_BYTES) v8.setFlagsFromString('--liftoff-only');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return loadModel(source, { ort, backend: 'wasm', weights });
}
