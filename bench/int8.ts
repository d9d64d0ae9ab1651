// int8: weight-only int8 (docs/weights.md) against fp32 on the same checkpoint, in onnxruntime-web
// in Node (the WASM kernels the browser runs, 1 thread). Per model and format, a fresh child
// process builds the graph (int8: quantised in JS at build time), opens a session the way the app
// does (external data, optimisation level all) and reports
//   - onnxruntime's WASM heap (WebAssembly.Memory, which only grows) after the session is created
//     and after the runs: the second is the peak a tab pays for;
//   - the median time of one forward of the `plain` graph (next-token logits) at T = 1 (the
//     weight-bound cost of a decode step) and T = 64, and of the app graph (taps, lens) at T = 64.
// Formats alternate between rounds so drifting background load hits both alike.
//
//   npx tsx bench/int8.ts [--models tiny,100m] [--rounds 2] [--reps 5] [--json bench/out/int8.json]
import { spawnSync } from 'node:child_process';
import { watchWasmHeap } from './lib/wasm-heap';
import { fileURLToPath } from 'node:url';
import type { WeightFormat } from '../src/engine/arch/size';
import { buildForwardGraph } from '../src/engine/graph/forward';
import { serializeModel } from '../src/engine/graph/onnx';
import { APP_GRAPH, loadCheckpoint, model100M, PLAIN_GRAPH, tinyModel, type BenchModel } from './lib/models';
import { analysisForwardSpec, feedsFor, ioShape } from './lib/graph-io';
import { argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';

interface ChildResult {
  model: string;
  format: WeightFormat;
  initializerBytes: number;
  buildMs: number;
  sessionMs: number;
  heapAfterCreate: number;
  heapPeak: number;
  plainT1Ms: number;
  plainT64Ms: number;
  appT64Ms: number;
  /** the fastest run of each (under background load the least disturbed one) */
  min: { plainT1Ms: number; plainT64Ms: number; appT64Ms: number };
}

async function child(dir: string, name: string, format: WeightFormat, reps: number): Promise<ChildResult> {
  // the hook goes in before onnxruntime-web creates its memory
  const heap = watchWasmHeap();
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';

  const { spec, ckpt } = loadCheckpoint(dir);
  const open = async (variant: 'plain' | 'app') => {
    const t0 = performance.now();
    const g = buildForwardGraph(spec, ckpt, { ...(variant === 'app' ? APP_GRAPH : PLAIN_GRAPH), weightFormat: format });
    const ser = serializeModel(g, { externalThreshold: 1 << 20 });
    const initializerBytes = g.initializers.reduce((a, x) => a + x.data.byteLength, 0);
    const t1 = performance.now();
    const session = await ort.InferenceSession.create(ser.model, { executionProviders: ['wasm'], externalData: ser.external, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    return { session, initializerBytes, buildMs: t1 - t0, sessionMs: performance.now() - t1 };
  };
  const V = spec.vocabSize;
  const shape = ioShape(spec);
  const ids = (T: number) => Array.from({ length: T }, (_, i) => (i * 7919 + 13) % V);
  type Feeds = Record<string, InstanceType<typeof ort.Tensor>>;
  const time = async (s: import('onnxruntime-web').InferenceSession, feeds: () => Feeds) => {
    const ms: number[] = [];
    for (let i = 0; i <= reps; i++) {
      const f = feeds();
      const t = performance.now();
      const out = await s.run(f);
      if (i > 0) ms.push(performance.now() - t); // the first run warms up
      for (const v of Object.values(out)) (v as { dispose(): void }).dispose();
    }
    return { median: median(ms), min: Math.min(...ms) };
  };

  const plain = await open('plain');
  const heapAfterCreate = heap();
  const plainFeeds = (T: number) => () => feedsFor(ort, shape, plain.session.inputNames, { ids: ids(T) }) as Feeds;
  const plainT1Ms = await time(plain.session, plainFeeds(1));
  const plainT64Ms = await time(plain.session, plainFeeds(64));
  await plain.session.release();
  const app = await open('app');
  // as the app's analysis forward runs the app graph (one chunk; bench/lib/graph-io.ts)
  const appT64Ms = await time(app.session, () => feedsFor(ort, shape, app.session.inputNames, analysisForwardSpec(ids(64))) as Feeds);
  await app.session.release();
  return {
    model: name,
    format,
    initializerBytes: plain.initializerBytes,
    buildMs: plain.buildMs,
    sessionMs: plain.sessionMs,
    heapAfterCreate,
    heapPeak: heap(),
    plainT1Ms: plainT1Ms.median,
    plainT64Ms: plainT64Ms.median,
    appT64Ms: appT64Ms.median,
    min: { plainT1Ms: plainT1Ms.min, plainT64Ms: plainT64Ms.min, appT64Ms: appT64Ms.min },
  };
}

export function runInt8(opts: { models: string[]; rounds: number; reps: number }): ChildResult[] {
  const models: BenchModel[] = opts.models.map((m) => (m === 'tiny' ? tinyModel(log) : model100M(log)));
  const rows: ChildResult[] = [];
  const script = fileURLToPath(import.meta.url);
  for (const m of models) {
    for (let r = 0; r < opts.rounds; r++) {
      for (const format of (r % 2 ? ['int8', 'fp32'] : ['fp32', 'int8']) as WeightFormat[]) {
        const p = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', m.dir, '--name', m.name, '--format', format, '--reps', String(opts.reps)], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        });
        const line = p.stdout.split('\n').find((l) => l.startsWith('{'));
        if (p.status !== 0 || !line) throw new Error(`child ${m.name} ${format} failed: ${p.stderr.slice(-2000)}`);
        rows.push(JSON.parse(line));
        log(`  ${m.name} ${format} round ${r + 1}: ${line}`);
      }
    }
  }
  return rows;
}

export function int8Table(rows: ChildResult[]): string {
  const MB = 2 ** 20;
  const out: (string | number)[][] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const pick = (f: WeightFormat) => rows.filter((r) => r.model === model && r.format === f);
    const med = (f: WeightFormat, k: keyof ChildResult) => median(pick(f).map((r) => r[k] as number));
    const min = (f: WeightFormat, k: keyof ChildResult['min']) => Math.min(...pick(f).map((r) => r.min[k]));
    const time = (f: WeightFormat, k: keyof ChildResult['min']) => `${fmt(med(f, k))} (${fmt(min(f, k))})`;
    const ratio = (k: keyof ChildResult['min']) => `${fmt(med('int8', k) / med('fp32', k))} (${fmt(min('int8', k) / min('fp32', k))})`;
    for (const f of ['fp32', 'int8'] as WeightFormat[]) {
      out.push([
        model,
        f,
        fmt(med(f, 'initializerBytes') / MB),
        fmt(med(f, 'heapAfterCreate') / MB),
        fmt(med(f, 'heapPeak') / MB),
        fmt(med(f, 'buildMs')),
        time(f, 'plainT1Ms'),
        time(f, 'plainT64Ms'),
        time(f, 'appT64Ms'),
        f === 'int8' ? `${ratio('plainT1Ms')} / ${ratio('plainT64Ms')} / ${ratio('appT64Ms')}` : '',
      ]);
    }
  }
  return table(['model', 'weights', 'initializers MiB', 'heap after create MiB', 'heap peak MiB', 'build ms', 'plain T=1 ms median (min)', 'plain T=64 ms', 'app T=64 ms', 'int8 / fp32 time (T=1 / T=64 / app)'], out);
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const reps = argNum(a, 'reps', 5);
  if (a.values.has('child')) {
    const r = await child(a.values.get('child')!, a.values.get('name')!, a.values.get('format') as WeightFormat, reps);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const rows = runInt8({ models: (a.values.get('models') ?? 'tiny,100m').split(','), rounds: argNum(a, 'rounds', 2), reps });
    log(`\n${int8Table(rows)}`);
    writeJSON(a.values.get('json'), rows);
  }
}
