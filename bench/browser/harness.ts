// Runs in the bench page (bundled by bench/lib/server.ts). Exposes functions that the
// Node side calls through page.evaluate; every time is measured here, in the page, so
// Playwright's round trips are not in the figures.
import type * as OrtNs from 'onnxruntime-web';
import { analyze } from '../../src/engine/analyses/analyze';
import { knockoutSweep } from '../../src/engine/analyses/knockout';
import { loadModel, type LoadedModel } from '../../src/engine/model';
import { buildPrompt } from '../../src/engine/text/prompt';
import type { ResultInput } from '../../src/engine/result';
import type { AppFeedSpec } from '../../src/engine/graph/app-io';
import { feedsFor, type IoShape } from '../lib/graph-io';
import { openPlain, plainForwardMs, timedAnalysis, type AnalysisFigures, type PlainModel } from '../lib/real-runner';
import type { WeightChoice, WeightFormat } from '../../src/engine/arch/size';

type Ort = typeof OrtNs;

// Every WebAssembly.Memory the page creates (onnxruntime's threaded build creates its heap in
// JS), so the benches can read the WASM heap size: it only grows, so its size is its peak.
const memories: WebAssembly.Memory[] = [];
const OrigMemory = WebAssembly.Memory;
(WebAssembly as unknown as { Memory: typeof WebAssembly.Memory }).Memory = new Proxy(OrigMemory, {
  construct(target, args: [WebAssembly.MemoryDescriptor]) {
    const m = new target(...args);
    memories.push(m);
    return m;
  },
});
export function wasmHeapBytes(): number {
  return memories.reduce((a, m) => a + m.buffer.byteLength, 0);
}

let ortP: Promise<Ort> | null = null;
export function ort(threads = 2): Promise<Ort> {
  ortP ??= (import(/* @vite-ignore */ '/ort/ort.wasm.min.mjs' as string) as Promise<Ort>).then((o) => {
    o.env.wasm.wasmPaths = new URL('/ort/', location.href).href;
    o.env.wasm.numThreads = threads;
    o.env.wasm.simd = true;
    o.env.wasm.proxy = false;
    o.env.logLevel = 'error';
    return o;
  });
  return ortP;
}

const sessions = new Map<string, OrtNs.InferenceSession>();

export async function createSession(key: string, url: string, threads = 2): Promise<{ fetchMs: number; createMs: number; threads: number; isolated: boolean }> {
  const o = await ort(threads);
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const t1 = performance.now();
  const s = await o.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  sessions.set(key, s);
  return { fetchMs: t1 - t0, createMs: performance.now() - t1, threads: o.env.wasm.numThreads ?? 0, isolated: self.crossOriginIsolated };
}

/** feeds are made in the page (through graph/app-io.ts) from the ids and row choices, not sent over CDP */
function makeFeeds(o: Ort, s: OrtNs.InferenceSession, shape: IoShape, feed: AppFeedSpec): Record<string, OrtNs.Tensor> {
  return feedsFor(o, shape, s.inputNames, feed) as Record<string, OrtNs.Tensor>;
}

export async function runOnce(key: string, shape: IoShape, feed: AppFeedSpec, fetches: string[]): Promise<number> {
  const o = await ort();
  const s = sessions.get(key);
  if (!s) throw new Error(`no session ${key}`);
  const feeds = makeFeeds(o, s, shape, feed);
  const t0 = performance.now();
  const out = await s.run(feeds, fetches);
  const ms = performance.now() - t0;
  for (const t of Object.values(out)) t.dispose?.();
  return ms;
}

const cachedFeeds = new Map<string, Record<string, OrtNs.Tensor>>();
/** run with explicit feeds (small one-op graphs); feeds are sent once and kept per session key */
export async function runFeeds(key: string, feeds?: Record<string, { type: 'float32' | 'bool'; data: number[]; dims: number[] }>): Promise<number> {
  const o = await ort();
  const s = sessions.get(key);
  if (!s) throw new Error(`no session ${key}`);
  if (feeds) {
    const f: Record<string, OrtNs.Tensor> = {};
    for (const [n, v] of Object.entries(feeds)) f[n] = new o.Tensor(v.type, v.type === 'bool' ? Uint8Array.from(v.data) : Float32Array.from(v.data), v.dims);
    cachedFeeds.set(key, f);
  }
  const f = cachedFeeds.get(key);
  if (!f) throw new Error(`no feeds for ${key}`);
  const t0 = performance.now();
  const out = await s.run(f);
  const ms = performance.now() - t0;
  for (const t of Object.values(out)) t.dispose?.();
  return ms;
}

/** a profiling session: onnxruntime-web prints the per-op events to the console at endProfiling */
export async function profileRuns(url: string, shape: IoShape, feed: AppFeedSpec, fetches: string[], runs: number): Promise<void> {
  const o = await ort();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const s = await o.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableProfiling: true });
  for (let r = 0; r <= runs; r++) {
    const out = await s.run(makeFeeds(o, s, shape, feed), fetches);
    for (const t of Object.values(out)) t.dispose?.();
  }
  s.endProfiling();
  await s.release();
}

export async function releaseSession(key: string): Promise<void> {
  await sessions.get(key)?.release();
  sessions.delete(key);
  cachedFeeds.delete(key);
}

// ---- the engine itself (loadModel + analyze), for the sweep, analysis and memory benches

let model: LoadedModel | null = null;

export async function loadEngine(
  url: string,
  threads = 2,
  weights: WeightChoice = 'auto',
): Promise<{ ms: number; weightBytes: number; L: number; weightFormat: string; timings: LoadedModel['timings']; heapAfterLoad: number }> {
  const o = await ort(threads);
  const t0 = performance.now();
  model = await loadModel({ kind: 'url', url }, { ort: o, backend: 'wasm', weights });
  return { ms: performance.now() - t0, weightBytes: model.weightBytes, L: model.spec.numLayers, weightFormat: model.weightFormat, timings: model.timings, heapAfterLoad: wasmHeapBytes() };
}

/** one default analysis as the app runs it (bench/real-shapes.ts) */
export async function realAnalyze(input: ResultInput): Promise<AnalysisFigures> {
  if (!model) throw new Error('no model');
  return timedAnalysis(model, input, wasmHeapBytes);
}

// ---- the plain graph of a checkpoint, in its own page (its weights would share the engine's 4 GiB heap)

let plain: PlainModel | null = null;

export async function plainLoad(url: string, threads: number, weights: WeightFormat): Promise<{ ms: number; timings: PlainModel['timings']; heapAfterLoad: number }> {
  const o = await ort(threads);
  const t0 = performance.now();
  plain = await openPlain({ kind: 'url', url }, o, weights);
  return { ms: performance.now() - t0, timings: plain.timings, heapAfterLoad: wasmHeapBytes() };
}

export async function plainForward(ids: number[]): Promise<{ ms: number; heap: number }> {
  if (!plain) throw new Error('no plain session');
  const ms = await plainForwardMs(plain, ids);
  return { ms, heap: wasmHeapBytes() };
}

/**
 * one analysis; `stopAfterBatches` cancels the knockout sweep after that many batches (memory bench);
 * `relevance` adds AttnLRP relevance as the app does by default (a branch of the same session),
 * run after a cancelled sweep too, so the memory bench sees its activations either way
 */
export async function engineAnalyze(
  input: ResultInput,
  knockout: boolean,
  stopAfterBatches = 0,
  relevance = false,
): Promise<{ totalMs: number; T: number; timings: Record<string, number> | null; stopped: boolean }> {
  if (!model) throw new Error('no model');
  const m = model;
  const t0 = performance.now();
  const ac = new AbortController();
  let batches = 0;
  try {
    const r = await analyze(m, input, {
      knockout,
      relevance,
      maxNewTokens: 16,
      signal: ac.signal,
      onProgress: (stage) => {
        if (stage === 'knockout' && stopAfterBatches > 0 && ++batches >= stopAfterBatches) ac.abort(new Error('stopped'));
      },
    });
    return { totalMs: performance.now() - t0, T: r.prompt.tokens.length, timings: r.timings as unknown as Record<string, number>, stopped: false };
  } catch (e) {
    if (!ac.signal.aborted) throw e;
    const p = buildPrompt(m.tokenizer, input);
    if (relevance) await m.relevance(p.ids, p.targetId);
    return { totalMs: performance.now() - t0, T: p.ids.length, timings: null, stopped: true };
  }
}

/** the sweep the analysis runs: batched (batchSize 8) or one run per window (batchSize 1) */
export async function engineSweep(input: ResultInput, batchSize: number): Promise<{ ms: number; effect: Record<string, (number | null)[]> }> {
  if (!model) throw new Error('no model');
  const p = buildPrompt(model.tokenizer, input);
  const segOf = p.tokens.map((t) => t.segment);
  const t0 = performance.now();
  const s = await knockoutSweep(model, p.ids, segOf, p.targetId, { batchSize });
  return { ms: performance.now() - t0, effect: s.effect };
}

export async function disposeEngine(): Promise<void> {
  await model?.dispose();
  model = null;
}

export async function uaMemory(): Promise<number | null> {
  const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
  if (!p.measureUserAgentSpecificMemory || !self.crossOriginIsolated) return null;
  try {
    // Chromium answers after its next scheduled GC, up to a minute later: give it 2 s
    const r = await Promise.race([p.measureUserAgentSpecificMemory(), new Promise<null>((ok) => setTimeout(() => ok(null), 2000))]);
    return r ? r.bytes : null;
  } catch {
    return null;
  }
}
