// What a weight format does to a model's next-token distribution, measured the same way for every
// format (graph/int8.test.ts, graph/fp16.test.ts, bench/fp16.ts):
//   rel   = max |z - z_fp32| / (max z_fp32 - min z_fp32) over all positions
//   KL    = KL(p_fp32 || p) of the next-token distribution, max and mean over positions (nats)
//   top-1 = share of positions whose argmax agrees; "last" = at the last position of each input

import { readdirSync, readFileSync } from 'node:fs';
import { specFromConfig } from '../../src/engine/arch/families';
import type { ModelSpec } from '../../src/engine/arch/spec';
import { buildPrompt } from '../../src/engine/text/prompt';
import { createTokenizer } from '../../src/engine/text/tokenizer';
import { buildForwardGraph } from '../../src/engine/graph/forward';
import { serializeModel } from '../../src/engine/graph/onnx';
import type { WeightFormat } from '../../src/engine/graph/weights';
import type { Ort } from '../../src/engine/runtime/session';
import { Checkpoint } from '../../src/engine/weights/checkpoint';

export const FIXTURE_MODELS = readdirSync('fixtures/models').map((n) => `fixtures/models/${n}`);
export const TINY_MODELS = ['public/models/xlens-tiny-base', 'public/models/xlens-tiny-instruct'];

export function loadDir(dir: string, Ckpt: typeof Checkpoint = Checkpoint): { spec: ModelSpec; ckpt: Checkpoint } {
  const spec = specFromConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
  const files = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
  return { spec, ckpt: Ckpt.fromBuffers(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(`${dir}/${f}`)) }))) };
}

/** three fixed id sequences of up to 48 tokens (random-weight models have no meaningful text) */
export function idSequences(spec: ModelSpec): number[][] {
  const T = Math.min(48, spec.maxPositions);
  return [7919, 104729, 15485863].map((p, k) => Array.from({ length: T }, (_, i) => (i * p + 13 * k + 1) % spec.vocabSize));
}

/** the app's prompts (plain template) for 12 held-out items, one per context language */
export function tinyPrompts(dir: string): number[][] {
  const json = (f: string) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const tokenizer = createTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
  const items = readFileSync('tools/tiny-model/heldout.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { context_lang: string; question_lang: string; context: string; question: string; answer: string });
  const langs = [...new Set(items.map((i) => i.context_lang))].sort();
  const picked = langs.map((c, k) => items.filter((i) => i.context_lang === c)[(k * 7) % 120]);
  return picked.map((it) => buildPrompt(tokenizer, { context: it.context, question: it.question, answer: it.answer, template: 'plain' }).ids);
}

export interface Effect {
  positions: number;
  rel: number;
  maxKL: number;
  meanKL: number;
  top1: number;
  /** argmax agreement at the last position of each sequence */
  lastAgree: number;
  /** max KL at the last position of each sequence */
  lastMaxKL: number;
}

/** logits [T*V] per sequence of the fp32 graph (`ref`) and of another format (`got`) */
export function logitEffect(ref: Float32Array[], got: Float32Array[], V: number): Effect {
  let maxDiff = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let maxKL = 0;
  let sumKL = 0;
  let agree = 0;
  let n = 0;
  let lastAgree = 0;
  let lastMaxKL = 0;
  for (let s = 0; s < ref.length; s++) {
    const T = ref[s].length / V;
    for (let t = 0; t < T; t++) {
      const x = ref[s].subarray(t * V, (t + 1) * V);
      const y = got[s].subarray(t * V, (t + 1) * V);
      let ax = 0;
      let ay = 0;
      for (let v = 0; v < V; v++) {
        maxDiff = Math.max(maxDiff, Math.abs(x[v] - y[v]));
        lo = Math.min(lo, x[v]);
        hi = Math.max(hi, x[v]);
        if (x[v] > x[ax]) ax = v;
        if (y[v] > y[ay]) ay = v;
      }
      const lse = (z: Float32Array, m: number) => {
        let e = 0;
        for (let v = 0; v < V; v++) e += Math.exp(z[v] - m);
        return m + Math.log(e);
      };
      const lx = lse(x, x[ax]);
      const ly = lse(y, y[ay]);
      let kl = 0;
      for (let v = 0; v < V; v++) kl += Math.exp(x[v] - lx) * (x[v] - lx - (y[v] - ly));
      maxKL = Math.max(maxKL, kl);
      if (t === T - 1) lastMaxKL = Math.max(lastMaxKL, kl);
      sumKL += kl;
      n++;
      if (ax === ay) {
        agree++;
        if (t === T - 1) lastAgree++;
      }
    }
  }
  return { positions: n, rel: maxDiff / (hi - lo), maxKL, meanKL: sumKL / n, top1: agree / n, lastAgree: lastAgree / ref.length, lastMaxKL };
}

/**
 * logits [T*V] at every position of each sequence, from a plain forward graph with the given weight format
 * on `ort` (onnxruntime-web, or onnxruntime-node for its cpu / webgpu EPs) and execution provider `ep`
 */
export async function formatLogits(ort: Ort, ep: string, spec: ModelSpec, ckpt: Checkpoint, format: WeightFormat, seqs: number[][]): Promise<Float32Array[]> {
  const g = buildForwardGraph(spec, ckpt, { taps: false, knockout: false, logits: 'all', kvCache: 'none', weightFormat: format });
  const s = await ort.InferenceSession.create(serializeModel(g).model, { executionProviders: [ep], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
  try {
    const out: Float32Array[] = [];
    for (const ids of seqs) {
      const r = await s.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) });
      out.push(r.logits.data as Float32Array);
    }
    return out;
  } finally {
    await s.release();
  }
}

export const formatEffect = (e: Effect) =>
  `rel ${e.rel.toExponential(2)}  KL max ${e.maxKL.toExponential(2)} mean ${e.meanKL.toExponential(2)}  top-1 ${e.top1.toFixed(3)} (${e.positions} positions)  last: top-1 ${e.lastAgree.toFixed(2)} KL max ${e.lastMaxKL.toExponential(2)}`;
