// Checkpoint weights as graph initializers, shared by the forward and the relevance graph so
// both read, name and project them the same way (and the two sessions hold the same tensors).
//
// Weight formats (docs/weights.md):
//   fp32  every checkpoint tensor is an fp32 initializer under its own name.
//   int8  every 2-D weight (projections, embedding, lm_head) is held as int8 `${name}#q` [out, in]
//         plus fp32 `${name}#scale` [out] (symmetric per output channel, weights/quantize.ts); norm
//         weights, biases and rope tables stay fp32. The builders read weights by name
//         (`Gather(embedName, ids)`, `Gemm(x, w)`, relevance's `MatMul(g, w)`), so int8 wraps the
//         builder's `op`: an op reading `name` gets its own DequantizeLinear(q, scale, axis=0) instead,
//         except that the unembedding (lm_head or the tied embedding, read by up to L+3 Gemms for the
//         logits and the lens) is dequantised once per graph run and shared. A row Gather on axis 0 (the
//         embedding lookup, relevance's target row) reads int8 rows and their scales and dequantises
//         only those rows. onnxruntime does not fold DequantizeLinear of constants, so the session holds
//         int8; each dequantisation takes a zero computed from its consumer's activation input, because
//         without that data dependency onnxruntime schedules dequantisations early and many fp32 copies
//         are alive at once (measured: +192 MB instead of one layer's worth on a 135M model).
//   fp16  (WebGPU with shader-f16 only) every 2-D weight is an fp16 initializer `${name}#f16` [out, in],
//         converted with round to nearest even (weights/safetensors.ts f32ToF16); norm weights, biases
//         and rope tables stay fp32. Mixed precision: a Gemm / MatMul reading one runs in fp16 on
//         fp16 casts of its other inputs (the activation, a bias), and its result is cast back to fp32;
//         a row Gather reads fp16 rows and casts them to fp32. The residual stream, norms, attention,
//         softmax, lens and every graph input and output stay fp32. The casts are on the activation
//         side because onnxruntime constant-folds a Cast of an initializer (into an fp32 copy); on the
//         WebGPU EP the session holds the weights as fp16 (bench/fp16.ts: 0.55x the fp32 session's
//         memory). onnxruntime's CPU / WASM EPs run this graph too, but in fp32 on fp32 copies of the
//         weights (1.3x the fp32 heap), hence WebGPU only (runtime/session.ts fp16Unavailable).

import type { WeightFormat } from '../arch/size';
import { decoderPrefix, lmHeadName } from '../arch/families';
import type { ModelSpec } from '../arch/spec';
import type { Checkpoint } from '../weights/checkpoint';
import { quantizeRows } from '../weights/quantize';
import { f32ToF16 } from '../weights/safetensors';
import { DT, type GraphBuilder } from './onnx';

export type { WeightFormat };

export interface GraphWeights {
  /** a checkpoint tensor as an fp32 value of that name, added once (int8, fp16: see the top) */
  weight(name: string, shape: number[]): string;
  /** a norm's weight as used: w, or (gemma) fround(1 + w) */
  normWeight(name: string, n: number): string;
  /** x W^T (+ b) on the checkpoint's own [out, in] weight: one Gemm with transB */
  linear(x: string, prefix: string, out: number, inn: number, bias: boolean): string;
  /** columns [from, to) of a 2-D tensor */
  cols(x: string, from: number, to: number): string;
  /** q, k, v projections [N, n*hd] of the normed input: three Gemms, or phi3's fused qkv_proj sliced in q, k, v order */
  qkv(xn: string, w: { q: string; k: string; v: string; qkv: string }): { q: string; k: string; v: string };
}

/**
 * `shared`: initializer names an enclosing graph already holds (relevanceBranch builds the relevance
 * graph inside the app graph); such weights are read from there by name, not added again.
 */
export function graphWeights(g: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint, format: WeightFormat = 'fp32', shared?: ReadonlySet<string>): GraphWeights {
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd } = spec;
  const added = new Set<string>();
  /** names of the weights held as int8 */
  const quantized = new Set<string>();
  /** names of the weights held as fp16 */
  const half = new Set<string>();
  const weight = (name: string, shape: number[]): string => {
    if (added.has(name)) return name;
    added.add(name);
    if (shared?.has(name) || shared?.has(`${name}#q`) || shared?.has(`${name}#f16`)) {
      if (shared.has(`${name}#q`)) quantized.add(name);
      if (shared.has(`${name}#f16`)) half.add(name);
      return name;
    }
    if (format === 'int8' && shape.length === 2) {
      const m = quantizeRows(ckpt.f32(name, shape), shape[0], shape[1]);
      g.init(`${name}#q`, DT.INT8, shape, new Uint8Array(m.q.buffer, m.q.byteOffset, m.q.byteLength));
      g.f32(`${name}#scale`, [shape[0]], m.scale);
      quantized.add(name);
    } else if (format === 'fp16' && shape.length === 2) {
      const h = f32ToF16(ckpt.f32(name, shape));
      g.init(`${name}#f16`, DT.FLOAT16, shape, new Uint8Array(h.buffer, h.byteOffset, h.byteLength));
      half.add(name);
    } else {
      g.f32(name, shape, ckpt.f32(name, shape));
    }
    return name;
  };
  if (format === 'int8') {
    const op = g.op.bind(g);
    const unembedding = lmHeadName(spec, ckpt) ?? `${decoderPrefix(ckpt)}embed_tokens.weight`;
    /** fp32 scalar 0 computed from x's (dynamic) shape: makes a dequantisation wait until x exists */
    const zeroAfter = new Map<string, string>();
    const after = (x: string) => {
      let z = zeroAfter.get(x);
      if (!z) {
        z = op('Cast', [op('Mul', [op('Gather', [op('Shape', [x]), g.i64s(0)], { axis: 0 }), g.i64s(0)])], { to: DT.FLOAT });
        zeroAfter.set(x, z);
      }
      return z;
    };
    const dequantize = (name: string, dep: string | undefined) =>
      op('DequantizeLinear', [`${name}#q`, dep ? op('Add', [`${name}#scale`, after(dep)]) : `${name}#scale`], { axis: 0 });
    let unembeddingFp32: string | null = null;
    g.op = (type, inputs, attrs = {}, outName) => {
      if (type === 'Gather' && quantized.has(inputs[0]) && inputs.length === 2 && (attrs.axis ?? 0) === 0) {
        // rows of int8 and their scales; the dequantised rows, fp32(q * s) as DequantizeLinear computes them
        const rows = op('Cast', [op('Gather', [`${inputs[0]}#q`, inputs[1]], { axis: 0 })], { to: DT.FLOAT });
        const scales = op('Unsqueeze', [op('Gather', [`${inputs[0]}#scale`, inputs[1]], { axis: 0 }), g.i64([-1])]);
        return op('Mul', [rows, scales], {}, outName);
      }
      if (!inputs.some((i) => quantized.has(i))) return op(type, inputs, attrs, outName);
      const dep = inputs.find((i) => !quantized.has(i));
      const ins = inputs.map((i) => {
        if (!quantized.has(i)) return i;
        if (i !== unembedding) return dequantize(i, dep);
        unembeddingFp32 ??= dequantize(i, dep);
        return unembeddingFp32;
      });
      return op(type, ins, attrs, outName);
    };
  }
  if (format === 'fp16') {
    const op = g.op.bind(g);
    /** fp16 casts of fp32 inputs, shared by the ops reading the same input (q, k, v and gate, up read one normed x) */
    const halfOf = new Map<string, string>();
    const toHalf = (x: string) => {
      let h = halfOf.get(x);
      if (!h) {
        h = op('Cast', [x], { to: DT.FLOAT16 });
        halfOf.set(x, h);
      }
      return h;
    };
    g.op = (type, inputs, attrs = {}, outName) => {
      if (!inputs.some((i) => half.has(i))) return op(type, inputs, attrs, outName);
      if (type === 'Gather' && inputs.length === 2 && half.has(inputs[0]) && !half.has(inputs[1]) && (attrs.axis ?? 0) === 0) {
        return op('Cast', [op('Gather', [`${inputs[0]}#f16`, inputs[1]], { axis: 0 })], { to: DT.FLOAT }, outName);
      }
      if (type === 'Gemm' || type === 'MatMul') {
        const ins = inputs.map((i) => (half.has(i) ? `${i}#f16` : toHalf(i)));
        return op('Cast', [op(type, ins, attrs)], { to: DT.FLOAT }, outName);
      }
      // anything else would need an fp32 copy of the weight: say so rather than quietly hold one
      throw new Error(`fp16 weights: ${type} reads ${inputs.find((i) => half.has(i))}; only Gemm, MatMul and a row Gather can`);
    };
  }
  const normWeight = (name: string, n: number): string => {
    if (!spec.normPlusOne) return weight(name, [n]);
    const plus = `${name}+1`;
    if (!added.has(plus)) {
      if (!shared?.has(plus)) g.f32(plus, [n], ckpt.f32(name, [n]).map((v) => 1 + v));
      added.add(plus);
    }
    return plus;
  };
  const linear = (x: string, prefix: string, out: number, inn: number, bias: boolean): string => {
    const ins = [x, weight(`${prefix}.weight`, [out, inn])];
    if (bias) ins.push(weight(`${prefix}.bias`, [out]));
    return g.op('Gemm', ins, { transB: 1 });
  };
  const cols = (x: string, from: number, to: number) => g.op('Slice', [x, g.i64([from]), g.i64([to]), g.i64([1])]);
  const qkv = (xn: string, w: { q: string; k: string; v: string; qkv: string }) => {
    if (spec.fusedQkv) {
      const fused = linear(xn, w.qkv, (H + 2 * KVH) * hd, d, false);
      return { q: cols(fused, 0, H * hd), k: cols(fused, H * hd, (H + KVH) * hd), v: cols(fused, (H + KVH) * hd, (H + 2 * KVH) * hd) };
    }
    return {
      q: linear(xn, w.q, H * hd, d, spec.attentionBias),
      k: linear(xn, w.k, KVH * hd, d, spec.attentionBias),
      v: linear(xn, w.v, KVH * hd, d, spec.attentionBias),
    };
  };
  return { weight, normWeight, linear, cols, qkv };
}
