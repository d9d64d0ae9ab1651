// Checkpoint weights as graph initializers, shared by the forward and the relevance graph so
// both read, name and project them the same way (and the two sessions hold the same tensors).

import type { ModelSpec } from '../arch/spec';
import type { Checkpoint } from '../weights/checkpoint';
import type { GraphBuilder } from './onnx';

export interface GraphWeights {
  /** fp32 initializer of a checkpoint tensor, added once */
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

export function graphWeights(g: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint): GraphWeights {
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd } = spec;
  const added = new Set<string>();
  const weight = (name: string, shape: number[]): string => {
    if (!added.has(name)) {
      g.f32(name, shape, ckpt.f32(name, shape));
      added.add(name);
    }
    return name;
  };
  const normWeight = (name: string, n: number): string => {
    if (!spec.normPlusOne) return weight(name, [n]);
    const plus = `${name}+1`;
    if (!added.has(plus)) {
      g.f32(plus, [n], ckpt.f32(name, [n]).map((v) => 1 + v));
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
