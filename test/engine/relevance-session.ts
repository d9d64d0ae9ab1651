// A standalone relevance session for tests: the whole AttnLRP pass as one graph
// (graph/relevance.ts buildRelevanceGraph), the reference the app graph's layer-by-layer branch
// (model.ts relevance) is checked against. The app never builds it.

import type { ModelSpec } from '../../src/engine/arch/spec';
import type { RelevanceResult } from '../../src/engine/analyses/relevance';
import { buildRelevanceGraph } from '../../src/engine/graph/relevance';
import { serializeModel } from '../../src/engine/graph/onnx';
import type { WeightFormat } from '../../src/engine/graph/weights';
import type { Backend, BackendChoice } from '../../src/engine/runtime/backend';
import { createSession, type Ort, type Session } from '../../src/engine/runtime/session';
import type { Checkpoint } from '../../src/engine/weights/checkpoint';

export interface RelevanceSession {
  backend: Backend;
  fallbackReason?: string;
  run(ids: number[], target: number): Promise<RelevanceResult>;
  dispose(): Promise<void>;
}

/** external data keeps weights out of the protobuf (2 GiB limit) */
const EXTERNAL_THRESHOLD = 1 << 20;
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Builds the relevance graph for a checkpoint and opens a session for it (WebGPU -> WASM as
 * the forward session does). Runs are serialised (ort sessions are not re-entrant).
 */
export async function createRelevanceSession(
  ort: Ort | ((b: Backend) => Promise<Ort>),
  spec: ModelSpec,
  ckpt: Checkpoint,
  backend: BackendChoice = 'auto',
  weightFormat: WeightFormat = 'fp32',
): Promise<RelevanceSession> {
  const ortFor = typeof ort === 'function' ? ort : async () => ort;
  const serialized = serializeModel(buildRelevanceGraph(spec, ckpt, { weightFormat }), { externalThreshold: EXTERNAL_THRESHOLD });
  const made = await createSession(ortFor, serialized, backend);
  const o = await ortFor(made.backend);
  const session: Session = made.session;
  let queue: Promise<unknown> = Promise.resolve();
  const L = spec.numLayers;
  const run = (ids: number[], target: number): Promise<RelevanceResult> => {
    if (!ids.length) return Promise.reject(new Error('relevance needs at least one token'));
    if (!(Number.isInteger(target) && target >= 0 && target < spec.vocabSize)) {
      return Promise.reject(new Error(`target ${target} is outside the vocabulary`));
    }
    const job = async (): Promise<RelevanceResult> => {
      const t0 = now();
      const T = ids.length;
      const out = await session.run({
        input_ids: new o.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, T]),
        target: new o.Tensor('int64', BigInt64Array.of(BigInt(target)), [1]),
      });
      return relevanceResult(out, L, T, target, now() - t0);
    };
    const p = queue.then(job, job);
    queue = p.catch(() => undefined);
    return p;
  };
  return { backend: made.backend, fallbackReason: made.fallbackReason, run, dispose: () => session.release() };
}

/** a RelevanceResult from the relevance graph's outputs (standalone session or the app graph's branch) */
function relevanceResult(out: Record<string, { data: unknown }>, L: number, T: number, target: number, ms: number): RelevanceResult {
  const flat = out.relevance.data as Float32Array;
  return {
    L,
    T,
    target,
    targetLogit: (out.target_logit.data as Float32Array)[0],
    relevance: Array.from({ length: L + 1 }, (_, l) => flat.slice(l * T, (l + 1) * T)),
    leakBias: Float32Array.from(out.leak_bias.data as Float32Array),
    leakSoftmax: Float32Array.from(out.leak_softmax.data as Float32Array),
    ms,
  };
}

/** one-shot convenience: build, run once, release */
export async function computeRelevance(
  ort: Ort | ((b: Backend) => Promise<Ort>),
  spec: ModelSpec,
  ckpt: Checkpoint,
  ids: number[],
  target: number,
  backend: BackendChoice = 'auto',
  weightFormat: WeightFormat = 'fp32',
): Promise<RelevanceResult> {
  const s = await createRelevanceSession(ort, spec, ckpt, backend, weightFormat);
  try {
    return await s.run(ids, target);
  } finally {
    await s.dispose();
  }
}
