// RoPE cos/sin tables computed in JS and stored in the graph, gathered by position.
// Why not Cos/Sin ops: WebGPU implementations may use fast approximations (SwiftShader's
// are off by ~2e-4 even on [0, π]), which moved browser logits by up to 5e-4 from the
// WASM ones. Here the angle is the fp32 product position · inv_freq, as transformers
// computes it, and cos/sin are evaluated in float64 and rounded once.

import type { RopeSpec } from '../arch/spec';
import { DT, type GraphBuilder } from './onnx';

/** longest prompt (tokens, including generated ones) the rotary tables cover */
export const MAX_ROPE_POSITIONS = 8192;

export function ropeTableLength(maxPositions: number): number {
  return Math.min(maxPositions, MAX_ROPE_POSITIONS);
}

/** [n, dim] table of cos (or sin) of cat(freqs, freqs), times the attention scaling */
function ropeTable(invFreq: Float32Array, n: number, fn: 'cos' | 'sin', scaling: number): Float32Array {
  const half = invFreq.length;
  const dim = 2 * half;
  const out = new Float32Array(n * dim);
  const f = fn === 'cos' ? Math.cos : Math.sin;
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * invFreq[i]);
      const v = Math.fround(f(angle) * scaling);
      out[p * dim + i] = v;
      out[p * dim + half + i] = v;
    }
  }
  return out;
}

/**
 * cos and sin for the positions `pos` (int64 [S]): Gather from the stored tables; longrope
 * picks the long-factor tables when the total length `total` (int64 scalar) exceeds
 * original_max_position_embeddings.
 */
export function ropeCosSin(g: GraphBuilder, r: RopeSpec, tag: string, n: number, pos: string, total: string): { cos: string; sin: string } {
  const table = (inv: Float32Array, fn: 'cos' | 'sin', suffix: string) =>
    g.op('Gather', [g.f32(`${tag}_${fn}${suffix}`, [n, r.dim], ropeTable(inv, n, fn, r.attentionScaling)), pos], { axis: 0 });
  let cos = table(r.invFreq, 'cos', '');
  let sin = table(r.invFreq, 'sin', '');
  if (r.long) {
    const useLong = g.op('Greater', [total, g.i64s(r.long.after)]);
    cos = g.op('Where', [useLong, table(r.long.invFreq, 'cos', '_long'), cos]);
    sin = g.op('Where', [useLong, table(r.long.invFreq, 'sin', '_long'), sin]);
  }
  return { cos, sin };
}


/**
 * the initializer name stem of a layer type's tables: the same in the forward graph and in every relevance
 * subgraph, so they share one copy (gemma3's local layers have tables of their own)
 */
export function ropeTag(spec: { ropeLocal: RopeSpec | null }, r: RopeSpec): string {
  return spec.ropeLocal && r === spec.ropeLocal ? 'rope_local' : 'rope';
}
