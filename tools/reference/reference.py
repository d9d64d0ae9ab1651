"""Independent float64 PyTorch reference forward for decoder-only LLM families.

Written from scratch (no `transformers`), following Hugging Face semantics for the
model_types llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text (and gemma3 configs nesting
a text_config) and phi3. It reads a checkpoint folder in HF layout (config.json +
model.safetensors), converts every weight to float64 and returns
  logits    [T][V]        (after final logit soft-capping where the config sets it)
  hidden    [L+1][T][d]   hidden[0] = embeddings (gemma: after the sqrt(d) scaling),
                          hidden[l] = residual after layer l (the last one is BEFORE the final norm)
  attention [L][H][T][T]  softmax probabilities of every query head, masked entries 0
Run: /usr/bin/python3 tools/reference/reference.py <model_dir> <id> <id> ...
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

DTYPE = torch.float64
SUPPORTED = ("llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "phi3")
GEMMA = ("gemma", "gemma2", "gemma3_text")

# configuration_<family>.py defaults for keys a config may leave out (a key present as null stays null)
DEFAULTS = {
    "gemma": dict(head_dim=256, tie_word_embeddings=True, rope_theta=10000.0, rms_norm_eps=1e-6),
    "gemma2": dict(head_dim=256, tie_word_embeddings=True, rope_theta=10000.0, rms_norm_eps=1e-6,
                   hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=256, sliding_window=4096,
                   final_logit_softcapping=30.0, attn_logit_softcapping=50.0),
    "gemma3_text": dict(vocab_size=262208, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
                        num_attention_heads=8, num_key_value_heads=4, head_dim=256,
                        hidden_activation="gelu_pytorch_tanh", max_position_embeddings=131072, rms_norm_eps=1e-6,
                        tie_word_embeddings=True, rope_theta=1000000.0, query_pre_attn_scalar=256,
                        sliding_window=4096, final_logit_softcapping=None, attn_logit_softcapping=None,
                        rope_scaling=None, rope_local_base_freq=10000.0, sliding_window_pattern=6),
    "phi3": dict(tie_word_embeddings=False, rope_theta=10000.0, rms_norm_eps=1e-5,
                 original_max_position_embeddings=4096, sliding_window=None, partial_rotary_factor=1.0),
}


def normalise_config(raw):
    """model_type gemma3 -> its text_config (model_type gemma3_text); family defaults filled in."""
    cfg = dict(raw)
    if cfg.get("model_type") == "gemma3":
        text = dict(cfg["text_config"])
        for k in ("bos_token_id", "eos_token_id", "pad_token_id"):
            if k not in text and k in cfg:
                text[k] = cfg[k]
        text["model_type"] = "gemma3_text"
        cfg = text
    out = dict(DEFAULTS.get(cfg.get("model_type"), {}))
    out.update(cfg)
    return out


# ---------------------------------------------------------------- safetensors
def read_safetensors(path):
    """Minimal safetensors reader -> dict name -> float64 torch tensor."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = blob[base + a:base + b]
        dt = info["dtype"]
        if dt == "BF16":
            u16 = np.frombuffer(raw, dtype="<u2").astype(np.uint32)
            arr = (u16 << 16).view(np.float32)
        elif dt == "F16":
            arr = np.frombuffer(raw, dtype="<f2")
        elif dt == "F32":
            arr = np.frombuffer(raw, dtype="<f4")
        elif dt == "F64":
            arr = np.frombuffer(raw, dtype="<f8")
        else:
            raise ValueError(f"unsupported dtype {dt} for {name}")
        arr = np.asarray(arr, dtype=np.float64).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def load_model(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = normalise_config(json.load(f))
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    for p in ("language_model.model.", "model.language_model."):  # multimodal gemma3 layouts -> "model."
        if p + "embed_tokens.weight" in weights:
            weights = {("model." + k[len(p):] if k.startswith(p) else k): v for k, v in weights.items()}
    return cfg, weights


# ---------------------------------------------------------------- config helpers
def head_dim_of(cfg):
    hd = cfg.get("head_dim")
    return int(hd) if hd else cfg["hidden_size"] // cfg["num_attention_heads"]


def rotary_dim_of(cfg):
    """int(head_dim * partial_rotary_factor) (phi3; 1.0 elsewhere)"""
    return int(head_dim_of(cfg) * cfg.get("partial_rotary_factor", 1.0))


def default_inv_freq(cfg, base=None):
    dim = rotary_dim_of(cfg)
    base = float(cfg.get("rope_theta", 10000.0)) if base is None else float(base)
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=DTYPE) / dim))


def longrope_inv_freq(cfg, rs, T):
    """HF _compute_longrope_parameters + longrope_frequency_update (float64 here): the short factors while
    the sequence length T <= original_max_position_embeddings, the long ones beyond; attention factor
    sqrt(1 + ln(factor) / ln(original)) with factor = max_position_embeddings / original."""
    dim = rotary_dim_of(cfg)
    base = float(cfg.get("rope_theta", 10000.0))
    factor = rs.get("factor")
    orig = cfg.get("original_max_position_embeddings")
    if orig:
        factor = cfg["max_position_embeddings"] / orig
    else:
        orig = cfg["max_position_embeddings"]
    att = rs.get("attention_factor")
    if att is None:
        att = 1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(orig))
    ext = torch.tensor(rs["long_factor"] if T > orig else rs["short_factor"], dtype=DTYPE)
    assert ext.shape[0] == dim // 2, "longrope factors must have rotary_dim / 2 entries"
    return 1.0 / (ext * base ** (torch.arange(0, dim, 2, dtype=DTYPE) / dim)), att


def llama3_inv_freq(inv_freq, rs):
    """Exactly HF `_compute_llama3_parameters` (in float64)."""
    factor = rs["factor"]
    low_freq_factor = rs["low_freq_factor"]
    high_freq_factor = rs["high_freq_factor"]
    old_context_len = rs["original_max_position_embeddings"]
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


def rope_inv_freq(cfg, T=None, base=None, rs="config"):
    """Returns (inv_freq, attention_scaling). base/rs override rope_theta/rope_scaling (gemma3 local layers);
    T = sequence length (longrope picks its factors by it)."""
    inv = default_inv_freq(cfg, base)
    if rs == "config":
        rs = cfg.get("rope_scaling")
    if not rs:
        return inv, 1.0
    kind = rs.get("rope_type", rs.get("type", "default"))
    if kind in ("su", "longrope") or (kind == "yarn" and cfg["model_type"] == "phi3"):
        return longrope_inv_freq(cfg, rs, T if T is not None else 0)
    if kind == "default":
        return inv, 1.0
    if kind == "llama3":
        return llama3_inv_freq(inv, rs), 1.0
    if kind == "linear":
        return inv / rs["factor"], 1.0
    raise NotImplementedError(f"rope_type {kind}")


def layer_types(cfg):
    """gemma2/3: 'sliding_attention' / 'full_attention' per layer (config.layer_types or the HF rule)."""
    L = cfg["num_hidden_layers"]
    if cfg.get("layer_types"):
        return list(cfg["layer_types"])
    if cfg["model_type"] == "gemma2":  # Gemma2: sliding iff not bool(layer_idx % 2)
        return ["sliding_attention" if l % 2 == 0 else "full_attention" for l in range(L)]
    if cfg["model_type"] == "gemma3_text":  # sliding iff bool((i + 1) % sliding_window_pattern)
        pat = cfg.get("sliding_window_pattern", 6)
        return ["sliding_attention" if (l + 1) % pat else "full_attention" for l in range(L)]
    return ["full_attention"] * L


def layer_window(cfg, layer):
    """Sliding window for a layer (None = full causal), HF semantics per family."""
    mt = cfg["model_type"]
    if mt in ("mistral", "phi3"):  # phi3: create_sliding_window_causal_mask for every layer when set
        return cfg.get("sliding_window")
    if mt in ("gemma2", "gemma3_text"):
        return cfg.get("sliding_window") if layer_types(cfg)[layer] == "sliding_attention" else None
    if mt in ("qwen2", "qwen3"):
        if not cfg.get("use_sliding_window", False) or cfg.get("sliding_window") is None:
            return None
        mwl = cfg.get("max_window_layers", cfg["num_hidden_layers"])
        return cfg["sliding_window"] if layer >= mwl else None
    return None


def has_qkv_bias(cfg):
    if cfg["model_type"] == "qwen2":
        return True
    if cfg["model_type"] == "phi3":
        return False
    return bool(cfg.get("attention_bias", False))


def has_o_bias(cfg):
    # qwen2: q/k/v bias only; llama/mistral/qwen3 attention_bias covers o_proj too
    if cfg["model_type"] in ("qwen2", "phi3"):
        return False
    return bool(cfg.get("attention_bias", False))


def activation_name(cfg):
    """gemma: hidden_activation, falling back to gelu_pytorch_tanh (HF ignores hidden_act); else hidden_act."""
    if cfg["model_type"] in GEMMA:
        return cfg.get("hidden_activation") or "gelu_pytorch_tanh"
    return cfg.get("hidden_act", "silu")


def act_fn(cfg):
    name = activation_name(cfg)
    if name == "silu":
        return torch.nn.functional.silu
    if name in ("gelu_pytorch_tanh", "gelu_new", "gelu_fast"):
        # tanh approximation, written out: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))
    if name == "gelu":
        return lambda x: 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    raise NotImplementedError(name)


def attn_scale(cfg):
    if cfg["model_type"] in ("gemma2", "gemma3_text"):
        return cfg["query_pre_attn_scalar"] ** -0.5
    return None  # 1 / sqrt(head_dim)


def attn_softcap(cfg):
    # gemma2 only: Gemma3Attention does not pass attn_logit_softcapping to the attention function
    return cfg.get("attn_logit_softcapping") if cfg["model_type"] == "gemma2" else None


def final_softcap(cfg):
    return cfg.get("final_logit_softcapping") if cfg["model_type"] in ("gemma2", "gemma3_text") else None


def softcap(x, cap):
    return torch.tanh(x / cap) * cap


def norm_w(cfg, w):
    """gemma RMSNorm multiplies by (1 + w)"""
    return 1.0 + w if cfg["model_type"] in GEMMA else w


def embed_scale(cfg):
    """gemma: sqrt(hidden_size) in the model dtype (HF casts the normalizer); fp32 here, exact for d = 64"""
    if cfg["model_type"] in GEMMA:
        return float(np.float32(math.sqrt(cfg["hidden_size"])))
    return None


def layer_rope(cfg, layer, T):
    """(cos, sin) [T, rotary_dim] of a layer: gemma3 sliding layers use rope_local_base_freq, default type."""
    if cfg["model_type"] == "gemma3_text" and layer_types(cfg)[layer] == "sliding_attention":
        return rope_cos_sin(cfg, T, base=cfg["rope_local_base_freq"], rs=None)
    return rope_cos_sin(cfg, T)


def qkv(cfg, W, p, h, T, H, KV, hd):
    """q [T,H,hd], k, v [T,KV,hd]: separate projections, or phi3's fused qkv_proj split in that order."""
    if cfg["model_type"] == "phi3":
        z = h @ W[p + "self_attn.qkv_proj.weight"].T
        q, k, v = z[:, :H * hd], z[:, H * hd:(H + KV) * hd], z[:, (H + KV) * hd:]
        return q.reshape(T, H, hd), k.reshape(T, KV, hd), v.reshape(T, KV, hd)
    q = linear(h, W, p + "self_attn.q_proj").view(T, H, hd)
    k = linear(h, W, p + "self_attn.k_proj").view(T, KV, hd)
    v = linear(h, W, p + "self_attn.v_proj").view(T, KV, hd)
    return q, k, v


def gate_up(cfg, W, p, h):
    """phi3: gate_up_proj output chunked in two, gate first"""
    if cfg["model_type"] == "phi3":
        z = h @ W[p + "mlp.gate_up_proj.weight"].T
        return z.chunk(2, dim=-1)
    return linear(h, W, p + "mlp.gate_proj"), linear(h, W, p + "mlp.up_proj")


def apply_rope(x, cos, sin):
    """HF apply_rotary_pos_emb; with partial rotary only the first cos.shape[-1] dims rotate."""
    rd = cos.shape[-1]
    if rd == x.shape[-1]:
        return x * cos + rotate_half(x) * sin
    xr, xp = x[..., :rd], x[..., rd:]
    return torch.cat((xr * cos + rotate_half(xr) * sin, xp), dim=-1)


# ---------------------------------------------------------------- building blocks
def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_cos_sin(cfg, T, base=None, rs="config"):
    inv, scale = rope_inv_freq(cfg, T, base, rs)
    pos = torch.arange(T, dtype=DTYPE)
    freqs = torch.outer(pos, inv)  # [T, hd/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [T, hd]
    return emb.cos() * scale, emb.sin() * scale


def linear(x, W, prefix):
    y = x @ W[prefix + ".weight"].T
    b = W.get(prefix + ".bias")
    return y + b if b is not None else y


def attention_mask(T, window):
    q = torch.arange(T).unsqueeze(1)
    k = torch.arange(T).unsqueeze(0)
    allowed = k <= q
    if window is not None:
        allowed = allowed & ((q - k) < window)
    return allowed  # [T, T] bool


def forward(cfg, W, ids, knockout=None):
    """knockout: optional list (one per layer) of [T, T] bool tensors; True blocks query->key."""
    if cfg["model_type"] not in SUPPORTED:
        raise NotImplementedError(cfg["model_type"])
    act = act_fn(cfg)
    ids = torch.as_tensor(ids, dtype=torch.long)
    T = ids.shape[0]
    L = cfg["num_hidden_layers"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = head_dim_of(cfg)
    eps = cfg["rms_norm_eps"]
    n_rep = H // KV
    qk_norm = cfg["model_type"] in ("qwen3", "gemma3_text")
    sandwich = cfg["model_type"] in ("gemma2", "gemma3_text")
    mlp_bias = bool(cfg.get("mlp_bias", False))
    scale, a_cap = attn_scale(cfg), attn_softcap(cfg)
    if cfg["model_type"] != "phi3":
        for name, present in (("qkv bias", has_qkv_bias(cfg)), ("o bias", has_o_bias(cfg))):
            key = "model.layers.0.self_attn.%s.bias" % ("q_proj" if name == "qkv bias" else "o_proj")
            assert (key in W) == present, f"{name}: config says {present}, weights disagree"
        assert ("model.layers.0.mlp.gate_proj.bias" in W) == mlp_bias

    x = W["model.embed_tokens.weight"][ids]  # [T, d]
    es = embed_scale(cfg)
    if es is not None:
        x = x * es
    hidden = [x]
    attn_all = []
    for l in range(L):
        p = f"model.layers.{l}."
        cos, sin = layer_rope(cfg, l, T)  # [T, rotary_dim]
        h = rms_norm(x, norm_w(cfg, W[p + "input_layernorm.weight"]), eps)
        q, k, v = qkv(cfg, W, p, h, T, H, KV, hd)
        if qk_norm:  # per head, before RoPE
            q = rms_norm(q, norm_w(cfg, W[p + "self_attn.q_norm.weight"]), eps)
            k = rms_norm(k, norm_w(cfg, W[p + "self_attn.k_norm.weight"]), eps)
        q = q.transpose(0, 1)  # [H, T, hd]
        k = k.transpose(0, 1)
        v = v.transpose(0, 1)
        q = apply_rope(q, cos, sin)
        k = apply_rope(k, cos, sin)
        # HF repeat_kv: query head h uses kv head h // n_rep
        k = k.repeat_interleave(n_rep, dim=0)
        v = v.repeat_interleave(n_rep, dim=0)
        if scale is None:
            scores = (q @ k.transpose(1, 2)) / math.sqrt(hd)  # [H, T, T]
        else:
            scores = (q @ k.transpose(1, 2)) * scale
        if a_cap is not None:  # gemma2: soft-capping before the mask
            scores = softcap(scores, a_cap)
        allowed = attention_mask(T, layer_window(cfg, l))
        if knockout is not None:
            allowed = allowed & ~knockout[l]
        scores = scores.masked_fill(~allowed, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        probs = probs.masked_fill(~allowed, 0.0)  # exact zeros
        attn_all.append(probs)
        o = (probs @ v).transpose(0, 1).reshape(T, H * hd)
        a = linear(o, W, p + "self_attn.o_proj")
        if sandwich:
            a = rms_norm(a, norm_w(cfg, W[p + "post_attention_layernorm.weight"]), eps)
        x = x + a
        pre = "pre_feedforward_layernorm" if sandwich else "post_attention_layernorm"
        h = rms_norm(x, norm_w(cfg, W[p + pre + ".weight"]), eps)
        g, u = gate_up(cfg, W, p, h)
        m = linear(act(g) * u, W, p + "mlp.down_proj")
        if sandwich:
            m = rms_norm(m, norm_w(cfg, W[p + "post_feedforward_layernorm.weight"]), eps)
        x = x + m
        hidden.append(x)
    logits = final_logits(cfg, W, x)
    return {
        "logits": logits,
        "hidden": torch.stack(hidden),
        "attention": torch.stack(attn_all),
    }


def lm_head_weight(cfg, W):
    if "lm_head.weight" in W:
        assert not cfg.get("tie_word_embeddings", False), "tied config but lm_head.weight stored"
        return W["lm_head.weight"]
    return W["model.embed_tokens.weight"]


def final_logits(cfg, W, h_last):
    """final norm, unembedding, final soft-capping (gemma2/3 when set): also the logit lens of any h_l"""
    hn = rms_norm(h_last, norm_w(cfg, W["model.norm.weight"]), cfg["rms_norm_eps"])
    z = hn @ lm_head_weight(cfg, W).T
    cap = final_softcap(cfg)
    return softcap(z, cap) if cap is not None else z


def run(model_dir, ids):
    cfg, W = load_model(model_dir)
    with torch.no_grad():
        return forward(cfg, W, ids)


if __name__ == "__main__":
    out = run(sys.argv[1], [int(t) for t in sys.argv[2:]])
    for k, v in out.items():
        print(k, tuple(v.shape))
    print("argmax per position", out["logits"].argmax(-1).tolist())
