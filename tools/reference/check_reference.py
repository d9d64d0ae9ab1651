"""Sanity checks of the reference and of the committed fixtures.

Run from the repo root:  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/reference/check_reference.py
Exits non-zero on the first failed check.
"""
import json
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_fixtures  # noqa: E402
import reference  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "fixtures", "models")
REFS = os.path.join(ROOT, "fixtures", "reference")


def rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


# ---- a second, deliberately different implementation (numpy, loops, Meta-style RoPE)
def naive_inv_freq(cfg, layer=None, T=None):
    hd = reference.rotary_dim_of(cfg)
    theta = cfg.get("rope_theta", 10000.0)
    rs = cfg.get("rope_scaling")
    if cfg["model_type"] == "gemma3_text" and layer is not None and reference.layer_types(cfg)[layer] == "sliding_attention":
        theta, rs = cfg["rope_local_base_freq"], None
    freqs = [1.0 / theta ** (2 * i / hd) for i in range(hd // 2)]
    if rs and rs.get("rope_type", rs.get("type")) == "linear":
        freqs = [f / rs["factor"] for f in freqs]
    if rs and rs.get("type", rs.get("rope_type")) in ("longrope", "su"):  # Microsoft's Phi-3 SuScaled RoPE
        ext = rs["long_factor"] if T > cfg["original_max_position_embeddings"] else rs["short_factor"]
        freqs = [f / e for f, e in zip(freqs, ext)]
    if rs and rs.get("rope_type", rs.get("type")) == "llama3":  # Meta's apply_scaling
        out = []
        ocl, lo, hi, f = (rs["original_max_position_embeddings"], rs["low_freq_factor"],
                          rs["high_freq_factor"], rs["factor"])
        for fr in freqs:
            wl = 2 * math.pi / fr
            if wl < ocl / hi:
                out.append(fr)
            elif wl > ocl / lo:
                out.append(fr / f)
            else:
                s = (ocl / wl - lo) / (hi - lo)
                out.append((1 - s) * fr / f + s * fr)
        freqs = out
    return np.array(freqs)


def naive_forward(cfg, W, ids):
    W = {k: v.numpy() for k, v in W.items()}
    T, L = len(ids), cfg["num_hidden_layers"]
    H, KV, hd, eps = (cfg["num_attention_heads"], cfg["num_key_value_heads"], reference.head_dim_of(cfg),
                      cfg["rms_norm_eps"])
    mt = cfg["model_type"]
    gemma = mt in ("gemma", "gemma2", "gemma3_text")
    sandwich = mt in ("gemma2", "gemma3_text")
    rd = reference.rotary_dim_of(cfg)
    att = 1.0
    rs = cfg.get("rope_scaling") or {}
    if rs.get("type", rs.get("rope_type")) in ("longrope", "su"):
        f = cfg["max_position_embeddings"] / cfg["original_max_position_embeddings"]
        att = math.sqrt(1 + math.log(f) / math.log(cfg["original_max_position_embeddings"]))

    def norm(v, w):
        return v / np.sqrt(np.mean(v * v) + eps) * ((1.0 + w) if gemma else w)

    def lin(v, name):
        y = W[name + ".weight"] @ v
        return y + W[name + ".bias"] if name + ".bias" in W else y

    def act(v):
        if not gemma:
            return v / (1 + np.exp(-v))
        return np.array([0.5 * a * (1 + math.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3))) for a in v])

    def cap(v, c):
        return v if c is None else c * np.tanh(v / c)

    def rope(v, pos, inv):  # rotate pairs (i, i + rd/2) by angle pos * inv[i]; dims >= rd pass
        out = v.copy()
        for i in range(rd // 2):
            c, s_ = math.cos(pos * inv[i]) * att, math.sin(pos * inv[i]) * att
            out[i] = v[i] * c - v[i + rd // 2] * s_
            out[i + rd // 2] = v[i + rd // 2] * c + v[i] * s_
        return out

    scale = cfg["query_pre_attn_scalar"] ** -0.5 if mt in ("gemma2", "gemma3_text") else 1 / math.sqrt(hd)
    acap = cfg.get("attn_logit_softcapping") if mt == "gemma2" else None
    fcap = cfg.get("final_logit_softcapping") if mt in ("gemma2", "gemma3_text") else None
    x = [W["model.embed_tokens.weight"][t].copy() * (math.sqrt(cfg["hidden_size"]) if gemma else 1.0) for t in ids]
    hidden, attn = [np.array(x)], np.zeros((L, H, T, T))
    for l in range(L):
        p = f"model.layers.{l}."
        window = reference.layer_window(cfg, l)
        inv = naive_inv_freq(cfg, l, T)
        qs, ks, vs = [], [], []
        for t in range(T):
            h = norm(x[t], W[p + "input_layernorm.weight"])
            if mt == "phi3":  # fused rows: q, then k, then v
                z = W[p + "self_attn.qkv_proj.weight"] @ h
                q, k, v = z[:H * hd].reshape(H, hd), z[H * hd:(H + KV) * hd].reshape(KV, hd), z[(H + KV) * hd:].reshape(KV, hd)
            else:
                q = lin(h, p + "self_attn.q_proj").reshape(H, hd)
                k = lin(h, p + "self_attn.k_proj").reshape(KV, hd)
                v = lin(h, p + "self_attn.v_proj").reshape(KV, hd)
            if mt in ("qwen3", "gemma3_text"):
                q = np.array([norm(r, W[p + "self_attn.q_norm.weight"]) for r in q])
                k = np.array([norm(r, W[p + "self_attn.k_norm.weight"]) for r in k])
            qs.append([rope(r, t, inv) for r in q])
            ks.append([rope(r, t, inv) for r in k])
            vs.append(v)
        new_x = []
        for t in range(T):
            heads = []
            for hh in range(H):
                g = hh // (H // KV)
                keys = [s for s in range(T) if s <= t and (window is None or t - s < window)]
                sc = cap(np.array([qs[t][hh] @ ks[s][g] * scale for s in keys]), acap)
                e = np.exp(sc - sc.max())
                pr = e / e.sum()
                for s, pv in zip(keys, pr):
                    attn[l, hh, t, s] = pv
                heads.append(sum(pv * vs[s][g] for s, pv in zip(keys, pr)))
            a = lin(np.concatenate(heads), p + "self_attn.o_proj")
            if sandwich:
                a = norm(a, W[p + "post_attention_layernorm.weight"])
            y = x[t] + a
            h2 = norm(y, W[p + ("pre_feedforward_layernorm" if sandwich else "post_attention_layernorm") + ".weight"])
            if mt == "phi3":
                gu = W[p + "mlp.gate_up_proj.weight"] @ h2
                gt, up = gu[:len(gu) // 2], gu[len(gu) // 2:]
            else:
                gt, up = lin(h2, p + "mlp.gate_proj"), lin(h2, p + "mlp.up_proj")
            m = lin(act(gt) * up, p + "mlp.down_proj")
            if sandwich:
                m = norm(m, W[p + "post_feedforward_layernorm.weight"])
            new_x.append(y + m)
        x = new_x
        hidden.append(np.array(x))
    head = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
    logits = np.array([cap(head @ norm(v, W["model.norm.weight"]), fcap) for v in x])
    return logits, np.array(hidden), attn


def check_fixture(name):
    d = os.path.join(MODELS, name)
    with open(os.path.join(REFS, name + ".json")) as f:
        ref = json.load(f)
    cfg, W = reference.load_model(d)
    ids, T = ref["ids"], len(ref["ids"])
    L, H, V, dm = cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["vocab_size"], cfg["hidden_size"]
    logits, hidden, attn = (np.array(ref[k]) for k in ("logits", "hidden", "attention"))
    check(logits.shape == (T, V), f"{name}: logits shape {logits.shape}")
    check(hidden.shape == (L + 1, T, dm), f"{name}: hidden shape {hidden.shape}")
    check(attn.shape == (L, H, T, T), f"{name}: attention shape {attn.shape}")
    tok_size = len(json.load(open(os.path.join(d, "tokenizer.json")))["model"]["vocab"]) + 3
    check(max(ids) < tok_size <= V and len(set(ids)) < T, f"{name}: ids {ids}")
    st = os.path.getsize(os.path.join(d, "model.safetensors"))
    check(st < 1.5e6, f"{name}: safetensors too big ({st})")

    # attention: rows sum to 1, masked entries exactly 0, allowed entries > 0
    check(np.abs(attn.sum(-1) - 1).max() < 1e-7, f"{name}: attention rows do not sum to 1")
    n_window_masked = 0
    for l in range(L):
        allowed = reference.attention_mask(T, reference.layer_window(cfg, l)).numpy()
        causal = np.tril(np.ones((T, T), bool))
        n_window_masked += int((causal & ~allowed).sum())
        check(np.all(attn[l][:, ~allowed] == 0.0), f"{name}: layer {l} masked entries not 0")
        check(np.all(attn[l][:, allowed] > 0.0), f"{name}: layer {l} allowed entries not > 0")
    if cfg["model_type"] in ("mistral", "gemma2", "gemma3_text", "phi3"):
        check(cfg["sliding_window"] < T and n_window_masked > 0, f"{name}: sliding window masks nothing")
    # attention is not uniform: last row far from 1/n in some head
    last = attn[:, :, -1, :]
    n_allowed = (last > 0).sum(-1)
    check(np.max(last.max(-1) * n_allowed) > 2.0, f"{name}: attention too uniform")
    check(logits.std() > 0.5, f"{name}: logits too small ({logits.std()})")

    # hidden[L] through final norm + lm_head reproduces logits
    again = reference.final_logits(cfg, W, torch.from_numpy(hidden[L])).numpy()
    check(rel(again, logits) < 1e-7, f"{name}: final norm + lm_head of hidden[L] != logits ({rel(again, logits)})")

    # the committed JSON matches the reference run now
    out = reference.run(d, ids)
    for k in ("logits", "hidden", "attention"):
        check(rel(out[k].numpy(), ref[k]) < 1e-7, f"{name}: stored {k} differs from reference run")

    # an independent loop implementation agrees
    nl, nh, na = naive_forward(cfg, W, ids)
    errs = (rel(nl, logits), rel(nh, hidden), rel(na, attn))
    check(max(errs) < 1e-7, f"{name}: naive implementation disagrees {errs}")

    # the bf16 / fp16 writers round like torch
    spec = next(s for s in make_fixtures.fixture_specs(make_fixtures.Tokenizer()) if s["name"] == name)
    orig = make_fixtures.make_weights(spec["config"], spec["seed"], spec["embed_std"])
    tdt = {"bfloat16": torch.bfloat16, "float16": torch.float16}.get(cfg["torch_dtype"], torch.float32)
    for k, a in orig.items():
        check(torch.equal(torch.from_numpy(a).to(tdt).double(), W[k]), f"{name}: {k} not stored as {tdt}")
    print(f"ok {name}: naive rel errs {['%.1e' % e for e in errs]}, window-masked entries {n_window_masked}")


def check_llama3_rope():
    cfg = json.load(open(os.path.join(MODELS, "llama-llama3rope-bf16", "config.json")))
    base = reference.default_inv_freq(cfg)
    scaled, _ = reference.rope_inv_freq(cfg)
    check(not torch.allclose(base, scaled), "llama3 rope scaling did not change inv_freq")
    f = cfg["rope_scaling"]["factor"]
    same = torch.isclose(scaled, base, rtol=1e-12)
    div = torch.isclose(scaled, base / f, rtol=1e-12)
    check(same.any() and div.any() and (~same & ~div).any(), "llama3: not all three regimes present")
    check(np.allclose(scaled.numpy(), naive_inv_freq(cfg), rtol=1e-14), "llama3: HF and Meta formulas differ")
    print(f"ok llama3 rope: unchanged {int(same.sum())}, divided {int(div.sum())}, "
          f"smoothed {int((~same & ~div).sum())} of {len(base)}")


def check_sensitivity():
    """Each family-specific feature changes the outputs far beyond the TS tolerances, so a
    TS engine that skips it fails the fixture."""
    def variant(name, mutate):
        cfg, W = reference.load_model(os.path.join(MODELS, name))
        ids = json.load(open(os.path.join(REFS, name + ".json")))["ids"]
        base = reference.forward(cfg, W, ids)
        cfg2, W2 = json.loads(json.dumps(cfg)), dict(W)
        mutate(cfg2, W2)
        alt = reference.forward(cfg2, W2, ids)
        return rel(alt["logits"].numpy(), base["logits"].numpy())

    def no_scaling(c, W):
        c["rope_scaling"] = None

    def no_window(c, W):
        c["sliding_window"] = None

    def zero_bias(c, W):
        for k in W:
            if k.endswith("_proj.bias"):
                W[k] = torch.zeros_like(W[k])

    def no_qk_norm(c, W):
        c["model_type"] = "llama"  # same layout, q/k norms skipped

    def unit_qk_norm(c, W):
        for k in W:
            if k.endswith("q_norm.weight") or k.endswith("k_norm.weight"):
                W[k] = torch.ones_like(W[k])

    def kv_mod_mapping(c, W):  # wrong GQA mapping: head h -> kv head h % kvH
        kv, hd = c["num_key_value_heads"], reference.head_dim_of(c)
        n_rep = c["num_attention_heads"] // kv
        for k in list(W):
            if k.endswith("q_proj.weight") or k.endswith("q_proj.bias"):
                q = W[k].reshape(c["num_attention_heads"], hd, -1)
                order = [(h % kv) * n_rep + h // kv for h in range(c["num_attention_heads"])]
                W[k] = q[order].reshape(W[k].shape)
            if k.endswith("o_proj.weight"):
                o = W[k].reshape(W[k].shape[0], c["num_attention_heads"], hd)
                order = [(h % kv) * n_rep + h // kv for h in range(c["num_attention_heads"])]
                W[k] = o[:, order].reshape(W[k].shape)

    def plain_norm(c, W):  # 1 + (w - 1) = w: as if the norm multiplied by w
        for k in list(W):
            if k.endswith("norm.weight"):
                W[k] = W[k] - 1.0

    def no_embed_scale(c, W):
        W["model.embed_tokens.weight"] = W["model.embed_tokens.weight"] / math.sqrt(c["hidden_size"])

    def silu_for_gelu(c, W):
        c["hidden_activation"] = "silu"

    def no_attn_cap(c, W):
        c["attn_logit_softcapping"] = None

    def no_final_cap(c, W):
        c["final_logit_softcapping"] = None

    def head_dim_scale(c, W):
        c["query_pre_attn_scalar"] = reference.head_dim_of(c)

    def all_global(c, W):
        c["sliding_window"] = None

    def one_rope_base(c, W):
        c["rope_local_base_freq"] = c["rope_theta"]

    def unit_qk_norm_gemma(c, W):
        for k in W:
            if k.endswith("q_norm.weight") or k.endswith("k_norm.weight"):
                W[k] = torch.zeros_like(W[k])

    def full_rotary(c, W):
        c["partial_rotary_factor"] = 1.0
        c["rope_scaling"] = None

    def short_factors(c, W):
        c["rope_scaling"] = dict(c["rope_scaling"], long_factor=c["rope_scaling"]["short_factor"])

    def qkv_order(c, W):  # k and v blocks of the fused projection swapped
        H, KV, hd = c["num_attention_heads"], c["num_key_value_heads"], reference.head_dim_of(c)
        for k in list(W):
            if k.endswith("qkv_proj.weight"):
                w = W[k]
                W[k] = torch.cat([w[:H * hd], w[(H + KV) * hd:], w[H * hd:(H + KV) * hd]])

    def gate_up_order(c, W):
        for k in list(W):
            if k.endswith("gate_up_proj.weight"):
                a, b = W[k].chunk(2)
                W[k] = torch.cat([b, a])

    cases = [("llama-llama3rope-bf16", "no llama3 scaling", no_scaling),
             ("llama-llama3rope-bf16", "GQA h % kvH", kv_mod_mapping),
             ("llama-tied-fp32", "zero biases", zero_bias),
             ("mistral-swa-bf16", "no sliding window", no_window),
             ("qwen2-bias-bf16", "zero biases", zero_bias),
             ("qwen3-qknorm-bf16", "no q/k norm", no_qk_norm),
             ("qwen3-qknorm-bf16", "unit q/k norm weights", unit_qk_norm),
             ("gemma-bf16", "w instead of 1 + w", plain_norm),
             ("gemma-bf16", "no sqrt(d) embedding scale", no_embed_scale),
             ("gemma-bf16", "silu instead of gelu", silu_for_gelu),
             ("gemma2-softcap-bf16", "no attention soft-capping", no_attn_cap),
             ("gemma2-softcap-bf16", "no final soft-capping", no_final_cap),
             ("gemma2-softcap-bf16", "1/sqrt(head_dim) instead of query_pre_attn_scalar", head_dim_scale),
             ("gemma2-softcap-bf16", "no sliding window", all_global),
             ("gemma3-text-bf16", "no sliding window", all_global),
             ("gemma3-text-bf16", "global RoPE base on local layers", one_rope_base),
             ("gemma3-text-bf16", "unit q/k norms", unit_qk_norm_gemma),
             ("phi3-fused-fp16", "full rotary, no longrope", full_rotary),
             ("phi3-fused-fp16", "short factors past original_max_position_embeddings", short_factors),
             ("phi3-fused-fp16", "no sliding window", all_global),
             ("phi3-fused-fp16", "qkv split in q, v, k order", qkv_order),
             ("phi3-fused-fp16", "gate_up halves swapped", gate_up_order)]
    for name, what, fn in cases:
        e = variant(name, fn)
        check(e > 1e-2, f"{name}: '{what}' changes logits only by {e:.1e}")
        print(f"ok sensitivity {name}: {what} -> logits rel err {e:.2e}")


def main():
    torch.set_num_threads(1)
    check_llama3_rope()
    check_sensitivity()
    names = sorted(os.listdir(MODELS))
    check(len(names) == 9, f"expected 9 fixtures, got {names}")
    for n in names:
        check_fixture(n)
    print("all reference checks passed")


if __name__ == "__main__":
    main()
