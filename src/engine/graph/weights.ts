// Checkpoint weights as graph initializers, shared by the forward and the relevance graph so
// both read, name and project them the same way (and the two sessions hold the same tensors).
//
// Weight formats (docs/weights.md):
//   fp32  every checkpoint tensor is an fp32 initializer under its own name.
//   int8  every 2-D weight (projections, embedding, lm_head) is held as int8 `${name}#qt` [in, out] (the
//         checkpoint's [out, in] matrix transposed) plus fp32 `${name}#scale` [out] (symmetric per output
//         channel, weights/quantize.ts); norm weights, biases and rope tables stay fp32. The builders read
//         weights by name (`Gather(embedName, ids)`, `Gemm(x, w)`, relevance's `MatMul(g, w)`), so int8
//         wraps the builder's `op`, in one of two ways (`GraphWeightOptions.int8`):
//         'integer' (the forward graph on WASM): a Gemm x W^T (+ b) quantises its activation per row, symmetric
//           to 8 bits (s_x = max|x_row| / 127, x_q = round_half_even(x / s_x) + 128 as uint8), and runs
//           MatMulInteger(x_q, W_q, 128) [int32] * s_x * s_w (+ b): onnxruntime's int8 GEMM, which on
//           WASM SIMD is 2-5x faster than its fp32 one (for more than one row) and reads the int8 weights where they lie
//           (bench/int8.ts; onnxruntime's MatMulNBits has no WASM kernel and dequantises its whole
//           weight on every run, as DequantizeLinear + Gemm did). The quantised activation is shared by
//           the Gemms reading it (q, k, v; gate, up).
//         'dequantize' (the relevance graph, which explains the model with fp32 activations so its
//           conservation stays exact; the forward graph on WebGPU, whose EP has no MatMulInteger nor
//           Round): a Gemm or MatMul gets its own DequantizeLinear(W_q, scale, axis=1),
//           so one fp32 weight is alive at a time; the unembedding, when a Gemm reads it, is dequantised
//           once per run and shared. Each dequantisation takes a zero computed from its consumer's
//           activation input, because without that data dependency onnxruntime schedules
//           dequantisations early and many fp32 copies are alive at once (measured: +192 MB instead of
//           one layer's worth on a 135M model). onnxruntime does not fold DequantizeLinear of constants.
//         Either way a row Gather on axis 0 (the embedding lookup, relevance's target row) gathers the
//         columns of W_q and their scales and dequantises only those rows, fp32(q s).
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
import { quantizeRows, transposeInt8 } from '../weights/quantize';
import { f32ToF16 } from '../weights/safetensors';
import { DT, type GraphBuilder } from './onnx';

export type { WeightFormat };

/** the smallest activation row maximum quantised as is; below it the scale stays floor / 127 */
const ACTIVATION_SCALE_FLOOR = 1e-30;

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

export interface GraphWeightOptions {
  /**
   * initializer names an enclosing graph already holds (relevanceBranch builds the relevance graph
   * inside the app graph); such weights are read from there by name, not added again
   */
  shared?: ReadonlySet<string>;
  /** how int8 weights are multiplied (see the top): 'integer' (default) or 'dequantize' */
  int8?: 'integer' | 'dequantize';
}

export function graphWeights(g: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint, format: WeightFormat = 'fp32', options: GraphWeightOptions = {}): GraphWeights {
  const { shared } = options;
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd } = spec;
  const added = new Set<string>();
  /** names of the weights held as int8 */
  const quantized = new Set<string>();
  /** their number of input features (columns of the checkpoint's [out, in]) */
  const inFeatures = new Map<string, number>();
  /** names of the weights held as fp16 */
  const half = new Set<string>();
  const weight = (name: string, shape: number[]): string => {
    if (added.has(name)) return name;
    added.add(name);
    if (shape.length === 2) inFeatures.set(name, shape[1]);
    if (shared?.has(name) || shared?.has(`${name}#qt`) || shared?.has(`${name}#f16`)) {
      if (shared.has(`${name}#qt`)) quantized.add(name);
      if (shared.has(`${name}#f16`)) half.add(name);
      return name;
    }
    if (format === 'int8' && shape.length === 2) {
      const m = quantizeRows(ckpt.f32(name, shape), shape[0], shape[1]);
      const qt = transposeInt8(m.q, shape[0], shape[1]);
      g.init(`${name}#qt`, DT.INT8, [shape[1], shape[0]], new Uint8Array(qt.buffer, qt.byteOffset, qt.byteLength));
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
    const kernel = options.int8 ?? 'integer';
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
    /** fp32 [in, out] = W^T, dequantised from the int8 [in, out] and the per-output scales */
    const dequantize = (name: string, dep: string) => op('DequantizeLinear', [`${name}#qt`, op('Add', [`${name}#scale`, after(dep)])], { axis: 1 });
    let unembeddingFp32: string | null = null;
    const dequantized = (name: string, dep: string) => {
      if (name !== unembedding) return dequantize(name, dep);
      unembeddingFp32 ??= dequantize(name, dep);
      return unembeddingFp32;
    };
    /** per-row symmetric 8-bit activations, as uint8 around 128, and their scales [.., 1]; shared by the ops reading x */
    const activations = new Map<string, { q: string; scale: string }>();
    let zero128: string | null = null;
    const quantizeActivation = (x: string) => {
      let a = activations.get(x);
      if (!a) {
        // [.., 1] made explicit: onnxruntime's ReduceMax of an empty [0, n] returns [0, n], not [0, 1]
        const rowsShape = op('Concat', [op('Slice', [op('Shape', [x]), g.i64([0]), g.i64([-1])]), g.i64([1])], { axis: 0 });
        const amax = op('Reshape', [op('ReduceMax', [op('Abs', [x])], { axes: [-1], keepdims: 1 }), rowsShape], { allowzero: 1 });
        // an all-zero row gets a tiny positive scale (its values quantise to 0, not NaN)
        const scale = op('Div', [op('Max', [amax, g.f32s(ACTIVATION_SCALE_FLOOR)]), g.f32s(127)]);
        const q = op('Cast', [op('Add', [op('Round', [op('Div', [x, scale])]), g.f32s(128)])], { to: DT.UINT8 });
        a = { q, scale };
        activations.set(x, a);
      }
      return a;
    };
    g.op = (type, inputs, attrs = {}, outName) => {
      const w = inputs.findIndex((i) => quantized.has(i));
      if (w < 0) return op(type, inputs, attrs, outName);
      const name = inputs[w];
      if (type === 'Gather' && w === 0 && inputs.length === 2 && (attrs.axis ?? 0) === 0) {
        // rows of W are columns of W_q: gather them (ids flattened) with their scales, fp32(q * s),
        // and give them the ids' shape + [in]
        const ids = inputs[1];
        const flat = op('Reshape', [ids, g.i64([-1])]);
        const rows = op('Cast', [op('Transpose', [op('Gather', [`${name}#qt`, flat], { axis: 1 })], { perm: [1, 0] })], { to: DT.FLOAT }); // [n, in]
        const scales = op('Unsqueeze', [op('Gather', [`${name}#scale`, flat], { axis: 0 }), g.i64([-1])]);
        return op('Reshape', [op('Mul', [rows, scales]), op('Concat', [op('Shape', [ids]), g.i64([inFeatures.get(name)!])], { axis: 0 })], {}, outName);
      }
      const x = inputs[0];
      const only = (ok: boolean) => {
        if (!ok) throw new Error(`int8 weights: ${type} reads ${name} as input ${w} (${JSON.stringify(attrs)}); only Gemm(x, W^T), MatMul(x, W) and a row Gather can`);
      };
      if (type === 'Gemm') {
        only(w === 1 && attrs.transB === 1 && Object.keys(attrs).length === 1 && !inputs.slice(2).some((i) => quantized.has(i)));
        if (kernel === 'dequantize') return op('Gemm', [x, dequantized(name, x), ...inputs.slice(2)], {}, outName);
        const a = quantizeActivation(x);
        const acc = op('MatMulInteger', [a.q, `${name}#qt`, (zero128 ??= g.init(g.fresh('c_u8_128'), DT.UINT8, [], Uint8Array.of(128)))]);
        const y = op('Mul', [op('Mul', [op('Cast', [acc], { to: DT.FLOAT }), a.scale]), `${name}#scale`], {}, inputs.length > 2 ? undefined : outName);
        return inputs.length > 2 ? op('Add', [y, inputs[2]], {}, outName) : y;
      }
      // x W on the [out, in] weight (relevance's backward): x (W^T)^T from the dequantised [in, out]
      only(type === 'MatMul' && w === 1 && inputs.length === 2 && kernel === 'dequantize');
      return op('Gemm', [x, dequantized(name, x)], { transB: 1 }, outName);
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
