// Engine plumbing for Node: model argument -> source, and the ort module.

import { existsSync, statSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { WeightChoice } from '../engine/arch/size';
import { loadModel, type LoadedModel } from '../engine/model';
import { isValidRepoId, type ModelSource } from '../engine/hub/source';

/** a folder on disk if one exists at that path, else a hub repo id (base URL from XLENS_HUB or --hub) */
export function modelSource(arg: string, hub?: string): ModelSource {
  if (existsSync(arg) && statSync(arg).isDirectory()) return { kind: 'dir', path: arg };
  const [repo, revision] = arg.split('@');
  if (!isValidRepoId(repo)) throw new Error(`"${arg}" is neither a folder nor a hub repo id (owner/name)`);
  return { kind: 'hub', repo, revision, baseUrl: hub ?? process.env.XLENS_HUB };
}

/** a --weights value: auto (default), fp32 or int8 */
export function weightChoice(v: string | undefined): WeightChoice {
  if (v === undefined || v === 'auto' || v === 'fp32' || v === 'int8') return v ?? 'auto';
  throw new Error(`--weights: "${v}" is not one of auto, fp32, int8`);
}

export async function loadNodeModel(arg: string, hub?: string, weights: WeightChoice = 'auto'): Promise<LoadedModel> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return loadModel(modelSource(arg, hub), { ort, backend: 'wasm', weights });
}
