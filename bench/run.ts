// Runs every bench in sequence and writes BENCHMARKS.md (plus bench/out/results.json). One file: it
// is the document's generator, section by section.
//   npx tsx bench/run.ts [--quick] [--skip forward,memory,...] [--out BENCHMARKS.md]
//   npx tsx bench/run.ts --from-json bench/out/results.json   re-render BENCHMARKS.md, measure nothing
//   npx tsx bench/run.ts --real-shapes-json bench/out/real-shapes.json   the real shapes from that report instead of measuring them
// --quick: tiny model only for forward, shorter lengths elsewhere, the real shapes as Qwen2.5-0.5B fp32 at T ≈ 64
// (a smoke run, minutes less). The real shapes take about an hour or two on two busy cores.
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fmt, log, parseArgs, writeJSON } from './lib/stats';
import { model100M, tinyModel } from './lib/models';
import { paramCount, PRESET_100M } from './lib/random-model';
import { chromiumVersion } from './lib/browser';
import { ortVersions, THREADS } from './lib/native';
import { NODE_WASM_THREADS } from './lib/engine-node';
import { CHAIN, forwardTable, kernelTable, profileTable, runForward, type ForwardReport } from './forward';
import { runSweep, sweepTable, type SweepReport } from './sweep';
import { analysisTables, runAnalysis, type AnalysisReport } from './analysis';
import { memoryTable, runMemory, type MemoryReport } from './memory';
import { mainThreadTable, paintTable, parseStages, runFirstPaint, type PaintReport } from './first-paint';
import { prepackTable, runPrepack, type PrepackReport } from './prepack';
import { HEADLINE, runRealShapes, type RealShapesReport } from './real-shapes';
import { runStageProfile, type StageProfile } from './stage-profile';
import { realSection, realTargets } from './lib/real-report';
import { APP_GRAPH } from '../src/engine/graph/app-io';
import { PLAIN_GRAPH } from './lib/graph-io';

const a = parseArgs();
const quick = a.flags.has('quick');
const skip = new Set((a.values.get('skip') ?? '').split(',').filter(Boolean));
const outPath = a.values.get('out') ?? 'BENCHMARKS.md';
const command0 = `npx tsx bench/run.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;

function sh(cmd: string): string {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** the busiest other processes: the figures are only comparable with this load in mind */
function load(): { loadavg: number[]; top: string[] } {
  const top = sh('ps -eo pcpu,etime,args --sort=-pcpu --no-headers')
    .split('\n')
    .filter((l) => !/ps -eo/.test(l))
    .slice(0, 4)
    .map((l) => l.trim().replace(/\s+/g, ' ').slice(0, 140));
  return { loadavg: loadavg().map((x) => Number(x.toFixed(2))), top };
}

// --from-json: only re-render BENCHMARKS.md from a previous run's bench/out/results.json
const fromJson = a.values.get('from-json');
const saved = fromJson ? JSON.parse(readFileSync(fromJson, 'utf8')) : null;
/** the command that measured the figures (a re-render keeps the original one) */
const command: string = saved?.command ?? (saved ? 'npx tsx bench/run.ts' : command0);
const started = saved ? new Date(saved.started) : new Date();
const t0 = performance.now();
const loadStart: ReturnType<typeof load> = saved ? saved.loadStart : load();
log(`load at start: ${loadStart.loadavg.join(' ')}\n  ${loadStart.top.join('\n  ')}`);
const tiny = tinyModel();
if (!quick) model100M();
const chromium = await chromiumVersion();
const versions = ortVersions();
const pw = JSON.parse(readFileSync('node_modules/playwright-core/package.json', 'utf8')).version as string;

const results: {
  forward?: ForwardReport;
  sweep?: SweepReport;
  analysis?: AnalysisReport;
  memory?: MemoryReport;
  paint?: PaintReport;
  prepack?: PrepackReport;
  real?: RealShapesReport;
  stages?: StageProfile[];
  seconds: Record<string, number>;
  errors: Record<string, string>;
} = { seconds: {}, errors: {} };

async function step<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  if (skip.has(name)) return undefined;
  log(`\n=== ${name} ===`);
  const s = performance.now();
  try {
    return await fn();
  } catch (e) {
    results.errors[name] = (e as Error).stack ?? String(e);
    log(`${name} failed: ${(e as Error).message}`);
    return undefined;
  } finally {
    results.seconds[name] = (performance.now() - s) / 1000;
    log(`(${name}: ${fmt(results.seconds[name])} s)`);
  }
}

if (saved) {
  for (const k of ['forward', 'sweep', 'analysis', 'memory', 'paint', 'prepack', 'real', 'stages', 'seconds', 'errors'] as const) (results as Record<string, unknown>)[k] = saved[k];
  skip.add('forward').add('sweep').add('analysis').add('memory').add('first-paint').add('prepack').add('real-shapes').add('stage-profile');
}
if (!saved) results.forward = await step('forward', () => runForward({ models: quick ? ['tiny'] : ['tiny', '100m'], lengths: [64, 256, 1024], profile: true, profileT: 256, kernelsT: 256, oneThread: ['tiny'] }));
if (!saved) results.sweep = await step('sweep', () => runSweep({ lengths: quick ? [128] : [128, 512], reps: 3 }));
if (!saved) results.analysis = await step('analysis', () => runAnalysis({ lengths: quick ? [64, 256] : [64, 128, 256, 512, 1008], layers: [2, 4, 8], layersT: 256, headlineT: 128, reps: 3 }));
if (!saved) results.memory = await step('memory', () => runMemory({ models: quick ? ['tiny'] : ['tiny', '100m'], T: 64 }));
if (!saved) results.paint = await step('first-paint', () => runFirstPaint({ reps: 3 }));
if (!saved) results.prepack = await step('prepack', () => runPrepack({ models: quick ? [tiny] : [tiny, model100M()], reps: 7 }));
// the real shapes last: they take longest, and a model of 1B holds several GB while it runs
const realJson = a.values.get('real-shapes-json');
if (!saved && realJson) results.real = JSON.parse(readFileSync(realJson, 'utf8')) as RealShapesReport;
else if (!saved)
  results.real = await step('real-shapes', () =>
    runRealShapes(quick ? { models: ['qwen2.5-0.5b'], formats: { 'qwen2.5-0.5b': ['fp32'] }, lengths: [64], reps: 1 } : {}),
  );
// where the time of an analysis goes, stage by stage and op type by op type (the explanation of the ratios)
if (!saved)
  results.stages = await step('stage-profile', async () => {
    const out: StageProfile[] = [];
    for (const format of quick ? (['fp32'] as const) : (['fp32', 'int8'] as const)) out.push(await runStageProfile({ model: HEADLINE.model, format, T: quick ? 64 : HEADLINE.target }));
    return out;
  });
const loadEnd: ReturnType<typeof load> = saved ? saved.loadEnd : load();
const totalS: number = saved ? saved.totalS : (performance.now() - t0) / 1000;
if (!saved) writeJSON('bench/out/results.json', { ...results, started: started.toISOString(), totalS, loadStart, loadEnd, command });

// ---------------------------------------------------------------- BENCHMARKS.md

const L: string[] = [];
const x = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${fmt(v)}x`);
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${fmt(v)} ms`);
const mib = (b: number) => `${fmt(b / 2 ** 20, 4)} MiB`;
const F = results.forward;
const S = results.sweep;
const A = results.analysis;
const M = results.memory;
const P = results.paint;
const PP = results.prepack;

// multiply-adds per token of the tiny model: its layers (projections and MLP) vs the logit lens of every layer
const tinyFlops = (() => {
  try {
    const c = JSON.parse(readFileSync(`${tiny.dir}/config.json`, 'utf8'));
    const d = c.hidden_size;
    const hd = c.head_dim ?? d / c.num_attention_heads;
    const layers = c.num_hidden_layers * (d * (c.num_attention_heads + 2 * c.num_key_value_heads) * hd + c.num_attention_heads * hd * d + 3 * d * c.intermediate_size);
    return { layers, lens: (c.num_hidden_layers + 1) * c.vocab_size * d };
  } catch {
    return null;
  }
})();

// --- targets
type Row = [string, string, string, string, string];
const targets: Row[] = [];
const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'pass' : '**miss**');

if (F?.cells.length) {
  const worst = F.cells.reduce((w, c) => (c.ratio > w.ratio ? c : w));
  const best = F.cells.reduce((w, c) => (c.ratio < w.ratio ? c : w));
  const k = F.kernels;
  const find = (re: RegExp) => k.find((c) => re.test(c.name));
  const gemm = find(/x2048/);
  const vocab = find(/vocab/);
  const soft = find(/Softmax/);
  const over = find(/per-run/);
  const chain = find(/chained/);
  // per-op profiles in both runtimes: which op types carry the gap
  const profText = F.profiles
    .filter((p) => p.browser)
    .map((p) => {
      const b = p.browser!;
      const tops = b.groups.slice(0, 2).map((g) => {
        const n = p.native.groups.find((h) => h.name === g.name);
        return `${g.name} ${fmt(g.share * 100, 2)}% of browser kernel time at ${n ? x(g.ms / n.ms) : '–'} native`;
      });
      const cell = F.cells.find((c) => c.model === p.model && c.variant === p.variant && c.T === p.T);
      return `${p.model} ${p.variant} T=${p.T}: ${tops.join(', ')}; all kernels ${x(b.totalMs / p.native.totalMs)}${cell ? ` (wall ${x(cell.ratio)})` : ''}`;
    });
  targets.push([
    'browser WASM forward ≤ 1.5x native, every size',
    'forward',
    `${x(best.ratio)} … ${x(worst.ratio)} (worst: ${worst.model} ${worst.variant} T=${worst.T})`,
    verdict(F.cells.every((c) => c.ratio <= 1.5)),
    (profText.length ? `Per-op profiles, browser vs native — ${profText.join('; ')}. ` : '') +
      `One-op graphs at T=${gemm?.T ?? '–'}: Gemm ${x(gemm?.ratio)}, vocab Gemm ${x(vocab?.ratio)}, Where+Softmax ${x(soft?.ratio)}; while a run of a one-float Add costs ${ms(over?.ms.browser)} vs ${ms(over?.ms.native)} and ${CHAIN} chained small ops ${ms(chain?.ms.browser)} vs ${ms(chain?.ms.native)}. ` +
      (chain && chain.ms.browser < 0.1 * Math.min(...F.cells.map((c) => c.ms.browser))
        ? `So the gap is the WASM kernels' arithmetic (Gemm above all; 128-bit SIMD without FMA against native AVX2/FMA), not per-run or per-op overhead and not xlens's graph.`
        : `Per-op overhead is not negligible next to the smallest runs here; see the tables.`),
  ]);
}
if (A?.headline) {
  const h = A.headline;
  const share = (v: number) => `${fmt((100 * v) / h.analysisMs, 2)}%`;
  targets.push([
    'full analysis ≤ 8x one forward (tiny model)',
    'analysis',
    `${x(h.ratio)} (T=${h.T}: ${ms(h.analysisMs)} / ${ms(h.plainForwardMs)})`,
    verdict(h.ratio <= 8),
    `Stage times inside analyze() (each as plain forwards): forward with attention and the last-position lens ${share(h.stages.forwardMs)} (${x(h.stages.forwardMs / h.plainForwardMs)}), relevance ${share(h.stages.relevanceMs)} (${x(h.stages.relevanceMs / h.plainForwardMs)}), knockout sweep ${share(h.stages.knockoutMs)} (${x(h.stages.knockoutMs / h.plainForwardMs)}), generation ${share(h.stages.generateMs)} (${h.generated} tokens, ${x(h.stages.generateMs / h.plainForwardMs)}), the rest ${share(h.stages.otherMs)}. ` +
      `One session serves all of it: generation and knockout steps project one logit row and no lens (row inputs), the sweep starts from the forward's keys and values, the lens runs over the forward's residual states in row blocks. What remains is work the views need: ` +
      (tinyFlops ? `the lens grid (lens ${share(h.stages.lensMs ?? 0)}, ${x((h.stages.lensMs ?? 0) / h.plainForwardMs)}) is a final norm + unembedding of every layer at every position, (L+1)·V·d = ${fmt(tinyFlops.lens / 1e6)}M multiply-adds per token against ${fmt(tinyFlops.layers / 1e6)}M for the plain forward's layers (${x(tinyFlops.lens / tinyFlops.layers)}; the tiny model's vocabulary is large next to d=128), plus the log-softmax, rank and top-1 over V for each; ` : '') +
      `and AttnLRP relevance is a forward and a backward pass (a branch of the same graph and session, run once).`,
  ]);
}
if (S?.cells.length) {
  const worst = S.cells.reduce((w, c) => (c.ratio > w.ratio ? c : w));
  targets.push([
    'batched sweep ≤ 0.35x one run per window',
    'sweep',
    S.cells.map((c) => `${x(c.ratio)} at T=${c.T}`).join(', '),
    verdict(S.cells.every((c) => c.ratio <= 0.35)),
    `The engine runs the prompt's first T−1 tokens once and every mask as a one-token step on their KV cache, batched 8 (exact: knockout from the last position leaves earlier positions untouched); the baseline re-runs the whole prompt per window (${worst.runs} masks at T=${worst.T}: ${ms(worst.ms.batched)} vs ${ms(worst.ms.unbatched)}). ` +
      `The bench's own implementation of the same method gives ${S.cells.map((c) => `${x(c.ratioPrefixKv)} at T=${c.T}`).join(', ')}; a knockout-only graph without taps and lens, full prompt per run, ${S.cells.map((c) => `${x(c.ratioLeanGraph)}`).join(', ')}.`,
  ]);
}
if (M?.rows.length) {
  const big = M.rows.filter((r) => r.weightBytes > 100 * 2 ** 20);
  const judged = big.length ? big : M.rows;
  const c = judged.find((r) => r.where === 'chromium') ?? judged[0];
  const wasmLoad = c.extra.wasmHeapAfterLoad as number | undefined;
  const nodeRow = judged.find((r) => r.where === 'node');
  const jsKept = nodeRow?.extra.arrayBuffersAfterLoad as number | undefined;
  targets.push([
    'peak memory ≤ 1.5x weight bytes',
    'memory',
    judged.map((r) => `${r.where} ${r.model}: ${x(r.ratio)}`).join('; '),
    verdict(judged.every((r) => r.ratio <= 1.5)),
    `${c.where}, ${c.model}: right after loading, the peak is already ${mib(c.afterLoadPeakBytes)} (${x(c.afterLoadPeakBytes / c.weightBytes)} the weights)` +
      (typeof wasmLoad === 'number'
        ? `, of which onnxruntime's WASM heap is ${mib(wasmLoad)} (${x(wasmLoad / c.weightBytes)} the weights; ${mib(c.extra.wasmHeapPeak as number)} at the end) and the rest (${mib(c.afterLoadPeakBytes - wasmLoad)}) is outside it: JS (the fetched checkpoint bytes, the serialised graph) and the browser`
        : '') +
      (nodeRow && typeof jsKept === 'number' ? `. In Node, ${mib(jsKept)} of JS ArrayBuffers (${x(jsKept / nodeRow.weightBytes)} the weights) are alive after loading and a forced GC, ${mib(nodeRow.extra.arrayBuffersAtEnd as number)} at the end` : '') +
      `. The analysis adds ${mib(c.peakBytes - c.afterLoadPeakBytes)} on top. ` +
      (PP?.rows.length ? `Without pre-packing (see "The fast path" below and bench/prepack.ts) the session itself holds ${PP.rows.map((r) => `${x(r.sessionBytes.noPrepack / r.weightBytes)} the weights for ${r.model}`).join(', ')}. ` : '') +
      `What remains above 1.5x is the load: onnxruntime-web's InferenceSession.create copies every external-data tensor into its WASM heap while JS still holds the fetched checkpoint, and the heap never shrinks.`,
  ]);
}
if (P) {
  const r0 = P.runs.find((r) => r.firstHeatmapMs !== null);
  targets.push([
    'first heatmap ≤ 3 s after page open (tiny model)',
    'first-paint',
    P.status === 'measured' ? `${ms(P.medianMs)} (median of ${P.runs.filter((r) => r.firstHeatmapMs !== null).length})` : `not measured: ${P.reason}`,
    P.status === 'measured' ? verdict((P.medianMs ?? Infinity) <= 3000) : verdict(null),
    r0
      ? (() => {
          const load = parseStages(r0.loadTimings);
          const run = parseStages(r0.runTimings);
          const sum = (o: Record<string, number>) => Object.values(o).reduce((a2, b2) => a2 + b2, 0);
          const all = sum(load) + sum(run);
          return (
            `Timeline of one run (page clock): DOMContentLoaded ${ms(r0.domContentLoadedMs)}, ` +
            (r0.clickedRun ? `Run pressed at ${ms(r0.clickAtMs)} (the app does not start by itself), ` : 'the app starts by itself, ') +
            `model files fetched by ${ms(r0.modelFetchedMs)}, onnxruntime's WASM by ${ms(r0.runtimeFetchedMs)}, first heatmap row at ${ms(r0.firstHeatmapMs)}. ` +
            (Object.keys(load).length || Object.keys(run).length
              ? `The app's own stage times: ${Object.entries({ ...load, ...run }).map(([k2, v]) => `${k2} ${fmt(v)} ms`).join(', ')} (sum ${ms(all)}). ` +
                (() => {
                  // the lens is drawn from the fast result (forward + generated answer); knockout and relevance come after it
                  const st: Record<string, number | undefined> = { ...load, ...run };
                  const before = ['download', 'build', 'session', 'forward', 'generate'].reduce((a2, k2) => a2 + (st[k2] ?? 0), 0);
                  return r0.firstHeatmapMs !== null
                    ? `Those before the first heatmap (download, build, session, forward, generate) sum to ${ms(before)}; the other ${ms(r0.firstHeatmapMs - r0.domContentLoadedMs - before)} after DOMContentLoaded are not in the app's stage times (the worker and its modules starting, drawing).`
                    : '';
                })()
              : '')
          );
        })()
      : '',
  ]);
}

L.push('# xlens benchmarks', '');
L.push('Produced by `' + command + '` (the scripts and how to read them: [bench/README.md](bench/README.md)).', '');
L.push(`- Date: ${started.toISOString()}; total wall time ${fmt(totalS / 60)} min.`);
L.push(`- Machine: ${cpus()[0]?.model ?? '?'}, \`nproc\` = ${sh('nproc') || cpus().length}, ${fmt(totalmem() / 2 ** 30)} GiB RAM; ${sh('uname -sr')}.`);
L.push(`- Node ${process.version}; Chromium ${chromium} (${'/usr/bin/chromium'}, headless, via playwright-core ${pw}); onnxruntime-node ${versions.node} (CPU EP, ${THREADS} intra-op threads); onnxruntime-web ${versions.web} (\`ort.wasm.min.mjs\`, SIMD, ${THREADS} threads, cross-origin isolated page in Chromium; ${NODE_WASM_THREADS} thread in Node).`);
L.push(`- Load: the machine was shared. Load average ${loadStart.loadavg.join(' / ')} (1/5/15 min) at the start and ${loadEnd.loadavg.join(' / ')} at the end; busiest processes at the start:`);
for (const t of loadStart.top) L.push(`  - \`${t}\``);
L.push('  Times are therefore noisy (repeated runs of a cell can differ by 2x); ratios are measured in one run, contenders alternated, medians shown with their count n.');
L.push(`- Models: ${tiny.real ? `the app's tiny model (${tiny.dir})` : `**${tiny.note}**`}; and \`llama-100m\`, a random-weight Llama written by bench/make-model.ts (${PRESET_100M.layers} layers, d=${PRESET_100M.d}, ${PRESET_100M.heads} heads, intermediate ${PRESET_100M.intermediate}, vocab ${PRESET_100M.vocab}, tied: ${fmt(paramCount(PRESET_100M) / 1e6, 4)}M parameters, fp32).`);
L.push(`- Graphs: \`app\` = what the app runs (\`${JSON.stringify(APP_GRAPH).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ')}\`, src/engine/graph/app-io.ts), fed as the analysis forward runs it through \`appFeeds\`: logits, the full-vocabulary lens and attention at the last position, every residual state and the KV cache fetched as model.forward does (the lens of other positions runs afterwards over those states, in row blocks); \`plain\` = \`${JSON.stringify(PLAIN_GRAPH).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ')}\`. Weights inline in the protobuf (forward.ts).`);
if (Object.keys(results.errors).length) L.push(`- Failed steps: ${Object.entries(results.errors).map(([k, v]) => `${k} (${v.split('\n')[0]})`).join('; ')}.`);
L.push('');
const targetTable = (rows: string[][]) => {
  L.push('| target | bench | measured | verdict | measured reason |');
  L.push('| --- | --- | --- | --- | --- |');
  for (const t of rows) L.push(`| ${t.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`);
  L.push('');
};
if (results.real) {
  L.push('## Targets: real models at real lengths', '');
  targetTable(realTargets(results.real, results.stages ?? []));
}
L.push('## Targets: the tiny and 100M models', '');
targetTable(targets);

if (F) {
  L.push('## Forward: browser WASM vs native onnxruntime', '');
  L.push('`npx tsx bench/forward.ts --profile --kernels-T 256 --browser-1t tiny` — median ms of `session.run` (timed inside the page for the browser), n repetitions, contenders alternated.', '');
  L.push(forwardTable(F), '');
  L.push('Session creation (ms): ' + F.sessions.map((s) => `${s.model} ${s.variant}: browser ${fmt(s.browserCreateMs)}, native ${fmt(s.nativeCreateMs)}`).join('; ') + '.', '');
  if (F.kernels.length) L.push('One-op graphs (the 100M model\'s shapes), browser vs native:', '', kernelTable(F), '');
  for (const p of F.profiles)
    L.push(
      `Per-op profile (onnxruntime \`enableProfiling\`, kernel time summed per op type${p.native.runs ? `, median of ${p.native.runs} run${p.native.runs > 1 ? 's' : ''} after a warm-up` : ''}), ${p.model} \`${p.variant}\` graph, T=${p.T}: native ${fmt(p.native.totalMs)} ms${p.browser ? `, browser ${fmt(p.browser.totalMs)} ms` : ''} of kernel time.`,
      '',
      profileTable(p.native, p.browser),
      '',
    );
  for (const n of F.notes) L.push(`Note: ${n}`, '');
}
if (A) {
  const t = analysisTables(A);
  L.push('## Full analysis vs one forward, and scaling', '');
  L.push('`npx tsx bench/analysis.ts` — `analyze(model, input, { knockout: true, relevance: true, maxNewTokens: 16 })` (what the app runs) in Node on onnxruntime-web (the browser\'s WASM kernels), against a run of the `plain` graph on the same prompt ids in the same runtime. Synthetic "X lives in Y." contexts.', '');
  L.push(t.rows, '', t.fits, '');
  const kT = A.fitLength.analysis.exponent;
  const kL = A.fitLayers.analysis.exponent;
  L.push(
    `Exponents: time ∝ T^k and ∝ L^k, least squares on log-log. Analysis time grows as T^${fmt(kT)} (a plain forward as T^${fmt(A.fitLength.plainForward.exponent)}): ` +
      (kT < 1.3 ? 'near-linear over this range, the per-token work (projections, vocab-sized lens) still dominates the T² attention; ' : kT < 1.8 ? 'between linear and quadratic: the T² attention (and T×T knockout masks) take over at the long end; ' : 'quadratic: attention and the T×T masks dominate; ') +
      `and as L^${fmt(kL)} in depth` +
      (kL > 1.5 ? ', close to L², because the sweep has one window per layer and each of its runs costs ∝ L.' : '.'),
    '',
  );
}
if (S) {
  L.push('## Knockout sweep: batched vs one run per window', '');
  L.push(`\`npx tsx bench/sweep.ts\` — \`knockoutSweep\` on ${S.model} (L=${S.L}, window ${Math.max(1, Math.round(S.L / 4))}, 4 source sets, baseline run included) as the engine runs it (prefix KV cache, batchSize 8) vs one run of the whole prompt per window (batchSize 1, reusePrefix false), same masks, same session, onnxruntime-web in Node, ${S.threads} thread. "prefix-kv" is the bench's independent implementation of the engine's method and "lean graph" a knockout-only graph (bench code), both checked to give the same log-probabilities.`, '');
  L.push(sweepTable(S), '');
}
if (M) {
  L.push('## Memory: peak / weight bytes', '');
  L.push('`npx tsx bench/memory.ts` — load the model and run one analysis as the app does, with the knockout sweep and relevance (T≈64). Node: VmHWM of a fresh process. Chromium: peak RSS of the page\'s renderer process (VmHWM and RSS polled every 10 ms), and onnxruntime\'s WASM heap size (WebAssembly.Memory only grows, so its size at the end is its peak). "baseline" = the process before the model (Node + onnxruntime-web + transformers.js, or an empty page).', '');
  L.push(memoryTable(M), '');
  for (const n of M.notes) L.push(`Note: ${n}`, '');
  if (PP?.rows.length) L.push('Weight pre-packing (`npx tsx bench/prepack.ts`): resident-set growth of creating the app session in a fresh Node process, and run times with both sessions in one process, alternated.', '', prepackTable(PP), '');
  L.push('For the tiny model the ratio mostly measures the runtime itself (baseline and the WASM runtime are far larger than 5 MiB of weights); the 110M model is the meaningful figure for the target.', '');
}
if (P) {
  L.push('## First heatmap after page open', '');
  L.push('`npx tsx bench/first-paint.ts` — `npm run build` (into bench/out/app-dist), `vite preview --port 4173 --strictPort`, a fresh headless Chromium per run (cold cache); the page\'s own clock from navigation start to the first `[data-testid="lens-heatmap"] [data-layer]` element.', '');
  if (P.portNote) L.push(`Note: ${P.portNote}.`, '');
  if (P.note) L.push(`Note: ${P.note}${P.url ? `; the app opened it from a local hub-layout server: \`${P.url}\`` : ''}.`, '');
  L.push(P.status === 'measured' ? `Median: **${ms(P.medianMs)}**.` : `Not measured: ${P.reason}`, '');
  if (P.runs.length) L.push(paintTable(P), '');
  if (P.runs.some((r) => r.mainThread)) {
    L.push(
      'Main thread while the rest of the analysis streams in (from the first heatmap until the knockout and relevance heatmaps have rows): every `requestAnimationFrame` time and the Long Tasks API (tasks over 50 ms), in the page. One frame at 60 Hz is 16.7 ms.',
      '',
      mainThreadTable(P),
      '',
    );
  }
}
if (results.real) L.push(...realSection(results.real, results.stages ?? [], realJson ? `npx tsx bench/real-shapes.ts` : command.includes('--quick') ? 'npx tsx bench/real-shapes.ts --quick' : 'npx tsx bench/real-shapes.ts'));
L.push('## The fast path, and what is left', '');
L.push(
  "- **One session per model for every kind of work**: the app graph's row inputs choose where logits, the last-position lens and attention rows are computed, and its lens branch reduces fed-back residual states block by block (graph/app-io.ts), so the analysis forward, generation and knockout steps, the lens and relevance all run in one session; the weights are held once. (A separate lean session per kind would hold the weights again in the same 4 GiB WASM heap.)",
);
if (A?.headline) {
  const h = A.headline;
  L.push(
    `- **KV cache**: generation decodes from the analysis forward's keys and values (${h.generated} tokens in ${ms(h.stages.generateMs)} at T=${h.T}), and the knockout sweep takes its T−1-token prefix from the same cache, each mask a one-token step batched 8.`,
  );
}
if (F?.cells.some((c) => c.ms['browser-1t'] !== undefined)) {
  const c1 = F.cells.filter((c) => c.ms['browser-1t'] !== undefined);
  const faster = c1.filter((c) => c.ms['browser-1t'] < c.ms.browser);
  if (faster.length === c1.length)
    L.push(
      `- **WASM threads**: on this machine (2 cores, shared) onnxruntime-web on 1 thread was faster than on 2 in every cell where both ran (${c1.map((c) => `${c.model} ${c.variant} T=${c.T}: ${fmt(c.ms['browser-1t'])} vs ${fmt(c.ms.browser)} ms`).join('; ')}). A thread count fixed from \`hardwareConcurrency\` is not a sure win; measure once at startup or offer the choice.`,
    );
}
{
  const mts = P?.runs.map((r) => r.mainThread).filter((m): m is NonNullable<typeof m> => !!m) ?? [];
  if (mts.length) {
    const worstGap = Math.max(...mts.map((m) => m.maxFrameGapMs));
    const worstTask = Math.max(...mts.map((m) => m.longestTaskMs));
    L.push(
      `- **UI thread**: the engine runs in a worker; while knockout and relevance stream in after the first heatmap, the page's longest gap between animation frames was ${ms(worstGap)} and its longest task ${worstTask ? ms(worstTask) : 'under 50 ms (no long task)'} (worst of ${mts.length} runs; one frame is 16.7 ms). ` +
        (worstGap > 2 * 16.7 ? `${Math.max(...mts.map((m) => m.gapsOver2Frames))} gaps exceeded two frames in the worst run (table under "First heatmap").` : 'No gap exceeded two frames.'),
    );
  }
}
if (PP?.rows.length) {
  const big = PP.rows.reduce((w, r) => (r.weightBytes > w.weightBytes ? r : w));
  L.push(
    `- **Memory**: WASM sessions open without MLAS's weight pre-packing (\`session.disable_prepacking\`): for ${big.model} the session grew by ${x(big.sessionBytes.prepack / big.weightBytes)} the weights with it and ${x(big.sessionBytes.noPrepack / big.weightBytes)} without, at ${x(big.forwardMs.noPrepack / big.forwardMs.prepack)} the time of an analysis forward and ${x(big.stepMs.noPrepack / big.stepMs.prepack)} of a batch-8 one-token step (MLAS then packs each Gemm's weight per call, which small batches feel). Memory wins: a 0.5B model's packed copy alone would be 1.2 GiB of the 4 GiB heap. Left: onnxruntime-web copies external data into its heap while JS still holds the fetched checkpoint, so loading peaks at about twice the weights. Relevance is a branch (If) of the same graph, so no second session holds the weights again.`,
  );
}
if (P?.status === 'measured') {
  const r0 = P.runs.find((r) => r.firstHeatmapMs !== null)!;
  const st = { ...parseStages(r0.loadTimings), ...parseStages(r0.runTimings) };
  const pre = ['download', 'build', 'session', 'forward'].reduce((a2, k2) => a2 + (st[k2] ?? 0), 0);
  L.push(
    `- **First paint**: ${r0.clickedRun ? 'start loading on page open, not on Run; ' : ''}draw the lens heatmap as soon as the forward returns (it has everything the lens needs) and stream generation, knockout and relevance after it` +
      (pre
        ? `: download + build + session + forward took ${ms(pre)} in the app's own timings of the first run, against ${ms(r0.firstHeatmapMs)} to the first heatmap row; the largest of those is ${Object.entries(st)
            .filter(([k2]) => ['download', 'build', 'session', 'forward'].includes(k2))
            .sort((a2, b2) => b2[1] - a2[1])
            .slice(0, 1)
            .map(([k2, v]) => `${k2} (${ms(v)})`)
            .join('')}`
        : '') +
      '.',
  );
}
L.push('');
writeFileSync(outPath, L.join('\n'));
log(`\nwrote ${outPath} (${fmt(totalS / 60)} min in all)`);
