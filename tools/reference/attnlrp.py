"""Independent float64 PyTorch reference for AttnLRP relevance (Achtibat et al., ICML 2024).

Same forward as reference.py (llama / mistral / qwen2 / qwen3 / gemma / gemma2 / gemma3_text / phi3),
re-run with autograd and
LXT-style custom autograd Functions that turn the backward pass into relevance propagation
in the Gradient x Input framework: the relevance of a tensor x is x * x.grad, where .grad is
the *modified* gradient of the explained logit (seed 1, so summed relevance = the logit).

Rules (as LXT's lxt/efficient patches for Llama/Qwen, written per op here):
  linear layers       plain gradient  (= epsilon-LRP with eps -> 0; a bias b absorbs b * grad)
  RMSNorm             identity rule: x * stop_grad(rsqrt(mean(x^2)+eps)) * w
                      (decoder norms, final norm and qwen3's per-head q/k norms)
  SiLU                identity rule: grad_in = grad_out * silu(x) / (x + 1e-10)
  silu(gate) * up     uniform rule: each factor receives half (UniformProduct)
  q @ k^T, P @ v      uniform rule for bilinear matmuls: each operand receives half
                      (UniformMatmul).  LXT implements the same thing by dividing the
                      gradient of q and k by 4 and of v by 2; identical values.
  softmax             plain gradient, which with Gradient x Input is exactly AttnLRP's
                      softmax rule R_in = x (R_out - s * sum R_out)  (not conservative)
  RoPE, GQA, scale    linear -> plain gradient (conservative)
  gemma family        (1 + w) norms and the sandwich norms (post_attention / pre_feedforward /
                      post_feedforward) and gemma3 q/k norms: identity rule like every RMSNorm;
                      GeGLU: identity rule on gelu (gelu(x) / (x + 1e-10)) + uniform rule on the product
                      (LXT's gated_mlp_forward, used by lxt/efficient/models/gemma3.py);
                      soft-capping cap*tanh(s/cap) (gemma2 attention logits, final logit): identity rule
                      (grad_in = grad_out * c / (s + 1e-10)), so the explained quantity is the capped logit
                      and leak_softmax is measured at the softmax input (the capped scores);
                      sqrt(d) embedding scale: linear, h_0 is after it
  phi3                fused qkv_proj / gate_up_proj are plain linears split afterwards; partial rotary
                      rotates only the first rotary_dim dims (linear)

relevance(model_dir, ids, target) returns
  relevance    [L+1][T]  R_l(t) = sum_i h_l(t)_i * grad_l(t)_i, h_0 embeddings, h_L pre-norm
  target_logit float
  leak_bias    [L]       sum over the layer's biased linears of sum(b * grad at its output)
  leak_softmax [L]       relevance into the softmax (sum P * grad_P) minus relevance out of it
                         (sum scores * grad_scores); with these the per-layer balance is
                         sum_t R_{l+1}(t) - sum_t R_l(t) = leak_bias[l] + leak_softmax[l].
Run: /usr/bin/python3 tools/reference/attnlrp.py <model_dir> <target> <id> <id> ...
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

DTYPE = torch.float64

# rule switches, only for the sensitivity check (`--sensitivity`); all True = AttnLRP
RULES = {"uniform_product": True, "uniform_matmul": True, "identity_silu": True, "rms_const": True,
         "identity_softcap": True}


class Identity(torch.autograd.Function):
    """identity rule for an element-wise nonlinearity (LXT identity_rule_implicit): the MLP activation
    (silu, or gelu for gemma; the "identity_silu" switch covers both)."""

    @staticmethod
    def forward(ctx, x, fn):
        y = torch.nn.functional.silu(x) if fn == "silu" else fn(x)
        ctx.save_for_backward(y / (x + 1e-10))
        ctx.x = x.detach()
        ctx.fn = fn
        return y

    @staticmethod
    def backward(ctx, g):
        (ratio,) = ctx.saved_tensors
        if not RULES["identity_silu"]:  # plain gradient of the activation
            x = ctx.x
            if ctx.fn == "silu":
                sg = torch.sigmoid(x)
                return g * (sg * (1 + x * (1 - sg))), None
            with torch.enable_grad():
                xx = x.clone().requires_grad_(True)
                (gx,) = torch.autograd.grad(ctx.fn(xx), xx, g)
            return gx, None
        return g * ratio, None


class SoftcapIdentity(torch.autograd.Function):
    """c = cap * tanh(s / cap) with the identity rule: grad_in = grad_out * c / (s + 1e-10)."""

    @staticmethod
    def forward(ctx, s, cap):
        c = torch.tanh(s / cap) * cap
        ctx.save_for_backward(c / (s + 1e-10), s.detach())
        ctx.cap = cap
        return c

    @staticmethod
    def backward(ctx, g):
        ratio, s = ctx.saved_tensors
        if not RULES["identity_softcap"]:  # plain gradient 1 - tanh^2
            return g * (1 - torch.tanh(s / ctx.cap) ** 2), None
        return g * ratio, None


class UniformProduct(torch.autograd.Function):
    """a * b element-wise; uniform rule: each factor gets half the relevance."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        f = 0.5 if RULES["uniform_product"] else 1.0
        return f * g * b, f * g * a


class UniformMatmul(torch.autograd.Function):
    """a @ b (batched); uniform rule: each operand gets half the relevance."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        f = 0.5 if RULES["uniform_matmul"] else 1.0
        return f * (g @ b.transpose(-1, -2)), f * (a.transpose(-1, -2) @ g)


def rms_norm_lrp(x, w, eps):
    r = torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return x * (r.detach() if RULES["rms_const"] else r) * w


class Tracker:
    """keeps tensors whose .grad is read after backward."""

    def __init__(self):
        self.items = []

    def keep(self, t, kind, layer, extra=None):
        t.retain_grad()
        self.items.append((t, kind, layer, extra))
        return t


def linear_tracked(x, W, prefix, tr, layer):
    y = x @ W[prefix + ".weight"].T
    b = W.get(prefix + ".bias")
    if b is None:
        return y
    z = y + b
    tr.keep(z, "bias", layer, b)
    return z


def relevance(model_dir, ids, target):
    cfg, W = ref.load_model(model_dir)
    ids = torch.as_tensor(ids, dtype=torch.long)
    T = ids.shape[0]
    L = cfg["num_hidden_layers"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = ref.head_dim_of(cfg)
    eps = cfg["rms_norm_eps"]
    n_rep = H // KV
    mt = cfg["model_type"]
    qk_norm = mt in ("qwen3", "gemma3_text")
    sandwich = mt in ("gemma2", "gemma3_text")
    act = "silu" if ref.activation_name(cfg) == "silu" else ref.act_fn(cfg)
    scale, a_cap, f_cap = ref.attn_scale(cfg), ref.attn_softcap(cfg), ref.final_softcap(cfg)
    nw = lambda w: ref.norm_w(cfg, w)  # noqa: E731  (1 + w) for gemma
    tr = Tracker()

    x = W["model.embed_tokens.weight"][ids].clone()
    es = ref.embed_scale(cfg)
    if es is not None:
        x = x * es  # linear; h_0 is the scaled embedding
    x.requires_grad_(True)
    hidden = [x]
    for l in range(L):
        p = f"model.layers.{l}."
        cos, sin = ref.layer_rope(cfg, l, T)
        h = rms_norm_lrp(x, nw(W[p + "input_layernorm.weight"]), eps)
        if mt == "phi3":
            q, k, v = ref.qkv(cfg, W, p, h, T, H, KV, hd)
        else:
            q = linear_tracked(h, W, p + "self_attn.q_proj", tr, l).view(T, H, hd)
            k = linear_tracked(h, W, p + "self_attn.k_proj", tr, l).view(T, KV, hd)
            v = linear_tracked(h, W, p + "self_attn.v_proj", tr, l).view(T, KV, hd)
        if qk_norm:
            q = rms_norm_lrp(q, nw(W[p + "self_attn.q_norm.weight"]), eps)
            k = rms_norm_lrp(k, nw(W[p + "self_attn.k_norm.weight"]), eps)
        q = q.transpose(0, 1)
        k = k.transpose(0, 1)
        v = v.transpose(0, 1)
        q = ref.apply_rope(q, cos, sin)
        k = ref.apply_rope(k, cos, sin)
        k = k.repeat_interleave(n_rep, dim=0)
        v = v.repeat_interleave(n_rep, dim=0)
        if scale is None:
            scores = UniformMatmul.apply(q, k.transpose(1, 2)) / math.sqrt(hd)
        else:
            scores = UniformMatmul.apply(q, k.transpose(1, 2)) * scale
        if a_cap is not None:
            scores = SoftcapIdentity.apply(scores, a_cap)
        tr.keep(scores, "scores", l)  # the softmax input
        allowed = ref.attention_mask(T, ref.layer_window(cfg, l))
        probs = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
        tr.keep(probs, "probs", l)
        o = UniformMatmul.apply(probs, v).transpose(0, 1).reshape(T, H * hd)
        a = linear_tracked(o, W, p + "self_attn.o_proj", tr, l)
        if sandwich:
            a = rms_norm_lrp(a, nw(W[p + "post_attention_layernorm.weight"]), eps)
        x = x + a
        pre = "pre_feedforward_layernorm" if sandwich else "post_attention_layernorm"
        h = rms_norm_lrp(x, nw(W[p + pre + ".weight"]), eps)
        if mt == "phi3":
            g, u = ref.gate_up(cfg, W, p, h)
        else:
            g = linear_tracked(h, W, p + "mlp.gate_proj", tr, l)
            u = linear_tracked(h, W, p + "mlp.up_proj", tr, l)
        m = linear_tracked(UniformProduct.apply(Identity.apply(g, act), u), W, p + "mlp.down_proj", tr, l)
        if sandwich:
            m = rms_norm_lrp(m, nw(W[p + "post_feedforward_layernorm.weight"]), eps)
        x = x + m
        hidden.append(x)
    for hs in hidden[1:]:
        hs.retain_grad()
    hn = rms_norm_lrp(x[-1], nw(W["model.norm.weight"]), eps)
    logit = hn @ ref.lm_head_weight(cfg, W)[target]
    if f_cap is not None:
        logit = SoftcapIdentity.apply(logit, f_cap)
    logit.backward()

    rel = torch.stack([(hs * hs.grad).sum(-1) for hs in hidden]).detach()
    leak_bias = [0.0] * L
    leak_softmax = [0.0] * L
    for t, kind, layer, extra in tr.items:
        if kind == "bias":
            leak_bias[layer] += float((extra * t.grad).sum())
        elif kind == "probs":
            leak_softmax[layer] += float((t * t.grad).sum())
        elif kind == "scores":
            leak_softmax[layer] -= float((t * t.grad).sum())
    return {
        "relevance": rel,
        "target_logit": float(logit.detach()),
        "leak_bias": leak_bias,
        "leak_softmax": leak_softmax,
    }


def sensitivity(model_dir, ids, target):
    """rel. change of the relevance map when one rule is replaced by the plain gradient."""
    base = relevance(model_dir, ids, target)["relevance"]
    out = {}
    for key in list(RULES) + ["all"]:
        saved = dict(RULES)
        for k in RULES:
            RULES[k] = not (k == key or key == "all")
        try:
            r = relevance(model_dir, ids, target)["relevance"]
        finally:
            RULES.update(saved)
        out[key] = float((r - base).abs().max() / base.abs().max())
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--sensitivity":
        import json
        for name in sorted(os.listdir(sys.argv[2])):
            ref_json = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "relevance", name + ".json")
            with open(ref_json) as f:
                fx = json.load(f)
            res = sensitivity(os.path.join(sys.argv[2], name), fx["ids"], fx["target"])
            print(name, " ".join(f"{k} {v:.2e}" for k, v in res.items()))
        sys.exit(0)
    out = relevance(sys.argv[1], [int(t) for t in sys.argv[3:]], int(sys.argv[2]))
    rel = out["relevance"]
    print("target_logit", out["target_logit"])
    for l in range(rel.shape[0]):
        print(l, "sum %.6f" % float(rel[l].sum()), [round(float(v), 4) for v in rel[l]])
    print("leak_bias", out["leak_bias"])
    print("leak_softmax", out["leak_softmax"])
