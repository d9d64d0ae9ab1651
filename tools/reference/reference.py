"""Independent float64 PyTorch reference forward for decoder-only LLM families.

Written from scratch (no `transformers`), following Hugging Face semantics for the
model_types llama, mistral, qwen2 and qwen3. It reads a checkpoint folder in HF layout
(config.json + model.safetensors), converts every weight to float64 and returns
  logits    [T][V]
  hidden    [L+1][T][d]   hidden[0] = embeddings, hidden[l] = residual after layer l
                          (the last one is BEFORE the final norm)
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
SUPPORTED = ("llama", "mistral", "qwen2", "qwen3")


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
        cfg = json.load(f)
    weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    return cfg, weights


# ---------------------------------------------------------------- config helpers
def head_dim_of(cfg):
    hd = cfg.get("head_dim")
    return int(hd) if hd else cfg["hidden_size"] // cfg["num_attention_heads"]


def default_inv_freq(cfg):
    dim = head_dim_of(cfg)
    base = float(cfg.get("rope_theta", 10000.0))
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=DTYPE) / dim))


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


def rope_inv_freq(cfg):
    """Returns (inv_freq, attention_scaling)."""
    inv = default_inv_freq(cfg)
    rs = cfg.get("rope_scaling")
    if not rs:
        return inv, 1.0
    kind = rs.get("rope_type", rs.get("type", "default"))
    if kind == "default":
        return inv, 1.0
    if kind == "llama3":
        return llama3_inv_freq(inv, rs), 1.0
    if kind == "linear":
        return inv / rs["factor"], 1.0
    raise NotImplementedError(f"rope_type {kind}")


def layer_window(cfg, layer):
    """Sliding window for a layer (None = full causal), HF semantics per family."""
    mt = cfg["model_type"]
    if mt == "mistral":
        return cfg.get("sliding_window")
    if mt in ("qwen2", "qwen3"):
        if not cfg.get("use_sliding_window", False) or cfg.get("sliding_window") is None:
            return None
        mwl = cfg.get("max_window_layers", cfg["num_hidden_layers"])
        return cfg["sliding_window"] if layer >= mwl else None
    return None


def has_qkv_bias(cfg):
    if cfg["model_type"] == "qwen2":
        return True
    return bool(cfg.get("attention_bias", False))


def has_o_bias(cfg):
    # qwen2: q/k/v bias only; llama/mistral/qwen3 attention_bias covers o_proj too
    if cfg["model_type"] == "qwen2":
        return False
    return bool(cfg.get("attention_bias", False))


# ---------------------------------------------------------------- building blocks
def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def rope_cos_sin(cfg, T):
    inv, scale = rope_inv_freq(cfg)
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
    if cfg.get("hidden_act", "silu") != "silu":
        raise NotImplementedError(cfg.get("hidden_act"))
    ids = torch.as_tensor(ids, dtype=torch.long)
    T = ids.shape[0]
    L = cfg["num_hidden_layers"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = head_dim_of(cfg)
    eps = cfg["rms_norm_eps"]
    n_rep = H // KV
    qk_norm = cfg["model_type"] == "qwen3"
    mlp_bias = bool(cfg.get("mlp_bias", False))
    for name, present in (("qkv bias", has_qkv_bias(cfg)), ("o bias", has_o_bias(cfg))):
        key = "model.layers.0.self_attn.%s.bias" % ("q_proj" if name == "qkv bias" else "o_proj")
        assert (key in W) == present, f"{name}: config says {present}, weights disagree"
    assert ("model.layers.0.mlp.gate_proj.bias" in W) == mlp_bias

    cos, sin = rope_cos_sin(cfg, T)  # [T, hd]
    x = W["model.embed_tokens.weight"][ids]  # [T, d]
    hidden = [x]
    attn_all = []
    for l in range(L):
        p = f"model.layers.{l}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = linear(h, W, p + "self_attn.q_proj").view(T, H, hd)
        k = linear(h, W, p + "self_attn.k_proj").view(T, KV, hd)
        v = linear(h, W, p + "self_attn.v_proj").view(T, KV, hd)
        if qk_norm:  # per head, before RoPE
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"], eps)
        q = q.transpose(0, 1)  # [H, T, hd]
        k = k.transpose(0, 1)
        v = v.transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # HF repeat_kv: query head h uses kv head h // n_rep
        k = k.repeat_interleave(n_rep, dim=0)
        v = v.repeat_interleave(n_rep, dim=0)
        scores = (q @ k.transpose(1, 2)) / math.sqrt(hd)  # [H, T, T]
        allowed = attention_mask(T, layer_window(cfg, l))
        if knockout is not None:
            allowed = allowed & ~knockout[l]
        scores = scores.masked_fill(~allowed, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        probs = probs.masked_fill(~allowed, 0.0)  # exact zeros
        attn_all.append(probs)
        o = (probs @ v).transpose(0, 1).reshape(T, H * hd)
        x = x + linear(o, W, p + "self_attn.o_proj")
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        g = linear(h, W, p + "mlp.gate_proj")
        u = linear(h, W, p + "mlp.up_proj")
        x = x + linear(torch.nn.functional.silu(g) * u, W, p + "mlp.down_proj")
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
    hn = rms_norm(h_last, W["model.norm.weight"], cfg["rms_norm_eps"])
    return hn @ lm_head_weight(cfg, W).T


def run(model_dir, ids):
    cfg, W = load_model(model_dir)
    with torch.no_grad():
        return forward(cfg, W, ids)


if __name__ == "__main__":
    out = run(sys.argv[1], [int(t) for t in sys.argv[2:]])
    for k, v in out.items():
        print(k, tuple(v.shape))
    print("argmax per position", out["logits"].argmax(-1).tolist())
