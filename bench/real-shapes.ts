// (One file, longer than most: the parent, its Node child and its browser contender share one protocol.)
// real-shapes: the curated models' real shapes (bench/lib/real-models.ts: random weights, exact configs,
// real tokenizers) on XQuAD prompts with the chat template at T ≈ 64, 256, 512, 1024
// (bench/lib/xquad-prompts.ts), through the engine as the app runs it: load, then one default analysis
// (analyze(): lens 'auto', knockout and relevance on, the generation cap from the gold answer) against
// one plain forward of the same prompt ids (the plain graph, same checkpoint, same weight format, same
// session options), in Node (onnxruntime-web's WASM kernels, as the other benches) and in headless
// Chromium (the bench page, WASM, cross-origin isolated).
//
// Per model, format and runtime, two processes hold the model: one the engine (the app graph), one the
// plain graph; their weights would not fit one 4 GiB WASM heap together (Qwen2.5-0.5B fp32: 1.98 GB
// each), and the engine's heap stays the engine's alone, so its peak is the analysis's. Only one of them
// computes at a time: per prompt, analysis and plain forward alternate (A B, B A, ...). Node first, then
// Chromium; one model at a time (a 1B model's processes hold several GB).
// Figures per cell: the time to the first partial result (the first heatmap), every stage's time from
// analyze()'s timings and its ratio to the plain forward, and the WASM heap after the analysis (a heap
// only grows: its size is the peak so far, prompts run shortest first) against the session's weights.
//
//   npx tsx bench/real-shapes.ts [--models qwen2.5-0.5b,gemma-3-270m,smollm2-360m,llama-3.2-1b]
//        [--formats qwen2.5-0.5b=fp32+int8,llama-3.2-1b=int8] [--lengths 64,256,512,1024]
//        [--runtimes node,chromium] [--reps 2] [--headline-reps 4] [--cell-budget-s 240] [--quick] [--json bench/out/real-shapes.json]
// --quick: the Qwen2.5-0.5B shape, fp32, at T ≈ 64 only. --formats picks the weight formats per model
// (the quantised format is a parameter: whatever WeightFormat the engine offers).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { WeightFormat } from '../src/engine/arch/size';
import type { ResultInput } from '../src/engine/result';
import { buildPrompt } from '../src/engine/text/prompt';
import { argList, argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';
import { ensureRealShape, REAL_SHAPES, realShape, realShapeDir, realShapeSpec, realShapeTokenizer, sessionWeightBytes, type RealShape } from './lib/real-models';
import { xquadPrompts, type XquadPrompt } from './lib/xquad-prompts';
import type { AnalysisFigures } from './lib/real-runner';
import { startServer, type BenchServer } from './lib/server';
import { openBenchPage, type BenchBrowser } from './lib/browser';
import { NODE_WASM_THREADS } from './lib/engine-node';
import { THREADS as BROWSER_THREADS } from './lib/native';

export type Runtime = 'node' | 'chromium';

export interface LoadFigures {
  ms: number;
  timings: { downloadMs: number; buildMs: number; sessionMs: number };
  heapAfterLoad: number;
  weightFormat?: string;
}

export interface RealCell {
  model: string;
  format: WeightFormat;
  runtime: Runtime;
  target: number;
  T: number;
  prompt: string;
  analyses: AnalysisFigures[];
  plainMs: number[];
  /** CPU time of the plain forwards (Node) */
  plainCpuMs: number[];
  /** the engine process's peak resident set after the cell (Node only) */
  rssPeak?: number;
  error?: string;
}

export interface RealRun {
  model: string;
  format: WeightFormat;
  runtime: Runtime;
  /** bytes of the weights the session holds (the graph's initializers) */
  weightBytes: number;
  engineLoad?: LoadFigures;
  plainLoad?: LoadFigures;
  plainHeap?: number;
  error?: string;
}

export interface RealShapesReport {
  prompts: { model: string; tokenizer: string; prompts: Omit<XquadPrompt, 'input'>[] }[];
  runs: RealRun[];
  cells: RealCell[];
  threads: { node: number; chromium: number };
  /** 1-minute load average sampled every 30 s while the bench ran */
  load: { min: number; max: number; mean: number; samples: number };
  notes: string[];
}

interface Contender {
  load: LoadFigures;
  analyze(input: ResultInput): Promise<AnalysisFigures & { rssPeak?: number }>;
  plain(ids: number[]): Promise<{ ms: number; heap: number; cpuMs?: number }>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- Node: one child process per role

/** a child process that holds one model (the engine's app graph, or the plain graph) and answers requests */
async function nodeContender(role: 'engine' | 'plain', dir: string, format: WeightFormat): Promise<Contender> {
  const script = fileURLToPath(import.meta.url);
  const p: ChildProcess = spawn(process.execPath, [...process.execArgv, script, '--child', role, '--dir', dir, '--format', format], {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  p.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
    process.stderr.write(b);
  });
  let next = 1;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  let exited: Error | null = null;
  let readyOk: (v: LoadFigures) => void = () => {};
  let readyFail: (e: Error) => void = () => {};
  const ready = new Promise<LoadFigures>((ok, fail) => {
    readyOk = ok;
    readyFail = fail;
  });
  p.on('message', (m: { type: string; id?: number; ok?: boolean; result?: unknown; error?: string; load?: LoadFigures }) => {
    if (m.type === 'ready') return readyOk(m.load!);
    if (m.type === 'failed') return readyFail(new Error(m.error));
    const w = waiting.get(m.id!);
    waiting.delete(m.id!);
    if (m.ok) w?.ok(m.result);
    else w?.fail(new Error(m.error));
  });
  p.on('exit', (code, signal) => {
    exited = new Error(`the ${role} process ended (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 600)}`);
    readyFail(exited);
    for (const w of waiting.values()) w.fail(exited);
    waiting.clear();
  });
  const call = <R>(op: string, payload: unknown): Promise<R> => {
    if (exited) return Promise.reject(exited);
    const id = next++;
    return new Promise<R>((ok, fail) => {
      waiting.set(id, { ok: ok as (v: unknown) => void, fail });
      p.send({ op, id, payload });
    });
  };
  const load = await ready;
  return {
    load,
    analyze: (input) => call('analyze', input),
    plain: (ids) => call('plain', ids),
    stop: async () => {
      if (exited) return;
      const done = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await done;
    },
  };
}

function vmHWM(): number {
  const s = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? 0) * 1024;
}

/** child mode: load, say ready, then answer requests one at a time */
async function child(role: 'engine' | 'plain', dir: string, format: WeightFormat): Promise<void> {
  // the hook goes in before onnxruntime-web creates its memory
  const { watchWasmHeap } = await import('./lib/wasm-heap');
  const heap = watchWasmHeap();
  const { loadNodeEngine, nodeOrt } = await import('./lib/engine-node');
  const { openPlain, plainForwardMs, timedAnalysis } = await import('./lib/real-runner');
  const send = (m: unknown) => process.send!(m);
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  try {
    const t0 = performance.now();
    if (role === 'engine') {
      const model = await loadNodeEngine(dir, { weights: format });
      send({ type: 'ready', load: { ms: performance.now() - t0, timings: model.timings, heapAfterLoad: heap(), weightFormat: model.weightFormat } });
      process.on('message', (m: { op: string; id: number; payload: ResultInput }) => {
        timedAnalysis(model, m.payload, heap, cpu).then(
          (r) => send({ id: m.id, ok: true, result: { ...r, rssPeak: vmHWM() } }),
          (e: Error) => send({ id: m.id, ok: false, error: e.message }),
        );
      });
    } else {
      const plain = await openPlain({ kind: 'dir', path: dir }, nodeOrt(), format);
      send({ type: 'ready', load: { ms: performance.now() - t0, timings: plain.timings, heapAfterLoad: heap() } });
      process.on('message', (m: { op: string; id: number; payload: number[] }) => {
        const c0 = cpu();
        plainForwardMs(plain, m.payload).then(
          (ms) => send({ id: m.id, ok: true, result: { ms, cpuMs: cpu() - c0, heap: heap() } }),
          (e: Error) => send({ id: m.id, ok: false, error: e.message }),
        );
      });
    }
  } catch (e) {
    send({ type: 'failed', error: (e as Error).message });
    process.exit(1);
  }
}

// ---------------------------------------------------------------- Chromium: one bench page (its own browser) per role

async function chromiumContender(server: BenchServer, role: 'engine' | 'plain', dir: string, format: WeightFormat): Promise<Contender> {
  const br: BenchBrowser = await openBenchPage(server.url);
  let crashed: Error | null = null;
  br.page.on('crash', () => {
    crashed = new Error(`the ${role} page crashed (out of memory?)`);
  });
  const url = `${server.url}/files/${dir}`;
  const guard = async <R>(fn: () => Promise<R>): Promise<R> => {
    if (crashed) throw crashed;
    try {
      return await fn();
    } catch (e) {
      throw crashed ?? e;
    }
  };
  try {
    const load: LoadFigures =
      role === 'engine'
        ? await br.page.evaluate(([u, th, w]) => (window as any).xbench.loadEngine(u, th, w), [url, BROWSER_THREADS, format] as const)
        : await br.page.evaluate(([u, th, w]) => (window as any).xbench.plainLoad(u, th, w), [url, BROWSER_THREADS, format] as const);
    return {
      load,
      analyze: (input) => guard(() => br.page.evaluate((inp) => (window as any).xbench.realAnalyze(inp), input)),
      plain: (ids) => guard(() => br.page.evaluate((x) => (window as any).xbench.plainForward(x), ids)),
      stop: () => br.close(),
    };
  } catch (e) {
    await br.close();
    throw crashed ?? e;
  }
}

// ---------------------------------------------------------------- the run

/** MemAvailable of this machine (shared with others: a model is not started without room for it) */
function memAvailable(): number {
  const s = readFileSync('/proc/meminfo', 'utf8');
  return Number(/^MemAvailable:\s+(\d+) kB/m.exec(s)?.[1] ?? 0) * 1024;
}

async function waitForMemory(bytes: number, what: string, notes: string[]): Promise<void> {
  const t0 = performance.now();
  while (memAvailable() < bytes) {
    if (performance.now() - t0 > 15 * 60_000) {
      notes.push(`${what} started with ${fmt(memAvailable() / 2 ** 30)} GiB available, under the ${fmt(bytes / 2 ** 30)} GiB it may take`);
      return;
    }
    log(`  waiting for ${fmt(bytes / 2 ** 30)} GiB of free memory before ${what} (${fmt(memAvailable() / 2 ** 30)} GiB available)`);
    await new Promise((r) => setTimeout(r, 30_000));
  }
}

export interface RealShapesOptions {
  models?: string[];
  formats?: Record<string, WeightFormat[]>;
  lengths?: number[];
  runtimes?: Runtime[];
  reps?: number;
  cellBudgetMs?: number;
  /** the cells the targets are judged on (Qwen2.5-0.5B shape, T ≈ 256) get this many repetitions (default 4) */
  headlineReps?: number;
}

/** the issue's headline cell: first heatmap and full analysis against a plain forward */
export const HEADLINE = { model: 'qwen2.5-0.5b', target: 256 };

export async function runRealShapes(opts: RealShapesOptions = {}): Promise<RealShapesReport> {
  const shapes = (opts.models ?? REAL_SHAPES.map((s) => s.key)).map(realShape);
  const lengths = opts.lengths ?? [64, 256, 512, 1024];
  const runtimes = opts.runtimes ?? ['node', 'chromium'];
  const maxReps = opts.reps ?? 2;
  const budget = opts.cellBudgetMs ?? 240_000;
  const report: RealShapesReport = { prompts: [], runs: [], cells: [], threads: { node: NODE_WASM_THREADS, chromium: BROWSER_THREADS }, load: { min: 0, max: 0, mean: 0, samples: 0 }, notes: [] };
  const loads: number[] = [loadavg()[0]];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 30_000);
  const server = runtimes.includes('chromium') ? await startServer() : null;
  try {
    for (const shape of shapes) {
      const ck = ensureRealShape(shape, log);
      const spec = realShapeSpec(shape);
      const tok = realShapeTokenizer(shape);
      const prompts = xquadPrompts(tok, lengths);
      report.prompts.push({ model: shape.name, tokenizer: shape.tokenizerNote, prompts: prompts.map(({ input: _i, ...p }) => p) });
      for (const p of prompts) log(`${shape.name}: T≈${p.target} → ${p.T} tokens, ${p.label}`);
      const idsOf = new Map(prompts.map((p) => [p, buildPrompt(tok, p.input).ids]));
      for (const format of opts.formats?.[shape.key] ?? shape.formats) {
        const weightBytes = sessionWeightBytes(spec, format);
        for (const runtime of runtimes) {
          const run: RealRun = { model: shape.name, format, runtime, weightBytes };
          report.runs.push(run);
          log(`\n=== ${shape.name} ${format} ${runtime} (session weights ${fmt(weightBytes / 2 ** 20, 4)} MiB) ===`);
          // two processes holding the weights, each with a copy of the checkpoint while it loads
          await waitForMemory(2 * weightBytes + ck.bytes + 2 * 2 ** 30, `${shape.name} ${format} ${runtime}`, report.notes);
          const dir = realShapeDir(shape);
          const start = (role: 'engine' | 'plain') => (runtime === 'node' ? nodeContender(role, dir, format) : chromiumContender(server!, role, dir, format));
          let engine: Contender | null = null;
          let plain: Contender | null = null;
          try {
            engine = await start('engine');
            run.engineLoad = engine.load;
            log(`  engine loaded in ${fmt(engine.load.ms / 1000)} s (${JSON.stringify(engine.load.timings, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}), heap ${fmt(engine.load.heapAfterLoad / 2 ** 20, 4)} MiB`);
            plain = await start('plain');
            run.plainLoad = plain.load;
            log(`  plain graph loaded in ${fmt(plain.load.ms / 1000)} s, heap ${fmt(plain.load.heapAfterLoad / 2 ** 20, 4)} MiB`);
            // one untimed warm-up of each at the shortest prompt (first runs allocate the arenas)
            await engine.analyze(prompts[0].input);
            await plain.plain(idsOf.get(prompts[0])!);
          } catch (e) {
            run.error = (e as Error).message;
            log(`  failed: ${run.error}`);
            await engine?.stop();
            await plain?.stop();
            continue;
          }
          for (const p of [...prompts].sort((a, b) => a.T - b.T)) {
            const cell: RealCell = { model: shape.name, format, runtime, target: p.target, T: p.T, prompt: p.label, analyses: [], plainMs: [], plainCpuMs: [] };
            report.cells.push(cell);
            const t0 = performance.now();
            try {
              if (!engine) {
                engine = await start('engine');
                await engine.analyze(prompts[0].input);
              }
              const headline = shape.key === HEADLINE.model && p.target === HEADLINE.target;
              const reps = headline ? Math.max(maxReps, opts.headlineReps ?? 4) : maxReps;
              for (let r = 0; r < reps; r++) {
                const a = async () => {
                  const f = await engine!.analyze(p.input);
                  cell.analyses.push(f);
                  if (f.rssPeak) cell.rssPeak = Math.max(cell.rssPeak ?? 0, f.rssPeak);
                };
                const b = async () => {
                  const f = await plain!.plain(idsOf.get(p)!);
                  cell.plainMs.push(f.ms);
                  if (f.cpuMs !== undefined) cell.plainCpuMs.push(f.cpuMs);
                  run.plainHeap = Math.max(run.plainHeap ?? 0, f.heap);
                };
                if (r % 2 === 0) {
                  await a();
                  await b();
                } else {
                  await b();
                  await a();
                }
                const spent = performance.now() - t0;
                if (spent * (1 + 1 / (r + 1)) > (headline ? 2 * budget : budget)) break;
              }
              const A = cell.analyses;
              const tt = (k: keyof AnalysisFigures['timings']) => median(A.map((x) => x.timings[k] ?? 0));
              log(
                `  T=${p.T}: first heatmap ${fmt(median(A.map((x) => x.firstPartialMs ?? NaN)))} ms, total ${fmt(tt('totalMs'))} ms (forward ${fmt(tt('forwardMs'))}, generate ${fmt(tt('generateMs'))} for ${A[0].generated}, lens ${fmt(tt('lensMs'))} ${A[0].coverage}, knockout ${fmt(tt('knockoutMs'))}, relevance ${fmt(tt('relevanceMs'))}); plain forward ${fmt(median(cell.plainMs))} ms; heap ${fmt(Math.max(...A.map((x) => x.heapAfter)) / 2 ** 20, 4)} MiB (n=${A.length})`,
              );
              if (A.some((x) => x.T !== p.T)) report.notes.push(`${shape.name} ${runtime}: the engine's prompt has ${A[0].T} tokens where the bench counted ${p.T}`);
            } catch (e) {
              cell.error = (e as Error).message;
              log(`  T=${p.T}: failed: ${cell.error}`);
              // a process that died (out of memory) is started again for the next prompt
              await engine?.stop().catch(() => undefined);
              engine = null;
            }
          }
          await engine?.stop();
          await plain?.stop();
        }
      }
    }
  } finally {
    clearInterval(sampler);
    await server?.close();
  }
  loads.push(loadavg()[0]);
  report.load = { min: Math.min(...loads), max: Math.max(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length, samples: loads.length };
  return report;
}

// ---------------------------------------------------------------- tables

const MiB = 2 ** 20;
const med = (xs: number[]) => median(xs.filter((x) => Number.isFinite(x)));
const x = (v: number) => (Number.isFinite(v) ? `${fmt(v)}x` : '–');

/** medians of a cell: stage times, the plain forward, ratios, the heap */
export function cellFigures(c: RealCell, weightBytes: number) {
  const A = c.analyses;
  const t = (k: keyof AnalysisFigures['timings']) => med(A.map((a) => a.timings[k] ?? 0));
  const plain = med(c.plainMs);
  const first = med(A.map((a) => a.firstPartialMs ?? NaN));
  const total = t('totalMs');
  const heap = A.length ? Math.max(...A.map((a) => a.heapAfter)) : NaN;
  return {
    first,
    forward: t('forwardMs'),
    generate: t('generateMs'),
    generated: A[0]?.generated ?? 0,
    lens: t('lensMs'),
    coverage: A[0]?.coverage ?? '–',
    knockout: t('knockoutMs'),
    relevance: t('relevanceMs'),
    total,
    plain,
    firstRatio: first / plain,
    totalRatio: total / plain,
    heap,
    overWeights: heap - weightBytes,
    n: A.length,
  };
}

export function realShapesTables(r: RealShapesReport): { prompts: string; cells: string; loads: string; cpu: string } {
  const prompts = table(
    ['model', 'tokenizer', 'T asked', 'T', 'XQuAD prompt (chat template)'],
    r.prompts.flatMap((m) => m.prompts.map((p) => [m.model, m.tokenizer.split(' (')[0].split(':')[0], p.target, p.T, p.label])),
  );
  const weightsOf = (c: RealCell) => r.runs.find((u) => u.model === c.model && u.format === c.format && u.runtime === c.runtime)?.weightBytes ?? NaN;
  const withRatio = (ms: number, plain: number) => (Number.isFinite(ms) ? `${fmt(ms)} (${x(ms / plain)})` : '–');
  const cells = table(
    ['model', 'weights', 'runtime', 'T', 'first heatmap ms (× plain)', 'forward', 'generate (tokens)', 'lens (coverage)', 'knockout', 'relevance', 'total ms (× plain)', 'plain forward ms', 'WASM heap peak MiB', 'heap − weights MiB', 'n'],
    r.cells.map((c) => {
      if (c.error && !c.analyses.length) return [c.model, c.format, c.runtime, c.T, `**failed**: ${c.error.slice(0, 120)}`, '', '', '', '', '', '', '', '', '', 0];
      const f = cellFigures(c, weightsOf(c));
      return [
        c.model,
        c.format,
        c.runtime,
        c.T,
        withRatio(f.first, f.plain),
        withRatio(f.forward, f.plain),
        `${withRatio(f.generate, f.plain)} (${f.generated})`,
        `${withRatio(f.lens, f.plain)} (${f.coverage})`,
        withRatio(f.knockout, f.plain),
        withRatio(f.relevance, f.plain),
        withRatio(f.total, f.plain),
        fmt(f.plain),
        fmt(f.heap / MiB, 4),
        fmt(f.overWeights / MiB, 4),
        f.n,
      ];
    }),
  );
  const loads = table(
    ['model', 'weights', 'runtime', 'session weights MiB', 'load s (read / build / session)', 'WASM heap after load MiB', 'plain graph: load s, heap MiB', 'note'],
    r.runs.map((u) => {
      const l = u.engineLoad;
      const s = (v: number) => fmt(v / 1000);
      return [
        u.model,
        u.format,
        u.runtime,
        fmt(u.weightBytes / MiB, 4),
        l ? `${s(l.ms)} (${s(l.timings.downloadMs)} / ${s(l.timings.buildMs)} / ${s(l.timings.sessionMs)})` : '–',
        l ? fmt(l.heapAfterLoad / MiB, 4) : '–',
        u.plainLoad ? `${s(u.plainLoad.ms)}, ${fmt((u.plainHeap ?? u.plainLoad.heapAfterLoad) / MiB, 4)}` : '–',
        u.error ? `failed: ${u.error.slice(0, 160)}` : '',
      ];
    }),
  );
  const cpuCells = r.cells.filter((c) => c.analyses.some((a) => a.cpu) && c.plainCpuMs.length);
  const cpu = table(
    ['model', 'weights', 'T', 'first heatmap CPU ms (× plain)', 'forward', 'generate', 'lens', 'knockout', 'relevance', 'total CPU ms (× plain)', 'plain forward CPU ms', 'n'],
    cpuCells.map((c) => {
      const plain = med(c.plainCpuMs);
      const st = (k: string) => med(c.analyses.map((a) => a.cpu?.stages[k] ?? 0));
      const first = med(c.analyses.map((a) => a.cpu?.firstPartialMs ?? NaN));
      const total = med(c.analyses.map((a) => a.cpu?.totalMs ?? NaN));
      return [c.model, c.format, c.T, withRatio(first, plain), withRatio(st('forward'), plain), withRatio(st('generate'), plain), withRatio(st('lens'), plain), withRatio(st('knockout'), plain), withRatio(st('relevance'), plain), withRatio(total, plain), fmt(plain), c.analyses.length];
    }),
  );
  return { prompts, cells, loads, cpu };
}

function parseFormats(v: string | undefined): Record<string, WeightFormat[]> | undefined {
  if (!v) return undefined;
  return Object.fromEntries(v.split(',').map((kv) => {
    const [k, f] = kv.split('=');
    return [realShape(k).key, f.split('+') as WeightFormat[]];
  }));
}

export function realShapesOptions(a: ReturnType<typeof parseArgs>): RealShapesOptions {
  const quick = a.flags.has('quick');
  return {
    models: a.values.get('models')?.split(',') ?? (quick ? ['qwen2.5-0.5b'] : undefined),
    formats: parseFormats(a.values.get('formats')) ?? (quick ? { 'qwen2.5-0.5b': ['fp32'] } : undefined),
    lengths: argList(a, 'lengths', quick ? [64] : [64, 256, 512, 1024]),
    runtimes: (a.values.get('runtimes')?.split(',') as Runtime[] | undefined) ?? ['node', 'chromium'],
    reps: argNum(a, 'reps', quick ? 1 : 2),
    cellBudgetMs: argNum(a, 'cell-budget-s', 240) * 1000,
    headlineReps: a.values.has('headline-reps') ? argNum(a, 'headline-reps', 4) : undefined,
  };
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const role = a.values.get('child');
  if (role === 'engine' || role === 'plain') {
    await child(role, a.values.get('dir')!, a.values.get('format') as WeightFormat);
  } else {
    const r = await runRealShapes(realShapesOptions(a));
    const t = realShapesTables(r);
    log(`\n${t.prompts}\n\n${t.loads}\n\n${t.cells}\n\nCPU time (Node):\n${t.cpu}`);
    for (const n of r.notes) log(`note: ${n}`);
    log(`load average (1 min) while running: ${fmt(r.load.min)} … ${fmt(r.load.max)}, mean ${fmt(r.load.mean)}`);
    writeJSON(a.values.get('json') ?? 'bench/out/real-shapes.json', r);
  }
}
