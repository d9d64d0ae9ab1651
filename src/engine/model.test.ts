// Engine behaviour beyond the reference numbers: KV-cache generation equals greedy decoding
// by full forwards, the in-graph logit lens equals its definition, and knockout blocks
// exactly the edges it names.

import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxRow } from './analyses/lens';
import { loadModel, type LoadedModel } from './model';
import { relError } from '../../test/engine/compare';

ort.env.wasm.numThreads = 1;

/** the reference for generate(): greedy decoding with one full forward of the whole sequence per token */
async function greedyByFullForwards(m: LoadedModel, prompt: number[], n: number): Promise<number[]> {
  const eos = new Set(m.spec.eosTokenIds);
  const ids = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await m.forward(ids, { allLogits: true });
    const off = (r.T - 1) * r.V;
    let best = 0;
    for (let v = 1; v < r.V; v++) if (r.logits[off + v] > r.logits[off + best]) best = v;
    if (eos.has(best)) break;
    out.push(best);
    ids.push(best);
  }
  return out;
}

const load = (name: string) => loadModel({ kind: 'dir', path: `fixtures/models/${name}` }, { ort, backend: 'wasm' });

describe('engine on fixtures', () => {
  let qwen3: LoadedModel;
  let mistral: LoadedModel;
  beforeAll(async () => {
    qwen3 = await load('qwen3-qknorm-bf16');
    mistral = await load('mistral-swa-bf16');
  });

  it('reports the backend and spec', () => {
    expect(qwen3.backend).toBe('wasm');
    expect(qwen3.spec.headDim).toBe(32);
    expect(qwen3.spec.qkNorm).toBe(true);
  });

  for (const which of ['qwen3', 'mistral'] as const) {
    it(`${which}: KV-cache greedy generation equals greedy decoding with full forwards`, async () => {
      const m = which === 'qwen3' ? qwen3 : mistral;
      const prompt = [10, 20, 30, 40, 50, 60];
      const n = 8; // past the sliding window of 4 for mistral
      const gen = await m.generate(prompt, { maxNewTokens: n });
      const expected = await greedyByFullForwards(m, prompt, n);
      expect(gen).toEqual(expected);
      expect(gen.length).toBeGreaterThan(0);
    });
  }

  it('lens at the last layer equals the logits at the last position; earlier layers differ', async () => {
    const r = await qwen3.forward([5, 6, 7, 8, 9], { allLogits: true });
    const lastLogits = r.logits.subarray((r.T - 1) * r.V, r.T * r.V);
    const lensL = r.lensLast.subarray(r.L * r.V, (r.L + 1) * r.V);
    expect(relError(lensL, lastLogits)).toBeLessThan(1e-5);
    const lens0 = r.lensLast.subarray(0, r.V);
    expect(relError(lens0, lastLogits)).toBeGreaterThan(1e-2);
    const p = softmaxRow(r.lensLast, 0, r.V);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('knockout blocks exactly the named edges and renormalises the row', async () => {
    const ids = [11, 12, 13, 14, 15, 16, 17];
    const T = ids.length;
    const { numLayers: L, numHeads: H } = qwen3.spec;
    const base = await qwen3.forward(ids, { allLogits: true, attention: 'all' });
    const layer = 1;
    const key = 2;
    const mask = new Uint8Array(L * T * T);
    mask[layer * T * T + (T - 1) * T + key] = 1; // last position -> key, in one layer
    const ko = await qwen3.forward(ids, { knockout: mask, allLogits: true, attention: 'all' });
    // layers before are untouched
    for (let l = 0; l < layer; l++) expect(relError(ko.attention[l], base.attention[l])).toBe(0);
    // in the layer: the blocked edge is 0; the rest of the last row is the old row renormalised
    for (let h = 0; h < H; h++) {
      const row = (a: Float32Array) => a.subarray(h * T * T + (T - 1) * T, h * T * T + T * T);
      const before = row(base.attention[layer]);
      const after = row(ko.attention[layer]);
      expect(after[key]).toBe(0);
      for (let k = 0; k < T; k++) if (k !== key) expect(after[k]).toBeCloseTo(before[k] / (1 - before[key]), 6);
      // other query rows in that layer are untouched
      const other = (a: Float32Array) => a.subarray(h * T * T, h * T * T + (T - 1) * T);
      expect(relError(other(ko.attention[layer]), other(base.attention[layer]))).toBe(0);
    }
    // the last position's logits change, earlier positions' do not
    expect(relError(ko.logits.subarray(0, (T - 1) * ko.V), base.logits.subarray(0, (T - 1) * base.V))).toBe(0);
    expect(relError(ko.logits.subarray((T - 1) * ko.V), base.logits.subarray((T - 1) * base.V))).toBeGreaterThan(1e-6);
  });

  it('a fully blocked row attends uniformly instead of producing NaN', async () => {
    const ids = [3, 4, 5];
    const T = ids.length;
    const L = qwen3.spec.numLayers;
    const mask = new Uint8Array(L * T * T).fill(1);
    const r = await qwen3.forward(ids, { knockout: mask, allLogits: true });
    expect(Array.from(r.logits).every(Number.isFinite)).toBe(true);
  });
});

describe('layers x positions logit lens (in-graph reduction)', () => {
  it('equals softmax(W_U norm(h_l)) computed from the hidden states and weights in JS', async () => {
    const m = await load('llama-llama3rope-bf16');
    const { Checkpoint } = await import('./weights/checkpoint');
    const { readFileSync } = await import('node:fs');
    const ck = Checkpoint.fromBuffers([{ name: 'm', bytes: new Uint8Array(readFileSync('fixtures/models/llama-llama3rope-bf16/model.safetensors')) }]);
    const { hiddenSize: d, vocabSize: V, rmsNormEps: eps } = m.spec;
    const normW = ck.f32('model.norm.weight');
    const WU = ck.f32('lm_head.weight');
    const ids = [40, 41, 42, 43, 44, 45];
    const target = 77;
    const r = await m.forward(ids, { lensTarget: target });
    const T = r.T;
    for (let l = 0; l <= r.L; l++) {
      for (let t = 0; t < T; t++) {
        const h = r.hidden[l].subarray(t * d, (t + 1) * d);
        let ms = 0;
        for (const x of h) ms += x * x;
        const inv = 1 / Math.sqrt(ms / d + eps);
        const logits = new Float64Array(V);
        for (let v = 0; v < V; v++) {
          let s = 0;
          for (let i = 0; i < d; i++) s += WU[v * d + i] * h[i] * inv * normW[i];
          logits[v] = s;
        }
        const max = Math.max(...logits);
        const lse = max + Math.log(logits.reduce((a, x) => a + Math.exp(x - max), 0));
        const k = l * T + t;
        expect(r.lens!.targetLogprob[k]).toBeCloseTo(logits[target] - lse, 4);
        expect(r.lens!.topLogprob[k]).toBeCloseTo(max - lse, 4);
        expect(logits[r.lens!.topId[k]]).toBeCloseTo(max, 4);
        expect(r.lens!.targetRank[k]).toBe(logits.filter((x) => x > logits[target] + 1e-9).length);
      }
    }
  });
});

describe('longrope generation', () => {
  it('re-prefills when the length crosses the original context, so generation equals full forwards', async () => {
    const m = await load('phi3-fused-fp16');
    const after = m.spec.rope.long!.after;
    const prompt = Array.from({ length: after - 2 }, (_, i) => 20 + i);
    const n = 6;
    const gen = await m.generate(prompt, { maxNewTokens: n });
    const expected = await greedyByFullForwards(m, prompt, n);
    expect(gen).toEqual(expected);
    expect(prompt.length + gen.length).toBeGreaterThan(after);
  });
});

describe('memory estimate', () => {
  it('refuses a model too large for browser memory before downloading its weights', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/xlens-big-`);
    writeFileSync(`${dir}/config.json`, readFileSync('fixtures/hub-configs/Qwen/Qwen3-4B/config.json'));
    writeFileSync(`${dir}/tokenizer.json`, readFileSync('fixtures/models/llama-tied-fp32/tokenizer.json'));
    await expect(loadModel({ kind: 'dir', path: dir }, { ort, backend: 'wasm' })).rejects.toThrow(/4\.02B parameters.*more than the 4 GiB/);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'tokenizer.json']);
  });
});

describe('chunked prefill', () => {
  it('equals one run over the whole prompt: hidden states, last attention row, lens, logits and the KV cache generate() reuses', async () => {
    for (const name of ['gemma3-text-bf16', 'qwen2-bias-bf16', 'mistral-swa-bf16']) {
      const whole = await load(name);
      const parts = await load(name);
      const ids = Array.from({ length: 23 }, (_, i) => 5 + ((i * 7) % 40));
      const a = await whole.forward(ids, { chunk: ids.length });
      const b = await parts.forward(ids, { chunk: 5 });
      for (let l = 0; l <= a.L; l++) expect(relError(b.hidden[l], a.hidden[l]), `${name} hidden ${l}`).toBeLessThan(1e-5);
      for (let l = 0; l < a.L; l++) expect(relError(b.attention[l], a.attention[l]), `${name} attention ${l}`).toBeLessThan(1e-5);
      expect(relError(b.lensLast, a.lensLast)).toBeLessThan(1e-5);
      expect(relError(b.logits, a.logits)).toBeLessThan(1e-5);
      expect(await parts.generate(ids, { maxNewTokens: 4 })).toEqual(await whole.generate(ids, { maxNewTokens: 4 }));
    }
  });
});

describe('knockoutBatch', () => {
  const logSoftmaxAt = (logits: Float32Array, off: number, V: number, id: number) => {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[off + v]);
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[off + v] - max);
    return logits[off + id] - max - Math.log(z);
  };

  it('equals single forwards with the same masks, on the prefix-cache path and on the full path', async () => {
    const m = await load('gemma2-softcap-bf16');
    const ids = [30, 31, 32, 33, 34, 35, 36, 37, 38];
    const T = ids.length;
    const L = m.spec.numLayers;
    const target = 50;
    const lastRow = (layer: number, keys: number[]) => {
      const mask = new Uint8Array(L * T * T);
      for (const k of keys) mask[layer * T * T + (T - 1) * T + k] = 1;
      return mask;
    };
    const masks = [lastRow(0, [1, 2]), lastRow(1, [3]), lastRow(2, [0, 4, 5]), new Uint8Array(L * T * T)];
    const other = lastRow(1, [2]);
    other[1 * T * T + 4 * T + 1] = 1; // also blocks an edge of position 4: needs the full path
    for (const set of [masks, [...masks, other]]) {
      const got = await m.knockoutBatch(ids, target, set, 3);
      for (let i = 0; i < set.length; i++) {
        const f = await m.forward(ids, { knockout: set[i], allLogits: true });
        expect(got[i]).toBeCloseTo(logSoftmaxAt(f.logits, (T - 1) * f.V, f.V, target), 4);
      }
    }
  });
});

describe('knockoutBatch after forward', () => {
  it("takes the prefix's keys and values from the forward's cache and gives the same numbers as a cold sweep", async () => {
    const cold = await load('qwen2-bias-bf16');
    const warm = await load('qwen2-bias-bf16');
    const ids = [11, 12, 13, 14, 15, 16, 17];
    const T = ids.length;
    const L = cold.spec.numLayers;
    const masks = Array.from({ length: L }, (_, l) => {
      const m = new Uint8Array(L * T * T);
      for (const k of [1, 2, 3]) m[l * T * T + (T - 1) * T + k] = 1;
      return m;
    });
    const a = await cold.knockoutBatch(ids, 42, masks, 2);
    await warm.forward(ids, { lensTarget: 42 });
    const b = await warm.knockoutBatch(ids, 42, masks, 2);
    // the cached keys/values are the same fp32 numbers the prefix run would compute; the batched step may differ in the last bits
    for (let i = 0; i < masks.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
    // and a different prompt does not reuse the cache
    const other = [...ids.slice(0, T - 1), 99];
    const c = await warm.knockoutBatch(other, 42, masks, 2);
    const d = await cold.knockoutBatch(other, 42, masks, 2);
    for (let i = 0; i < masks.length; i++) expect(c[i]).toBeCloseTo(d[i], 5);
  });
});

describe('generate after forward', () => {
  it('starts from the forward pass KV cache and gives the same tokens as a cold generate', async () => {
    const a = await load('llama-llama3rope-bf16');
    const b = await load('llama-llama3rope-bf16');
    const prompt = [40, 50, 60, 70, 80];
    const cold = await a.generate(prompt, { maxNewTokens: 6 });
    await b.forward(prompt);
    const warm = await b.generate(prompt, { maxNewTokens: 6 });
    expect(warm).toEqual(cold);
    expect(cold.length).toBeGreaterThan(1);
    // a knockout forward must not be reused
    await b.forward(prompt, { knockout: new Uint8Array(b.spec.numLayers * 25).fill(1) });
    expect(await b.generate(prompt, { maxNewTokens: 6 })).toEqual(cold);
  });
});
