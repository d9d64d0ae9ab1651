// memory: peak memory of loading a model and running one full analysis as the app does (knockout
// sweep and relevance), divided by the model's weight bytes (the fp32 safetensors tensor bytes).
//  - Node (onnxruntime-web, the engine as the CLI runs it): a fresh child process per model;
//    peak = VmHWM (the kernel's peak resident set) from /proc/self/status, also the peaks of
//    process.memoryUsage() rss / arrayBuffers sampled every 5 ms, and the JS ArrayBuffers still
//    alive after loading and at the end (after a forced GC; the WASM heap is not among them).
//  - Chromium (the engine in the bench page, WASM, 2 threads): a fresh browser per model;
//    peak = peak RSS of the page's renderer process (the WASM heap and its threads live there;
//    VmHWM and RSS polled every 10 ms, as Chromium resets VmHWM),
//    baseline = that process's RSS before loading; plus the size of onnxruntime's WASM heap
//    (WebAssembly.Memory, which only grows, so its final size is its peak), and
//    performance.measureUserAgentSpecificMemory() if it answers within 2 s (it waits for a GC).
//
//   npx tsx bench/memory.ts [--models tiny,100m] [--T 64] [--no-browser] [--full-sweep] [--json bench/out/memory.json]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/engine/analyses/analyze';
import { createTokenizer } from '../src/engine/text/tokenizer';
import { buildPrompt } from '../src/engine/text/prompt';
import { argNum, fmt, isMain, log, parseArgs, table, writeJSON } from './lib/stats';
import { type BenchModel, model100M, tinyModel } from './lib/models';
import { loadNodeEngine, NODE_WASM_THREADS } from './lib/engine-node';
import { syntheticInput } from './lib/prompts';
import { startServer } from './lib/server';
import { descendants, openBenchPage, procMemory } from './lib/browser';

export interface MemoryRow {
  where: 'node' | 'chromium';
  model: string;
  T: number;
  weightBytes: number;
  baselineBytes: number;
  afterLoadPeakBytes: number;
  peakBytes: number;
  /** peak / weights */
  ratio: number;
  /** (peak - baseline) / weights: what the model and the analysis added */
  addedRatio: number;
  extra: Record<string, number | null>;
  measured: string;
  analysisMs: number;
}

function status(): { hwm: number; rss: number } {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

/** child mode: load + analyse once, print one JSON line */
async function child(dir: string, targetT: number, stopAfterBatches: number): Promise<void> {
  const peaks = { rss: 0, arrayBuffers: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peaks.rss = Math.max(peaks.rss, m.rss);
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
    peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed);
    peaks.external = Math.max(peaks.external, m.external);
  };
  const timer = setInterval(sample, 5);
  const base = status();
  const model = await loadNodeEngine(dir);
  sample();
  const afterLoad = status().hwm;
  // JS-side buffers still alive once loading is over (after a full GC): the WASM heap is not in
  // arrayBuffers, so this is what JS keeps besides onnxruntime's own copy of the weights
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const arrayBuffersAfterLoad = process.memoryUsage().arrayBuffers;
  const { input } = syntheticInput(model.tokenizer, Math.min(targetT, model.spec.maxPositions));
  const t0 = performance.now();
  const ac = new AbortController();
  let batches = 0;
  // as the app runs it: knockout and relevance (a branch of the same session); after a
  // cancelled sweep the relevance still runs, so its activations are counted either way
  await analyze(model, input, {
    knockout: true,
    relevance: true,
    maxNewTokens: 16,
    signal: ac.signal,
    onProgress: (stage) => {
      if (stage === 'knockout' && stopAfterBatches > 0 && ++batches >= stopAfterBatches) ac.abort(new Error('stopped'));
    },
  }).catch(async (e) => {
    if (!ac.signal.aborted) throw e;
    const p = buildPrompt(model.tokenizer, input);
    await model.relevance(p.ids, p.targetId);
  });
  const analysisMs = performance.now() - t0;
  sample();
  clearInterval(timer);
  const end = status();
  const T = buildPrompt(model.tokenizer, input).ids.length;
  gc?.();
  const arrayBuffersAtEnd = process.memoryUsage().arrayBuffers;
  process.stdout.write(`\n${JSON.stringify({ weightBytes: model.weightBytes, T, baseline: base.rss, afterLoad, peak: end.hwm, peaks, analysisMs, stopped: ac.signal.aborted, arrayBuffersAfterLoad, arrayBuffersAtEnd })}\n`);
  await model.dispose();
}

async function nodeRow(bm: BenchModel, T: number, stopAfterBatches: number): Promise<MemoryRow> {
  const self = fileURLToPath(import.meta.url);
  const out = await new Promise<string>((ok, fail) => {
    const p = spawn(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', bm.dir, '--T', String(T), '--stop-after', String(stopAfterBatches)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let s = '';
    p.stdout.on('data', (b) => (s += b));
    p.on('close', (code) => (code === 0 ? ok(s) : fail(new Error(`memory child exited with ${code}`))));
  });
  const j = JSON.parse(out.trim().split('\n').pop()!);
  return {
    where: 'node',
    model: bm.name,
    T: j.T,
    weightBytes: j.weightBytes,
    baselineBytes: j.baseline,
    afterLoadPeakBytes: j.afterLoad,
    peakBytes: j.peak,
    ratio: j.peak / j.weightBytes,
    addedRatio: (j.peak - j.baseline) / j.weightBytes,
    extra: {
      sampledPeakRss: j.peaks.rss,
      sampledPeakArrayBuffers: j.peaks.arrayBuffers,
      sampledPeakHeapUsed: j.peaks.heapUsed,
      arrayBuffersAfterLoad: j.arrayBuffersAfterLoad,
      arrayBuffersAtEnd: j.arrayBuffersAtEnd,
      sweepStoppedEarly: j.stopped ? 1 : 0,
    },
    measured: `VmHWM of a fresh Node process (onnxruntime-web, ${NODE_WASM_THREADS} thread)`,
    analysisMs: j.analysisMs,
  };
}

/** RSS of the renderer processes of the Chromium we launched (pids found once: a /proc scan is slow) */
function rendererPids(): number[] {
  return descendants(process.pid).filter((pid) => procMemory(pid)?.cmd.includes('--type=renderer'));
}
function renderers(pids: number[]): Map<number, { rss: number; hwm: number }> {
  const out = new Map<number, { rss: number; hwm: number }>();
  for (const pid of pids) {
    const m = procMemory(pid);
    if (m) out.set(pid, { rss: m.rss, hwm: m.hwm });
  }
  return out;
}

async function browserRow(bm: BenchModel, T: number, stopAfterBatches: number): Promise<MemoryRow> {
  const server = await startServer();
  const br = await openBenchPage(server.url, ['--enable-blink-features=ForceEagerMeasureMemory']);
  try {
    await br.page.evaluate(() => (window as any).xbench.ort(2));
    // The page's renderer is the one that grows by the model. VmHWM alone is not enough:
    // Chromium resets it now and then, so RSS is also polled every 10 ms, for every renderer.
    const pids = rendererPids();
    const base = renderers(pids);
    const peaks = new Map<number, number>();
    const poll = () => {
      for (const [pid, m] of renderers(pids)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, m.rss, m.hwm));
    };
    poll();
    const timer = setInterval(poll, 10);
    const page = () => {
      poll();
      let best = { pid: 0, grown: -Infinity };
      for (const [pid, p] of peaks) {
        const grown = p - (base.get(pid)?.rss ?? 0);
        if (grown > best.grown) best = { pid, grown };
      }
      return { pid: best.pid, peak: peaks.get(best.pid) ?? 0, base: base.get(best.pid)?.rss ?? 0 };
    };
    const load = await br.page.evaluate((u) => (window as any).xbench.loadEngine(u), `${server.url}/files/${bm.dir}`);
    const afterLoad = page().peak;
    const tj = JSON.parse(readFileSync(`${bm.dir}/tokenizer.json`, 'utf8'));
    const tc = JSON.parse(readFileSync(`${bm.dir}/tokenizer_config.json`, 'utf8'));
    const { input } = syntheticInput(createTokenizer(tj, tc), T);
    const wasmAfterLoad = await br.page.evaluate(() => (window as any).xbench.wasmHeapBytes());
    const res = await br.page.evaluate(([inp, n]) => (window as any).xbench.engineAnalyze(inp, true, n, true), [input, stopAfterBatches] as const);
    const ua = await br.page.evaluate(() => (window as any).xbench.uaMemory());
    const wasmPeak = await br.page.evaluate(() => (window as any).xbench.wasmHeapBytes());
    const end = page();
    clearInterval(timer);
    const peak = end.peak;
    // the renderer must be the page's: it is the process that grew by the weights
    return {
      where: 'chromium',
      model: bm.name,
      T: res.T,
      weightBytes: load.weightBytes,
      baselineBytes: end.base,
      afterLoadPeakBytes: afterLoad,
      peakBytes: peak,
      ratio: peak / load.weightBytes,
      addedRatio: (peak - end.base) / load.weightBytes,
      extra: { measureUserAgentSpecificMemory: ua, wasmHeapAfterLoad: wasmAfterLoad, wasmHeapPeak: wasmPeak, sweepStoppedEarly: res.stopped ? 1 : 0 },
      measured: 'peak RSS of the page renderer process (VmHWM and RSS polled every 10 ms; WASM, 2 threads)',
      analysisMs: res.totalMs,
    };
  } finally {
    await br.close();
    await server.close();
  }
}

export interface MemoryReport {
  rows: MemoryRow[];
  notes: string[];
}

/**
 * For models above 50M parameters the knockout sweep is stopped after its first batch of 8:
 * every batch has the same shape, so the peak is the same, and the full sweep of the 110M
 * model takes minutes per runtime here. `fullSweep` turns this off.
 */
export async function runMemory(opts: { models?: string[]; T?: number; browser?: boolean; fullSweep?: boolean }): Promise<MemoryReport> {
  const notes: string[] = [];
  const rows: MemoryRow[] = [];
  for (const name of opts.models ?? ['tiny', '100m']) {
    const bm = name === 'tiny' ? tinyModel() : name === '100m' ? model100M() : { name, dir: name, real: true };
    if (bm.note && !notes.includes(bm.note)) notes.push(bm.note);
    const T = opts.T ?? 64;
    const big = JSON.parse(readFileSync(`${bm.dir}/config.json`, 'utf8')).hidden_size >= 512;
    const stopAfter = big && !opts.fullSweep ? 1 : 0;
    if (stopAfter) notes.push(`${bm.name}: the knockout sweep was stopped after its first batch of 8 masks (all batches have the same shape, so the same peak); --full-sweep runs it all`);
    const n = await nodeRow(bm, T, stopAfter);
    rows.push(n);
    log(`${bm.name} node: peak ${fmt(n.peakBytes / 2 ** 20)} MiB (baseline ${fmt(n.baselineBytes / 2 ** 20)}), weights ${fmt(n.weightBytes / 2 ** 20)} MiB → ${fmt(n.ratio)}x (added ${fmt(n.addedRatio)}x)`);
    if (opts.browser !== false) {
      const b = await browserRow(bm, T, stopAfter);
      rows.push(b);
      log(
        `${bm.name} chromium: peak ${fmt(b.peakBytes / 2 ** 20)} MiB (baseline ${fmt(b.baselineBytes / 2 ** 20)}), weights ${fmt(b.weightBytes / 2 ** 20)} MiB → ${fmt(b.ratio)}x (added ${fmt(b.addedRatio)}x); WASM heap ${fmt((b.extra.wasmHeapPeak as number) / 2 ** 20)} MiB`,
      );
    }
  }
  return { rows, notes };
}

export function memoryTable(r: MemoryReport): string {
  const mib = (b: number) => fmt(b / 2 ** 20, 4);
  return table(
    ['where', 'model', 'T', 'weights MiB', 'baseline MiB', 'peak after load MiB', 'peak MiB', 'peak / weights', '(peak − baseline) / weights', 'WASM heap after load / at end MiB', 'JS ArrayBuffers after load / at end (after GC) MiB', 'JS+WASM after analysis MiB'],
    r.rows.map((x) => [
      x.where,
      x.model,
      x.T,
      mib(x.weightBytes),
      mib(x.baselineBytes),
      mib(x.afterLoadPeakBytes),
      mib(x.peakBytes),
      `${fmt(x.ratio)}x`,
      `${fmt(x.addedRatio)}x`,
      typeof x.extra.wasmHeapPeak === 'number' ? `${mib(x.extra.wasmHeapAfterLoad as number)} / ${mib(x.extra.wasmHeapPeak)}` : '–',
      typeof x.extra.arrayBuffersAtEnd === 'number' ? `${mib(x.extra.arrayBuffersAfterLoad as number)} / ${mib(x.extra.arrayBuffersAtEnd)}` : '–',
      typeof x.extra.measureUserAgentSpecificMemory === 'number' ? mib(x.extra.measureUserAgentSpecificMemory) : '–',
    ]),
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  if (a.flags.has('child') || a.values.has('child')) {
    await child(a.values.get('child')!, argNum(a, 'T', 64), argNum(a, 'stop-after', 0));
  } else {
    const r = await runMemory({ models: a.values.get('models')?.split(','), T: argNum(a, 'T', 64), browser: !a.flags.has('no-browser'), fullSweep: a.flags.has('full-sweep') });
    log('');
    log(memoryTable(r));
    for (const n of r.notes) log(`note: ${n}`);
    writeJSON(a.values.get('json'), r);
  }
}
