// AttnLRP relevance (Achtibat et al., ICML 2024) as one ONNX graph: the forward pass, then a
// hand-written backward pass that propagates *modified* gradients with the rules of LXT
// (github rachtibat/LRP-eXplains-Transformers, lxt/efficient: patches.py + rules.py) for
// Llama/Qwen. Relevance is Gradient x Input: R = x * ĝ, where ĝ is the modified gradient of the
// explained logit (seeded with 1, so relevance sums to the logit, not to logit² as LXT's
// `logit.backward(logit)` examples do — a constant factor).
//
// Inputs:  input_ids int64 [1, seq], target int64 [1]
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
// Layout: batch 1, residual stream [S, d], heads [n, S, hd]. Opset 17, standard ops, fp32.

import type { ModelSpec, RopeSpec } from '../arch/spec';
import { decoderPrefix, layerRope, layerWeightNames, lmHeadName } from '../arch/families';
import type { Checkpoint } from '../weights/checkpoint';
import { DT, GraphBuilder } from './onnx';
import { ropeCosSin, ropeTableLength } from './rope-table';
import { graphWeights, type WeightFormat } from './weights';

const NEG_MASK = -3.4028234663852886e38; // float32 min, as transformers masks

export interface RelevanceGraphOptions {
  weightFormat?: WeightFormat;
  /**
   * build the graph as the then-branch of an If inside the app graph (relevanceBranch): its inputs are
   * the outer graph's `rel_ids` [1, rel_seq] and `rel_target` [1], its own names start with `rel/`
   */
  embedded?: boolean;
  /** initializer names the enclosing graph holds (embedded): read by name, not added again */
  shared?: ReadonlySet<string>;
}

export function buildRelevanceGraph(spec: ModelSpec, ckpt: Checkpoint, opts: RelevanceGraphOptions = {}): GraphBuilder {
  const g = new GraphBuilder(opts.embedded ? 'rel/' : '');
  const { hiddenSize: d, numHeads: H, numKvHeads: KVH, headDim: hd, numLayers: L, vocabSize: V, intermediateSize: I } = spec;
  const rep = H / KVH;
  const prefix = decoderPrefix(ckpt);

  const ids = opts.embedded ? 'rel_ids' : g.input('input_ids', DT.INT64, [1, 'seq']);
  const target = opts.embedded ? 'rel_target' : g.input('target', DT.INT64, [1]);
  const out = (name: string) => `${g.prefix}${name}`;

  // ---- small helpers
  const mul = (a: string, b: string) => g.op('Mul', [a, b]);
  const add = (a: string, b: string) => g.op('Add', [a, b]);
  const mm = (a: string, b: string) => g.op('MatMul', [a, b]);
  const tr = (x: string, perm: number[]) => g.op('Transpose', [x], { perm });
  const sumAll = (x: string) => g.op('Reshape', [g.op('ReduceSum', [x], { keepdims: 0 }), g.i64([1])]); // [1]
  const sumLast = (x: string, keep: 0 | 1) => g.op('ReduceSum', [x, g.i64([-1])], { keepdims: keep });
  const { weight, normWeight, linear, cols, qkv } = graphWeights(g, spec, ckpt, opts.weightFormat, opts.shared);
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
  const S = g.op('Gather', [g.op('Shape', [ids]), g.i64s(1)], { axis: 0 });
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
    const tag = `rope${ropes.size}`;
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

  // ---- forward, keeping what the backward needs
  const embedName = weight(`${prefix}embed_tokens.weight`, [V, d]);
  let x = g.op('Reshape', [g.op('Gather', [embedName, ids], { axis: 0 }), g.i64([-1, d])]); // [S, d]
  if (spec.embedScale !== 1) x = mul(x, g.f32s(spec.embedScale)); // gemma: x sqrt(d), linear
  const resid: string[] = [x];
  type Saved = {
    r1: string; r2: string; rAttnOut: string | null; rMlpOut: string | null;
    rq: string | null; rk: string | null;
    q: string; kx: string; vx: string; probs: string; smIn: string; capRatio: string | null;
    up: string; actY: string; actRatio: string;
  };
  const saved: Saved[] = [];
  for (let l = 0; l < L; l++) {
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
    const scores = mul(mm(q, tr(kx, [0, 2, 1])), g.f32s(spec.attnScale)); // [H, S, S]
    let smIn = scores;
    let capRatio: string | null = null;
    if (spec.attnSoftcap !== null) {
      const sc = softcap(scores, spec.attnSoftcap);
      smIn = sc.c;
      capRatio = sc.ratio;
    }
    const probs = g.op('Softmax', [g.op('Where', [maskFor(spec.layerWindows[l]), g.f32s(NEG_MASK), smIn])], { axis: -1 });
    const ctx = fromHeads(mm(probs, vx), H);
    let attnOut = linear(ctx, w.o, d, H * hd, spec.oBias);
    let rAttnOut: string | null = null;
    if (spec.sandwichNorms) {
      rAttnOut = invRms(attnOut);
      attnOut = mul(mul(attnOut, rAttnOut), normWeight(w.postAttnNorm, d));
    }
    x = add(x, attnOut);
    const r2 = invRms(x);
    const xn2 = mul(mul(x, r2), normWeight(spec.sandwichNorms ? w.preFfnNorm : w.postAttnNorm, d));
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
    x = add(x, mlpOut);
    resid.push(x);
    saved.push({ r1, r2, rAttnOut, rMlpOut, rq: qh.r, rk: kh.r, q, kx, vx, probs, smIn, capRatio, up, actY: a.y, actRatio: a.ratio });
  }

  // ---- the explained logit: final norm (1/rms constant) + unembedding row of the target (+ final cap)
  const normW = normWeight(`${prefix}norm.weight`, d);
  const headName = lmHeadName(spec, ckpt);
  const head = headName ? weight(headName, [V, d]) : embedName;
  const last = g.op('Slice', [x, g.i64([-1]), g.i64([2 ** 53]), g.i64([0])]); // [1, d]
  const rLast = invRms(last);
  const wu = g.op('Gather', [head, target], { axis: 0 }); // [1, d]
  const z = sumLast(mul(mul(mul(last, rLast), normW), wu), 0); // [1]
  let seed = mul(mul(wu, normW), rLast); // ĝ at the last row of h_L
  if (spec.finalSoftcap !== null) {
    const fc = softcap(z, spec.finalSoftcap); // identity rule: ĝ_z = c / z
    g.op('Identity', [fc.c], {}, out('target_logit'));
    seed = mul(seed, fc.ratio);
  } else {
    g.op('Identity', [z], {}, out('target_logit'));
  }
  g.output(out('target_logit'), DT.FLOAT, [1]);

  // ĝ_L: non-zero only in the last row
  const isLast = g.op('Cast', [g.op('Equal', [qcol, g.op('Sub', [S, g.i64s(1)])])], { to: DT.FLOAT }); // [S, 1]
  let gx = mul(isLast, seed); // [S, d]

  const relRow = (h: string, gh: string) => g.op('Unsqueeze', [sumLast(mul(h, gh), 0), g.i64([0])]); // [1, S]
  const rows: string[] = new Array(L + 1);
  const leakBias: string[] = new Array(L);
  const leakSoftmax: string[] = new Array(L);
  rows[L] = relRow(resid[L], gx);
  const halfC = g.f32s(0.5);

  for (let l = L - 1; l >= 0; l--) {
    const w = layerWeightNames(l, prefix);
    const rope = ropeFor(layerRope(spec, l));
    const s = saved[l];
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
    const gV = mul(mm(tr(s.probs, [0, 2, 1]), gCtx), halfC); // uniform rule on P·v: v's half
    const gP = mul(mm(gCtx, tr(s.vx, [0, 2, 1])), halfC); // ... and P's half [H, S, S]
    const gSm = mul(s.probs, g.op('Sub', [gP, sumLast(mul(s.probs, gP), 1)])); // softmax: plain gradient
    leakSoftmax[l] = g.op('Sub', [sumAll(mul(s.probs, gP)), sumAll(mul(s.smIn, gSm))]);
    const gS = s.capRatio ? mul(gSm, s.capRatio) : gSm; // soft-capping: identity rule
    const gSs = mul(gS, g.f32s(0.5 * spec.attnScale)); // scale, then uniform rule on q·kᵀ
    const gQ = mm(gSs, s.kx); // [H, S, hd]
    const gK = mm(tr(gSs, [0, 2, 1]), s.q);
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
    gx = add(gMid, mul(mul(gXn, normWeight(w.inputNorm, d)), s.r1));

    rows[l] = relRow(resid[l], gx);
    leakBias[l] = biasTerms.length ? biasTerms.reduce((a, b) => add(a, b)) : g.f32(g.fresh('zero'), [1], new Float32Array(1));
  }

  g.op('Concat', rows, { axis: 0 }, out('relevance'));
  g.output(out('relevance'), DT.FLOAT, [L + 1, 'seq']);
  g.op('Concat', leakBias, { axis: 0 }, out('leak_bias'));
  g.output(out('leak_bias'), DT.FLOAT, [L]);
  g.op('Concat', leakSoftmax, { axis: 0 }, out('leak_softmax'));
  g.output(out('leak_softmax'), DT.FLOAT, [L]);
  return g;
}

/** the relevance graph's outputs, as relevanceBranch names them in the app graph */
export const RELEVANCE_OUTPUTS = ['relevance', 'target_logit', 'leak_bias', 'leak_softmax'] as const;

/**
 * Adds AttnLRP relevance to another graph (the app's forward graph) as an If on the bool input
 * `rel_on`, so one session holds the weights once for both: the branch reads the outer graph's weight
 * initializers by name (a weight the outer graph lacks is moved there), keeps its small constants,
 * and runs only when `rel_on` is true; otherwise the outputs are empty. Inputs added: rel_on bool [],
 * rel_ids int64 [1, rel_seq], rel_target int64 [1]; outputs: RELEVANCE_OUTPUTS.
 */
export function relevanceBranch(outer: GraphBuilder, spec: ModelSpec, ckpt: Checkpoint, weightFormat: WeightFormat = 'fp32'): void {
  const on = outer.input('rel_on', DT.BOOL, []);
  outer.input('rel_ids', DT.INT64, [1, 'rel_seq']);
  outer.input('rel_target', DT.INT64, [1]);
  const have = new Map(outer.initializers.map((t) => [t.name, t]));
  const then = buildRelevanceGraph(spec, ckpt, { weightFormat, embedded: true, shared: new Set(have.keys()) });
  const local = [];
  for (const t of then.initializers) {
    if (t.name.startsWith(then.prefix)) {
      local.push(t);
      continue;
    }
    const o = have.get(t.name);
    if (!o) {
      outer.initializers.push(t);
      have.set(t.name, t);
    } else if (o.dtype !== t.dtype || o.dims.join() !== t.dims.join() || !sameBytes(o.data, t.data)) {
      throw new Error(`relevance branch: initializer ${t.name} differs from the forward graph's`);
    }
  }
  then.initializers = local;
  // If outputs are matched by position: the branch's in RELEVANCE_OUTPUTS order
  then.outputs = RELEVANCE_OUTPUTS.map((n) => then.outputs.find((o) => o.name === `${then.prefix}${n}`)!);
  // else: empty outputs of the same element types
  const none = new GraphBuilder('rel_none/');
  const empty = (name: string, dims: number[]) => {
    none.op('Constant', [], { value: { tensor: { name: `${none.prefix}${name}_value`, dtype: DT.FLOAT, dims, data: new Uint8Array(0) } } }, `${none.prefix}${name}`);
    none.output(`${none.prefix}${name}`, DT.FLOAT, dims);
  };
  empty('relevance', [0, 0]);
  empty('target_logit', [0]);
  empty('leak_bias', [0]);
  empty('leak_softmax', [0]);
  outer.opMulti('If', [on], { then_branch: { graph: then }, else_branch: { graph: none } }, [...RELEVANCE_OUTPUTS]);
  outer.output('relevance', DT.FLOAT, ['rel_rows', 'rel_cols']);
  outer.output('target_logit', DT.FLOAT, ['rel_one']);
  outer.output('leak_bias', DT.FLOAT, ['rel_layers']);
  outer.output('leak_softmax', DT.FLOAT, ['rel_layers']);
}

/** byte equality of two initializers' data (weights shared by name must be the same numbers) */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b || (a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength)) return true;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
