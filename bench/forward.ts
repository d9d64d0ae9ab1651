// forward: the same xlens ONNX graph in headless Chromium (onnxruntime-web WASM, SIMD,
// 2 threads, cross-origin isolated) vs native onnxruntime-node (CPU EP, 2 intra-op threads),
// on the tiny model and on a ~110M random Llama, at prompt lengths 64 / 256 / 1024.
// Two graph variants: `app` (the app graph, run as the analysis forward runs it: every residual state,
// the KV cache, and logits, the full-vocabulary lens and attention at the last position) and `plain`
// (next-token logits only), so the cost of xlens's outputs is visible.
//
//   npx tsx bench/forward.ts [--models tiny,100m] [--lengths 64,256,1024] [--variants plain,app]
//        [--reps 5] [--cell-budget-s 50] [--browser-1t tiny] [--node-wasm] [--profile] [--profile-T 256] [--kernels-T 256]
//        [--json bench/out/forward.json]
// --browser-1t tiny[,100m] adds the browser with onnxruntime-web on 1 thread for those models;
// --node-wasm adds onnxruntime-web in Node as a third contender (WASM kernels without the browser);
// --profile adds per-op profiles (native and browser, onnxruntime's enableProfiling) per model and graph; --kernels-T times one-op graphs.
import { log, parseArgs, argList, argNum, median, table, fmt, writeJSON, isMain } from './lib/stats';
import { type BenchModel, loadCheckpoint, model100M, serializedGraph, promptIds, tinyModel, type Variant } from './lib/models';
import { ioShape, variantFetches, variantSpec } from './lib/graph-io';
import { startServer } from './lib/server';
import { openBenchPage } from './lib/browser';
import { nativeSession, nodeWasmSession, type Runner, THREADS } from './lib/native';
import { DT, GraphBuilder, serializeModel } from '../src/engine/graph/onnx';
import { parseProfileLines, profileFromEvents, profileNative, type OpProfile } from './lib/profile';

/**
 * One-op graphs with the 100M model's shapes, to see which kernels make the browser/native gap:
 * an Add of one float (the fixed cost of a run), a projection Gemm ([T,768] x [2048,768]^T, like gate/up), a vocab Gemm ([T,768] x [32000,768]^T,
 * like the lens / logits), and masked attention probabilities (Where + Softmax on [12,T,T]).
 */
export function kernelGraphs(T: number): { name: string; bytes: Uint8Array; feeds: Record<string, { type: 'float32' | 'bool'; data: Float32Array | Uint8Array; dims: number[] }> }[] {
  const rnd = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.05);
  const gemm = (name: string, out: number) => {
    const g = new GraphBuilder();
    const x = g.input('x', DT.FLOAT, [T, 768]);
    g.f32('w', [out, 768], rnd(out * 768));
    g.op('Gemm', [x, 'w'], { transB: 1 }, 'y');
    g.output('y', DT.FLOAT, [T, out]);
    return { name, bytes: serializeModel(g).model, feeds: { x: { type: 'float32' as const, data: rnd(T * 768), dims: [T, 768] } } };
  };
  const g = new GraphBuilder();
  const sc = g.input('scores', DT.FLOAT, [12, T, T]);
  const mk = g.input('mask', DT.BOOL, [1, T, T]);
  g.op('Softmax', [g.op('Where', [mk, g.f32s(-3.4e38), sc])], { axis: -1 }, 'p');
  g.output('p', DT.FLOAT, [12, T, T]);
  const mask = new Uint8Array(T * T);
  for (let q = 0; q < T; q++) for (let k = q + 1; k < T; k++) mask[q * T + k] = 1;
  // the smallest possible graph: what one session.run costs by itself
  const o = new GraphBuilder();
  o.op('Add', [o.input('x', DT.FLOAT, [1]), o.f32s(1)], {}, 'y');
  o.output('y', DT.FLOAT, [1]);
  // many tiny ops in a chain: what dispatching one small op costs (the tiny model's graph has hundreds)
  const c = new GraphBuilder();
  let v = c.input('x', DT.FLOAT, [64, 128]);
  for (let i = 0; i < CHAIN; i++) v = c.op(i % 2 ? 'Mul' : 'Add', [v, c.f32s(i % 2 ? 0.999 : 0.001)], {}, i === CHAIN - 1 ? 'y' : undefined);
  c.output('y', DT.FLOAT, [64, 128]);
  return [
    { name: 'Add of 1 float (per-run overhead)', bytes: serializeModel(o).model, feeds: { x: { type: 'float32', data: Float32Array.of(1), dims: [1] } } },
    { name: `${CHAIN} chained Add/Mul on 64x128 (per-op overhead)`, bytes: serializeModel(c).model, feeds: { x: { type: 'float32', data: rnd(64 * 128), dims: [64, 128] } } },
    gemm(`Gemm ${T}x768 · 768x2048`, 2048),
    gemm(`Gemm ${T}x768 · 768x32000 (vocab)`, 32000),
    { name: `Where+Softmax 12x${T}x${T}`, bytes: serializeModel(g).model, feeds: { scores: { type: 'float32', data: rnd(12 * T * T), dims: [12, T, T] }, mask: { type: 'bool', data: mask, dims: [1, T, T] } } },
  ];
}

export const CHAIN = 400;

export interface KernelCell {
  name: string;
  T: number;
  ms: { browser: number; native: number };
  ratio: number;
  reps: number;
}

export interface ForwardCell {
  model: string;
  params: number;
  variant: Variant;
  T: number;
  reps: number;
  ms: Record<string, number>;
  all: Record<string, number[]>;
  ratio: number;
  ratioNodeWasm?: number;
}

export interface ForwardReport {
  cells: ForwardCell[];
  sessions: { model: string; variant: Variant; browserCreateMs: number; nativeCreateMs: number }[];
  notes: string[];
  profiles: { model: string; variant: Variant; T: number; native: OpProfile; browser?: OpProfile }[];
  kernels: KernelCell[];
  threads: number;
}

export async function runForward(opts: {
  models?: string[];
  lengths?: number[];
  variants?: Variant[];
  reps?: number;
  cellBudgetMs?: number;
  nodeWasm?: boolean;
  profile?: boolean;
  /** prompt length of the native profile (clipped to the model's lengths); default 256 */
  profileT?: number;
  /** one-op kernel comparisons at this prompt length (0 = none) */
  kernelsT?: number;
  /** also run these models ('tiny', '100m') in a second page with onnxruntime-web on 1 thread */
  oneThread?: string[];
}): Promise<ForwardReport> {
  const notes: string[] = [];
  const models: BenchModel[] = [];
  const oneThread = new Set<string>();
  for (const m of opts.models ?? ['tiny', '100m']) {
    let bm: BenchModel;
    if (m === 'tiny') {
      bm = tinyModel();
      if (bm.note) notes.push(bm.note);
    } else if (m === '100m') bm = model100M();
    else bm = { name: m, dir: m, real: true };
    models.push(bm);
    if (opts.oneThread?.includes(m)) oneThread.add(bm.name);
  }
  const lengths = opts.lengths ?? [64, 256, 1024];
  const variants = opts.variants ?? ['plain', 'app'];
  const maxReps = opts.reps ?? 5;
  const cellBudget = opts.cellBudgetMs ?? 50_000;

  const server = await startServer();
  const br = await openBenchPage(server.url);
  const br1 = oneThread.size ? await openBenchPage(server.url) : null;
  const cells: ForwardCell[] = [];
  const sessions: ForwardReport['sessions'] = [];
  const profiles: ForwardReport['profiles'] = [];
  const kernels: KernelCell[] = [];
  try {
    for (const m of models) {
      const { spec, ckpt } = loadCheckpoint(m.dir);
      const params = ckpt.byteSize / 4;
      const Ts = [...new Set(lengths.map((T) => Math.min(T, spec.maxPositions)))];
      if (Ts.some((T, i) => T !== lengths[i])) notes.push(`${m.name}: prompt lengths clipped to max_position_embeddings = ${spec.maxPositions}`);
      for (const variant of variants) {
        const bytes = serializedGraph(spec, ckpt, variant);
        const key = `${m.name}-${variant}`;
        const url = server.put(key, bytes);
        const bc = await br.page.evaluate(([k, u, th]) => (window as any).xbench.createSession(k, u, th), [key, url, THREADS] as const);
        const one = br1 && oneThread.has(m.name) ? br1 : null;
        if (one) await one.page.evaluate(([k, u]) => (window as any).xbench.createSession(k, u, 1), [key, url] as const);
        let t0 = performance.now();
        const native = await nativeSession(bytes);
        const nativeCreateMs = performance.now() - t0;
        const nodeWasm = opts.nodeWasm ? await nodeWasmSession(bytes) : null;
        sessions.push({ model: m.name, variant, browserCreateMs: bc.createMs, nativeCreateMs });
        log(`${m.name} ${variant}: session browser ${fmt(bc.createMs)} ms (threads ${bc.threads}, isolated ${bc.isolated}), native ${fmt(nativeCreateMs)} ms`);
        const fetches = variantFetches(variant, spec.numLayers);
        const shape = ioShape(spec);
        const feed = (T: number) => variantSpec(variant, promptIds(T, spec.vocabSize));

        const contenders: [string, (T: number) => Promise<number>][] = [
          ['browser', (T) => br.page.evaluate(([k, sh, f, fe]) => (window as any).xbench.runOnce(k, sh, f, fe), [key, shape, feed(T), fetches] as const)],
          ['native', (T) => native.run(shape, feed(T), fetches)],
        ];
        if (one) contenders.push(['browser-1t', (T) => one.page.evaluate(([k, sh, f, fe]) => (window as any).xbench.runOnce(k, sh, f, fe), [key, shape, feed(T), fetches] as const)]);
        if (nodeWasm) contenders.push(['node-wasm', (T) => (nodeWasm as Runner).run(shape, feed(T), fetches)]);

        // one untimed warm-up per session at the shortest length (first run allocates the arena)
        for (const [, run] of contenders) await run(Ts[0]);
        for (const T of Ts) {
          const all: Record<string, number[]> = Object.fromEntries(contenders.map(([n]) => [n, [] as number[]]));
          t0 = performance.now();
          for (let r = 0; r < maxReps; r++) {
            // alternate who goes first, so drift in background load hits both sides alike
            const order = r % 2 === 0 ? contenders : [...contenders].reverse();
            for (const [name, run] of order) all[name].push(await run(T));
            // bounded: at least 2 repetitions when one takes under half the budget, then more while they fit
            const spent = performance.now() - t0;
            const perRep = spent / (r + 1);
            const minReps = perRep * 2 <= cellBudget ? 2 : 1;
            if (r + 1 >= minReps && spent + perRep > cellBudget) break;
          }
          const ms = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, median(v)]));
          const cell: ForwardCell = { model: m.name, params, variant, T, reps: all.browser.length, ms, all, ratio: ms.browser / ms.native, ratioNodeWasm: ms['node-wasm'] !== undefined ? ms['node-wasm'] / ms.native : undefined };
          cells.push(cell);
          log(
            `  T=${T}: browser ${fmt(ms.browser)} ms, native ${fmt(ms.native)} ms${ms['browser-1t'] !== undefined ? `, browser 1 thread ${fmt(ms['browser-1t'])} ms` : ''}${ms['node-wasm'] !== undefined ? `, node-wasm ${fmt(ms['node-wasm'])} ms` : ''} → ${fmt(cell.ratio)}x (n=${cell.reps})`,
          );
        }
        await br.page.evaluate((k) => (window as any).xbench.releaseSession(k), key);
        if (one) await one.page.evaluate((k) => (window as any).xbench.releaseSession(k), key);
        await native.release();
        await nodeWasm?.release();
        if (opts.profile) {
          // per-op native profile: where the time goes
          const T = Math.min(opts.profileT ?? 256, Ts[Ts.length - 1]);
          const fs = feed(T);
          const p = await profileNative(bytes, shape, fs, fetches, spec.vocabSize, spec.hiddenSize >= 512 ? 1 : 3);
          log(`  native profile T=${T}: ${p.groups.slice(0, 5).map((g) => `${g.name} ${fmt(g.share * 100, 2)}%`).join(', ')}`);
          // the same in the page: onnxruntime-web prints its events to the console
          const lines: string[] = [];
          const onConsole = (msg: { type(): string; text(): string }) => {
            if (msg.type() === 'log' && msg.text().startsWith('{"cat"')) lines.push(msg.text());
          };
          br.page.on('console', onConsole);
          await br.page.evaluate(([u, sh, f, fe, n]) => (window as any).xbench.profileRuns(u, sh, f, fe, n), [url, shape, fs, fetches, spec.hiddenSize >= 512 ? 1 : 3] as const);
          await new Promise((r) => setTimeout(r, 500));
          br.page.off('console', onConsole);
          const bp = lines.length ? profileFromEvents(parseProfileLines(lines), spec.vocabSize) : undefined;
          if (bp) log(`  browser profile T=${T}: ${bp.groups.slice(0, 5).map((g) => `${g.name} ${fmt(g.share * 100, 2)}%`).join(', ')}`);
          profiles.push({ model: m.name, variant, T, native: p, browser: bp });
        }
        server.drop(key);
      }
    }
    if (opts.kernelsT) {
      for (const k of kernelGraphs(opts.kernelsT)) {
        const url = server.put('kernel', k.bytes);
        await br.page.evaluate(([u, th]) => (window as any).xbench.createSession('kernel', u, th), [url, THREADS] as const);
        const native = await nativeSession(k.bytes);
        const feedsJson = Object.fromEntries(Object.entries(k.feeds).map(([n, f]) => [n, { type: f.type, data: Array.from(f.data), dims: f.dims }]));
        await br.page.evaluate(([fj]) => (window as any).xbench.runFeeds('kernel', fj), [feedsJson] as const); // sends the feeds once (and warms up)
        const runB = () => br.page.evaluate(() => (window as any).xbench.runFeeds('kernel'));
        const nf = await import('onnxruntime-node');
        const nfeeds = Object.fromEntries(Object.entries(k.feeds).map(([n, f]) => [n, new nf.Tensor(f.type, f.data as never, f.dims)]));
        const runN = () => native.runFeeds(nfeeds);
        await runB();
        await runN();
        const b: number[] = [];
        const n: number[] = [];
        for (let r = 0; r < 7; r++) {
          if (r % 2) {
            n.push(await runN());
            b.push(await runB());
          } else {
            b.push(await runB());
            n.push(await runN());
          }
        }
        const cell: KernelCell = { name: k.name, T: opts.kernelsT, ms: { browser: median(b), native: median(n) }, ratio: median(b) / median(n), reps: b.length };
        kernels.push(cell);
        log(`kernel ${k.name}: browser ${fmt(cell.ms.browser)} ms, native ${fmt(cell.ms.native)} ms → ${fmt(cell.ratio)}x`);
        await br.page.evaluate(() => (window as any).xbench.releaseSession('kernel'));
        await native.release();
        server.drop('kernel');
      }
    }
  } finally {
    await br.close();
    await br1?.close();
    await server.close();
  }
  return { cells, sessions, notes, profiles, kernels, threads: THREADS };
}

export function kernelTable(r: ForwardReport): string {
  return table(
    ['one-op graph', 'browser ms', 'native ms', 'browser/native', 'n'],
    r.kernels.map((k) => [k.name, k.ms.browser, k.ms.native, `${fmt(k.ratio)}x`, k.reps]),
  );
}

/** per-op groups, native and (when profiled) browser side by side, ordered by browser time */
export function profileTable(p: OpProfile, browser?: OpProfile, top = 10): string {
  if (!browser) {
    return table(
      ['op (native)', 'ms', 'share', 'nodes'],
      p.groups.slice(0, top).map((g) => [g.name, g.ms, `${fmt(g.share * 100, 3)}%`, g.count]),
    );
  }
  const names = [...new Set([...browser.groups.map((g) => g.name), ...p.groups.map((g) => g.name)])];
  const rows = names
    .map((name) => ({ name, n: p.groups.find((g) => g.name === name), b: browser.groups.find((g) => g.name === name) }))
    .sort((a, b) => (b.b?.ms ?? 0) - (a.b?.ms ?? 0))
    .slice(0, top);
  return table(
    ['op', 'native ms', 'native share', 'browser ms', 'browser share', 'browser/native'],
    [
      ...rows.map((r) => [r.name, r.n?.ms ?? '–', r.n ? `${fmt(r.n.share * 100, 3)}%` : '–', r.b?.ms ?? '–', r.b ? `${fmt(r.b.share * 100, 3)}%` : '–', r.n && r.b ? `${fmt(r.b.ms / r.n.ms)}x` : '–']),
      ['all ops', p.totalMs, '100%', browser.totalMs, '100%', `${fmt(browser.totalMs / p.totalMs)}x`],
    ],
  );
}

export function forwardTable(r: ForwardReport): string {
  const hasNW = r.cells.some((c) => c.ratioNodeWasm !== undefined);
  const has1 = r.cells.some((c) => c.ms['browser-1t'] !== undefined);
  return table(
    ['model', 'params', 'graph', 'T', 'browser ms', 'native ms', 'browser/native', ...(has1 ? ['browser 1 thread ms', '1 thread/native'] : []), ...(hasNW ? ['node-wasm ms', 'node-wasm/native'] : []), 'n'],
    r.cells.map((c) => [
      c.model,
      `${fmt(c.params / 1e6, 3)}M`,
      c.variant,
      c.T,
      c.ms.browser,
      c.ms.native,
      `${fmt(c.ratio)}x`,
      ...(has1 ? (c.ms['browser-1t'] !== undefined ? [c.ms['browser-1t'], `${fmt(c.ms['browser-1t'] / c.ms.native)}x`] : ['–', '–']) : []),
      ...(hasNW ? [c.ms['node-wasm'] ?? '–', c.ratioNodeWasm !== undefined ? `${fmt(c.ratioNodeWasm)}x` : '–'] : []),
      c.reps,
    ]),
  );
}

if (isMain(import.meta.url)) {
  const a = parseArgs();
  const r = await runForward({
    models: a.values.get('models')?.split(','),
    lengths: argList(a, 'lengths', [64, 256, 1024]),
    variants: a.values.get('variants')?.split(',') as Variant[] | undefined,
    reps: argNum(a, 'reps', 5),
    cellBudgetMs: argNum(a, 'cell-budget-s', 50) * 1000,
    nodeWasm: a.flags.has('node-wasm'),
    profile: a.flags.has('profile'),
    profileT: argNum(a, 'profile-T', 256),
    kernelsT: argNum(a, 'kernels-T', 0),
    oneThread: a.values.get('browser-1t')?.split(','),
  });
  log('');
  log(forwardTable(r));
  if (r.kernels.length) log(`\n${kernelTable(r)}`);
  for (const p of r.profiles) log(`\nper-op profile, ${p.model} ${p.variant} T=${p.T}:\n${profileTable(p.native, p.browser)}`);
  for (const n of r.notes) log(`note: ${n}`);
  writeJSON(a.values.get('json'), r);
}
