// sweep: the knockout sweep the analysis runs (all windows x all source sets) as the engine
// runs it (knockoutSweep: the prompt's first T-1 tokens once, then every mask as a one-token
// step on their KV cache, batched 8) vs one session run of the whole prompt per window
// (batchSize 1, reusePrefix false), same masks, same session, in Node on onnxruntime-web
// (WASM kernels). `prefix-kv` is the bench's own independent implementation of the engine's
// method (it was the proposal that the engine adopted), checked to give the same probabilities.
// A fourth, `lean graph` (also a proposal), runs the same masks through a knockout-only graph
// (no taps, no in-graph lens, last-position logits only), batched 8, full prompt every run.
//
//   npx tsx bench/sweep.ts [--lengths 128,512] [--reps 5] [--json bench/out/sweep.json] [--browser]
import * as ortWeb from 'onnxruntime-web';
import { knockoutMask, knockoutSweep, defaultWindow, windowLayers, SOURCE_SETS, SET_SEGMENTS } from '../src/engine/analyses/knockout';
import type { LoadedModel } from '../src/engine/model';
import { buildPrompt } from '../src/engine/text/prompt';
import type { ModelSpec } from '../src/engine/arch/spec';
import { buildForwardGraph } from '../src/engine/graph/forward';
import { serializeModel } from '../src/engine/graph/onnx';
import { OUT, presentNames } from '../src/engine/graph/app-io';
import { feedsFor, ioShape } from './lib/graph-io';
import { argList, argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';
import { loadCheckpoint, serializedGraph, tinyModel, type BenchModel } from './lib/models';
import { loadNodeEngine, nodeOrt, NODE_WASM_THREADS } from './lib/engine-node';
import { syntheticInput } from './lib/prompts';
import { startServer } from './lib/server';
import { openBenchPage } from './lib/browser';

type T = ortWeb.Tensor;

/** the proposal: one prefill of T-1 tokens, then each mask is a 1-token decode step (batched) */
export async function prefixKvSweep(session: ortWeb.InferenceSession, spec: ModelSpec, ids: number[], target: number, masks: Uint8Array[], batchSize = 8): Promise<Float32Array> {
  const { numLayers: L, numKvHeads: KVH, headDim: hd } = spec;
  const shape = ioShape(spec);
  const Tn = ids.length;
  const P = Tn - 1;
  const names = presentNames(L);
  const kv = await session.run(feedsFor(ortWeb, shape, session.inputNames, { ids: ids.slice(0, P) }) as Record<string, T>, names);
  const cache = Array.from({ length: L }, (_, l) => ({ k: kv[OUT.presentKey(l)].data as Float32Array, v: kv[OUT.presentValue(l)].data as Float32Array }));
  const out = new Float32Array(masks.length);
  for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
    const B = Math.min(batchSize, masks.length - b0);
    // only the last query row of each layer's mask matters: [B, L, 1, T]
    const km = new Uint8Array(B * L * Tn);
    for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) km.set(masks[b0 + b].subarray(l * Tn * Tn + P * Tn, l * Tn * Tn + P * Tn + Tn), (b * L + l) * Tn);
    const tile = (one: Float32Array) => {
      const tiled = new Float32Array(B * one.length);
      for (let b = 0; b < B; b++) tiled.set(one, b * one.length);
      return new ortWeb.Tensor('float32', tiled, [B, KVH, P, hd]);
    };
    const past = cache.map((c) => ({ k: tile(c.k), v: tile(c.v) }));
    const feeds = feedsFor(ortWeb, shape, session.inputNames, { ids: [ids[P]], batch: B, past, logitRows: [0], knockout: { data: km, q: 1, k: Tn } });
    const r = await session.run(feeds as Record<string, T>, [OUT.logits]);
    const lg = r[OUT.logits].data as Float32Array; // [B, 1, V]
    for (let b = 0; b < B; b++) out[b0 + b] = logSoftmaxAt(lg, b * spec.vocabSize, spec.vocabSize, target);
  }
  return out;
}

function logSoftmaxAt(lg: Float32Array, off: number, V: number, id: number): number {
  let mx = -Infinity;
  for (let v = 0; v < V; v++) mx = Math.max(mx, lg[off + v]);
  let z = 0;
  for (let v = 0; v < V; v++) z += Math.exp(lg[off + v] - mx);
  return lg[off + id] - mx - Math.log(z);
}

/**
 * a second proposal: the same masks through a lean knockout-only graph (no taps, no in-graph
 * lens, logits of the last position only), batched 8, full prompt every run
 */
export async function leanGraphSweep(session: ortWeb.InferenceSession, spec: ModelSpec, ids: number[], target: number, masks: Uint8Array[], batchSize = 8): Promise<Float32Array> {
  const { numLayers: L, vocabSize: V } = spec;
  const Tn = ids.length;
  const out = new Float32Array(masks.length);
  for (let b0 = 0; b0 < masks.length; b0 += batchSize) {
    const B = Math.min(batchSize, masks.length - b0);
    const km = new Uint8Array(B * L * Tn * Tn);
    for (let b = 0; b < B; b++) km.set(masks[b0 + b], b * L * Tn * Tn);
    const feeds = feedsFor(ortWeb, ioShape(spec), session.inputNames, { ids, batch: B, knockout: { data: km, q: Tn, k: Tn } });
    const r = await session.run(feeds as Record<string, T>, [OUT.logits]);
    const lg = r[OUT.logits].data as Float32Array; // [B, 1, V]
    for (let b = 0; b < B; b++) out[b0 + b] = logSoftmaxAt(lg, b * V, V, target);
  }
  return out;
}

/** the sweep's masks, built exactly as knockoutSweep builds them (baseline first) */
export function sweepMasks(L: number, segments: string[]): Uint8Array[] {
  const T = segments.length;
  const w = defaultWindow(L);
  const masks: Uint8Array[] = [new Uint8Array(L * T * T)];
  for (const set of SOURCE_SETS) {
    const keys = segments.flatMap((s, k) => ((SET_SEGMENTS[set] as string[]).includes(s) && k !== T - 1 ? [k] : []));
    if (!keys.length) continue;
    for (let i = 0; i < L; i++) {
      const [lo, hi] = windowLayers(i + 1, w, L);
      masks.push(knockoutMask(L, T, keys, lo, hi));
    }
  }
  return masks;
}

export interface SweepCell {
  T: number;
  runs: number;
  ms: { batched: number; unbatched: number; prefixKv: number; leanGraph: number };
  all: { batched: number[]; unbatched: number[]; prefixKv: number[]; leanGraph: number[] };
  ratio: number;
  ratioPrefixKv: number;
  ratioLeanGraph: number;
  maxAbsDiffLogprob: number;
  maxAbsDiffLean: number;
  browser?: { batched: number; unbatched: number; ratio: number; reps: number };
}

export interface SweepReport {
  model: string;
  note?: string;
  L: number;
  threads: number;
  cells: SweepCell[];
}

export async function runSweep(opts: { model?: BenchModel; lengths?: number[]; reps?: number; budgetMs?: number; browser?: boolean }): Promise<SweepReport> {
  const bm = opts.model ?? tinyModel();
  const model: LoadedModel = await loadNodeEngine(bm.dir);
  const { spec, ckpt } = loadCheckpoint(bm.dir);
  const session = await nodeOrt().InferenceSession.create(serializedGraph(spec, ckpt, 'app'), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const lean = await nodeOrt().InferenceSession.create(serializeModel(buildForwardGraph(spec, ckpt, { taps: false, knockout: true, logits: 'last', kvCache: 'none' }), { externalThreshold: 0 }).model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const L = spec.numLayers;
  const cells: SweepCell[] = [];
  const reps = opts.reps ?? 5;
  const budget = opts.budgetMs ?? 60_000;
  const server = opts.browser ? await startServer() : null;
  const br = server ? await openBenchPage(server.url) : null;
  try {
    if (br) await br.page.evaluate((u) => (window as any).xbench.loadEngine(u), `${server!.url}/files/${bm.dir}`);
    for (const targetT of opts.lengths ?? [128, 512]) {
      const { input } = syntheticInput(model.tokenizer, Math.min(targetT, spec.maxPositions));
      const p = buildPrompt(model.tokenizer, input);
      const segOf = p.tokens.map((t) => t.segment);
      const masks = sweepMasks(L, segOf);
      const contenders: [keyof SweepCell['all'], () => Promise<unknown>][] = [
        ['batched', () => knockoutSweep(model, p.ids, segOf, p.targetId, { batchSize: 8 })],
        ['unbatched', () => knockoutSweep(model, p.ids, segOf, p.targetId, { batchSize: 1, reusePrefix: false })],
        ['prefixKv', () => prefixKvSweep(session, spec, p.ids, p.targetId, masks, 8)],
        ['leanGraph', () => leanGraphSweep(lean, spec, p.ids, p.targetId, masks, 8)],
      ];
      // correctness of the proposal: same log-probabilities as the engine's runs
      const ref = await model.knockoutBatch(p.ids, p.targetId, masks, 8);
      const alt = await prefixKvSweep(session, spec, p.ids, p.targetId, masks, 8);
      const alt2 = await leanGraphSweep(lean, spec, p.ids, p.targetId, masks, 8);
      let maxDiff = 0;
      let maxDiffLean = 0;
      for (let i = 0; i < ref.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(ref[i] - alt[i]));
        maxDiffLean = Math.max(maxDiffLean, Math.abs(ref[i] - alt2[i]));
      }
      const all: SweepCell['all'] = { batched: [], unbatched: [], prefixKv: [], leanGraph: [] };
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) {
        const order = r % 2 === 0 ? contenders : [...contenders].reverse();
        for (const [name, run] of order) {
          const s = performance.now();
          await run();
          all[name].push(performance.now() - s);
        }
        const spent = performance.now() - t0;
        if (r + 1 >= 3 && spent * (1 + 1 / (r + 1)) > budget) break;
      }
      const ms = { batched: median(all.batched), unbatched: median(all.unbatched), prefixKv: median(all.prefixKv), leanGraph: median(all.leanGraph) };
      const cell: SweepCell = {
        T: p.ids.length,
        runs: masks.length,
        ms,
        all,
        ratio: ms.batched / ms.unbatched,
        ratioPrefixKv: ms.prefixKv / ms.unbatched,
        ratioLeanGraph: ms.leanGraph / ms.unbatched,
        maxAbsDiffLogprob: maxDiff,
        maxAbsDiffLean: maxDiffLean,
      };
      if (br) {
        const b: { batched: number[]; unbatched: number[] } = { batched: [], unbatched: [] };
        const tb = performance.now();
        for (let r = 0; r < reps; r++) {
          for (const bs of r % 2 === 0 ? [8, 1] : [1, 8]) {
            const res = await br.page.evaluate(([inp, n]) => (window as any).xbench.engineSweep(inp, n), [input, bs] as const);
            (bs === 8 ? b.batched : b.unbatched).push(res.ms);
          }
          if (r + 1 >= 3 && (performance.now() - tb) * (1 + 1 / (r + 1)) > budget) break;
        }
        cell.browser = { batched: median(b.batched), unbatched: median(b.unbatched), ratio: median(b.batched) / median(b.unbatched), reps: b.batched.length };
      }
      cells.push(cell);
      log(
        `T=${cell.T}, ${cell.runs} masks: batched ${fmt(ms.batched)} ms, one-per-window ${fmt(ms.unbatched)} ms → ${fmt(cell.ratio)}x; prefix-kv ${fmt(ms.prefixKv)} ms → ${fmt(cell.ratioPrefixKv)}x, lean graph ${fmt(ms.leanGraph)} ms → ${fmt(cell.ratioLeanGraph)}x (max |Δ log p| ${cell.maxAbsDiffLogprob.toExponential(1)} / ${cell.maxAbsDiffLean.toExponential(1)}, n=${all.batched.length})` +
          (cell.browser ? `; browser ${fmt(cell.browser.batched)} / ${fmt(cell.browser.unbatched)} ms → ${fmt(cell.browser.ratio)}x` : ''),
      );
    }
  } finally {
    await br?.close();
    await server?.close();
    await session.release();
    await lean.release();
    await model.dispose();
  }
  return { model: bm.name, note: bm.note, L, threads: NODE_WASM_THREADS, cells };
}

export function sweepTable(r: SweepReport): string {
  const hasB = r.cells.some((c) => c.browser);
  return table(
    ['T', 'runs (masks)', 'batched ms', 'one-per-window ms', 'batched/unbatched', 'prefix-kv ms (proposal)', 'prefix-kv/unbatched', 'lean graph ms (proposal)', 'lean/unbatched', 'max |Δ log p| prefix-kv, lean', ...(hasB ? ['browser batched/unbatched'] : []), 'n'],
    r.cells.map((c) => [
      c.T,
      c.runs,
      c.ms.batched,
      c.ms.unbatched,
      `${fmt(c.ratio)}x`,
      c.ms.prefixKv,
      `${fmt(c.ratioPrefixKv)}x`,
      c.ms.leanGraph,
      `${fmt(c.ratioLeanGraph)}x`,
      `${c.maxAbsDiffLogprob.toExponential(1)}, ${c.maxAbsDiffLean.toExponential(1)}`,
      ...(hasB ? [c.browser ? `${fmt(c.browser.ratio)}x (${fmt(c.browser.batched)} / ${fmt(c.browser.unbatched)} ms)` : '–'] : []),
      c.all.batched.length,
    ]),
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const r = await runSweep({ lengths: argList(a, 'lengths', [128, 512]), reps: argNum(a, 'reps', 5), browser: a.flags.has('browser') });
  log('');
  log(`model ${r.model} (L=${r.L}), onnxruntime-web in Node, ${r.threads} thread(s)`);
  log(sweepTable(r));
  writeJSON(a.values.get('json'), r);
}
