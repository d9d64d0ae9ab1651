// analysis: one full analysis as the app runs it (analyze() with the knockout sweep and
// relevance: forward with attention and the last-position lens, greedy answer generation, the lens
// grid in row blocks, knockout sweep, AttnLRP relevance) divided by one plain forward of the
// same prompt (the plain graph: next-token logits only), on the tiny model, in Node on
// onnxruntime-web (the browser's WASM kernels). Then scaling: analysis time vs prompt
// length (64 … ≈1024, synthetic contexts) and vs depth (random tiny-shaped models with
// 2, 4, 8 layers), with the exponent of a least-squares fit on log-log.
// Relevance runs through the relevance branch of the same session (graph/relevance.ts relevanceBranch).
//
//   npx tsx bench/analysis.ts [--lengths 64,128,256,512,1008] [--layers 2,4,8] [--layers-T 256]
//        [--headline-T 128] [--reps 3] [--json bench/out/analysis.json]
import * as ortWeb from 'onnxruntime-web';
import { analyze } from '../src/engine/analyses/analyze';
import type { LoadedModel } from '../src/engine/model';
import { buildPrompt } from '../src/engine/text/prompt';
import { argList, argNum, fmt, isMain, log, median, parseArgs, powerFit, table, writeJSON } from './lib/stats';
import { type BenchModel, layersModel, loadCheckpoint, serializedGraph, tinyModel } from './lib/models';
import { loadNodeEngine, nodeOrt, NODE_WASM_THREADS } from './lib/engine-node';
import { syntheticInput } from './lib/prompts';
import { OUT } from '../src/engine/graph/app-io';
import { feedsFor, ioShape } from './lib/graph-io';

export interface AnalysisRow {
  model: string;
  L: number;
  T: number;
  reps: number;
  analysisMs: number;
  plainForwardMs: number;
  appForwardMs: number;
  stages: { forwardMs: number; generateMs: number; lensMs: number; knockoutMs: number; relevanceMs: number; otherMs: number };
  generated: number;
  ratio: number;
}

export interface AnalysisReport {
  model: string;
  note?: string;
  threads: number;
  headline: AnalysisRow;
  byLength: AnalysisRow[];
  byLayers: AnalysisRow[];
  fitLength: { analysis: ReturnType<typeof powerFit>; plainForward: ReturnType<typeof powerFit> };
  fitLayers: { analysis: ReturnType<typeof powerFit>; plainForward: ReturnType<typeof powerFit> };
}

async function measure(bm: BenchModel, model: LoadedModel, plain: ortWeb.InferenceSession, targetT: number, reps: number, budgetMs: number): Promise<AnalysisRow> {
  const { input } = syntheticInput(model.tokenizer, Math.min(targetT, model.spec.maxPositions));
  const p = buildPrompt(model.tokenizer, input);
  const feeds = feedsFor(ortWeb, ioShape(model.spec), plain.inputNames, { ids: p.ids }) as Record<string, ortWeb.Tensor>;
  const runPlain = async () => {
    const t0 = performance.now();
    await plain.run(feeds, [OUT.logits]);
    return performance.now() - t0;
  };
  // as the app runs it (page-state's defaults): knockout and relevance, the lens 'auto', the generation cap from the gold answer
  const run = () => analyze(model, input, { knockout: true, relevance: true, lens: 'auto' });
  // warm both paths once at this shape
  await runPlain();
  await model.forward(p.ids);
  await run();
  const a: number[] = [];
  const f: number[] = [];
  const app: number[] = [];
  const st = { forwardMs: [] as number[], generateMs: [] as number[], lensMs: [] as number[], knockoutMs: [] as number[], relevanceMs: [] as number[], otherMs: [] as number[] };
  let generated = 0;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const one = async () => {
      const s = performance.now();
      const res = await run();
      a.push(performance.now() - s);
      const t = res.timings;
      st.forwardMs.push(t.forwardMs);
      st.generateMs.push(t.generateMs);
      st.lensMs.push(t.lensMs ?? 0);
      st.knockoutMs.push(t.knockoutMs ?? 0);
      st.relevanceMs.push(t.relevanceMs ?? 0);
      st.otherMs.push(t.totalMs - t.forwardMs - t.generateMs - (t.lensMs ?? 0) - (t.knockoutMs ?? 0) - (t.relevanceMs ?? 0));
      generated = res.generation!.ids.length;
    };
    const two = async () => {
      f.push(await runPlain());
      app.push((await model.forward(p.ids)).ms);
    };
    if (r % 2 === 0) {
      await one();
      await two();
    } else {
      await two();
      await one();
    }
    const spent = performance.now() - t0;
    if (r + 1 >= 2 && spent * (1 + 1 / (r + 1)) > budgetMs) break;
  }
  const row: AnalysisRow = {
    model: bm.name,
    L: model.spec.numLayers,
    T: p.ids.length,
    reps: a.length,
    analysisMs: median(a),
    plainForwardMs: median(f),
    appForwardMs: median(app),
    stages: { forwardMs: median(st.forwardMs), generateMs: median(st.generateMs), lensMs: median(st.lensMs), knockoutMs: median(st.knockoutMs), relevanceMs: median(st.relevanceMs), otherMs: median(st.otherMs) },
    generated,
    ratio: median(a) / median(f),
  };
  log(
    `${bm.name} L=${row.L} T=${row.T}: analysis ${fmt(row.analysisMs)} ms (forward ${fmt(row.stages.forwardMs)}, generate ${fmt(row.stages.generateMs)} for ${generated} tokens, lens ${fmt(row.stages.lensMs)}, knockout ${fmt(row.stages.knockoutMs)}, relevance ${fmt(row.stages.relevanceMs)}, rest ${fmt(row.stages.otherMs)}), plain forward ${fmt(row.plainForwardMs)} ms → ${fmt(row.ratio)}x (n=${row.reps})`,
  );
  return row;
}

async function withModel<R>(bm: BenchModel, fn: (m: LoadedModel, plain: ortWeb.InferenceSession) => Promise<R>): Promise<R> {
  const model = await loadNodeEngine(bm.dir);
  const { spec, ckpt } = loadCheckpoint(bm.dir);
  const plain = await nodeOrt().InferenceSession.create(serializedGraph(spec, ckpt, 'plain'), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  try {
    return await fn(model, plain);
  } finally {
    await plain.release();
    await model.dispose();
  }
}

export async function runAnalysis(opts: { lengths?: number[]; layers?: number[]; layersT?: number; headlineT?: number; reps?: number; budgetMs?: number }): Promise<AnalysisReport> {
  const tiny = tinyModel();
  const reps = opts.reps ?? 3;
  const budget = opts.budgetMs ?? 45_000;
  const lengths = opts.lengths ?? [64, 128, 256, 512, 1008];
  const headlineT = opts.headlineT ?? 128;
  let headline: AnalysisRow | undefined;
  const byLength: AnalysisRow[] = [];
  await withModel(tiny, async (m, plain) => {
    for (const T of [...new Set([headlineT, ...lengths])].sort((x, y) => x - y)) {
      // the headline (the target's figure) gets more repetitions: a cell of ~100 ms is noisy on a shared machine
      const row = await measure(tiny, m, plain, T, T === headlineT ? Math.max(reps, 11) : reps, budget);
      if (T === headlineT) headline = row;
      if (lengths.includes(T)) byLength.push(row);
    }
  });
  const byLayers: AnalysisRow[] = [];
  for (const L of opts.layers ?? [2, 4, 8]) {
    const bm = layersModel(L, () => {});
    await withModel(bm, async (m, plain) => {
      byLayers.push(await measure(bm, m, plain, opts.layersT ?? 256, reps, budget));
    });
  }
  const fit = (rows: AnalysisRow[], x: (r: AnalysisRow) => number) => ({
    analysis: powerFit(rows.map(x), rows.map((r) => r.analysisMs)),
    plainForward: powerFit(rows.map(x), rows.map((r) => r.plainForwardMs)),
  });
  return {
    model: tiny.name,
    note: tiny.note,
    threads: NODE_WASM_THREADS,
    headline: headline!,
    byLength,
    byLayers,
    fitLength: fit(byLength, (r) => r.T),
    fitLayers: fit(byLayers, (r) => r.L),
  };
}

export function analysisTables(r: AnalysisReport): { rows: string; fits: string } {
  const all = [...r.byLength, ...r.byLayers.filter((x) => !r.byLength.some((y) => y.L === x.L && y.T === x.T && y.model === x.model))];
  const rows = table(
    ['model', 'L', 'T', 'analysis ms', 'forward (attn + last-position lens) ms', 'generate ms (tokens)', 'lens ms', 'knockout ms', 'relevance ms', 'rest ms', 'plain forward ms', 'analysis / plain forward', 'n'],
    all.map((x) => [x.model, x.L, x.T, x.analysisMs, x.stages.forwardMs, `${fmt(x.stages.generateMs)} (${x.generated})`, x.stages.lensMs, x.stages.knockoutMs, x.stages.relevanceMs ?? '–', x.stages.otherMs, x.plainForwardMs, `${fmt(x.ratio)}x`, x.reps]),
  );
  const fits = table(
    ['scaling', 'range', 'analysis exponent (r²)', 'plain forward exponent (r²)'],
    [
      ['vs prompt length T', `${r.byLength[0]?.T}…${r.byLength[r.byLength.length - 1]?.T}`, `${fmt(r.fitLength.analysis.exponent)} (${fmt(r.fitLength.analysis.r2)})`, `${fmt(r.fitLength.plainForward.exponent)} (${fmt(r.fitLength.plainForward.r2)})`],
      ['vs layers L', `${r.byLayers.map((x) => x.L).join(', ')} at T=${r.byLayers[0]?.T}`, `${fmt(r.fitLayers.analysis.exponent)} (${fmt(r.fitLayers.analysis.r2)})`, `${fmt(r.fitLayers.plainForward.exponent)} (${fmt(r.fitLayers.plainForward.r2)})`],
    ],
  );
  return { rows, fits };
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const r = await runAnalysis({
    lengths: argList(a, 'lengths', [64, 128, 256, 512, 1008]),
    layers: argList(a, 'layers', [2, 4, 8]),
    layersT: argNum(a, 'layers-T', 256),
    headlineT: argNum(a, 'headline-T', 128),
    reps: argNum(a, 'reps', 3),
  });
  const t = analysisTables(r);
  log('');
  log(`headline: ${r.model}, T=${r.headline.T}: analysis / plain forward = ${fmt(r.headline.ratio)}x`);
  log(t.rows);
  log('');
  log(t.fits);
  writeJSON(a.values.get('json'), r);
}
