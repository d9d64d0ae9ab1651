// int8 weights (docs/weights.md) against fp32 and against the quantised layouts that were not chosen
// (bench/lib/quant-candidates.ts), on a real model shape, in onnxruntime-web in Node (the WASM kernels
// the browser runs, 1 thread). Per contender and graph a fresh child process builds the graph
// (quantised in JS at build time, as the app does at load), opens a session the way the app does
// (external data, optimisation level all, no MLAS pre-packing) and reports
//   - onnxruntime's WASM heap (WebAssembly.Memory, which only grows) after the session is created
//     ("session") and after the runs ("peak");
//   - the median time of one forward: the `plain` graph (next-token logits) at T = 1 (a decode step,
//     weight-bound) and at T, and the app graph (graph/app-io.ts, without the relevance branch, which the
//     candidates' rewrite does not cover) as an analysis runs it at T: one forward (taps, KV outputs,
//     logits, the full-vocabulary lens and attention at the last position), then the target lens of
//     every layer at --lens-rows positions spread over the prompt, from the forward's residual states, in
//     the app's blocks of rows (arch/working-set.ts lensBlockRows).
// Contenders:
//   fp32    fp32 weights
//   int8    what xlens ships: int8 weights, per-row 8-bit activations, MatMulInteger (graph/weights.ts)
//   dq8     what xlens shipped before: int8 weights dequantised per consumer (DequantizeLinear + Gemm)
//   nbits8  onnxruntime's MatMulNBits, 8-bit blocks of 32 (+ GatherBlockQuantized for the embedding)
//   nbits4  the same, 4-bit
// Rounds alternate the contenders' order (A B C, C B A, ...) so drifting background load hits all alike.
//
//   npx tsx bench/int8.ts [--model qwen|100m|tiny] [--formats fp32,int8,dq8,nbits8,nbits4] [--T 256]
//       [--lens-rows 32] [--rounds 2] [--reps 3] [--json bench/out/int8.json] [--profile int8,fp32]
// --model qwen writes bench/out/qwen2.5-0.5b (Qwen2.5-0.5B-Instruct's config, random bf16 weights,
// 988 MB, ~30 s) on first use. --profile writes onnxruntime profiles of the plain graph at T for the
// listed contenders (a warm-up, then --reps profiled runs, medians) and prints the kernel time per op type.
// XLENS_BENCH_PREPACK=1 opens the sessions with MLAS weight pre-packing (the app disables it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recordedConfig, realTokenizerDir, writeRandomCheckpoint } from '../fixtures/random-checkpoint';
import { buildForwardGraph } from '../src/engine/graph/forward';
import { serializeModel } from '../src/engine/graph/onnx';
import { watchWasmHeap } from './lib/wasm-heap';
import { parseProfileLines, profileFromEvents } from './lib/profile';
import { appFeeds, OUT } from '../src/engine/graph/app-io';
import { lensBlockRows } from '../src/engine/arch/working-set';
import { APP_GRAPH, loadCheckpoint, model100M, BENCH_OUT, PLAIN_GRAPH, tinyModel } from './lib/models';
import { type Candidate, CANDIDATES, rewriteWeights } from './lib/quant-candidates';
import { argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';

type Contender = 'fp32' | 'int8' | Candidate;
const CONTENDERS: Contender[] = ['fp32', 'int8', ...CANDIDATES];
type Variant = 'plain' | 'app';

interface ChildResult {
  model: string;
  format: Contender;
  variant: Variant;
  T: number;
  vocab: number;
  lensRows: number;
  initializerBytes: number;
  buildMs: number;
  sessionMs: number;
  heapAfterCreate: number;
  heapPeak: number;
  /** plain: T = 1 and T; app: T (t1Ms null) */
  t1Ms: number | null;
  tMs: number;
  min: { t1Ms: number | null; tMs: number };
  /** kernel time per op type (ms, summed over the profiled run), with --profile */
  profile?: Record<string, number>;
}

const QWEN_DIR = `${BENCH_OUT}/qwen2.5-0.5b`;

function modelDir(name: string): { name: string; dir: string } {
  if (name === 'qwen') {
    writeRandomCheckpoint(QWEN_DIR, recordedConfig('Qwen/Qwen2.5-0.5B-Instruct'), { tokenizerDir: realTokenizerDir('qwen2_5') });
    return { name: 'Qwen2.5-0.5B shape', dir: QWEN_DIR };
  }
  const m = name === 'tiny' ? tinyModel(log) : model100M(log);
  return { name: m.name, dir: m.dir };
}

/** T positions spread evenly over the prompt, the last one included */
export function spreadRows(T: number, n: number): number[] {
  const k = Math.min(n, T);
  return Array.from({ length: k }, (_, i) => Math.round(((i + 1) * T) / k) - 1);
}

async function child(dir: string, name: string, format: Contender, variant: Variant, T: number, lensRows: number, reps: number, profile: boolean): Promise<ChildResult> {
  // the hook goes in before onnxruntime-web creates its memory
  const heap = watchWasmHeap();
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';

  const { spec, ckpt } = loadCheckpoint(dir);
  const t0 = performance.now();
  const opts = variant === 'app' ? { ...APP_GRAPH, relevance: false } : PLAIN_GRAPH;
  const quantisedByXlens = format === 'fp32' || format === 'int8';
  const g = buildForwardGraph(spec, ckpt, { ...opts, weightFormat: quantisedByXlens ? format : 'fp32' });
  if (!quantisedByXlens) rewriteWeights(g, format as Candidate);
  const initializerBytes = g.initializers.reduce((a, x) => a + x.data.byteLength, 0);
  const ser = serializeModel(g, { externalThreshold: 1 << 20 });
  g.initializers = [];
  const t1 = performance.now();
  const session = await ort.InferenceSession.create(ser.model, {
    executionProviders: ['wasm'],
    externalData: ser.external,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    enableProfiling: profile,
    extra: { session: { disable_prepacking: process.env.XLENS_BENCH_PREPACK === '1' ? '0' : '1' } },
  });
  const sessionMs = performance.now() - t1;
  const heapAfterCreate = heap();
  const { numLayers: L, hiddenSize: d, vocabSize: V } = spec;
  const ids = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % Math.min(V, 150000));
  type Tensor = InstanceType<typeof ort.Tensor>;
  const drop = (f: Record<string, Tensor>) => {
    // the bench's app graph has no relevance branch
    for (const k of ['rel_layer', 'rel_target', 'rel_h', 'rel_g']) delete f[k];
    return f;
  };
  /** one run as the app's analysis does it: the forward (logits, full-vocabulary lens and attention at the last position), then one lens block */
  const runApp = async (n: number) => {
    const out = await session.run(drop(appFeeds(ort as never, spec, { ids: ids(n), logitRows: [n - 1], lensLastRows: [n - 1], attnRows: [n - 1] })));
    // the target lens at `lensRows` positions of every layer, in one block, from the forward's residual states
    const rows = spreadRows(n, lensRows);
    const states = new Float32Array((L + 1) * rows.length * d);
    for (let l = 0; l <= L; l++) {
      const h = out[OUT.hidden(l)].data as Float32Array;
      rows.forEach((t, i) => states.set(h.subarray(t * d, (t + 1) * d), (l * rows.length + i) * d));
    }
    for (const v of Object.values(out)) v.dispose();
    // in the app's blocks (arch/working-set.ts lensBlockRows: its working-set cap), each run as the app's lensRows
    // runs it: the forward part on one token with nothing projected
    const cells = (L + 1) * rows.length;
    const block = lensBlockRows(V);
    for (let i = 0; i < cells; i += block) {
      const k = Math.min(block, cells - i);
      const lens = await session.run(drop(appFeeds(ort as never, spec, { ids: [0], lens: { states: states.subarray(i * d, (i + k) * d), targets: new Array(k).fill(5) } })));
      for (const v of Object.values(lens)) v.dispose();
    }
  };
  const runPlain = async (n: number) => {
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids(n), BigInt), [1, n]) });
    for (const v of Object.values(out)) v.dispose();
  };
  const run = (n: number) => (variant === 'app' ? runApp(n) : runPlain(n));
  const time = async (n: number, r: number) => {
    const ms: number[] = [];
    for (let i = 0; i <= r; i++) {
      const t = performance.now();
      await run(n);
      if (i > 0) ms.push(performance.now() - t); // the first run warms up
    }
    return { median: median(ms), min: Math.min(...ms) };
  };
  if (profile) {
    // a warm-up and `reps` profiled runs at T; onnxruntime-web prints the profile to stdout, where the parent reads it
    for (let i = 0; i <= reps; i++) await run(T);
    session.endProfiling();
  }
  const t1Run = variant === 'plain' && !profile ? await time(1, reps) : null;
  const tRun = profile ? { median: NaN, min: NaN } : await time(T, reps);
  await session.release();
  return {
    model: name,
    format,
    variant,
    T,
    vocab: V,
    lensRows: variant === 'app' ? Math.min(lensRows, T) : 0,
    initializerBytes,
    buildMs: t1 - t0,
    sessionMs,
    heapAfterCreate,
    heapPeak: heap(),
    t1Ms: t1Run?.median ?? null,
    tMs: tRun.median,
    min: { t1Ms: t1Run?.min ?? null, tMs: tRun.min },
  };
}

export function runInt8(opts: { model: string; formats: Contender[]; T: number; lensRows: number; rounds: number; reps: number; profile: Contender[] }): ChildResult[] {
  const m = modelDir(opts.model);
  const rows: ChildResult[] = [];
  const script = fileURLToPath(import.meta.url);
  const spawn = (format: Contender, variant: Variant, profile: boolean) => {
    const p = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, '--child', m.dir, '--name', m.name, '--format', format, '--variant', variant, '--T', String(opts.T), '--lens-rows', String(opts.lensRows), '--reps', String(opts.reps), ...(profile ? ['--profile-child'] : [])],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '))?.slice(7);
    if (p.status !== 0 || !line) throw new Error(`child ${m.name} ${format} ${variant} failed: ${p.stderr.slice(-2000)}`);
    log(`  ${format} ${variant}: ${line}`);
    const r = JSON.parse(line) as ChildResult;
    if (profile) r.profile = Object.fromEntries(profileFromEvents(parseProfileLines(p.stdout.split('\n')), r.vocab).groups.map((x) => [x.name, x.ms]));
    return r;
  };
  for (let r = 0; r < opts.rounds; r++) {
    for (const format of r % 2 ? [...opts.formats].reverse() : opts.formats) {
      for (const variant of ['plain', 'app'] as Variant[]) rows.push(spawn(format, variant, false));
    }
  }
  for (const format of opts.profile) rows.push(spawn(format, 'plain', true));
  return rows;
}

export function int8Table(rows: ChildResult[]): string {
  const MB = 2 ** 20;
  const timed = rows.filter((r) => !r.profile);
  const out: (string | number)[][] = [];
  for (const model of [...new Set(timed.map((r) => r.model))]) {
    const pick = (f: Contender, v: Variant) => timed.filter((r) => r.model === model && r.format === f && r.variant === v);
    const med = (f: Contender, v: Variant, k: 'initializerBytes' | 'heapAfterCreate' | 'heapPeak' | 'buildMs' | 'tMs' | 't1Ms') => median(pick(f, v).map((r) => r[k] as number));
    const time = (f: Contender, v: Variant, k: 'tMs' | 't1Ms') => `${fmt(med(f, v, k))} (${fmt(Math.min(...pick(f, v).map((r) => r.min[k] as number)))})`;
    const formats = CONTENDERS.filter((f) => pick(f, 'plain').length);
    const T = pick(formats[0], 'plain')[0].T;
    const lensRows = pick(formats[0], 'app')[0]?.lensRows;
    for (const f of formats) {
      const minOf = (g: Contender, v: Variant, k: 'tMs' | 't1Ms') => Math.min(...pick(g, v).map((r) => r.min[k] as number));
      const ratio = (v: Variant, k: 'tMs' | 't1Ms') => `${fmt(med('fp32', v, k) / med(f, v, k))} (${fmt(minOf('fp32', v, k) / minOf(f, v, k))})`;
      out.push([
        model,
        f,
        fmt(med(f, 'plain', 'initializerBytes') / MB),
        fmt(med(f, 'plain', 'buildMs')),
        fmt(med(f, 'plain', 'heapAfterCreate') / MB),
        fmt(med(f, 'plain', 'heapPeak') / MB),
        fmt(med(f, 'app', 'heapPeak') / MB),
        `${fmt(med(f, 'plain', 'heapAfterCreate') / med('fp32', 'plain', 'heapAfterCreate'))} / ${fmt(med(f, 'plain', 'heapPeak') / med('fp32', 'plain', 'heapPeak'))} / ${fmt(med(f, 'app', 'heapPeak') / med('fp32', 'app', 'heapPeak'))}`,
        time(f, 'plain', 't1Ms'),
        time(f, 'plain', 'tMs'),
        time(f, 'app', 'tMs'),
        `${ratio('plain', 't1Ms')} / ${ratio('plain', 'tMs')} / ${ratio('app', 'tMs')}`,
      ]);
    }
    out.push([`(T = ${T}; app: lens at ${lensRows} rows; n = ${pick(formats[0], 'plain').length} processes per cell)`, '', '', '', '', '', '', '', '', '', '', '']);
  }
  return table(
    ['model', 'weights', 'initializers MiB', 'build ms', 'session MiB (heap after create)', 'plain peak MiB', 'app peak MiB', 'memory / fp32 (session / plain peak / app peak)', 'plain T=1 ms median (min)', 'plain T ms', 'app T ms', 'speed-up vs fp32, medians (mins): T=1 / plain T / app T'],
    out,
  );
}

export function profileTable(rows: ChildResult[]): string {
  const prof = rows.filter((r) => r.profile);
  if (!prof.length) return '';
  const ops = [...new Set(prof.flatMap((r) => Object.keys(r.profile!)))];
  const total = (r: ChildResult) => Object.values(r.profile!).reduce((a, b) => a + b, 0);
  const top = ops.sort((a, b) => Math.max(...prof.map((r) => r.profile![b] ?? 0)) - Math.max(...prof.map((r) => r.profile![a] ?? 0))).slice(0, 12);
  return table(
    ['op type', ...prof.map((r) => `${r.format} ms (share)`)],
    [...top.map((op) => [op, ...prof.map((r) => `${fmt(r.profile![op] ?? 0)} (${fmt((100 * (r.profile![op] ?? 0)) / total(r), 2)}%)`)]), ['total kernel time', ...prof.map((r) => fmt(total(r)))]],
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const reps = argNum(a, 'reps', 3);
  const T = argNum(a, 'T', 256);
  const lensRows = argNum(a, 'lens-rows', 32);
  if (a.values.has('child')) {
    const r = await child(a.values.get('child')!, a.values.get('name')!, a.values.get('format') as Contender, a.values.get('variant') as Variant, T, lensRows, reps, a.flags.has('profile-child'));
    process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
  } else {
    const list = (k: string, dflt: string) => (a.values.get(k) ?? dflt).split(',').filter(Boolean) as Contender[];
    const formats = list('formats', CONTENDERS.join(','));
    for (const f of formats) if (!CONTENDERS.includes(f)) throw new Error(`--formats: ${f} is not one of ${CONTENDERS.join(', ')}`);
    const rows = runInt8({ model: a.values.get('model') ?? 'qwen', formats, T, lensRows, rounds: argNum(a, 'rounds', 2), reps, profile: list('profile', '') });
    if (rows.some((r) => !r.profile)) log(`\n${int8Table(rows)}`);
    const p = profileTable(rows);
    if (p) log(`\nKernel time per op type, plain graph at T = ${T} (onnxruntime profile, median of --reps runs after a warm-up):\n\n${p}`);
    writeJSON(a.values.get('json'), rows);
  }
}
