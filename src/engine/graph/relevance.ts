// (One file, longer than most: each forward node of a layer sits beside the rule that reverses it.)
// AttnLRP relevance (Achtibat et al., ICML 2024) as one ONNX graph: the forward pass, then a
// hand-written backward pass that propagates *modified* gradients with the rules of LXT
// (github rachtibat/LRP-eXplains-Transformers, lxt/efficient: patches.py + rules.py) for
// Llama/Qwen. Relevance is Gradient x Input: R = x * ĝ, where ĝ is the modified gradient of the
// explained logit (seeded with 1, so relevance sums to the logit, not to logit² as LXT's
// `logit.backward(logit)` examples do — a constant factor).
//
// Inputs:  input_ids int64 [1, seq], target int64 [1] (buildRelevanceGraph, the whole pass in one
//          graph: the reference for tests). In the app graph the same rules run one layer per session
//          run on the residual states the analysis forward already computed (relevanceBranch).
// Outputs: relevance    float [L+1, seq]  R_l(t) = Σ_i h_l(t)_i ĝ_l(t)_i for the target logit at
//                                         the last position; h_0 = embeddings, h_l = residual
//                                         after layer l, h_L before the final norm
//          target_logit float [1]          (after final soft-capping where the model has it)
//          leak_bias    float [L]  Σ over layer l's biased linears of Σ b ⊙ ĝ(output)
//          leak_softmax float [L]  relevance into layer l's softmaxes minus relevance out of them
//
// Rules (modified gradient ĝ through each op):
//   Linear (Gemm, + bias)   plain gradient = ε-LRP with ε -> 0 (no stabiliser is needed in
//                           Gradient x Input form; a bias absorbs b ⊙ ĝ, "leak_bias").
//   RMSNorm                 identity rule: 1/rms treated as a constant, ĝ_x = ĝ_y ⊙ w / rms
//                           (decoder norms, final norm, qwen3's per-head q/k norms). Conservative.
//   SiLU                    identity rule: ĝ_x = ĝ_y ⊙ silu(x)/x = ĝ_y ⊙ sigmoid(x) (LXT divides
//                           by x + 1e-10; identical in fp32 except |x| < ~1e-3·1e-4). Conservative.
//   silu(gate) ⊙ up         uniform rule: each factor gets half (ĝ/2 ⊙ other factor). Conservative.
//   q·kᵀ and P·v            uniform rule for the bilinear matmuls: each operand gets half.
//                           (LXT: divide_gradient(q, 4), (k, 4), (v, 2); the same numbers, since
//                           P's half then flows linearly through softmax into q·kᵀ's halves.)
//   softmax                 plain gradient, which in Gradient x Input form *is* AttnLRP's softmax
//                           rule R_in = s ⊙ (R_out − P Σ R_out). NOT conservative: the gap is
//                           "leak_softmax" = Σ P ⊙ ĝ_P − Σ s ⊙ ĝ_s (s = scaled scores, ĝ_s = 0 on
//                           masked entries): the half of the attention relevance that the uniform
//                           rule hands to P, minus what the softmax rule passes on to q·kᵀ (with a
//                           single key, T = 1, nothing: that whole half is lost). Either sign;
//                           on the random fixtures up to ~30% of the logit in one layer.
//   RoPE, GQA repeat, scale, residual adds: linear, plain gradient, conservative.
// Families beyond Llama/Qwen (same rules, as LXT's lxt/efficient/models/gemma3.py does for Gemma 3):
//   (1 + w) RMSNorm (gemma), sandwich norms post_attention / pre_feedforward / post_feedforward
//                           (gemma2/3), q/k norms (gemma3): identity rule like every norm. Conservative.
//   GeGLU gelu(gate) ⊙ up   identity rule on gelu, ĝ_x = ĝ_y ⊙ gelu(x)/x = ĝ_y ⊙ 0.5 (1 + tanh(√(2/π)(x + 0.044715x³)))
//                           (erf form for exact gelu), uniform rule on the product. Conservative.
//   soft-capping c = cap·tanh(s/cap) (gemma2 attention logits; gemma2/3 final logit): identity rule,
//                           ĝ_s = ĝ_c ⊙ c/s (LXT's rule for element-wise nonlinearities; 1 where s = 0).
//                           Conservative. The attention cap sits between the scores and the softmax, so
//                           leak_softmax is measured at the softmax's own input c. The final cap makes the
//                           explained quantity the capped logit (what the model outputs), and
//                           Σ_t R_L(t) = that capped logit.
//   sqrt(d) embedding scale (gemma): linear; h_0 is the scaled embedding.
//   phi3 fused qkv_proj / gate_up_proj: one linear each (plain gradient), split after; partial rotary
//                           rotates only the first rope.dim dims (the rest pass, linear).
// Hence exactly (up to rounding), per layer:
//   Σ_t R_{l+1}(t) − Σ_t R_l(t) = leak_bias[l] + leak_softmax[l],   and Σ_t R_L(t) = target_logit
// (the final norm has no bias and the 1/rms is constant). Relevance is conserved layer to layer
// only if those leaks vanish; for AttnLRP's softmax rule they do not (tests check the balance).
//
// Checked (relevance.test.ts) against tools/reference/attnlrp.py (float64 PyTorch, autograd with
// LXT-style Functions) on every random-weight fixture: rel = max|a−b|/max|b| <= 1e-3 on relevance
// and both leaks (measured <= 1e-6 on WASM; a one-off WebGPU/SwiftShader run in Chromium gave
// 9e-6..1.6e-4), Σ_t R_L = logit to 1e-5 and the per-layer balance above to 1e-4 of the logit
// (measured <= 5e-7). Sizes of the leaks on the fixtures: tools/reference/README.md.
//
// Memory: the backward recomputes each layer's internals (q, k, v, attention probabilities, MLP
// activations) from that layer's input residual state instead of keeping every layer's [H, S, S]
// probabilities from a forward pass (1.3 GB for Qwen2.5-0.5B at S = 1024). In one graph onnxruntime still
// kept several layers' tensors alive (measured: +400 MB for 8 Qwen-shaped layers at S = 400), so the app
// runs the backward one layer per session run (relevanceBranch): one layer's activations at a time.
//
// Layout: batch 1, residual stream [S, d], heads [n, S, hd]. Opset 17, standard ops, fp32.

import type { ModelSpec, RopeSpec } from '../arch/spec';
import { decoderPrefix, layerRope, layerWeightNames, lmHeadName } from '../arch/families';
import type { Checkpoint } from '../weights/checkpoint';
import { DT, GraphBuilder } from './onnx';
import { ropeCosSin, ropeTableLength, ropeTag } from './rope-table';
import { graphWeights, type WeightFormat } from './weights';
import { ATTENTION_BLOCK } from '../arch/working-set';

const NEG_MASK = -3.4028234663852886e38; // float32 min, as transformers masks

/** query rows per attention block: [H, 128, S] scores at a time (4 MiB per head group at S = 1024 with 8 heads) */


export interface RelevanceGraphOptions {
  weightFormat?: WeightFormat;
  /** initializer names an enclosing graph holds (a subgraph of the app graph): read by name, not added again */
  shared?: ReadonlySet<string>;
  /** query rows per attention block (default ATTENTION_BLOCK); tests use small blocks to exercise the loop */
  attentionBlock?: number;
}

/**
 * The relevance pass's building blocks in graph `g`, for a sequence of length S (an int64 scalar value
 * in g): one layer's forward (what its backward needs), one layer's backward, and the seed at the top.
 */
function relevanceOps(g: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint, opts: RelevanceGraphOptions, S: string) {
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd, vocabSize: V, intermediateSize: I } = spec;
  const rep = H / KVH;
  const prefix = decoderPrefix(ckpt);

  // ---- small helpers
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const mm = (a: string, b: string) => g.op('MatMul', [a, b]);
  const tr = (x: string, perm: number[]) => g.op('Transpose', [x], { perm });
  const sumAll = (x: string) => g.op('Reshape', [g.op('ReduceSum', [x], { keepdims: 0 }), g.i64([1])]); // [1]
  const sumLast = (x: string, keep: 0 | 1) => g.op('ReduceSum', [x, g.i64([-1])], { keepdims: keep });
  const { weight, normWeight, linear, cols, qkv } = graphWeights(g, spec, ckpt, opts.weightFormat, { shared: opts.shared, int8: 'dequantize' });
  const sliceLast = (x: string, from: number, to: number) => g.op('Slice', [x, g.i64([from]), g.i64([to]), g.i64([-1])]);
  /** 1/rms over the last axis, keepdims (a constant for the backward: identity rule) */
  const invRms = (x: string) =>
    g.op('Reciprocal', [g.op('Sqrt', [add(g.op('ReduceMean', [mul(x, x)], { axes: [-1], keepdims: 1 }), g.f32s(spec.rmsNormEps))])]);
  /** ĝ_x = ĝ_y W (backward of x W^T) */
  const linearBack = (gy: string, prefix: string) => mm(gy, `${prefix}.weight`);
  /** c = cap tanh(s / cap) and the identity rule's ratio c / s (1 where s = 0) */
  const softcap = (s: string, cap: number) => {
    const c = mul(g.op('Tanh', [g.op('Div', [s, g.f32s(cap)])]), g.f32s(cap));
    const zero = g.op('Equal', [s, g.f32s(0)]);
    const ratio = g.op('Where', [zero, g.f32s(1), g.op('Div', [c, g.op('Where', [zero, g.f32s(1), s])])]);
    return { c, ratio };
  };
  /** act(x) and the identity rule's act(x)/x */
  const activation = (x: string): { y: string; ratio: string } => {
    let ratio: string;
    if (spec.hiddenAct === 'silu') ratio = g.op('Sigmoid', [x]);
    else if (spec.hiddenAct === 'gelu') ratio = mul(add(g.op('Erf', [mul(x, g.f32s(Math.SQRT1_2))]), g.f32s(1)), g.f32s(0.5));
    else {
      const inner = mul(add(x, mul(mul(mul(x, x), x), g.f32s(0.044715))), g.f32s(Math.sqrt(2 / Math.PI)));
      ratio = mul(add(g.op('Tanh', [inner]), g.f32s(1)), g.f32s(0.5));
    }
    return { y: mul(x, ratio), ratio };
  };

  // ---- positions, masks, rotary tables
  const pos = g.op('Range', [g.i64s(0), S, g.i64s(1)]);
  const qcol = g.op('Unsqueeze', [pos, g.i64([1])]);
  const causal = g.op('Greater', [pos, qcol]); // [S, S]: key after query
  const masks = new Map<number | null, string>();
  const maskFor = (window: number | null) => {
    let m = masks.get(window);
    if (!m) {
      let blocked = causal;
      if (window !== null) blocked = g.op('Or', [blocked, g.op('GreaterOrEqual', [g.op('Sub', [qcol, pos]), g.i64s(window)])]);
      m = g.op('Unsqueeze', [blocked, g.i64([0])]); // [1, S, S]
      masks.set(window, m);
    }
    return m;
  };
  type Rope = { fwd: (x: string) => string; back: (gy: string) => string };
  const ropes = new Map<RopeSpec, Rope>();
  const ropeFor = (r: RopeSpec): Rope => {
    let got = ropes.get(r);
    if (got) return got;
    const tag = ropeTag(spec, r);
    const { cos, sin } = ropeCosSin(g, r, tag, ropeTableLength(spec.maxPositions), pos, S);
    const rd = r.dim;
    const half = rd / 2;
    const lo = (x: string) => sliceLast(x, 0, half);
    const hi = (x: string) => sliceLast(x, half, rd);
    // y = x cos + rot(x) sin, rot(x) = [-x2, x1]; its transpose: ĝ_x = ĝ cos + [ (ĝ sin)_2, -(ĝ sin)_1 ]
    const f = (x: string) => add(mul(x, cos), mul(g.op('Concat', [g.op('Neg', [hi(x)]), lo(x)], { axis: -1 }), sin));
    const b = (gy: string) => {
      const gs = mul(gy, sin);
      return add(mul(gy, cos), g.op('Concat', [hi(gs), g.op('Neg', [lo(gs)])], { axis: -1 }));
    };
    // partial rotary: only the first rd dims of a head rotate; the rest pass (forward and backward)
    const partial = (fn: (x: string) => string) => (x: string) => g.op('Concat', [fn(sliceLast(x, 0, rd)), sliceLast(x, rd, hd)], { axis: -1 });
    got = rd === hd ? { fwd: f, back: b } : { fwd: partial(f), back: partial(b) };
    ropes.set(r, got);
    return got;
  };
  // GQA: query head h uses kv head floor(h / rep) (HF repeat_kv); the backward sums the copies
  const expandKV = (t: string) =>
    rep === 1 ? t : g.op('Reshape', [g.op('Tile', [g.op('Unsqueeze', [t, g.i64([1])]), g.i64([1, rep, 1, 1])]), g.i64([H, -1, hd])]);
  const reduceKV = (t: string) =>
    rep === 1 ? t : g.op('ReduceSum', [g.op('Reshape', [t, g.i64([KVH, rep, -1, hd])]), g.i64([1])], { keepdims: 0 });
  const toHeads = (x2d: string, n: number) => g.op('Reshape', [x2d, g.i64([-1, n, hd])]); // [S, n, hd]
  const fromHeads = (xh: string, n: number) => g.op('Reshape', [tr(xh, [1, 0, 2]), g.i64([-1, n * hd])]); // [n,S,hd] -> [S, n*hd]

  // ---- one layer's forward, returning what its backward needs
  const embedName = weight(`${prefix}embed_tokens.weight`, [V, d]);
  type Saved = {
    r1: string; r2: string; rAttnOut: string | null; rMlpOut: string | null;
    rq: string | null; rk: string | null;
    q: string; kx: string; vx: string; mask: string;
    up: string; actY: string; actRatio: string;
  };

  // ---- attention over blocks of query rows: [H, S, S] never exists whole (see Memory above)
  let loops = 0;
  /**
   * A Loop over blocks of ATTENTION_BLOCK query rows. Forward: the context P·v [H, S, hd]. Backward (gCtx
   * given): the rules for P·v (uniform), softmax (plain gradient) and q·kᵀ (uniform), returning ĝ for q, for
   * the expanded k and v, and the softmax leak Σ P ⊙ ĝ_P − Σ s ⊙ ĝ_s, accumulated block by block.
   */
  const attention = (q: string, kx: string, vx: string, mask: string, gCtx?: string) => {
    const b = new GraphBuilder(`${g.prefix}attn${loops++}/`);
    const B = opts.attentionBlock ?? ATTENTION_BLOCK;
    const kT = tr(kx, [0, 2, 1]); // [H, hd, S], once per layer
    const trips = g.op('Div', [add(S, g.i64s(B - 1)), g.i64s(B)]);
    const yes = g.init(g.fresh('true'), DT.BOOL, [], Uint8Array.of(1));
    const emptyRows = g.op('ConstantOfShape', [g.i64([H, 0, hd])], { value: { tensor: { name: 'v', dtype: DT.FLOAT, dims: [1], data: new Uint8Array(4) } } });
    const zerosLike = (x: string) => g.op('ConstantOfShape', [g.op('Shape', [x])], { value: { tensor: { name: 'v', dtype: DT.FLOAT, dims: [1], data: new Uint8Array(4) } } });
    const it = b.input(`${b.prefix}i`, DT.INT64, []);
    const condIn = b.input(`${b.prefix}cond`, DT.BOOL, []);
    const bop = (op: string, ins: string[], attrs = {}) => b.op(op, ins, attrs);
    const from = bop('Unsqueeze', [bop('Mul', [it, b.i64s(B)]), b.i64([0])]); // [1]
    const to = bop('Min', [bop('Add', [from, b.i64([B])]), bop('Unsqueeze', [S, b.i64([0])])]);
    const rows = (x: string) => bop('Slice', [x, from, to, b.i64([1])]); // rows of axis 1
    const qb = rows(q); // [H, n, hd]
    const scores = bop('Mul', [bop('MatMul', [qb, kT]), b.f32s(spec.attnScale)]); // [H, n, S]
    let smIn = scores;
    let capRatio: string | null = null;
    if (spec.attnSoftcap !== null) {
      const cap = spec.attnSoftcap;
      smIn = bop('Mul', [bop('Tanh', [bop('Div', [scores, b.f32s(cap)])]), b.f32s(cap)]);
      const zero = bop('Equal', [scores, b.f32s(0)]);
      capRatio = bop('Where', [zero, b.f32s(1), bop('Div', [smIn, bop('Where', [zero, b.f32s(1), scores])])]);
    }
    const probs = bop('Softmax', [bop('Where', [rows(mask), b.f32s(NEG_MASK), smIn])], { axis: -1 });
    const outputs: { name: string; dims: (number | string)[] }[] = [];
    const carry = (init: string, name: string, dims: (number | string)[], next: (inp: string) => string) => {
      const inp = b.input(`${b.prefix}${name}_in`, DT.FLOAT, dims);
      b.op('Identity', [next(inp)], {}, `${b.prefix}${name}_out`);
      outputs.push({ name: `${b.prefix}${name}_out`, dims });
      return init;
    };
    b.op('Identity', [condIn], {}, `${b.prefix}cond_out`);
    b.output(`${b.prefix}cond_out`, DT.BOOL, []);
    let inits: string[];
    if (!gCtx) {
      inits = [carry(emptyRows, 'ctx', [H, 'r', hd], (acc) => bop('Concat', [acc, bop('MatMul', [probs, vx])], { axis: 1 }))];
    } else {
      const gCb = rows(gCtx); // [H, n, hd]
      const gP = bop('Mul', [bop('MatMul', [gCb, tr(vx, [0, 2, 1])]), b.f32s(0.5)]); // P's half of P·v [H, n, S]
      const pg = bop('Mul', [probs, gP]);
      const gSm = bop('Mul', [probs, bop('Sub', [gP, bop('ReduceSum', [pg, b.i64([-1])], { keepdims: 1 })])]); // softmax: plain gradient
      const gS = capRatio ? bop('Mul', [gSm, capRatio]) : gSm; // soft-capping: identity rule
      const gSs = bop('Mul', [gS, b.f32s(0.5 * spec.attnScale)]); // scale, then uniform rule on q·kᵀ
      const total = (x: string) => bop('Reshape', [bop('ReduceSum', [x], { keepdims: 0 }), b.i64([1])]);
      const zero1 = g.f32(g.fresh('zero1'), [1], new Float32Array(1));
      inits = [
        carry(emptyRows, 'gq', [H, 'r', hd], (acc) => bop('Concat', [acc, bop('MatMul', [gSs, kx])], { axis: 1 })),
        carry(zerosLike(kx), 'gk', [H, 's', hd], (acc) => bop('Add', [acc, bop('MatMul', [bop('Transpose', [gSs], { perm: [0, 2, 1] }), qb])])),
        carry(zerosLike(vx), 'gv', [H, 's', hd], (acc) => bop('Add', [acc, bop('Mul', [bop('MatMul', [bop('Transpose', [probs], { perm: [0, 2, 1] }), gCb]), b.f32s(0.5)])])),
        carry(zero1, 'leak', [1], (acc) => bop('Add', [acc, bop('Sub', [total(pg), total(bop('Mul', [smIn, gSm]))])])),
      ];
    }
    for (const o of outputs) b.output(o.name, DT.FLOAT, o.dims);
    const outs = outputs.map((o) => g.fresh(o.name.slice(b.prefix.length).replace(/_out$/, '')));
    g.opMulti('Loop', [trips, yes, ...inits], { body: { graph: b } }, outs);
    return outs;
  };
  const layer = (x: string, l: number): { out: string; s: Saved } => {
    const w = layerWeightNames(l, prefix);
    const rope = ropeFor(layerRope(spec, l));
    const r1 = invRms(x);
    const xn = mul(mul(x, r1), normWeight(w.inputNorm, d));
    const { q: qp, k: kp, v: vp } = qkv(xn, w);
    const headsOf = (p2d: string, n: number, norm: string | null): { t: string; r: string | null } => {
      let t = toHeads(p2d, n);
      let r: string | null = null;
      if (norm) {
        r = invRms(t);
        t = mul(mul(t, r), normWeight(norm, hd));
      }
      return { t: tr(t, [1, 0, 2]), r }; // [n, S, hd]
    };
    const qh = headsOf(qp, H, spec.qkNorm ? w.qNorm : null);
    const kh = headsOf(kp, KVH, spec.qkNorm ? w.kNorm : null);
    const vh = headsOf(vp, KVH, null);
    const q = rope.fwd(qh.t);
    const kx = expandKV(rope.fwd(kh.t));
    const vx = expandKV(vh.t);
    const mask = maskFor(spec.layerWindows[l]);
    const [ctxHeads] = attention(q, kx, vx, mask);
    const ctx = fromHeads(ctxHeads, H);
    let attnOut = linear(ctx, w.o, d, H * hd, spec.oBias);
    let rAttnOut: string | null = null;
    if (spec.sandwichNorms) {
      rAttnOut = invRms(attnOut);
      attnOut = mul(mul(attnOut, rAttnOut), normWeight(w.postAttnNorm, d));
    }
    let y = add(x, attnOut);
    const r2 = invRms(y);
    const xn2 = mul(mul(y, r2), normWeight(spec.sandwichNorms ? w.preFfnNorm : w.postAttnNorm, d));
    let gate: string, up: string;
    if (spec.fusedGateUp) {
      const gu = linear(xn2, w.gateUp, 2 * I, d, false);
      gate = cols(gu, 0, I);
      up = cols(gu, I, 2 * I);
    } else {
      gate = linear(xn2, w.gate, I, d, spec.mlpBias);
      up = linear(xn2, w.up, I, d, spec.mlpBias);
    }
    const a = activation(gate);
    let mlpOut = linear(mul(a.y, up), w.down, d, I, spec.mlpBias);
    let rMlpOut: string | null = null;
    if (spec.sandwichNorms) {
      rMlpOut = invRms(mlpOut);
      mlpOut = mul(mul(mlpOut, rMlpOut), normWeight(w.postFfnNorm, d));
    }
    y = add(y, mlpOut);
    return { out: y, s: { r1, r2, rAttnOut, rMlpOut, rq: qh.r, rk: kh.r, q, kx, vx, mask, up, actY: a.y, actRatio: a.ratio } };
  };

  // ---- the explained logit: final norm (1/rms constant) + unembedding row of the target (+ final cap)
  const normW = normWeight(`${prefix}norm.weight`, d);
  const headName = lmHeadName(spec, ckpt);
  const head = headName ? weight(headName, [V, d]) : embedName;
  /** the target logit from h_L, and ĝ at h_L (non-zero only in the last row) */
  const seed = (hL: string, target: string): { logit: string; gx: string } => {
    const last = g.op('Slice', [hL, g.i64([-1]), g.i64([2 ** 53]), g.i64([0])]); // [1, d]
    const rLast = invRms(last);
    const wu = g.op('Gather', [head, target], { axis: 0 }); // [1, d]
    const z = sumLast(mul(mul(mul(last, rLast), normW), wu), 0); // [1]
    let sd = mul(mul(wu, normW), rLast); // ĝ at the last row of h_L
    let logit = z;
    if (spec.finalSoftcap !== null) {
      const fc = softcap(z, spec.finalSoftcap); // identity rule: ĝ_z = c / z
      logit = fc.c;
      sd = mul(sd, fc.ratio);
    }
    const isLast = g.op('Cast', [g.op('Equal', [qcol, g.op('Sub', [S, g.i64s(1)])])], { to: DT.FLOAT }); // [S, 1]
    return { logit, gx: mul(isLast, sd) };
  };

  /** R_l(t) = Σ_i h_l(t)_i ĝ_l(t)_i, [S] */
  const relRow = (h: string, gh: string) => sumLast(mul(h, gh), 0);
  const halfC = g.f32s(0.5);

  /**
   * Layer l's backward: ĝ at its input from ĝ at its output (`gx`), given what its forward kept (`s`),
   * with the relevance its biases absorb and its softmaxes leak (each [1]).
   */
  const backward = (l: number, s: Saved, gOut: string): { gx: string; leakBias: string; leakSoftmax: string } => {
    const w = layerWeightNames(l, prefix);
    const rope = ropeFor(layerRope(spec, l));
    let gx = gOut;
    const biasTerms: string[] = [];
    const biasLeak = (prefix: string, gy: string) => biasTerms.push(sumAll(mul(gy, `${prefix}.bias`)));

    // MLP: x_{l+1} = x_mid + [post_feedforward_layernorm](down(act(gate) ⊙ up))
    const gDown = s.rMlpOut ? mul(mul(gx, normWeight(w.postFfnNorm, d)), s.rMlpOut) : gx; // identity rule on the norm
    if (spec.mlpBias) biasLeak(w.down, gDown);
    const gAct = linearBack(gDown, w.down); // [S, I]
    const gHalf = mul(gAct, halfC); // uniform rule on the product
    const gUp = mul(gHalf, s.actY);
    const gGate = mul(mul(gHalf, s.up), s.actRatio); // identity rule on the activation: act(x)/x
    if (spec.mlpBias) {
      biasLeak(w.gate, gGate);
      biasLeak(w.up, gUp);
    }
    const gXn2 = spec.fusedGateUp
      ? linearBack(g.op('Concat', [gGate, gUp], { axis: 1 }), w.gateUp)
      : add(linearBack(gGate, w.gate), linearBack(gUp, w.up)); // [S, d]
    const gMid = add(gx, mul(mul(gXn2, normWeight(spec.sandwichNorms ? w.preFfnNorm : w.postAttnNorm, d)), s.r2));

    // attention: x_mid = x_l + [post_attention_layernorm](o(ctx))
    const gO = s.rAttnOut ? mul(mul(gMid, normWeight(w.postAttnNorm, d)), s.rAttnOut) : gMid;
    if (spec.oBias) biasLeak(w.o, gO);
    const gCtx = tr(toHeads(linearBack(gO, w.o), H), [1, 0, 2]); // [H, S, hd]
    // uniform rule on P·v (v's half, P's half), softmax, uniform rule on q·kᵀ, block by block
    const [gQ, gK, gV, leakSoftmax] = attention(s.q, s.kx, s.vx, s.mask, gCtx);
    const headsBack = (gh: string, n: number, r: string | null, norm: string): string => {
      // [n, S, hd] after RoPE -> [S, n*hd] at the projection output
      let t = tr(gh, [1, 0, 2]); // [S, n, hd]
      if (r) t = mul(mul(t, normWeight(norm, hd)), r);
      return g.op('Reshape', [t, g.i64([-1, n * hd])]);
    };
    const gQp = headsBack(rope.back(gQ), H, s.rq, w.qNorm);
    const gKp = headsBack(rope.back(reduceKV(gK)), KVH, s.rk, w.kNorm);
    const gVp = headsBack(reduceKV(gV), KVH, null, '');
    if (spec.attentionBias) {
      biasLeak(w.q, gQp);
      biasLeak(w.k, gKp);
      biasLeak(w.v, gVp);
    }
    const gXn = spec.fusedQkv
      ? linearBack(g.op('Concat', [gQp, gKp, gVp], { axis: 1 }), w.qkv)
      : add(add(linearBack(gQp, w.q), linearBack(gKp, w.k)), linearBack(gVp, w.v));
    const leakBias = biasTerms.length ? biasTerms.reduce((a, b) => add(a, b)) : g.f32(g.fresh('zero'), [1], new Float32Array(1));
    gx = add(gMid, mul(mul(gXn, normWeight(w.inputNorm, d)), s.r1));
    return { gx, leakBias, leakSoftmax };
  };

  return { layer, backward, seed, relRow, embedName };
}


/** fp32 scalar 0 that exists only once `t` does: a data dependency that orders and un-merges a recomputation */
function zeroAfter(g: GraphBuilder, t: string): string {
  return g.op('Cast', [g.op('Mul', [g.op('Gather', [g.op('Shape', [t]), g.i64s(0)], { axis: 0 }), g.i64s(0)])], { to: DT.FLOAT });
}

/**
 * The whole relevance pass as one graph: inputs input_ids int64 [1, seq], target int64 [1]; outputs
 * relevance [L+1, seq], target_logit [1], leak_bias [L], leak_softmax [L]. The reference for tests and
 * the definition the app's layer-by-layer branch (relevanceBranch) must equal.
 */
export function buildRelevanceGraph(spec: ModelSpec, ckpt: Checkpoint, opts: RelevanceGraphOptions = {}): GraphBuilder {
  const g = new GraphBuilder('');
  const { hiddenSize: d, numLayers: L } = spec;
  const ids = g.input('input_ids', DT.INT64, [1, 'seq']);
  const target = g.input('target', DT.INT64, [1]);
  const S = g.op('Gather', [g.op('Shape', [ids]), g.i64s(1)], { axis: 0 });
  const o = relevanceOps(g, spec, ckpt, opts, S);
  let x = g.op('Reshape', [g.op('Gather', [o.embedName, ids], { axis: 0 }), g.i64([-1, d])]); // [S, d]
  if (spec.embedScale !== 1) x = g.op('Mul', [x, g.f32s(spec.embedScale)]); // gemma: x sqrt(d), linear
  const resid = [x];
  for (let l = 0; l < L; l++) resid.push((x = o.layer(x, l).out));
  const top = o.seed(resid[L], target);
  g.op('Identity', [top.logit], {}, 'target_logit');
  g.output('target_logit', DT.FLOAT, [1]);
  const rows: string[] = new Array(L + 1);
  const leakBias: string[] = new Array(L);
  const leakSoftmax: string[] = new Array(L);
  const asRow = (r: string) => g.op('Unsqueeze', [r, g.i64([0])]); // [1, S]
  let gx = top.gx;
  rows[L] = asRow(o.relRow(resid[L], gx));
  for (let l = L - 1; l >= 0; l--) {
    // recomputed from this layer's input (see Memory above)
    const s = o.layer(g.op('Add', [resid[l], zeroAfter(g, gx)]), l).s;
    const b = o.backward(l, s, gx);
    gx = b.gx;
    leakBias[l] = b.leakBias;
    leakSoftmax[l] = b.leakSoftmax;
    rows[l] = asRow(o.relRow(resid[l], gx));
  }
  g.op('Concat', rows, { axis: 0 }, 'relevance');
  g.output('relevance', DT.FLOAT, [L + 1, 'seq']);
  g.op('Concat', leakBias, { axis: 0 }, 'leak_bias');
  g.output('leak_bias', DT.FLOAT, [L]);
  g.op('Concat', leakSoftmax, { axis: 0 }, 'leak_softmax');
  g.output('leak_softmax', DT.FLOAT, [L]);
  return g;
}

/** the app graph's relevance outputs, one step of the layer-by-layer pass (relevanceBranch) */
export const RELEVANCE_OUTPUTS = ['rel_g_out', 'rel_row', 'rel_logit', 'rel_leak_bias', 'rel_leak_softmax'] as const;

/**
 * Adds AttnLRP relevance to the app graph, one layer per run: the caller (model.ts relevance) walks the
 * layers from the top, feeding each step the residual state at that layer's input and the modified
 * gradient at its output, so only one layer's activations ever exist at once, whatever the prompt length.
 * Inputs added: rel_layer int64 [] (0..L-1: layer l's backward; L: the seed at the top; anything else:
 * nothing runs), rel_target int64 [1], rel_h float [rel_seq, d] (h_l; h_L for the seed), rel_g float
 * [rel_seq, d] (ĝ at layer l's output; unused by the seed). Outputs (RELEVANCE_OUTPUTS): rel_g_out (ĝ at
 * layer l's input, or ĝ_L), rel_row (R_l(t) = Σ_i h_l(t)_i ĝ_l(t)_i, [rel_seq]), rel_logit (the target logit, seed
 * step only, else empty), rel_leak_bias and rel_leak_softmax ([1] for a layer step, else empty).
 * Each step is an If whose branch reads the app graph's weight initializers by name (one copy), so the
 * same session and weights serve it; the other L branches are skipped.
 */
export function relevanceBranch(outer: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint, weightFormat: WeightFormat = 'fp32'): void {
  const { hiddenSize: d, numLayers: L } = spec;
  const layerIn = outer.input('rel_layer', DT.INT64, []);
  const target = outer.input('rel_target', DT.INT64, [1]);
  const h = outer.input('rel_h', DT.FLOAT, ['rel_seq', d]);
  const gIn = outer.input('rel_g', DT.FLOAT, ['rel_g_seq', d]);
  const have = new Map(outer.initializers.map((t) => [t.name, t]));
  const parts: Record<(typeof RELEVANCE_OUTPUTS)[number], string[]> = { rel_g_out: [], rel_row: [], rel_logit: [], rel_leak_bias: [], rel_leak_softmax: [] };
  const dims: Record<(typeof RELEVANCE_OUTPUTS)[number], (number | string)[]> = {
    rel_g_out: ['rel_n', d],
    rel_row: ['rel_n'],
    rel_logit: ['rel_one'],
    rel_leak_bias: ['rel_one'],
    rel_leak_softmax: ['rel_one'],
  };
  for (let k = 0; k <= L; k++) {
    const then = new GraphBuilder(`rel${k}/`);
    const S = then.op('Gather', [then.op('Shape', [h]), then.i64s(0)], { axis: 0 });
    const o = relevanceOps(then, spec, ckpt, { weightFormat, shared: new Set(have.keys()) }, S);
    const empty1 = () => then.f32(then.fresh('none'), [0], new Float32Array(0));
    let out: Record<(typeof RELEVANCE_OUTPUTS)[number], string>;
    if (k === L) {
      const top = o.seed(h, target);
      out = { rel_g_out: top.gx, rel_row: o.relRow(h, top.gx), rel_logit: top.logit, rel_leak_bias: empty1(), rel_leak_softmax: empty1() };
    } else {
      const b = o.backward(k, o.layer(h, k).s, gIn);
      out = { rel_g_out: b.gx, rel_row: o.relRow(h, b.gx), rel_logit: empty1(), rel_leak_bias: b.leakBias, rel_leak_softmax: b.leakSoftmax };
    }
    for (const name of RELEVANCE_OUTPUTS) {
      then.op('Identity', [out[name]], {}, `${then.prefix}${name}`);
      then.output(`${then.prefix}${name}`, DT.FLOAT, dims[name]);
    }
    // weights and rope tables the app graph lacks move there (one copy); the branch keeps its constants
    const local = [];
    for (const t of then.initializers) {
      if (t.name.startsWith(then.prefix)) {
        local.push(t);
        continue;
      }
      const o2 = have.get(t.name);
      if (!o2) {
        outer.initializers.push(t);
        have.set(t.name, t);
      } else if (o2.dtype !== t.dtype || o2.dims.join() !== t.dims.join() || !sameBytes(o2.data, t.data)) {
        throw new Error(`relevance branch: initializer ${t.name} differs from the forward graph's`);
      }
    }
    then.initializers = local;
    const none = new GraphBuilder(`rel${k}_none/`);
    for (const name of RELEVANCE_OUTPUTS) {
      const shape = name === 'rel_g_out' ? [0, d] : [0];
      none.op('Constant', [], { value: { tensor: { name: `${none.prefix}${name}_value`, dtype: DT.FLOAT, dims: shape, data: new Uint8Array(0) } } }, `${none.prefix}${name}`);
      none.output(`${none.prefix}${name}`, DT.FLOAT, shape);
    }
    const outs = RELEVANCE_OUTPUTS.map((n) => outer.fresh(`${n}_${k}`));
    outer.opMulti('If', [outer.op('Equal', [layerIn, outer.i64s(k)])], { then_branch: { graph: then }, else_branch: { graph: none } }, outs);
    RELEVANCE_OUTPUTS.forEach((n, i) => parts[n].push(outs[i]));
  }
  // one branch ran: its outputs, the others' empty ones
  for (const name of RELEVANCE_OUTPUTS) {
    outer.op('Concat', parts[name], { axis: 0 }, name);
    outer.output(name, DT.FLOAT, dims[name]);
  }
}

/** byte equality of two initializers' data (weights shared by name must be the same numbers) */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b || (a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength)) return true;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
