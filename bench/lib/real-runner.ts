// What the real-shape bench measures inside one runtime (a Node child or the bench page; browser-safe):
// one default analysis as the app runs it (analyze() with the lens 'auto', knockout and relevance, the
// generation cap from the gold answer), timed to its first partial result, and one plain forward of the
// same prompt through a session of the plain graph built from the same checkpoint in the same format.

import { analyze } from '../../src/engine/analyses/analyze';
import type { WeightFormat } from '../../src/engine/arch/size';
import { specFromConfig } from '../../src/engine/arch/families';
import type { ModelSpec } from '../../src/engine/arch/spec';
import { buildForwardGraph } from '../../src/engine/graph/forward';
import { OUT } from '../../src/engine/graph/app-io';
import { serializeModel } from '../../src/engine/graph/onnx';
import { checkpointFiles, getJSON, openSource } from '../../src/engine/hub/files';
import type { ModelSource } from '../../src/engine/hub/source';
import type { LoadedModel } from '../../src/engine/model';
import type { ResultInput } from '../../src/engine/result';
import { createSession, type Ort, type Session } from '../../src/engine/runtime/session';
import { Checkpoint } from '../../src/engine/weights/checkpoint';
import { feedsFor, ioShape, PLAIN_GRAPH } from './graph-io';

const now = () => performance.now();

export interface AnalysisFigures {
  T: number;
  /** from the call to the first partial result (the first heatmap: attention and the last-position lens) */
  firstPartialMs: number | null;
  wallMs: number;
  timings: { forwardMs: number; generateMs: number; lensMs?: number; knockoutMs?: number; relevanceMs?: number; totalMs: number };
  generated: number;
  coverage: string;
  partials: number;
  /** the WASM heap after the analysis (it only grows: the peak so far) */
  heapAfter: number;
  /**
   * CPU time of this process (Node: onnxruntime-web runs on the calling thread), which other processes'
   * load disturbs far less than wall time: to the first partial result, in all, and per stage (from the
   * stage's start to the next one's, so the JS after a stage counts with it)
   */
  cpu?: { firstPartialMs: number | null; totalMs: number; stages: Record<string, number> };
}

/** one analysis as the app runs it by default (page-state's analyses: knockout and relevance on, lens 'auto') */
export async function timedAnalysis(model: LoadedModel, input: ResultInput, heap: () => number, cpu?: () => number): Promise<AnalysisFigures> {
  const t0 = now();
  const c0 = cpu?.() ?? 0;
  let first: number | null = null;
  let cpuFirst: number | null = null;
  let partials = 0;
  const stages: Record<string, number> = {};
  let stage: { name: string; at: number } | null = null;
  const endStage = () => {
    if (stage && cpu) stages[stage.name] = (stages[stage.name] ?? 0) + cpu() - stage.at;
  };
  const r = await analyze(model, input, {
    knockout: true,
    relevance: true,
    lens: 'auto',
    onStage: (s) => {
      endStage();
      stage = { name: s, at: cpu?.() ?? 0 };
    },
    onPartial: () => {
      partials++;
      if (first === null) {
        first = now() - t0;
        cpuFirst = cpu ? cpu() - c0 : null;
      }
    },
  });
  endStage();
  return {
    T: r.prompt.tokens.length,
    firstPartialMs: first,
    wallMs: now() - t0,
    timings: { ...r.timings },
    generated: r.generation?.ids.length ?? 0,
    coverage: r.lens.coverage ?? 'last',
    partials,
    heapAfter: heap(),
    ...(cpu ? { cpu: { firstPartialMs: cpuFirst, totalMs: cpu() - c0, stages } } : {}),
  };
}

/** as loadModel serialises the app graph: weights over 1 MiB as external data */
const EXTERNAL_THRESHOLD = 1 << 20;

export interface PlainModel {
  spec: ModelSpec;
  session: Session;
  ort: Ort;
  timings: { downloadMs: number; buildMs: number; sessionMs: number };
}

/** the plain graph of a checkpoint, in a weight format, opened as loadModel opens the app graph (same session options) */
export async function openPlain(source: ModelSource, ort: Ort, weightFormat: WeightFormat): Promise<PlainModel> {
  const t0 = now();
  const store = openSource(source);
  const config = await getJSON(store, 'config.json');
  if (!config) throw new Error(`${store.id}: config.json is missing`);
  const spec = specFromConfig(config);
  const shards = [];
  for (const f of await checkpointFiles(store)) shards.push({ name: f, bytes: (await store.get(f))! });
  const ckpt = Checkpoint.fromBuffers(shards);
  const t1 = now();
  const serialized = serializeModel(buildForwardGraph(spec, ckpt, { ...PLAIN_GRAPH, weightFormat }), { externalThreshold: EXTERNAL_THRESHOLD });
  const t2 = now();
  const { session } = await createSession(async () => ort, serialized, 'wasm');
  return { spec, session, ort, timings: { downloadMs: t1 - t0, buildMs: t2 - t1, sessionMs: now() - t2 } };
}

/** one plain forward of the prompt ids: session.run with its output copied out */
export async function plainForwardMs(m: PlainModel, ids: number[]): Promise<number> {
  const feeds = feedsFor(m.ort, ioShape(m.spec), m.session.inputNames, { ids }) as Parameters<Session['run']>[0];
  const t0 = now();
  const out = await m.session.run(feeds, [OUT.logits]);
  const ms = now() - t0;
  for (const t of Object.values(out)) t.dispose?.();
  return ms;
}
