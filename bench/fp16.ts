// fp16: fp16 weights and fp16 projections (docs/weights.md, "fp16") against fp32 on the same checkpoint.
// Per model, runtime and format a fresh child process builds the plain next-token graph, opens a
// session the way the app does (optimisation level all) and reports the memory the session takes and
// the median time of one forward at T = 1 and T = 64. Runtimes:
//   wasm    onnxruntime-web in Node (the browser's WASM kernels, 1 thread); memory = its WebAssembly.Memory
//           (which only grows: after the runs it is the peak). The WASM EP has no fp16 Gemm: onnxruntime
//           casts the fp16 weights back to fp32 and keeps both, which is why xlens runs fp16 on WebGPU only.
//   webgpu  onnxruntime-node's WebGPU EP (the same onnxruntime 1.30 WebGPU kernels as the browser's
//           build, on a native Dawn adapter); memory = the process's resident set (VmRSS / VmHWM), which
//           counts a CPU adapter's buffers. Needs an adapter with shader-f16; none is installed here, but
//           Mesa's lavapipe (a Vulkan CPU driver) is one, without installing anything system-wide:
//             apt-get download mesa-vulkan-drivers   (bookworm-backports: 25.x; 22.x is too old for Dawn)
//             dpkg -x mesa-vulkan-drivers_*.deb /tmp/lvp/root
//             write /tmp/lvp/lvp.json = the package's lvp_icd.json with library_path made absolute
//             LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/tmp/lvp/lvp.json npx tsx bench/fp16.ts
//           (Chromium ships the Vulkan loader, libvulkan.so.1.) On a CPU driver the times say nothing about a GPU.
//
//   npx tsx bench/fp16.ts [--models tiny,100m] [--runtimes wasm,webgpu] [--rounds 2] [--reps 5] [--json bench/out/fp16.json]
import { spawnSync } from 'node:child_process';
import { watchWasmHeap } from './lib/wasm-heap';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildForwardGraph } from '../src/engine/graph/forward';
import { serializeModel } from '../src/engine/graph/onnx';
import { loadCheckpoint, model100M, PLAIN_GRAPH, tinyModel, type BenchModel } from './lib/models';
import { feedsFor, ioShape } from './lib/graph-io';
import { argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';

type Format = 'fp32' | 'fp16';
type Runtime = 'wasm' | 'webgpu';

interface ChildResult {
  model: string;
  runtime: Runtime;
  format: Format;
  /** bytes of the graph's initializers */
  initializerBytes: number;
  /** memory before the session (wasm: heap, webgpu: RSS), after creating it, and the peak after the runs */
  memBefore: number;
  memAfterCreate: number;
  memPeak: number;
  sessionMs: number;
  t1Ms: number;
  t64Ms: number;
  min: { t1Ms: number; t64Ms: number };
}

/** VmRSS and VmHWM (peak) of this process, bytes */
function procMem(): { rss: number; hwm: number } {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function child(dir: string, name: string, runtime: Runtime, format: Format, reps: number): Promise<ChildResult> {
  // the hook goes in before onnxruntime-web creates its memory
  const heap = runtime === 'wasm' ? watchWasmHeap() : () => 0;
  const ort: typeof import('onnxruntime-web') = runtime === 'wasm' ? await import('onnxruntime-web') : createRequire(import.meta.url)('onnxruntime-node');
  if (runtime === 'wasm') ort.env.wasm.numThreads = 1;

  const { spec, ckpt } = loadCheckpoint(dir);
  const g = buildForwardGraph(spec, ckpt, { ...PLAIN_GRAPH, weightFormat: format });
  const initializerBytes = g.initializers.reduce((a, x) => a + x.data.byteLength, 0);
  // wasm: external data as the app passes it; node takes no in-memory external data, so inline
  const ser = serializeModel(g, { externalThreshold: runtime === 'wasm' ? 1 << 20 : 0 });
  (globalThis as { gc?: () => void }).gc?.();
  const memBefore = runtime === 'wasm' ? heap() : procMem().rss;
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(ser.model, {
    executionProviders: [runtime],
    externalData: runtime === 'wasm' ? ser.external : undefined,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    extra: { session: { disable_prepacking: '1' } },
  });
  const sessionMs = performance.now() - t0;
  const memAfterCreate = runtime === 'wasm' ? heap() : procMem().rss;
  const V = spec.vocabSize;
  const ids = (T: number) => Array.from({ length: T }, (_, i) => (i * 7919 + 13) % V);
  const time = async (T: number) => {
    const ms: number[] = [];
    for (let i = 0; i <= reps; i++) {
      const f = feedsFor(ort, ioShape(spec), session.inputNames, { ids: ids(T) }) as Record<string, InstanceType<typeof ort.Tensor>>;
      const t = performance.now();
      const out = await session.run(f);
      if (i > 0) ms.push(performance.now() - t); // the first run warms up
      for (const v of Object.values(out)) (v as { dispose?: () => void }).dispose?.();
    }
    return { median: median(ms), min: Math.min(...ms) };
  };
  const t1 = await time(1);
  const t64 = await time(64);
  const memPeak = runtime === 'wasm' ? heap() : procMem().hwm;
  await session.release();
  return {
    model: name,
    runtime,
    format,
    initializerBytes,
    memBefore,
    memAfterCreate,
    memPeak,
    sessionMs,
    t1Ms: t1.median,
    t64Ms: t64.median,
    min: { t1Ms: t1.min, t64Ms: t64.min },
  };
}

export function runFp16(opts: { models: string[]; runtimes: Runtime[]; rounds: number; reps: number }): ChildResult[] {
  const models: BenchModel[] = opts.models.map((m) => (m === 'tiny' ? tinyModel(log) : model100M(log)));
  const rows: ChildResult[] = [];
  const script = fileURLToPath(import.meta.url);
  for (const m of models) {
    for (const runtime of opts.runtimes) {
      for (let r = 0; r < opts.rounds; r++) {
        for (const format of (r % 2 ? ['fp16', 'fp32'] : ['fp32', 'fp16']) as Format[]) {
          const args = ['--expose-gc', '--import', 'tsx', script, '--child', m.dir, '--name', m.name, '--runtime', runtime, '--format', format, '--reps', String(opts.reps)];
          const p = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
          const line = p.stdout.split('\n').find((l) => l.startsWith('{'));
          if (p.status !== 0 || !line) {
            const why = p.stderr.split('\n').find((l) => /Error|adapter|f16/.test(l)) ?? p.stderr.slice(-500);
            log(`  ${m.name} ${runtime} ${format}: failed (${why.trim()})${runtime === 'webgpu' ? ': no WebGPU adapter with shader-f16 for onnxruntime-node? (see the header)' : ''}`);
            break;
          }
          rows.push(JSON.parse(line));
          log(`  ${m.name} ${runtime} ${format} round ${r + 1}: ${line}`);
        }
      }
    }
  }
  return rows;
}

export function fp16Table(rows: ChildResult[]): string {
  const MB = 2 ** 20;
  const out: (string | number)[][] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    for (const runtime of [...new Set(rows.map((r) => r.runtime))]) {
      const pick = (f: Format) => rows.filter((r) => r.model === model && r.runtime === runtime && r.format === f);
      if (!pick('fp32').length || !pick('fp16').length) continue;
      const med = (f: Format, k: 'initializerBytes' | 'memBefore' | 'memAfterCreate' | 'memPeak' | 't1Ms' | 't64Ms' | 'sessionMs') => median(pick(f).map((r) => r[k]));
      const min = (f: Format, k: 't1Ms' | 't64Ms') => Math.min(...pick(f).map((r) => r.min[k]));
      const created = (f: Format) => med(f, 'memAfterCreate') - med(f, 'memBefore');
      const peak = (f: Format) => med(f, 'memPeak') - med(f, 'memBefore');
      for (const f of ['fp32', 'fp16'] as Format[]) {
        out.push([
          model,
          runtime,
          f,
          fmt(med(f, 'initializerBytes') / MB),
          fmt(created(f) / MB),
          fmt(peak(f) / MB),
          f === 'fp16' ? `${fmt(created('fp16') / created('fp32'))} / ${fmt(peak('fp16') / peak('fp32'))}` : '',
          fmt(med(f, 'sessionMs')),
          `${fmt(med(f, 't1Ms'))} (${fmt(min(f, 't1Ms'))})`,
          `${fmt(med(f, 't64Ms'))} (${fmt(min(f, 't64Ms'))})`,
        ]);
      }
    }
  }
  return table(
    ['model', 'runtime', 'weights', 'initializers MiB', 'session MiB (create)', 'session MiB (peak)', 'fp16/fp32 (create / peak)', 'session ms', 'T=1 ms median (min)', 'T=64 ms'],
    out,
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const reps = argNum(a, 'reps', 5);
  if (a.values.has('child')) {
    const r = await child(a.values.get('child')!, a.values.get('name')!, a.values.get('runtime') as Runtime, a.values.get('format') as Format, reps);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const rows = runFp16({
      models: (a.values.get('models') ?? 'tiny,100m').split(','),
      runtimes: (a.values.get('runtimes') ?? 'wasm,webgpu').split(',') as Runtime[],
      rounds: argNum(a, 'rounds', 2),
      reps,
    });
    log(`\n${fp16Table(rows)}`);
    writeJSON(a.values.get('json'), rows);
  }
}
