// Runs in the bench page (bundled by bench/lib/server.ts). Exposes functions that the
// Node side calls through page.evaluate; every time is measured here, in the page, so
// Playwright's round trips are not in the figures.
import type * as OrtNs from 'onnxruntime-web';
import { analyze } from '../../src/engine/analyses/analyze';
import { knockoutSweep } from '../../src/engine/analyses/knockout';
import { loadModel, type LoadedModel } from '../../src/engine/model';
import { buildPrompt } from '../../src/engine/text/prompt';
import type { ResultInput } from '../../src/engine/result';

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

/** feeds are generated in the page from a compact description (no 100 MB masks over CDP) */
function makeFeeds(o: Ort, spec: { ids: number[]; L: number; KVH: number; hd: number; variant: 'app' | 'plain'; batch?: number }) {
  const T = spec.ids.length;
  const B = spec.batch ?? 1;
  const ids = new BigInt64Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) ids[b * T + t] = BigInt(spec.ids[t]);
  const feeds: Record<string, OrtNs.Tensor> = { input_ids: new o.Tensor('int64', ids, [B, T]) };
  if (spec.variant === 'app') {
    feeds.knockout = new o.Tensor('bool', new Uint8Array(B * spec.L * T * T), [B, spec.L, T, T]);
    feeds.lens_target = new o.Tensor('int64', new BigInt64Array(B).fill(5n), [B]);
    // as model.forward runs an analysis (bench/lib/models.ts feedData)
    feeds.logit_rows = new o.Tensor('int64', BigInt64Array.of(BigInt(T - 1)), [1]);
    feeds.lens_last_rows = new o.Tensor('int64', BigInt64Array.of(BigInt(T - 1)), [1]);
    feeds.lens_rows = new o.Tensor('int64', BigInt64Array.from({ length: T }, (_, t) => BigInt(t)), [T]);
    feeds.rel_on = new o.Tensor('bool', Uint8Array.of(0), []);
    feeds.rel_ids = new o.Tensor('int64', new BigInt64Array(0), [1, 0]);
    feeds.rel_target = new o.Tensor('int64', BigInt64Array.of(0n), [1]);
    for (let l = 0; l < spec.L; l++) {
      feeds[`past_key_${l}`] = new o.Tensor('float32', new Float32Array(0), [B, spec.KVH, 0, spec.hd]);
      feeds[`past_value_${l}`] = new o.Tensor('float32', new Float32Array(0), [B, spec.KVH, 0, spec.hd]);
    }
  }
  return feeds;
}

export async function runOnce(key: string, spec: { ids: number[]; L: number; KVH: number; hd: number; variant: 'app' | 'plain' }, fetches: string[]): Promise<number> {
  const o = await ort();
  const s = sessions.get(key);
  if (!s) throw new Error(`no session ${key}`);
  const feeds = makeFeeds(o, spec);
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
export async function profileRuns(url: string, spec: { ids: number[]; L: number; KVH: number; hd: number; variant: 'app' | 'plain' }, fetches: string[], runs: number): Promise<void> {
  const o = await ort();
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const s = await o.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableProfiling: true });
  for (let r = 0; r <= runs; r++) {
    const out = await s.run(makeFeeds(o, spec), fetches);
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

export async function loadEngine(url: string, threads = 2): Promise<{ ms: number; weightBytes: number; L: number }> {
  const o = await ort(threads);
  const t0 = performance.now();
  model = await loadModel({ kind: 'url', url }, { ort: o, backend: 'wasm' });
  return { ms: performance.now() - t0, weightBytes: model.weightBytes, L: model.spec.numLayers };
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

export async function enginePlainForwardMs(input: ResultInput): Promise<number> {
  if (!model) throw new Error('no model');
  const p = buildPrompt(model.tokenizer, input);
  const r = await model.forward(p.ids, { lensTarget: p.targetId });
  return r.ms;
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
