// The forward graph of a decoder-only transformer, built op by op from a ModelSpec.
// Owning the graph is what lets xlens read every layer's residual stream and every head's
// attention probabilities, and block attention edges (knockout) without rebuilding.
//
// Layout: the residual stream is kept 2-D [N = batch*seq, d] so every projection is one
// Gemm with transB=1 on the checkpoint's own [out, in] weight (no transposed copy).
//
// Family differences (arch/spec.ts) handled here: gemma's sqrt(d) embedding scale (hidden_0 is after
// it) and (1 + w) RMSNorm (the weight initializer holds fround(1 + w), as transformers computes it in
// fp32), GeGLU (gelu tanh / erf), gemma2/3 sandwich norms, query_pre_attn_scalar (attnScale), attention
// soft-capping before the mask, per-layer sliding windows and RoPE tables (gemma3 local/global), q/k
// norms, phi3's fused qkv / gate_up projections, partial rotary (only the first rope.dim dims of a head
// rotate) and longrope (the long-factor table once past + current length > original_max_position_embeddings).
// Final logit soft-capping tanh(z / cap) * cap is part of the unembedding everywhere it is used: logits
// and the logit lens (lens_last, lens_target_*), so the lens is the model's own final norm + head.

import type { ModelSpec, RopeSpec } from '../arch/spec';
import { decoderPrefix, layerRope, layerWeightNames, lmHeadName } from '../arch/families';
import type { Checkpoint } from '../weights/checkpoint';
import { DT, GraphBuilder } from './onnx';
import { ropeCosSin, ropeTableLength, ropeTag } from './rope-table';
import { graphWeights } from './weights';
import { relevanceBranch } from './relevance';

export interface ForwardGraphOptions {
  /**
   * outputs hidden_0..hidden_L [batch, seq, d] and attn_0..attn_{L-1}: [batch, heads, seq, kv_seq], or with
   * `rows` only the query rows attn_rows asks for, [batch, heads, attn_n, kv_seq]
   */
  taps: boolean;
  /**
   * input `knockout` bool [batch, L, kq, kk], broadcast against [seq, kv_seq]: true blocks the (query, key)
   * edge in that layer. kq is 1 (the same keys blocked for every query row of the step: a one-token
   * knockout step, or nothing blocked) or seq; kk is 1 or kv_seq. So "no knockout" is [batch, L, 1, 1]
   * and a knockout step from the last position is [batch, L, 1, kv_seq]: never L x seq x seq.
   */
  knockout: boolean;
  /** logits for every position [batch, seq, V], or only the last one [batch, 1, V] (without `rows`) */
  logits: 'all' | 'last';
  /** 'present': outputs present_key_l / present_value_l (prefill); 'past': also takes past_* inputs (decode) */
  kvCache: 'none' | 'present' | 'past';
  /**
   * output lens_last [batch, L+1, V]: the logit lens (final norm + unembedding, + final soft-capping where the
   * model has it) of every layer at the last position ([batch, L+1, lens_last_n, V] at lens_last_rows with `rows`)
   */
  lensLast?: boolean;
  /**
   * the logit lens of residual states the caller feeds back (the forward's own hidden_l rows, in blocks):
   * inputs lens_states float [lens_n, d] and lens_targets int64 [lens_n]; outputs, each [lens_n]:
   * lens_logprob (log p(target)), lens_rank (# tokens ranked above the target), lens_top_id and
   * lens_top_logprob (the lens's top-1). Reduced in-graph; the working set is a few [lens_n, V] tensors,
   * so the caller bounds it by the block size (analyses/lens.ts). An empty block costs nothing.
   */
  lensStates?: boolean;
  /**
   * compute the unembedding and the attention taps only at requested positions, so one session serves
   * every kind of work (onnxruntime runs every node of a graph whatever is fetched; an empty row list makes
   * a projection free): int64 inputs logit_rows [R], lens_last_rows [Q] and attn_rows [A] (positions within
   * this step's seq) select the rows of `logits` [batch, R, V], `lens_last` [batch, L+1, Q, V] and attn_l.
   */
  rows?: boolean;
  /**
   * AttnLRP relevance as a branch of this graph (graph/relevance.ts relevanceBranch): inputs rel_on,
   * rel_target and the residual states rel_h_0..rel_h_L; outputs relevance, target_logit, leak_bias,
   * leak_softmax; same weights
   */
  relevance?: boolean;
  weightFormat?: 'fp32' | 'int8' | 'fp16'; // fp32, or 2-D weights as int8 + per-channel scales, or fp16 with fp16 projections (graph/weights.ts, docs/weights.md)
  /** int8: 'integer' (default; MatMulInteger on 8-bit activations, WASM's fast path) or 'dequantize' (fp32 projections; WebGPU has no MatMulInteger) */
  int8?: 'integer' | 'dequantize';
}

const NEG_MASK = -3.4028234663852886e38; // float32 min, as transformers masks

export function buildForwardGraph(spec: ModelSpec, ckpt: Checkpoint, opts: ForwardGraphOptions): GraphBuilder {
  const g = new GraphBuilder();
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd, numLayers: L, vocabSize: V } = spec;
  const rep = H / KVH;

  const ids = g.input('input_ids', DT.INT64, ['batch', 'seq']);
  const attnRows = opts.taps && opts.rows ? g.input('attn_rows', DT.INT64, ['attn_n']) : null;
  const kvSeq = opts.kvCache === 'past' ? 'total_seq' : 'seq';
  const knock = opts.knockout ? g.input('knockout', DT.BOOL, ['batch', L, 'knock_q', 'knock_k']) : null;
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
  const causal = g.op('Greater', [kpos, qcol]); // [S, K]: key after query
  const masks = new Map<number | null, string>();
  const maskFor = (window: number | null): string => {
    let m = masks.get(window);
    if (!m) {
      let blocked = causal;
      if (window !== null) {
        // sliding window: key k is seen from query q iff q - k < window (transformers sliding_window_overlay)
        const dist = g.op('Sub', [qcol, kpos]);
        blocked = g.op('Or', [blocked, g.op('GreaterOrEqual', [dist, g.i64s(window)])]);
      }
      m = g.op('Unsqueeze', [blocked, g.i64([0, 1])]); // [1,1,S,K]
      masks.set(window, m);
    }
    return m;
  };

  const ropes = new Map<RopeSpec, (x: string) => string>();
  const ropeFor = (r: RopeSpec): ((x: string) => string) => {
    let fn = ropes.get(r);
    if (fn) return fn;
    const tag = ropeTag(spec, r);
    const { cos, sin } = ropeCosSin(g, r, tag, ropeTableLength(spec.maxPositions), qpos, K);
    const rd = r.dim;
    const half = rd / 2;
    const rotate = (x: string): string => {
      const x1 = g.op('Slice', [x, g.i64([0]), g.i64([half]), g.i64([-1])]);
      const x2 = g.op('Slice', [x, g.i64([half]), g.i64([rd]), g.i64([-1])]);
      const rot = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
      return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rot, sin])]);
    };
    fn =
      rd === hd
        ? rotate
        : (x: string) => {
            // partial rotary: rotate the first rd dims of each head, pass the rest
            const xr = g.op('Slice', [x, g.i64([0]), g.i64([rd]), g.i64([-1])]);
            const xp = g.op('Slice', [x, g.i64([rd]), g.i64([hd]), g.i64([-1])]);
            return g.op('Concat', [rotate(xr), xp], { axis: -1 });
          };
    ropes.set(r, fn);
    return fn;
  };

  const { weight, normWeight, linear, cols, qkv } = graphWeights(g, spec, ckpt, opts.weightFormat, { int8: opts.int8 });
  const rms = (x: string, w: string): string => {
    const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const normed = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.f32s(spec.rmsNormEps)])])]);
    return g.op('Mul', [normed, w]);
  };
  const softcap = (x: string, cap: number) => g.op('Mul', [g.op('Tanh', [g.op('Div', [x, g.f32s(cap)])]), g.f32s(cap)]);
  const act = (x: string): string => {
    if (spec.hiddenAct === 'silu') return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    if (spec.hiddenAct === 'gelu') return g.op('Mul', [g.op('Mul', [x, g.f32s(0.5)]), g.op('Add', [g.op('Erf', [g.op('Mul', [x, g.f32s(Math.SQRT1_2)])]), g.f32s(1)])]);
    // gelu tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [g.op('Mul', [g.op('Mul', [x, x]), x]), g.f32s(0.044715)])]), g.f32s(Math.sqrt(2 / Math.PI))]);
    return g.op('Mul', [g.op('Mul', [x, g.f32s(0.5)]), g.op('Add', [g.op('Tanh', [inner]), g.f32s(1)])]);
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
  const prefix = decoderPrefix(ckpt);
  const embedName = `${prefix}embed_tokens.weight`;
  weight(embedName, [V, d]);
  let x = g.op('Reshape', [g.op('Gather', [embedName, ids], { axis: 0 }), g.i64([-1, d])]);
  if (spec.embedScale !== 1) x = g.op('Mul', [x, g.f32s(spec.embedScale)]); // gemma: x sqrt(d)
  if (opts.taps) tap(x, 'hidden_0');
  const residuals: string[] = [x];

  for (let l = 0; l < L; l++) {
    const w = layerWeightNames(l, prefix);
    const rope = ropeFor(layerRope(spec, l));
    const xn = rms(x, normWeight(w.inputNorm, d));
    const { q: qp, k: kp, v: vp } = qkv(xn, w);
    const heads = (t2d: string, shape: string, norm: string | null): string => {
      let t = g.op('Reshape', [t2d, shape]); // [B,S,n,hd]
      if (norm) t = rms(t, normWeight(norm, hd));
      return g.op('Transpose', [t], { perm: [0, 2, 1, 3] }); // [B,n,S,hd]
    };
    const q = rope(heads(qp, shapeQ, spec.qkNorm ? w.qNorm : null));
    let k = rope(heads(kp, shapeKV, spec.qkNorm ? w.kNorm : null));
    let v = heads(vp, shapeKV, null);
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
    let scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.f32s(spec.attnScale)]);
    if (spec.attnSoftcap !== null) scores = softcap(scores, spec.attnSoftcap); // gemma2: before the mask
    const baseMask = maskFor(spec.layerWindows[l]);
    let mask = baseMask;
    if (knock) mask = g.op('Or', [baseMask, g.op('Unsqueeze', [g.op('Gather', [knock, g.i64s(l)], { axis: 1 }), g.i64([1])])]);
    const masked = g.op('Where', [mask, g.f32s(NEG_MASK), scores]);
    const probs = g.op('Softmax', [masked], { axis: -1 }, opts.taps && !attnRows ? `attn_${l}` : undefined);
    if (opts.taps && attnRows) {
      g.op('Gather', [probs, attnRows], { axis: 2 }, `attn_${l}`);
      g.output(`attn_${l}`, DT.FLOAT, ['batch', H, 'attn_n', kvSeq]);
    } else if (opts.taps) g.output(`attn_${l}`, DT.FLOAT, ['batch', H, 'seq', kvSeq]);
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), g.i64([-1, H * hd])]);
    let attnOut = linear(ctx, w.o, d, H * hd, spec.oBias);
    if (spec.sandwichNorms) attnOut = rms(attnOut, normWeight(w.postAttnNorm, d));
    x = g.op('Add', [x, attnOut]);

    const xn2 = rms(x, normWeight(spec.sandwichNorms ? w.preFfnNorm : w.postAttnNorm, d));
    const I = spec.intermediateSize;
    let gate: string, up: string;
    if (spec.fusedGateUp) {
      const gu = linear(xn2, w.gateUp, 2 * I, d, false); // phi3: chunk(2) -> gate, up
      gate = cols(gu, 0, I);
      up = cols(gu, I, 2 * I);
    } else {
      gate = linear(xn2, w.gate, I, d, spec.mlpBias);
      up = linear(xn2, w.up, I, d, spec.mlpBias);
    }
    let mlpOut = linear(g.op('Mul', [act(gate), up]), w.down, d, I, spec.mlpBias);
    if (spec.sandwichNorms) mlpOut = rms(mlpOut, normWeight(w.postFfnNorm, d));
    x = g.op('Add', [x, mlpOut]);
    if (opts.taps) tap(x, `hidden_${l + 1}`);
    residuals.push(x);
  }

  // ---- final norm and unembedding
  const normW = normWeight(`${prefix}norm.weight`, d);
  const headName = lmHeadName(spec, ckpt);
  const head = headName ? weight(headName, [V, d]) : embedName;
  /** the model's own logits of 2-D states: final norm, unembedding, final soft-capping */
  const unembed = (x2d: string) => {
    const lg = g.op('Gemm', [rms(x2d, normW), head], { transB: 1 });
    return spec.finalSoftcap !== null ? softcap(lg, spec.finalSoftcap) : lg;
  };
  const lastRow = (x2d: string) => g.op('Slice', [g.op('Reshape', [x2d, bsd]), g.i64([-1]), g.i64([2 ** 53]), g.i64([1])]); // [B,1,d]
  const rowInput = (name: string) => (opts.rows ? g.input(name, DT.INT64, [name.replace('_rows', '') + '_n']) : null);
  const logitRows = rowInput('logit_rows');
  const lensLastRows = opts.lensLast ? rowInput('lens_last_rows') : null;
  const Bdim = g.op('Gather', [shapeIds, g.i64([0])], { axis: 0 }); // [1]
  /** [B, R, d] rows of 2-D states [B*S, d] at positions `rows` [R] */
  const pick = (x2d: string, rows: string) => g.op('Gather', [g.op('Reshape', [x2d, bsd]), rows], { axis: 1 });
  /**
   * Reshape to an explicit shape that may hold 0 (an empty row list): allowzero, or ONNX reads 0 as
   * "copy the input's dimension"; never -1, which cannot be inferred for an empty tensor. (onnxruntime's
   * ArgMax/ReduceMax/ReduceSum of an empty [0, V] return [0, V], not [0, 1]: the explicit shape fixes that too.)
   */
  const reshapeTo = (x: string, shape: string, name?: string) => g.op('Reshape', [x, shape], { allowzero: 1 }, name);
  const shapeOf = (...parts: string[]) => g.op('Concat', parts, { axis: 0 });
  const flat2 = (x3d: string) => g.op('Reshape', [x3d, g.i64([-1, d])]);
  if (opts.lensStates) {
    const states = g.input('lens_states', DT.FLOAT, ['lens_n', d]);
    const targets = g.input('lens_targets', DT.INT64, ['lens_n']);
    const n = g.op('Shape', [targets]); // [1] = [lens_n]
    const lsm = g.op('LogSoftmax', [unembed(states)], { axis: -1 }); // [N, V]
    const tgt = g.op('GatherElements', [lsm, g.op('Unsqueeze', [targets, g.i64([1])])], { axis: 1 }); // [N, 1]
    const above = g.op('Cast', [g.op('Greater', [lsm, tgt])], { to: DT.FLOAT });
    const top = g.op('ArgMax', [lsm], { axis: -1, keepdims: 1 }); // [N, 1]
    reshapeTo(tgt, n, 'lens_logprob');
    reshapeTo(g.op('ReduceSum', [above, g.i64([-1])], { keepdims: 1 }), n, 'lens_rank');
    reshapeTo(top, n, 'lens_top_id');
    // the top-1's log-prob gathered at the ArgMax (onnxruntime's WebGPU ReduceMax rejects an empty input)
    reshapeTo(g.op('GatherElements', [lsm, top], { axis: 1 }), n, 'lens_top_logprob');
    for (const name of ['lens_logprob', 'lens_rank', 'lens_top_logprob']) g.output(name, DT.FLOAT, ['lens_n']);
    g.output('lens_top_id', DT.INT64, ['lens_n']);
  }
  if (opts.lensLast) {
    // a few rows per layer: cheap even for large vocabularies, unlike a full layers x tokens x vocab lens
    if (lensLastRows) {
      const Q = g.op('Shape', [lensLastRows]);
      const rowsQ = residuals.map((r) => g.op('Unsqueeze', [pick(r, lensLastRows), g.i64([1])])); // [B,1,Q,d]
      const lg = unembed(flat2(g.op('Concat', rowsQ, { axis: 1 }))); // [B*(L+1)*Q, V]
      reshapeTo(lg, shapeOf(Bdim, g.i64([L + 1]), Q, g.i64([V])), 'lens_last');
      g.output('lens_last', DT.FLOAT, ['batch', L + 1, 'lens_last_n', V]);
    } else {
      const rowsLast = residuals.map((r) => lastRow(r));
      const stacked = g.op('Reshape', [g.op('Concat', rowsLast, { axis: 1 }), g.i64([-1, d])]); // [B*(L+1), d]
      const lg = unembed(stacked);
      g.op('Reshape', [lg, g.i64([-1, L + 1, V])], {}, 'lens_last');
      g.output('lens_last', DT.FLOAT, ['batch', L + 1, V]);
    }
  }
  if (logitRows) {
    const lg = unembed(flat2(pick(x, logitRows)));
    reshapeTo(lg, shapeOf(Bdim, g.op('Shape', [logitRows]), g.i64([V])), 'logits');
    g.output('logits', DT.FLOAT, ['batch', 'logit_n', V]);
  } else if (opts.logits === 'last') {
    const last = lastRow(x);
    const lg = unembed(g.op('Reshape', [last, g.i64([-1, d])]));
    g.op('Unsqueeze', [lg, g.i64([1])], {}, 'logits');
    g.output('logits', DT.FLOAT, ['batch', 1, V]);
  } else {
    const lg = unembed(x);
    g.op('Reshape', [lg, g.op('Concat', [shapeIds, g.i64([V])], { axis: 0 })], {}, 'logits');
    g.output('logits', DT.FLOAT, ['batch', 'seq', V]);
  }
  if (opts.relevance) relevanceBranch(g, spec, ckpt, opts.weightFormat);
  return g;
}
