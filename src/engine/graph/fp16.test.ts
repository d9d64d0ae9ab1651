// fp16 weights with fp16 projections (graph/weights.ts, docs/weights.md "fp16") against fp32, on every
// random-weight fixture family (fixtures/models/*) and the two tiny trained models (public/models/*).
//
// What each runtime computes for the fp16 graph (measured, docs/weights.md):
// - onnxruntime's CPU kernels (onnxruntime-node's CPU EP and onnxruntime-web's WASM EP, the same code)
//   have no fp16 Gemm/MatMul here: onnxruntime wraps them in casts to fp32 and then drops each
//   Cast(fp32 -> fp16) -> Cast(fp16 -> fp32) pair, so they compute the fp32 graph of the fp16-rounded
//   checkpoint (weights and biases; activations not rounded). Tested as such (1.): rel <= 1e-5,
//   measured <= 1.5e-6.
// - onnxruntime's WebGPU kernels on an adapter with shader-f16 compute in fp16 (inputs, products and
//   accumulation): the effect (3.) is measured there. No such adapter is part of this machine, so
//   those tests run only when onnxruntime-node finds one (e.g. Mesa's lavapipe, bench/fp16.ts header
//   says how) and are skipped otherwise, saying so.
// 2. checks the graph's structure, so the fp16 casts the CPU runtimes drop are checked too.
//
// Effect, metrics as graph/int8.test.ts (testing/logit-effect.ts): rel, KL(p_fp32 || p_fp16) max and
// mean, top-1 agreement, and at the last position of each input. Tolerances (TOL): about 2-3x the
// worst measured value (top-1: 2x the worst disagreeing share); measured values are in docs/weights.md.

import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as ortWeb from 'onnxruntime-web';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../arch/spec';
import { APP_GRAPH, loadModel } from '../model';
import type { Ort } from '../runtime/session';
import { relError } from '../../../test/engine/compare';
import { FIXTURE_MODELS, formatEffect, formatLogits, idSequences, loadDir, logitEffect, TINY_MODELS, tinyPrompts, type Effect } from '../../../test/engine/logit-effect';
import { Checkpoint } from '../weights/checkpoint';
import { f16ToF32, f32ToF16 } from '../weights/safetensors';
import { buildForwardGraph } from './forward';
import { DT, type GraphBuilder, serializeModel } from './onnx';
import { buildRelevanceGraph } from './relevance';

ortWeb.env.wasm.numThreads = 1;
const ortNode = createRequire(import.meta.url)('onnxruntime-node') as Ort;

/** tolerances (header) */
const TOL = {
  /** CPU runtimes: fp16 graph vs the fp32 graph of the fp16-rounded checkpoint (measured <= 1.2e-6) */
  plumbing: 1e-5,
  /** CPU runtimes, fp16 vs fp32: the weight rounding alone (measured: rel 2.0e-3, KL max 4.9e-4, mean 3.3e-6, top-1 0.995, last KL 3.3e-6) */
  cpu: { rel: 5e-3, klMax: 1e-3, klMean: 1e-5, top1: 0.99, lastKlMax: 1e-5 },
  /** WebGPU fp16 kernels vs fp32 (measured on lavapipe: fixtures rel 4.0e-3, KL max 3.6e-4, mean 5.3e-5, top-1 0.986) */
  webgpuFixtures: { rel: 1e-2, klMax: 1e-3, klMean: 1.5e-4, top1: 0.97, lastKlMax: 5e-4 },
  /** (tiny models: rel 2.8e-2, KL max 0.114 at one mid-prompt position, mean 3.7e-4, top-1 0.995, answer positions KL 6.7e-5) */
  webgpuTiny: { rel: 0.06, klMax: 0.25, klMean: 1e-3, top1: 0.99, lastKlMax: 1e-3 },
  /** relevance maps rel and |target logit| difference: CPU (measured 7.3e-4, 8e-4), WebGPU (1.3e-2, 4.1e-3) */
  relevanceCpu: { rel: 2e-3, logit: 2e-3 },
  relevanceWebgpu: { rel: 3e-2, logit: 1e-2 },
};

/** the checkpoint with every 2-D tensor and every bias (which the fp16 Gemm adds in fp16) rounded to fp16 and back */
class Fp16RoundedCheckpoint extends Checkpoint {
  override f32(name: string, expectShape?: number[]): Float32Array {
    const w = super.f32(name, expectShape);
    return this.shape(name).length === 2 || name.endsWith('.bias') ? f16ToF32(f32ToF16(w)) : w;
  }
}

type Ep = 'cpu' | 'wasm' | 'webgpu';

/** logits [T*V] at every position of each sequence, on onnxruntime-node (cpu, webgpu) or onnxruntime-web (wasm) */
const logits = (spec: ModelSpec, ckpt: Checkpoint, format: 'fp32' | 'fp16', seqs: number[][], ep: Ep): Promise<Float32Array[]> =>
  formatLogits(ep === 'wasm' ? (ortWeb as unknown as Ort) : ortNode, ep, spec, ckpt, format, seqs);

async function relevance(spec: ModelSpec, ckpt: Checkpoint, format: 'fp32' | 'fp16', ids: number[], target: number, ep: Ep) {
  const s = await ortNode.InferenceSession.create(serializeModel(buildRelevanceGraph(spec, ckpt, { weightFormat: format })).model, {
    executionProviders: [ep],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  try {
    const o = await s.run({
      input_ids: new ortNode.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      target: new ortNode.Tensor('int64', BigInt64Array.of(BigInt(target)), [1]),
    });
    return { relevance: o.relevance.data as Float32Array, targetLogit: (o.target_logit.data as Float32Array)[0] };
  } finally {
    await s.release();
  }
}

/** inputs per model: three fixed id sequences (fixtures), the app's prompts for 12 held-out items (tiny models) */
const inputs = (dir: string, spec: ModelSpec) => (TINY_MODELS.includes(dir) ? tinyPrompts(dir) : idSequences(spec));

function expectEffect(e: Effect, tol: { rel: number; klMax: number; klMean: number; top1: number; lastKlMax: number }) {
  expect(e.rel).toBeLessThanOrEqual(tol.rel);
  expect(e.maxKL).toBeLessThanOrEqual(tol.klMax);
  expect(e.meanKL).toBeLessThanOrEqual(tol.klMean);
  expect(e.top1).toBeGreaterThanOrEqual(tol.top1);
  expect(e.lastAgree).toBe(1);
  expect(e.lastMaxKL).toBeLessThanOrEqual(tol.lastKlMax);
}

const RELEVANCE_MODELS = [...FIXTURE_MODELS.filter((d) => readdirSync('fixtures/relevance').includes(`${d.split('/').pop()}.json`)), ...TINY_MODELS];
const relevanceInput = (dir: string, spec: ModelSpec) => {
  const ids = TINY_MODELS.includes(dir) ? tinyPrompts(dir)[0] : idSequences(spec)[0].slice(0, 16);
  return { ids, target: TINY_MODELS.includes(dir) ? ids[ids.length - 1] : ids[3] };
};

describe('fp16 graph structure', () => {
  /** a graph and the graphs nested in its nodes (the app graph's relevance branch is an If) */
  const graphsOf = (g: GraphBuilder): GraphBuilder[] => [
    g,
    ...g.nodes.flatMap((n) => Object.values(n.attrs).flatMap((a) => (typeof a === 'object' && a !== null && 'graph' in a ? graphsOf(a.graph) : []))),
  ];

  function checkStructure(top: GraphBuilder, ckpt: Checkpoint) {
    const byName = new Map(top.initializers.map((t) => [t.name, t]));
    // every 2-D checkpoint weight is held once, as fp16; nothing else the checkpoint holds is fp16
    for (const name of ckpt.names()) {
      const half = byName.get(`${name}#f16`);
      if (ckpt.shape(name).length === 2 && (half || byName.has(name))) {
        expect(half?.dtype, name).toBe(DT.FLOAT16);
        expect(byName.has(name), `${name} also as fp32`).toBe(false);
      }
    }
    let projections = 0;
    for (const g of graphsOf(top)) {
      expect(g.initializers.filter((t) => t.dtype === DT.FLOAT16).every((t) => t.name.endsWith('#f16'))).toBe(true);
      const made = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
      const consumers = (v: string) => g.nodes.filter((n) => n.inputs.includes(v));
      for (const n of g.nodes) {
        const weights = n.inputs.filter((i) => i.endsWith('#f16'));
        if (!weights.length) continue;
        expect(['Gemm', 'MatMul', 'Gather'], `${n.op} reads ${weights[0]}`).toContain(n.op);
        // its result goes to exactly one Cast to fp32
        expect(consumers(n.outputs[0]).map((c) => [c.op, c.attrs.to])).toEqual([['Cast', DT.FLOAT]]);
        if (n.op === 'Gather') continue;
        projections++;
        // every other input is an fp16 cast of an fp32 value (the activation; a bias)
        for (const i of n.inputs.filter((x) => !x.endsWith('#f16'))) {
          const p = made.get(i);
          expect([p?.op, p?.attrs.to], `${n.op} input ${i}`).toEqual(['Cast', DT.FLOAT16]);
        }
      }
      // nothing else is fp16: the casts to fp16 feed only these Gemms and MatMuls
      for (const n of g.nodes) if (n.op === 'Cast' && n.attrs.to === DT.FLOAT16) for (const c of consumers(n.outputs[0])) expect(['Gemm', 'MatMul']).toContain(c.op);
    }
    expect(projections).toBeGreaterThan(0);
  }

  for (const dir of [...FIXTURE_MODELS, ...TINY_MODELS]) {
    it(dir, () => {
      const { spec, ckpt } = loadDir(dir);
      // the graph the app runs (with the relevance branch, where it has one), and the relevance graph alone
      const fp32 = buildForwardGraph(spec, ckpt, APP_GRAPH);
      const fp16 = buildForwardGraph(spec, ckpt, { ...APP_GRAPH, weightFormat: 'fp16' });
      checkStructure(fp16, ckpt);
      if ((APP_GRAPH as { relevance?: boolean }).relevance) expect(graphsOf(fp16).length).toBeGreaterThan(1); // the branch was checked too
      // the graph's inputs and outputs are those of the fp32 graph: everything downstream is unchanged
      expect(fp16.inputs).toEqual(fp32.inputs);
      expect(fp16.outputs).toEqual(fp32.outputs);
      if (RELEVANCE_MODELS.includes(dir)) {
        const r32 = buildRelevanceGraph(spec, ckpt);
        const r16 = buildRelevanceGraph(spec, ckpt, { weightFormat: 'fp16' });
        checkStructure(r16, ckpt);
        expect([r16.inputs, r16.outputs]).toEqual([r32.inputs, r32.outputs]);
      }
    });
  }
});

describe('CPU runtimes: the fp16 graph = the fp32 graph of the fp16-rounded checkpoint', () => {
  for (const dir of [...FIXTURE_MODELS, ...TINY_MODELS]) {
    it(dir, async () => {
      const { spec, ckpt } = loadDir(dir);
      const seqs = inputs(dir, spec).slice(0, 1);
      const [ref] = await logits(spec, new Fp16RoundedCheckpoint(ckpt.shards), 'fp32', seqs, 'cpu');
      const [node] = await logits(spec, ckpt, 'fp16', seqs, 'cpu');
      const [wasm] = await logits(spec, ckpt, 'fp16', seqs, 'wasm');
      console.log(`${dir}: onnxruntime-node CPU rel ${relError(node, ref).toExponential(2)}, onnxruntime-web WASM rel ${relError(wasm, ref).toExponential(2)}`);
      expect(relError(node, ref)).toBeLessThanOrEqual(TOL.plumbing);
      expect(relError(wasm, ref)).toBeLessThanOrEqual(TOL.plumbing);
    }, 60_000);
  }
});

describe('fp16 vs fp32 logits, CPU runtime (the weight rounding alone)', () => {
  for (const dir of [...FIXTURE_MODELS, ...TINY_MODELS]) {
    it(dir, async () => {
      const { spec, ckpt } = loadDir(dir);
      const seqs = inputs(dir, spec);
      const e = logitEffect(await logits(spec, ckpt, 'fp32', seqs, 'cpu'), await logits(spec, ckpt, 'fp16', seqs, 'cpu'), spec.vocabSize);
      console.log(`${dir}: ${formatEffect(e)}`);
      expectEffect(e, TOL.cpu);
    }, 60_000);
  }
  for (const dir of RELEVANCE_MODELS) {
    it(`${dir}: relevance`, async () => {
      const { spec, ckpt } = loadDir(dir);
      const { ids, target } = relevanceInput(dir, spec);
      const a = await relevance(spec, ckpt, 'fp16', ids, target, 'cpu');
      const b = await relevance(spec, ckpt, 'fp32', ids, target, 'cpu');
      console.log(`${dir}: relevance rel ${relError(a.relevance, b.relevance).toExponential(2)}, target logit ${a.targetLogit} vs ${b.targetLogit}`);
      expect(relError(a.relevance, b.relevance)).toBeLessThanOrEqual(TOL.relevanceCpu.rel);
      expect(Math.abs(a.targetLogit - b.targetLogit)).toBeLessThanOrEqual(TOL.relevanceCpu.logit);
    }, 60_000);
  }
});

/** whether onnxruntime-node has a WebGPU adapter that runs fp16 programs */
async function nodeWebgpuF16(): Promise<string | null> {
  const { GraphBuilder } = await import('./onnx');
  const g = new GraphBuilder();
  g.input('x', DT.FLOAT, [2]);
  g.op('Cast', [g.op('Cast', ['x'], { to: DT.FLOAT16 })], { to: DT.FLOAT }, 'y');
  g.output('y', DT.FLOAT, [2]);
  try {
    const s = await ortNode.InferenceSession.create(serializeModel(g).model, { executionProviders: ['webgpu'], logSeverityLevel: 3 });
    const y = (await s.run({ x: new ortNode.Tensor('float32', Float32Array.of(1, 1 + 2 ** -12), [2]) })).y.data as Float32Array;
    await s.release();
    return y[0] === 1 && y[1] === 1 ? null : `fp16 Cast gave ${Array.from(y)}`;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

const webgpuMissing = await nodeWebgpuF16();
if (webgpuMissing) console.log(`fp16 on WebGPU kernels: skipped, onnxruntime-node has no WebGPU adapter with shader-f16 here (${webgpuMissing})`);

describe.skipIf(webgpuMissing !== null)('fp16 vs fp32 logits, WebGPU kernels with shader-f16 (onnxruntime-node)', () => {
  for (const dir of [...FIXTURE_MODELS, ...TINY_MODELS]) {
    it(dir, async () => {
      const { spec, ckpt } = loadDir(dir);
      const seqs = inputs(dir, spec);
      const e = logitEffect(await logits(spec, ckpt, 'fp32', seqs, 'cpu'), await logits(spec, ckpt, 'fp16', seqs, 'webgpu'), spec.vocabSize);
      console.log(`${dir} (webgpu): ${formatEffect(e)}`);
      expectEffect(e, TINY_MODELS.includes(dir) ? TOL.webgpuTiny : TOL.webgpuFixtures);
    }, 120_000);
  }
  for (const dir of RELEVANCE_MODELS) {
    it(`${dir}: relevance`, async () => {
      const { spec, ckpt } = loadDir(dir);
      const { ids, target } = relevanceInput(dir, spec);
      const a = await relevance(spec, ckpt, 'fp16', ids, target, 'webgpu');
      const b = await relevance(spec, ckpt, 'fp32', ids, target, 'cpu');
      console.log(`${dir} (webgpu): relevance rel ${relError(a.relevance, b.relevance).toExponential(2)}, target logit ${a.targetLogit} vs ${b.targetLogit}`);
      expect(relError(a.relevance, b.relevance)).toBeLessThanOrEqual(TOL.relevanceWebgpu.rel);
      expect(Math.abs(a.targetLogit - b.targetLogit)).toBeLessThanOrEqual(TOL.relevanceWebgpu.logit);
    }, 120_000);
  }
});

describe.skipIf(webgpuMissing !== null)('loadModel with fp16 on WebGPU kernels with shader-f16 (onnxruntime-node): every kind of work', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('the app graph (forward, lens, KV-cache generation, knockout, relevance branch) against fp32 on WASM', async () => {
    // the worker's adapter question answered yes; the "webgpu" build is onnxruntime-node on its real WebGPU EP
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => ({ features: new Set(['shader-f16']) }) } }, configurable: true });
    const dir = TINY_MODELS[1];
    const m16 = await loadModel({ kind: 'dir', path: dir }, { ort: async (b) => (b === 'webgpu' ? ortNode : (ortWeb as unknown as Ort)), backend: 'webgpu' });
    const m32 = await loadModel({ kind: 'dir', path: dir }, { ort: ortWeb as unknown as Ort, backend: 'wasm', weights: 'fp32' });
    expect([m16.backend, m16.weightFormat]).toEqual(['webgpu', 'fp16']);
    try {
      for (const ids of tinyPrompts(dir).slice(0, 3)) {
        const f16 = await m16.forward(ids, { lensTarget: ids[ids.length - 1] });
        const f32 = await m32.forward(ids, { lensTarget: ids[ids.length - 1] });
        const g16 = await m16.generate(ids, { maxNewTokens: 8 });
        const g32 = await m32.generate(ids, { maxNewTokens: 8 });
        const answer = g32[0];
        const masks = [new Uint8Array(m16.spec.numLayers * ids.length * ids.length), Uint8Array.from({ length: m16.spec.numLayers * ids.length * ids.length }, (_, i) => (i % ids.length < 4 ? 1 : 0))];
        const k16 = await m16.knockoutBatch(ids, answer, masks);
        const k32 = await m32.knockoutBatch(ids, answer, masks);
        const r16 = await m16.relevance(ids, answer);
        const r32 = await m32.relevance(ids, answer);
        const flat = (r: Float32Array[]) => r.flatMap((x) => Array.from(x));
        const e = {
          logits: relError(f16.logits, f32.logits),
          lens: relError(f16.lensLast, f32.lensLast),
          lensLogprob: relError(f16.lens!.targetLogprob, f32.lens!.targetLogprob),
          knockout: Math.max(...Array.from(k16, (v, i) => Math.abs(v - k32[i]))),
          relevance: relError(flat(r16.relevance), flat(r32.relevance)),
        };
        console.log(`T=${ids.length}: ${JSON.stringify(e)}; generated ${g16.join(',')} vs ${g32.join(',')}`);
        // tolerances: ~4x the worst measured on lavapipe (logits 2.1e-3, lens 1.9e-3, lens log-probs 2.2e-3,
        // relevance 6.8e-4; knockout log p of the answer 1.3e-6, 0.036 for a target at log p -12.9 on other
        // ids); the answer's first token agrees as in the effect test
        expect(e.logits).toBeLessThanOrEqual(0.01);
        expect(e.lens).toBeLessThanOrEqual(0.01);
        expect(e.lensLogprob).toBeLessThanOrEqual(0.01);
        expect(e.knockout).toBeLessThanOrEqual(0.15);
        expect(e.relevance).toBeLessThanOrEqual(0.03);
        expect(g16[0]).toBe(g32[0]);
      }
    } finally {
      await m16.dispose();
      await m32.dispose();
    }
  }, 300_000);
});

describe('loadModel: fp16 where the adapter has shader-f16, else what auto picks, saying why', () => {
  const TINY = TINY_MODELS[1];
  type Nav = { gpu?: { requestAdapter(): Promise<unknown> } };
  const g = globalThis as { navigator?: Nav };
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  /** a navigator whose WebGPU adapter has these features */
  const stubAdapter = (features: string[] | null) => {
    const gpu = { requestAdapter: async () => (features ? { features: new Set(features) } : null) };
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  };
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete g.navigator;
  });
  /** the "webgpu" build: onnxruntime-web on its WASM kernels (which run fp16 graphs too), or one whose sessions fail */
  const fakeWebgpu = (fail = false): Ort =>
    ({
      ...ortWeb,
      InferenceSession: {
        create: (model: Uint8Array, o: object) =>
          fail ? Promise.reject(new Error('no device')) : ortWeb.InferenceSession.create(model, { ...o, executionProviders: ['wasm'] }),
      },
    }) as unknown as Ort;
  const ortFor = (fail = false) => async (b: 'webgpu' | 'wasm') => (b === 'webgpu' ? fakeWebgpu(fail) : (ortWeb as unknown as Ort));
  const load = (o: { weights?: 'auto' | 'fp32' | 'int8' | 'fp16'; backend?: 'auto' | 'webgpu' | 'wasm'; fail?: boolean }) =>
    loadModel({ kind: 'dir', path: TINY }, { ort: ortFor(o.fail), backend: o.backend ?? 'auto', weights: o.weights });

  it('auto on an adapter with shader-f16 runs fp16 on WebGPU: the fp16 graph', async () => {
    stubAdapter(['shader-f16', 'timestamp-query']);
    const m = await load({});
    expect([m.backend, m.weightFormat, m.weightFallbackReason]).toEqual(['webgpu', 'fp16', undefined]);
    const { spec, ckpt } = loadDir(TINY);
    const ids = idSequences(spec)[0];
    const r = await m.forward(ids);
    const [ref] = await logits(spec, ckpt, 'fp16', [ids], 'cpu');
    const V = spec.vocabSize;
    expect(relError(r.logits, ref.subarray(ref.length - V))).toBeLessThanOrEqual(TOL.plumbing);
    await m.dispose();
    // fp32 and int8 stay what they are asked to be
    for (const w of ['fp32', 'int8'] as const) {
      const x = await load({ weights: w });
      expect([x.backend, x.weightFormat, x.weightFallbackReason]).toEqual(['webgpu', w, undefined]);
      await x.dispose();
    }
  }, 60_000);

  it('an adapter without shader-f16: auto runs fp32; fp16 asked for runs fp32 too, saying it needs shader-f16', async () => {
    stubAdapter(['timestamp-query']);
    const auto = await load({});
    expect([auto.backend, auto.weightFormat, auto.weightFallbackReason]).toEqual(['webgpu', 'fp32', undefined]);
    await auto.dispose();
    const m = await load({ weights: 'fp16' });
    expect([m.backend, m.weightFormat]).toEqual(['webgpu', 'fp32']);
    expect(m.weightFallbackReason).toBe('fp16 weights need the WebGPU feature shader-f16, which this adapter lacks: running fp32 weights');
    await m.dispose();
  }, 60_000);

  it('no WebGPU, or the WASM backend: fp16 asked for runs fp32 on WASM, saying why', async () => {
    stubAdapter(null);
    const m = await load({ weights: 'fp16' });
    expect([m.backend, m.weightFormat]).toEqual(['wasm', 'fp32']);
    expect(m.weightFallbackReason).toBe('fp16 weights need WebGPU: WebGPU is present but no adapter is available: running fp32 weights');
    await m.dispose();
    stubAdapter(['shader-f16']);
    const w = await load({ weights: 'fp16', backend: 'wasm' });
    expect([w.backend, w.weightFormat]).toEqual(['wasm', 'fp32']);
    expect(w.weightFallbackReason).toBe('fp16 weights run on WebGPU only, and the backend is WASM: running fp32 weights');
    expect((await w.forward([1, 2, 3])).logits.length).toBe(w.spec.vocabSize);
    await w.dispose();
  }, 60_000);

  it('fp16 chosen for WebGPU whose session then fails: rebuilt as fp32 for WASM', async () => {
    stubAdapter(['shader-f16']);
    const m = await load({ fail: true });
    expect([m.backend, m.weightFormat]).toEqual(['wasm', 'fp32']);
    expect(m.fallbackReason).toMatch(/WebGPU session failed \(no device\); using WASM/);
    expect(m.weightFallbackReason).toBe('fp16 weights run on WebGPU only: running fp32 weights on WASM');
    const { spec, ckpt } = loadDir(TINY);
    const ids = idSequences(spec)[0];
    const [ref] = await logits(spec, ckpt, 'fp32', [ids], 'cpu');
    expect(relError((await m.forward(ids)).logits, ref.subarray(ref.length - spec.vocabSize))).toBeLessThanOrEqual(1e-5);
    await m.dispose();
  }, 60_000);

  it('the size check counts fp16 where it can run: a 1B model loads as fp16 rather than int8; too large names the fp16 size', async () => {
    const configOnly = (repo: string) => {
      const dir = mkdtempSync(`${tmpdir()}/xlens-fp16-`);
      writeFileSync(`${dir}/config.json`, readFileSync(`fixtures/hub-configs/${repo}/config.json`));
      writeFileSync(`${dir}/tokenizer.json`, readFileSync('fixtures/models/llama-tied-fp32/tokenizer.json'));
      return dir;
    };
    const err = (dir: string, weights?: 'auto' | 'fp16') =>
      loadModel({ kind: 'dir', path: dir }, { ort: ortFor(), backend: 'auto', weights }).then(
        () => null,
        (e: Error) => e,
      );
    stubAdapter(['shader-f16']);
    const big = configOnly('Qwen/Qwen3-4B');
    const e = await err(big, 'fp16');
    expect(e?.name).toBe('ModelTooLargeError');
    expect(e?.message).toMatch(/about 15\.0 GiB of fp32 weights, 7\.5 GiB of fp16 weights, or 3\.9 GiB with int8 weights .*more than the 4 GiB of browser memory WebAssembly can address/);
    // past the estimate: the load goes on to the (missing) weights
    const llama1b = configOnly('unsloth/Llama-3.2-1B-Instruct');
    expect((await err(llama1b, 'fp16'))?.message).toMatch(/safetensors/);
  }, 60_000);
});
