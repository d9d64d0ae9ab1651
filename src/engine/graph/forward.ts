// The forward graph of a decoder-only transformer, built op by op from a ModelSpec.
// Owning the graph is what lets xlens read every layer's residual stream and every head's
// attention probabilities, and block attention edges (knockout) without rebuilding.
//
// Layout: the residual stream is kept 2-D [N = batch*seq, d] so every projection is one
// Gemm with transB=1 on the checkpoint's own [out, in] weight (no transposed copy).

import type { ModelSpec } from '../arch/spec';
import { layerWeightNames } from '../arch/families';
import type { Checkpoint } from '../weights/checkpoint';
import { DT, GraphBuilder } from './onnx';

export interface ForwardGraphOptions {
  /** outputs hidden_0..hidden_L [batch, seq, d] and attn_0..attn_{L-1} [batch, heads, seq, kv_seq] */
  taps: boolean;
  /** input `knockout` bool [batch, L, seq, kv_seq]: true blocks the (query, key) edge in that layer */
  knockout: boolean;
  /** logits for every position [batch, seq, V], or only the last one [batch, 1, V] */
  logits: 'all' | 'last';
  /** 'present': outputs present_key_l / present_value_l (prefill); 'past': also takes past_* inputs (decode) */
  kvCache: 'none' | 'present' | 'past';
  /** output lens_last [batch, L+1, V]: the logit lens (final norm + unembedding) of every layer at the last position */
  lensLast?: boolean;
  /**
   * input lens_target int64 [batch]; outputs, each [batch, L+1, seq], for every layer and position:
   * lens_target_logprob (log p_l(target)), lens_target_rank (# tokens ranked above the target),
   * lens_top_id and lens_top_logprob (the lens's top-1). Reduced in-graph, so no
   * layers x tokens x vocab tensor ever leaves the session.
   */
  lensTarget?: boolean;
}

export const NEG_MASK = -3.4028234663852886e38; // float32 min, as transformers masks

export function buildForwardGraph(spec: ModelSpec, ckpt: Checkpoint, opts: ForwardGraphOptions): GraphBuilder {
  const g = new GraphBuilder();
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd, numLayers: L, vocabSize: V } = spec;
  const rep = H / KVH;

  const ids = g.input('input_ids', DT.INT64, ['batch', 'seq']);
  const kvSeq = opts.kvCache === 'past' ? 'total_seq' : 'seq';
  const knock = opts.knockout ? g.input('knockout', DT.BOOL, ['batch', L, 'seq', kvSeq]) : null;
  const past: { k: string; v: string }[] = [];
  if (opts.kvCache === 'past') {
    for (let l = 0; l < L; l++) {
      past.push({
        k: g.input(`past_key_${l}`, DT.FLOAT, ['batch', KVH, 'past_seq', hd]),
        v: g.input(`past_value_${l}`, DT.FLOAT, ['batch', KVH, 'past_seq', hd]),
      });
    }
  }

  // ---- positions, masks, rotary tables (shared by all layers)
  const shapeIds = g.op('Shape', [ids]);
  const S = g.op('Gather', [shapeIds, g.i64s(1)], { axis: 0 });
  const P = past.length ? g.op('Gather', [g.op('Shape', [past[0].k]), g.i64s(2)], { axis: 0 }) : g.i64s(0);
  const K = g.op('Add', [P, S]);
  const qpos = g.op('Range', [P, K, g.i64s(1)]);
  const kpos = g.op('Range', [g.i64s(0), K, g.i64s(1)]);
  const qcol = g.op('Unsqueeze', [qpos, g.i64([1])]);
  let blocked = g.op('Greater', [kpos, qcol]); // [S, K]: key after query
  if (spec.slidingWindow !== null) {
    const dist = g.op('Sub', [qcol, kpos]);
    blocked = g.op('Or', [blocked, g.op('GreaterOrEqual', [dist, g.i64s(spec.slidingWindow)])]);
  }
  const baseMask = g.op('Unsqueeze', [blocked, g.i64([0, 1])]); // [1,1,S,K]

  const invFreq = g.f32('rope_inv_freq', [hd / 2], spec.rope.invFreq);
  const freqs = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', [qpos], { to: DT.FLOAT }), g.i64([1])]), invFreq]);
  const emb = g.op('Concat', [freqs, freqs], { axis: -1 }); // [S, hd]
  let cos = g.op('Cos', [emb]);
  let sin = g.op('Sin', [emb]);
  if (spec.rope.attentionScaling !== 1) {
    cos = g.op('Mul', [cos, g.f32s(spec.rope.attentionScaling)]);
    sin = g.op('Mul', [sin, g.f32s(spec.rope.attentionScaling)]);
  }
  const half = hd / 2;
  const rope = (x: string): string => {
    const x1 = g.op('Slice', [x, g.i64([0]), g.i64([half]), g.i64([-1])]);
    const x2 = g.op('Slice', [x, g.i64([half]), g.i64([hd]), g.i64([-1])]);
    const rot = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
    return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rot, sin])]);
  };

  const weight = (name: string, shape: number[]): string => {
    if (!g.initializers.some((t) => t.name === name)) g.f32(name, shape, ckpt.f32(name, shape));
    return name;
  };
  const rms = (x: string, w: string): string => {
    const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const normed = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.f32s(spec.rmsNormEps)])])]);
    return g.op('Mul', [normed, w]);
  };
  const linear = (x: string, prefix: string, out: number, inn: number, bias: boolean): string => {
    const ins = [x, weight(`${prefix}.weight`, [out, inn])];
    if (bias) ins.push(weight(`${prefix}.bias`, [out]));
    return g.op('Gemm', ins, { transB: 1 });
  };
  const bsd = g.op('Concat', [shapeIds, g.i64([d])], { axis: 0 });
  const heads4 = (n: number) => g.op('Concat', [shapeIds, g.i64([n, hd])], { axis: 0 });
  const shapeQ = heads4(H);
  const shapeKV = heads4(KVH);
  const tap = (x2d: string, name: string) => {
    g.op('Reshape', [x2d, bsd], {}, name);
    g.output(name, DT.FLOAT, ['batch', 'seq', d]);
  };

  // ---- embeddings
  const embedName = 'model.embed_tokens.weight';
  weight(embedName, [V, d]);
  let x = g.op('Reshape', [g.op('Gather', [embedName, ids], { axis: 0 }), g.i64([-1, d])]);
  if (opts.taps) tap(x, 'hidden_0');
  const residuals: string[] = [x];

  for (let l = 0; l < L; l++) {
    const w = layerWeightNames(l);
    const xn = rms(x, weight(w.inputNorm, [d]));
    const proj = (prefix: string, n: number, shape: string, norm: string | null): string => {
      let t = g.op('Reshape', [linear(xn, prefix, n * hd, d, spec.attentionBias), shape]); // [B,S,n,hd]
      if (norm) t = rms(t, weight(norm, [hd]));
      return g.op('Transpose', [t], { perm: [0, 2, 1, 3] }); // [B,n,S,hd]
    };
    const q = rope(proj(w.q, H, shapeQ, spec.qkNorm ? w.qNorm : null));
    let k = rope(proj(w.k, KVH, shapeKV, spec.qkNorm ? w.kNorm : null));
    let v = proj(w.v, KVH, shapeKV, null);
    if (past.length) {
      k = g.op('Concat', [past[l].k, k], { axis: 2 });
      v = g.op('Concat', [past[l].v, v], { axis: 2 });
    }
    if (opts.kvCache !== 'none') {
      g.op('Identity', [k], {}, `present_key_${l}`);
      g.op('Identity', [v], {}, `present_value_${l}`);
      g.output(`present_key_${l}`, DT.FLOAT, ['batch', KVH, kvSeq, hd]);
      g.output(`present_value_${l}`, DT.FLOAT, ['batch', KVH, kvSeq, hd]);
    }
    if (rep > 1) {
      // grouped-query attention: every kv head serves `rep` consecutive query heads
      const expand = (t: string) =>
        g.op('Reshape', [g.op('Tile', [g.op('Unsqueeze', [t, g.i64([2])]), g.i64([1, 1, rep, 1, 1])]), g.i64([0, H, -1, hd])]);
      k = expand(k);
      v = expand(v);
    }
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.f32s(spec.attnScale)]);
    let mask = baseMask;
    if (knock) mask = g.op('Or', [baseMask, g.op('Unsqueeze', [g.op('Gather', [knock, g.i64s(l)], { axis: 1 }), g.i64([1])])]);
    const masked = g.op('Where', [mask, g.f32s(NEG_MASK), scores]);
    const probs = g.op('Softmax', [masked], { axis: -1 }, opts.taps ? `attn_${l}` : undefined);
    if (opts.taps) g.output(`attn_${l}`, DT.FLOAT, ['batch', H, 'seq', kvSeq]);
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), g.i64([-1, H * hd])]);
    x = g.op('Add', [x, linear(ctx, w.o, d, H * hd, spec.oBias)]);

    const xn2 = rms(x, weight(w.postAttnNorm, [d]));
    const gate = linear(xn2, w.gate, spec.intermediateSize, d, spec.mlpBias);
    const up = linear(xn2, w.up, spec.intermediateSize, d, spec.mlpBias);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, linear(act, w.down, d, spec.intermediateSize, spec.mlpBias)]);
    if (opts.taps) tap(x, `hidden_${l + 1}`);
    residuals.push(x);
  }

  // ---- final norm and unembedding
  const normW = weight('model.norm.weight', [d]);
  const head = ckpt.has('lm_head.weight') && !spec.tieWordEmbeddings ? weight('lm_head.weight', [V, d]) : embedName;
  const lastRow = (x2d: string) => g.op('Slice', [g.op('Reshape', [x2d, bsd]), g.i64([-1]), g.i64([2 ** 53]), g.i64([1])]); // [B,1,d]
  if (opts.lensTarget) {
    const target = g.input('lens_target', DT.INT64, ['batch']);
    const rowsIdx = g.op('Reshape', [g.op('Expand', [g.op('Unsqueeze', [target, g.i64([1])]), shapeIds]), g.i64([-1, 1])]); // [N,1]
    const perLayer = (x2d: string) => g.op('Unsqueeze', [g.op('Reshape', [x2d, shapeIds]), g.i64([1])]); // [N,1] -> [B,1,S]
    const cols: Record<string, string[]> = { logprob: [], rank: [], topId: [], topLogprob: [] };
    for (const r of residuals) {
      const lsm = g.op('LogSoftmax', [g.op('Gemm', [rms(r, normW), head], { transB: 1 })], { axis: -1 }); // [N,V]
      const tgt = g.op('GatherElements', [lsm, rowsIdx], { axis: 1 }); // [N,1]
      cols.logprob.push(perLayer(tgt));
      const above = g.op('Cast', [g.op('Greater', [lsm, tgt])], { to: DT.FLOAT });
      cols.rank.push(perLayer(g.op('ReduceSum', [above, g.i64([-1])], { keepdims: 1 })));
      cols.topId.push(perLayer(g.op('ArgMax', [lsm], { axis: -1, keepdims: 1 })));
      cols.topLogprob.push(perLayer(g.op('ReduceMax', [lsm], { axes: [-1], keepdims: 1 })));
    }
    const emit = (name: string, parts: string[], dtype: DT) => {
      g.op('Concat', parts, { axis: 1 }, name);
      g.output(name, dtype, ['batch', L + 1, 'seq']);
    };
    emit('lens_target_logprob', cols.logprob, DT.FLOAT);
    emit('lens_target_rank', cols.rank, DT.FLOAT);
    emit('lens_top_id', cols.topId, DT.INT64);
    emit('lens_top_logprob', cols.topLogprob, DT.FLOAT);
  }
  if (opts.lensLast) {
    // one row per layer: cheap even for large vocabularies, unlike a full layers x tokens x vocab lens
    const rowsLast = residuals.map((r) => lastRow(r));
    const stacked = g.op('Reshape', [g.op('Concat', rowsLast, { axis: 1 }), g.i64([-1, d])]); // [B*(L+1), d]
    const lg = g.op('Gemm', [rms(stacked, normW), head], { transB: 1 });
    g.op('Reshape', [lg, g.i64([-1, L + 1, V])], {}, 'lens_last');
    g.output('lens_last', DT.FLOAT, ['batch', L + 1, V]);
  }
  if (opts.logits === 'last') {
    const last = lastRow(x);
    const xl = rms(g.op('Reshape', [last, g.i64([-1, d])]), normW);
    const lg = g.op('Gemm', [xl, head], { transB: 1 });
    g.op('Unsqueeze', [lg, g.i64([1])], {}, 'logits');
    g.output('logits', DT.FLOAT, ['batch', 1, V]);
  } else {
    const lg = g.op('Gemm', [rms(x, normW), head], { transB: 1 });
    g.op('Reshape', [lg, g.op('Concat', [shapeIds, g.i64([V])], { axis: 0 })], {}, 'logits');
    g.output('logits', DT.FLOAT, ['batch', 'seq', V]);
  }
  return g;
}
