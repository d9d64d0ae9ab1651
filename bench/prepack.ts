// prepack: onnxruntime's MLAS pre-packs every Gemm weight into a second, packed copy at session
// creation. xlens opens its sessions with `session.disable_prepacking` (src/engine/runtime/session.ts);
// this bench measures what that costs and saves on the app graph, in Node on onnxruntime-web (the
// browser's WASM kernels):
//  - memory: a fresh child process per setting creates the app session (weights as external data,
//    as the app does) and reports its resident-set growth, divided by the weight bytes;
//  - speed: both sessions in one process, runs alternated, medians: the analysis forward (T=64)
//    and a batch-8 one-token knockout step on a 63-token KV cache.
//
//   npx tsx bench/prepack.ts [--models tiny,100m] [--reps 7] [--json bench/out/prepack.json]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as OrtNs from 'onnxruntime-web';
import { buildForwardGraph } from '../src/engine/graph/forward';
import { serializeModel } from '../src/engine/graph/onnx';
import { APP_GRAPH, OUT } from '../src/engine/graph/app-io';
import { analysisForwardSpec, feedsFor, ioShape } from './lib/graph-io';
import type { ModelSpec } from '../src/engine/arch/spec';
import { argNum, fmt, isMain, log, median, parseArgs, table, writeJSON } from './lib/stats';
import { type BenchModel, loadCheckpoint, model100M, promptIds, tinyModel } from './lib/models';
import { nodeOrt } from './lib/engine-node';

export interface PrepackRow {
  model: string;
  weightBytes: number;
  /** resident-set growth of creating the session, bytes */
  sessionBytes: { prepack: number; noPrepack: number };
  forwardMs: { prepack: number; noPrepack: number };
  stepMs: { prepack: number; noPrepack: number };
  reps: number;
}

export interface PrepackReport {
  rows: PrepackRow[];
}

const EXTERNAL_THRESHOLD = 1 << 20;

function rss(): number {
  const s = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? 0) * 1024;
}

/** the app graph of a model, serialised as the app does (weights as external data) */
function build(dir: string): { sm: ReturnType<typeof serializeModel>; spec: ModelSpec; weightBytes: number } {
  const { spec, ckpt } = loadCheckpoint(dir);
  return { sm: serializeModel(buildForwardGraph(spec, ckpt, APP_GRAPH), { externalThreshold: EXTERNAL_THRESHOLD }), spec, weightBytes: ckpt.byteSize };
}

function create(sm: ReturnType<typeof serializeModel>, prepack: boolean): Promise<OrtNs.InferenceSession> {
  return nodeOrt().InferenceSession.create(sm.model, {
    executionProviders: ['wasm'],
    externalData: sm.external,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(prepack ? {} : { extra: { session: { disable_prepacking: '1' } } }),
  });
}

async function open(dir: string, prepack: boolean): Promise<{ session: OrtNs.InferenceSession; spec: ModelSpec; weightBytes: number }> {
  const { sm, spec, weightBytes } = build(dir);
  return { session: await create(sm, prepack), spec, weightBytes };
}

/** child mode: create one session, print its resident-set growth (the graph is built before the first reading) */
async function child(dir: string, prepack: boolean): Promise<void> {
  const { sm } = build(dir);
  const before = rss();
  const s = await create(sm, prepack);
  const after = rss();
  process.stdout.write(`\n${JSON.stringify({ sessionBytes: after - before })}\n`);
  await s.release();
}

async function childBytes(dir: string, prepack: boolean): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const out = await new Promise<string>((ok, fail) => {
    const p = spawn(process.execPath, [...process.execArgv, self, '--child', dir, '--prepack', prepack ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    p.stdout.on('data', (b) => (s += b));
    p.on('close', (code) => (code === 0 ? ok(s) : fail(new Error(`prepack child exited with ${code}`))));
  });
  return JSON.parse(out.trim().split('\n').pop()!).sessionBytes;
}

/** the analysis forward at T = 64, or a batch-8 one-token knockout step on a 63-token KV cache, fed through graph/app-io.ts */
function feeds(ort: typeof OrtNs, spec: ModelSpec, inputNames: readonly string[], kind: 'forward' | 'step'): Record<string, OrtNs.Tensor> {
  const { numLayers: L, numKvHeads: KVH, headDim: hd, vocabSize: V } = spec;
  const T = 64;
  const ids = promptIds(T, V);
  if (kind === 'forward') return feedsFor(ort, ioShape(spec), inputNames, analysisForwardSpec(ids)) as Record<string, OrtNs.Tensor>;
  const B = 8;
  const P = T - 1;
  const data = new Float32Array(B * KVH * P * hd).map((_, i) => Math.sin(i) * 0.1);
  const past = Array.from({ length: L }, () => ({ k: new ort.Tensor('float32', data, [B, KVH, P, hd]), v: new ort.Tensor('float32', data, [B, KVH, P, hd]) }));
  return feedsFor(ort, ioShape(spec), inputNames, { ids: [ids[T - 1]], batch: B, past, logitRows: [0], knockout: { data: new Uint8Array(B * L * T), q: 1, k: T } }) as Record<string, OrtNs.Tensor>;
}

async function measure(bm: BenchModel, reps: number): Promise<PrepackRow> {
  const sessionBytes = { prepack: await childBytes(bm.dir, true), noPrepack: await childBytes(bm.dir, false) };
  const on = await open(bm.dir, true);
  const off = await open(bm.dir, false);
  const ort = nodeOrt();
  const time = async (s: OrtNs.InferenceSession, f: Record<string, OrtNs.Tensor>) => {
    const t0 = performance.now();
    await s.run(f, [OUT.logits]);
    return performance.now() - t0;
  };
  const res = { forward: { prepack: [] as number[], noPrepack: [] as number[] }, step: { prepack: [] as number[], noPrepack: [] as number[] } };
  for (const kind of ['forward', 'step'] as const) {
    const f = feeds(ort, on.spec, on.session.inputNames, kind);
    await time(on.session, f);
    await time(off.session, f);
    for (let r = 0; r < reps; r++) {
      const order: ['prepack' | 'noPrepack', OrtNs.InferenceSession][] = [
        ['prepack', on.session],
        ['noPrepack', off.session],
      ];
      if (r % 2) order.reverse();
      for (const [k, s] of order) res[kind][k].push(await time(s, f));
    }
  }
  await on.session.release();
  await off.session.release();
  const row: PrepackRow = {
    model: bm.name,
    weightBytes: on.weightBytes,
    sessionBytes,
    forwardMs: { prepack: median(res.forward.prepack), noPrepack: median(res.forward.noPrepack) },
    stepMs: { prepack: median(res.step.prepack), noPrepack: median(res.step.noPrepack) },
    reps,
  };
  log(
    `${bm.name}: session +${fmt(sessionBytes.prepack / on.weightBytes)}x weights with prepacking, +${fmt(sessionBytes.noPrepack / on.weightBytes)}x without; ` +
      `forward ${fmt(row.forwardMs.prepack)} vs ${fmt(row.forwardMs.noPrepack)} ms; step ${fmt(row.stepMs.prepack)} vs ${fmt(row.stepMs.noPrepack)} ms`,
  );
  return row;
}

export async function runPrepack(opts: { models?: BenchModel[]; reps?: number }): Promise<PrepackReport> {
  const rows: PrepackRow[] = [];
  for (const bm of opts.models ?? [tinyModel(), model100M()]) rows.push(await measure(bm, opts.reps ?? 7));
  return { rows };
}

export function prepackTable(r: PrepackReport): string {
  const x = (v: number) => `${fmt(v)}x`;
  return table(
    ['model', 'session memory / weights, prepacked', 'not prepacked', 'forward T=64 ms, prepacked', 'not prepacked', 'ratio', 'batch-8 step ms, prepacked', 'not prepacked', 'ratio', 'n'],
    r.rows.map((w) => [
      w.model,
      x(w.sessionBytes.prepack / w.weightBytes),
      x(w.sessionBytes.noPrepack / w.weightBytes),
      fmt(w.forwardMs.prepack),
      fmt(w.forwardMs.noPrepack),
      x(w.forwardMs.noPrepack / w.forwardMs.prepack),
      fmt(w.stepMs.prepack),
      fmt(w.stepMs.noPrepack),
      x(w.stepMs.noPrepack / w.stepMs.prepack),
      String(w.reps),
    ]),
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const childDir = a.values.get('child');
  if (childDir) {
    await child(childDir, a.values.get('prepack') === '1');
  } else {
    const names = (a.values.get('models') ?? 'tiny,100m').split(',');
    const models = names.map((n) => (n === 'tiny' ? tinyModel() : model100M()));
    const r = await runPrepack({ models, reps: argNum(a, 'reps', 7) });
    console.log(prepackTable(r));
    const json = a.values.get('json');
    if (json) writeJSON(json, r);
  }
}
