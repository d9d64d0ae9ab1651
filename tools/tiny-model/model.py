"""A small Llama (HF LlamaForCausalLM semantics: RMSNorm, RoPE with rotate_half, SwiGLU,
tied embeddings) that also returns the attention probabilities of every head, so training
can supervise a few of them, and writes/reads HF-layout safetensors."""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Cfg:
    def __init__(self, vocab, d=128, layers=4, heads=4, ffn=384, theta=10000.0, eps=1e-5, max_pos=1024):
        self.vocab, self.d, self.layers, self.heads, self.ffn = vocab, d, layers, heads, ffn
        self.theta, self.eps, self.max_pos = theta, eps, max_pos
        self.hd = d // heads

    def hf_config(self, eos_id):
        return {
            "architectures": ["LlamaForCausalLM"], "model_type": "llama",
            "vocab_size": self.vocab, "hidden_size": self.d, "intermediate_size": self.ffn,
            "num_hidden_layers": self.layers, "num_attention_heads": self.heads,
            "num_key_value_heads": self.heads, "head_dim": self.hd, "hidden_act": "silu",
            "max_position_embeddings": self.max_pos, "rms_norm_eps": self.eps, "rope_theta": self.theta,
            "rope_scaling": None, "attention_bias": False, "attention_dropout": 0.0, "mlp_bias": False,
            "tie_word_embeddings": True, "bos_token_id": eos_id, "eos_token_id": eos_id,
            "pad_token_id": eos_id, "initializer_range": 0.02, "pretraining_tp": 1,
            "torch_dtype": "float32", "transformers_version": "4.51.0", "use_cache": True,
        }


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(T, hd, theta):
    inv = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
    f = torch.outer(torch.arange(T, dtype=torch.float32), inv)
    emb = torch.cat([f, f], -1)
    return emb.cos(), emb.sin()


def rot_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.input_layernorm = RMSNorm(c.d, c.eps)
        self.post_attention_layernorm = RMSNorm(c.d, c.eps)
        self.q_proj = nn.Linear(c.d, c.d, bias=False)
        self.k_proj = nn.Linear(c.d, c.d, bias=False)
        self.v_proj = nn.Linear(c.d, c.d, bias=False)
        self.o_proj = nn.Linear(c.d, c.d, bias=False)
        self.gate_proj = nn.Linear(c.d, c.ffn, bias=False)
        self.up_proj = nn.Linear(c.d, c.ffn, bias=False)
        self.down_proj = nn.Linear(c.ffn, c.d, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, _ = x.shape
        c = self.c
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, c.heads, c.hd).transpose(1, 2)
        k = self.k_proj(h).view(B, T, c.heads, c.hd).transpose(1, 2)
        v = self.v_proj(h).view(B, T, c.heads, c.hd).transpose(1, 2)
        q = q * cos + rot_half(q) * sin
        k = k * cos + rot_half(k) * sin
        s = (q @ k.transpose(-1, -2)) / math.sqrt(c.hd) + mask
        p = s.softmax(-1)
        a = (p @ v).transpose(1, 2).reshape(B, T, c.d)
        self.heads_out = a  # per-head outputs before o_proj (training reads it for the copy loss)
        x = x + self.o_proj(a)
        h = self.post_attention_layernorm(x)
        x = x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))
        return x, p


class TinyLlama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c.vocab, c.d)
        self.layers = nn.ModuleList([Layer(c) for _ in range(c.layers)])
        self.norm = RMSNorm(c.d, c.eps)
        for n, p in self.named_parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)
        for l in self.layers:  # scaled init of residual outputs
            nn.init.normal_(l.o_proj.weight, std=0.02 / math.sqrt(2 * c.layers))
            nn.init.normal_(l.down_proj.weight, std=0.02 / math.sqrt(2 * c.layers))

    def forward(self, ids, want_hidden=False, positions=None):
        """positions: optional bool [B,T]; logits then only at those positions, [N, V]
        (post-training scores only the answer, and the vocabulary projection dominates)."""
        B, T = ids.shape
        cos, sin = rope(T, self.c.hd, self.c.theta)
        mask = torch.full((T, T), float("-inf")).triu(1)
        x = self.embed_tokens(ids)
        hidden, probs = [x], []
        for l in self.layers:
            x, p = l(x, cos, sin, mask)
            probs.append(p)
            hidden.append(x)
        if positions is not None:
            x = x[positions]
        logits = self.norm(x) @ self.embed_tokens.weight.t()
        return logits, probs, (hidden if want_hidden else None)


# ---------------------------------------------------------------- HF layout
def hf_state(model):
    out = {"model.embed_tokens.weight": model.embed_tokens.weight}
    for i, l in enumerate(model.layers):
        pre = f"model.layers.{i}."
        for n in ["q_proj", "k_proj", "v_proj", "o_proj"]:
            out[pre + f"self_attn.{n}.weight"] = getattr(l, n).weight
        for n in ["gate_proj", "up_proj", "down_proj"]:
            out[pre + f"mlp.{n}.weight"] = getattr(l, n).weight
        out[pre + "input_layernorm.weight"] = l.input_layernorm.weight
        out[pre + "post_attention_layernorm.weight"] = l.post_attention_layernorm.weight
    out["model.norm.weight"] = model.norm.weight
    return {k: v.detach().float().contiguous().numpy() for k, v in out.items()}


def write_safetensors(path, tensors):
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # align the data start to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(data[a:b], dtype="<f4").reshape(v["shape"]).copy()
    return out


def load_hf_state(model, tensors):
    sd = {"embed_tokens.weight": tensors["model.embed_tokens.weight"], "norm.weight": tensors["model.norm.weight"]}
    for k, v in tensors.items():
        if k.startswith("model.layers."):
            rest = k[len("model."):].replace("self_attn.", "").replace("mlp.", "")
            sd[rest] = v
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
