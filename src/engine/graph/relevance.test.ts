// The AttnLRP relevance graph against the independent float64 PyTorch reference
// (tools/reference/attnlrp.py -> fixtures/relevance/*.json) on the random-weight fixtures of
// every family, on the WASM EP.
// Tolerances: rel = max|a - b| / max|b| <= 1e-3 on relevance [L+1][T], leak_bias and
// leak_softmax; target logit within 1e-4 relative.
// Conservation (rules and terms in graph/relevance.ts):
//   Σ_t R_L(t) = target logit                                     (1e-5 relative)
//   Σ_t R_{l+1}(t) − Σ_t R_l(t) = leak_bias[l] + leak_softmax[l]  (1e-4 of |target logit|)
//   leak_bias ≡ 0 for bias-free models; the softmax leak is AttnLRP's non-conservative softmax
//   rule and is not small (up to ~30% of the logit per layer on these random models).

import { readdirSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { specFromConfig } from '../arch/families';
import { computeRelevance, createRelevanceSession } from '../../../test/engine/relevance-session';
import { flatten, relError } from '../../../test/engine/compare';
import { Checkpoint } from '../weights/checkpoint';
import { loadModel } from '../model';
import { buildRelevanceGraph } from './relevance';
import { serializeModel } from './onnx';

ort.env.wasm.numThreads = 1;

const names = readdirSync('fixtures/relevance').map((f) => f.replace(/\.json$/, ''));

interface Fixture {
  ids: number[];
  target: number;
  relevance: number[][];
  target_logit: number;
  leak_bias: number[];
  leak_softmax: number[];
}

function load(name: string) {
  const cfg = JSON.parse(readFileSync(`fixtures/models/${name}/config.json`, 'utf8'));
  const ckpt = Checkpoint.fromBuffers([{ name: 'model.safetensors', bytes: new Uint8Array(readFileSync(`fixtures/models/${name}/model.safetensors`)) }]);
  return { spec: specFromConfig(cfg), ckpt };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('AttnLRP relevance graph matches the PyTorch reference', () => {
  it('has a fixture for every reference model', () => {
    expect(names.sort()).toEqual(readdirSync('fixtures/reference').map((f) => f.replace(/\.json$/, '')).sort());
  });

  for (const name of names) {
    it(name, async () => {
      const ref: Fixture = JSON.parse(readFileSync(`fixtures/relevance/${name}.json`, 'utf8'));
      const { spec, ckpt } = load(name);
      const out = await computeRelevance(ort, spec, ckpt, ref.ids, ref.target, 'wasm');
      const L = spec.numLayers;
      const T = ref.ids.length;
      expect(out.relevance.length).toBe(L + 1);
      expect(out.relevance[0].length).toBe(T);

      const relErr = relError(flatten(out.relevance.map((r) => Array.from(r))), flatten(ref.relevance));
      const logitErr = Math.abs(out.targetLogit - ref.target_logit) / Math.abs(ref.target_logit);
      const softErr = relError(out.leakSoftmax, ref.leak_softmax);
      const biasErr = ref.leak_bias.some((v) => v !== 0) ? relError(out.leakBias, ref.leak_bias) : Math.max(...Array.from(out.leakBias, Math.abs));
      // conservation
      const sums = out.relevance.map(sum);
      const top = Math.abs(sums[L] - out.targetLogit) / Math.abs(out.targetLogit);
      let balance = 0;
      for (let l = 0; l < L; l++) balance = Math.max(balance, Math.abs(sums[l + 1] - sums[l] - out.leakBias[l] - out.leakSoftmax[l]));
      balance /= Math.abs(out.targetLogit);
      console.log(
        `${name}: rel ${relErr.toExponential(2)} logit ${logitErr.toExponential(2)} leakSoftmax ${softErr.toExponential(2)} leakBias ${biasErr.toExponential(2)} | ` +
          `top ${top.toExponential(2)} balance ${balance.toExponential(2)} | sums ${sums.map((s) => s.toFixed(4)).join(' ')} logit ${out.targetLogit.toFixed(4)}`,
      );
      expect(relErr).toBeLessThanOrEqual(1e-3);
      expect(logitErr).toBeLessThanOrEqual(1e-4);
      expect(softErr).toBeLessThanOrEqual(1e-3);
      expect(biasErr).toBeLessThanOrEqual(1e-3);
      expect(top).toBeLessThanOrEqual(1e-5);
      expect(balance).toBeLessThanOrEqual(1e-4);
      // in a causal LM only the last position's final state reaches the logit
      for (let t = 0; t < T - 1; t++) expect(out.relevance[L][t]).toBe(0);
    });
  }
});

describe('AttnLRP relevance graph: dynamic length, any target', () => {
  it('one session serves prefixes (T = 1..) and other targets; logit = the reference forward, balance closes', async () => {
    const name = 'qwen2-bias-bf16'; // biases + GQA: every leak term is non-zero
    const ref = JSON.parse(readFileSync(`fixtures/reference/${name}.json`, 'utf8')) as { ids: number[]; logits: number[][] };
    const { spec, ckpt } = load(name);
    const s = await createRelevanceSession(ort, spec, ckpt, 'wasm');
    try {
      for (const [T, target] of [
        [1, 7],
        [2, 300],
        [5, 0],
        [ref.ids.length, 383],
      ]) {
        const out = await s.run(ref.ids.slice(0, T), target);
        const want = ref.logits[T - 1][target]; // causal: the prefix's last logit
        expect(Math.abs(out.targetLogit - want) / Math.max(1, Math.abs(want))).toBeLessThanOrEqual(1e-4);
        const sums = out.relevance.map(sum);
        expect(Math.abs(sums[spec.numLayers] - out.targetLogit)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(out.targetLogit)));
        for (let l = 0; l < spec.numLayers; l++) {
          expect(Math.abs(sums[l + 1] - sums[l] - out.leakBias[l] - out.leakSoftmax[l])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(out.targetLogit)));
        }
      }
      await expect(s.run(ref.ids, spec.vocabSize)).rejects.toThrow(/vocabulary/);
    } finally {
      await s.dispose();
    }
  });
});

describe("the app graph's relevance branch (one session with the forward, relevanceBranch)", () => {
  for (const name of names) {
    it(`${name}: model.relevance equals the standalone graph and the reference`, async () => {
      const ref: Fixture = JSON.parse(readFileSync(`fixtures/relevance/${name}.json`, 'utf8'));
      const { spec, ckpt } = load(name);
      const m = await loadModel({ kind: 'dir', path: `fixtures/models/${name}` }, { ort, backend: 'wasm' });
      try {
        // a forward first: the branch must not be disturbed by (or disturb) the session's other work
        await m.forward(ref.ids.slice(0, 3), { lensTarget: ref.target });
        const app = await m.relevance(ref.ids, ref.target);
        const alone = await computeRelevance(ort, spec, ckpt, ref.ids, ref.target, 'wasm');
        const flat = (r: Float32Array[]) => flatten(r.map((x) => Array.from(x)));
        expect(app.relevance.length).toBe(spec.numLayers + 1);
        expect(app.relevance[0].length).toBe(ref.ids.length);
        // same kernels on the same numbers: equal up to float reassociation
        expect(relError(flat(app.relevance), flat(alone.relevance))).toBeLessThanOrEqual(1e-5);
        expect(Math.abs(app.targetLogit - alone.targetLogit)).toBeLessThanOrEqual(1e-5 * Math.abs(alone.targetLogit));
        expect(relError(app.leakSoftmax, Array.from(alone.leakSoftmax))).toBeLessThanOrEqual(1e-5);
        expect(relError(flat(app.relevance), flatten(ref.relevance))).toBeLessThanOrEqual(1e-3);
        // and the forward still works after it
        const f = await m.forward(ref.ids, { allLogits: true });
        expect(f.logits.length).toBe(ref.ids.length * spec.vocabSize);
      } finally {
        await m.dispose();
      }
    });
  }
});

describe('attention in blocks of query rows (the Loop that keeps [H, T, T] from existing whole)', () => {
  for (const name of ['gemma2-softcap-bf16', 'gemma3-text-bf16', 'qwen2-bias-bf16']) {
    it(`${name}: blocks of 2 and 3 rows give what one block gives`, async () => {
      const ref: Fixture = JSON.parse(readFileSync(`fixtures/relevance/${name}.json`, 'utf8'));
      const { spec, ckpt } = load(name);
      const T = ref.ids.length;
      expect(T).toBeGreaterThan(3);
      const run = async (block: number) => {
        const sm = serializeModel(buildRelevanceGraph(spec, ckpt, { attentionBlock: block }), { externalThreshold: 1 << 20 });
        const s = await ort.InferenceSession.create(sm.model, { executionProviders: ['wasm'], externalData: sm.external });
        const out = await s.run({
          input_ids: new ort.Tensor('int64', BigInt64Array.from(ref.ids, BigInt), [1, T]),
          target: new ort.Tensor('int64', BigInt64Array.of(BigInt(ref.target)), [1]),
        });
        await s.release();
        return { rel: Array.from(out.relevance.data as Float32Array), soft: Array.from(out.leak_softmax.data as Float32Array) };
      };
      const whole = await run(1024);
      for (const block of [2, 3]) {
        const parts = await run(block);
        expect(relError(parts.rel, whole.rel)).toBeLessThan(1e-5);
        expect(relError(parts.soft, whole.soft)).toBeLessThan(1e-4);
      }
    });
  }
});
