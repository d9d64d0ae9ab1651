"""Writes random-weight HF-layout checkpoints under fixtures/models/<name>/ and the
reference outputs (reference.py on the weights as stored) under fixtures/reference/<name>.json.

Run from the repo root:  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/reference/make_fixtures.py
Deterministic: fixed seeds, so re-running reproduces identical files.
"""
import collections
import json
import math
import os
import struct
import sys

import numpy as np
import regex
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_MODELS = os.path.join(ROOT, "fixtures", "models")
OUT_REF = os.path.join(ROOT, "fixtures", "reference")
TRANSFORMERS_VERSION = "4.51.0"

# ---------------------------------------------------------------- tokenizer
# GPT-2 pre-tokenisation regex (what ByteLevel use_regex=true applies)
GPT2_PAT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
N_MERGES = 48
CORPUS = [
    "the cat sat on the mat.",
    "the dog sat on the log.",
    "where is the cat? the cat is on the mat.",
    "the answer is in the context.",
    "question: where is the dog?",
    "answer: the dog is in the house.",
    "the sun is hot and the sea is blue.",
    "she reads the book and he reads the paper.",
    "there is a cat in the hat.",
    "the question and the answer are in the text.",
]
CHAT_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
    " + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return bs, [chr(c) for c in cs]


BYTE_ORDER, BYTE_CHARS = bytes_to_unicode()
BYTE_TO_CHAR = dict(zip(BYTE_ORDER, BYTE_CHARS))


def pretokenize(text):
    return ["".join(BYTE_TO_CHAR[b] for b in w.encode("utf-8")) for w in GPT2_PAT.findall(text)]


def learn_merges(corpus, n_merges):
    words = collections.Counter()
    for line in corpus:
        for w in pretokenize(line):
            words[tuple(w)] += 1
    merges = []
    for _ in range(n_merges):
        pairs = collections.Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        new_words = collections.Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] += c
        words = new_words
    return merges


def bpe_encode_word(word, ranks):
    parts = list(word)
    while len(parts) > 1:
        cands = [(ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
        r, i = min(cands)
        if r == math.inf:
            break
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
    return parts


class Tokenizer:
    def __init__(self):
        self.merges = learn_merges(CORPUS, N_MERGES)
        self.vocab = {c: i for i, c in enumerate(BYTE_CHARS)}
        for a, b in self.merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.special_ids = {s: len(self.vocab) + i for i, s in enumerate(SPECIALS)}
        self.size = len(self.vocab) + len(SPECIALS)
        self.ranks = {m: i for i, m in enumerate(self.merges)}

    def encode(self, text):
        """Plain text (no special tokens) -> ids, like the HF BPE model would."""
        ids = []
        for w in pretokenize(text):
            ids += [self.vocab[p] for p in bpe_encode_word(w, self.ranks)]
        return ids

    def tokenizer_json(self):
        added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for s, i in self.special_ids.items()]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                              "use_regex": True},
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                        "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False, "vocab": self.vocab,
                      "merges": [f"{a} {b}" for a, b in self.merges]},
        }

    def tokenizer_config(self, chat):
        dec = {str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                        "single_word": False, "special": True} for s, i in self.special_ids.items()}
        cfg = {
            "add_bos_token": False,
            "add_prefix_space": False,
            "added_tokens_decoder": dec,
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "bos_token": None,
            "clean_up_tokenization_spaces": False,
            "eos_token": "<|im_end|>" if chat else "<|endoftext|>",
            "errors": "replace",
            "model_max_length": 2048,
            "pad_token": "<|endoftext|>",
            "unk_token": None,
            "tokenizer_class": "Qwen2Tokenizer" if chat else "PreTrainedTokenizerFast",
        }
        if chat:
            cfg["chat_template"] = CHAT_TEMPLATE
        return cfg


# ---------------------------------------------------------------- safetensors writer
def to_bf16_bits(a32):
    """float32 -> bf16 bit patterns, round to nearest even (finite inputs)."""
    u = np.ascontiguousarray(a32, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return u.astype("<u2")


def to_f16_bytes(a32):
    """float32 -> IEEE half, round to nearest even (numpy's cast, as torch's .half())."""
    return np.ascontiguousarray(a32, dtype=np.float32).astype("<f2").tobytes()


def write_safetensors(path, tensors, dtype):
    """tensors: name -> float32 numpy array; dtype 'BF16', 'F16' or 'F32'."""
    header, chunks, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        a = tensors[name]
        if dtype == "BF16":
            raw = to_bf16_bits(a).tobytes()
        elif dtype == "F16":
            raw = to_f16_bytes(a)
        else:
            raw = np.ascontiguousarray(a, "<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * (-len(hb) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)


# ---------------------------------------------------------------- random weights
def make_weights(cfg, seed, embed_std):
    g = torch.Generator().manual_seed(seed)

    def randn(*shape, std=1.0, mean=0.0):
        return (torch.randn(*shape, generator=g, dtype=torch.float32) * std + mean).numpy()

    d, hd = cfg["hidden_size"], reference.head_dim_of(cfg)
    H, KV, I, V = (cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"],
                   cfg["vocab_size"])
    qkv_bias, o_bias = reference.has_qkv_bias(cfg), reference.has_o_bias(cfg)
    mlp_bias = bool(cfg.get("mlp_bias", False))
    mt = cfg["model_type"]
    if mt in reference.GEMMA or mt == "phi3":
        return make_weights_new(cfg, randn, embed_std)
    W = {"model.embed_tokens.weight": randn(V, d, std=embed_std)}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        W[p + "input_layernorm.weight"] = randn(d, std=0.1, mean=1.0)
        W[p + "post_attention_layernorm.weight"] = randn(d, std=0.1, mean=1.0)
        # q/k a bit larger than 1/sqrt(in) so attention is clearly non-uniform
        W[p + "self_attn.q_proj.weight"] = randn(H * hd, d, std=1.5 / math.sqrt(d))
        W[p + "self_attn.k_proj.weight"] = randn(KV * hd, d, std=1.5 / math.sqrt(d))
        W[p + "self_attn.v_proj.weight"] = randn(KV * hd, d, std=1.0 / math.sqrt(d))
        W[p + "self_attn.o_proj.weight"] = randn(d, H * hd, std=1.0 / math.sqrt(H * hd))
        if qkv_bias:
            W[p + "self_attn.q_proj.bias"] = randn(H * hd, std=0.2)
            W[p + "self_attn.k_proj.bias"] = randn(KV * hd, std=0.2)
            W[p + "self_attn.v_proj.bias"] = randn(KV * hd, std=0.2)
        if o_bias:
            W[p + "self_attn.o_proj.bias"] = randn(d, std=0.1)
        if cfg["model_type"] == "qwen3":
            W[p + "self_attn.q_norm.weight"] = randn(hd, std=0.1, mean=1.0)
            W[p + "self_attn.k_norm.weight"] = randn(hd, std=0.1, mean=1.0)
        W[p + "mlp.gate_proj.weight"] = randn(I, d, std=1.0 / math.sqrt(d))
        W[p + "mlp.up_proj.weight"] = randn(I, d, std=1.0 / math.sqrt(d))
        W[p + "mlp.down_proj.weight"] = randn(d, I, std=1.0 / math.sqrt(I))
        if mlp_bias:
            W[p + "mlp.gate_proj.bias"] = randn(I, std=0.1)
            W[p + "mlp.up_proj.bias"] = randn(I, std=0.1)
            W[p + "mlp.down_proj.bias"] = randn(d, std=0.1)
    W["model.norm.weight"] = randn(d, std=0.1, mean=1.0)
    if not cfg["tie_word_embeddings"]:
        W["lm_head.weight"] = randn(V, d, std=1.0 / math.sqrt(d))
    return W


def make_weights_new(cfg, randn, embed_std):
    """gemma / gemma2 / gemma3_text / phi3 (the families added later; the older ones above keep their
    random streams, so their fixtures stay byte-identical). Gemma norm weights are stored as HF does,
    w with the model using 1 + w, so they are drawn around 0."""
    d, hd = cfg["hidden_size"], reference.head_dim_of(cfg)
    H, KV, I, V = (cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"],
                   cfg["vocab_size"])
    mt = cfg["model_type"]
    gemma = mt in reference.GEMMA
    sandwich = mt in ("gemma2", "gemma3_text")
    nmean = 0.0 if gemma else 1.0

    def norm(n):
        return randn(n, std=0.1, mean=nmean)

    W = {"model.embed_tokens.weight": randn(V, d, std=embed_std)}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        W[p + "input_layernorm.weight"] = norm(d)
        W[p + "post_attention_layernorm.weight"] = norm(d)
        if sandwich:
            W[p + "pre_feedforward_layernorm.weight"] = norm(d)
            W[p + "post_feedforward_layernorm.weight"] = norm(d)
        q = randn(H * hd, d, std=1.5 / math.sqrt(d))
        k = randn(KV * hd, d, std=1.5 / math.sqrt(d))
        v = randn(KV * hd, d, std=1.0 / math.sqrt(d))
        if mt == "phi3":
            W[p + "self_attn.qkv_proj.weight"] = np.concatenate([q, k, v], axis=0)
        else:
            W[p + "self_attn.q_proj.weight"] = q
            W[p + "self_attn.k_proj.weight"] = k
            W[p + "self_attn.v_proj.weight"] = v
        W[p + "self_attn.o_proj.weight"] = randn(d, H * hd, std=1.0 / math.sqrt(H * hd))
        if mt == "gemma3_text":
            W[p + "self_attn.q_norm.weight"] = norm(hd)
            W[p + "self_attn.k_norm.weight"] = norm(hd)
        gate = randn(I, d, std=1.0 / math.sqrt(d))
        up = randn(I, d, std=1.0 / math.sqrt(d))
        if mt == "phi3":
            W[p + "mlp.gate_up_proj.weight"] = np.concatenate([gate, up], axis=0)
        else:
            W[p + "mlp.gate_proj.weight"] = gate
            W[p + "mlp.up_proj.weight"] = up
        W[p + "mlp.down_proj.weight"] = randn(d, I, std=1.0 / math.sqrt(I))
    W["model.norm.weight"] = norm(d)
    if not cfg["tie_word_embeddings"]:
        W["lm_head.weight"] = randn(V, d, std=1.0 / math.sqrt(d))
    return W


# ---------------------------------------------------------------- fixture specs
def base_config(arch, model_type, **kw):
    cfg = {
        "architectures": [arch],
        "model_type": model_type,
        "hidden_act": "silu",
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "max_position_embeddings": 2048,
        "initializer_range": 0.02,
        "attention_dropout": 0.0,
        "use_cache": True,
        "vocab_size": 320,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": TRANSFORMERS_VERSION,
    }
    cfg.update(kw)
    return cfg


def fixture_specs(tok):
    eot, ims, ime = (tok.special_ids[s] for s in SPECIALS)
    return [
        dict(name="llama-llama3rope-bf16", seed=1, embed_std=1.0, chat=False,
             text="the cat sat on the mat. the dog sat",
             config=base_config("LlamaForCausalLM", "llama", head_dim=16, attention_bias=False, mlp_bias=False,
                                pretraining_tp=1, rope_theta=500000.0, max_position_embeddings=512,
                                rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                              "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                                rms_norm_eps=1e-5, bos_token_id=eot, eos_token_id=eot)),
        dict(name="llama-tied-fp32", seed=2, embed_std=0.3, chat=False,
             text="where is the dog? the dog is in the",
             config=base_config("LlamaForCausalLM", "llama", num_hidden_layers=2, num_key_value_heads=4,
                                head_dim=16, attention_bias=True, mlp_bias=True, pretraining_tp=1,
                                tie_word_embeddings=True, torch_dtype="float32", vocab_size=352,
                                rms_norm_eps=1e-5, bos_token_id=eot, eos_token_id=eot)),
        dict(name="mistral-swa-bf16", seed=3, embed_std=1.0, chat=False,
             text="the answer is in the text. the answer",
             config=base_config("MistralForCausalLM", "mistral", head_dim=16, sliding_window=4,
                                rope_theta=1000000.0, bos_token_id=eot, eos_token_id=eot)),
        dict(name="qwen2-bias-bf16", seed=4, embed_std=0.3, chat=True,
             text="question: where is the cat? answer: the",
             config=base_config("Qwen2ForCausalLM", "qwen2", tie_word_embeddings=True, use_sliding_window=False,
                                sliding_window=32768, max_window_layers=3, rope_theta=1000000.0,
                                vocab_size=384, bos_token_id=eot, eos_token_id=ime)),
        dict(name="qwen3-qknorm-bf16", seed=5, embed_std=1.0, chat=True,
             text="she reads the book and the cat reads",
             config=base_config("Qwen3ForCausalLM", "qwen3", head_dim=32, attention_bias=False,
                                use_sliding_window=False, sliding_window=None, max_window_layers=3,
                                rope_theta=1000000.0, bos_token_id=eot, eos_token_id=ime)),
    ] + new_family_specs(eot, ime)


def gemma_config(arch, model_type, **kw):
    """gemma-style config: no hidden_act/silu, tied, (1 + w) norms."""
    cfg = base_config(arch, model_type, tie_word_embeddings=True, attention_bias=False, attention_dropout=0.0,
                      **kw)
    cfg.pop("hidden_act")
    cfg.update(kw)
    return cfg


def new_family_specs(eot, ime):
    rotary_half = 4  # phi3: head_dim 16 x partial_rotary_factor 0.5 = 8 rotary dims -> 4 factors
    return [
        # gemma: head_dim 32 != 64/4, one kv head (as gemma-2b), hidden_act "gelu" overridden by
        # hidden_activation "gelu_pytorch_tanh" (as the real config), sqrt(64) = 8 embedding scale
        dict(name="gemma-bf16", seed=6, embed_std=0.08, chat=False,
             text="the dog sat on the mat. the cat sat",
             config=gemma_config("GemmaForCausalLM", "gemma", head_dim=32, num_key_value_heads=1,
                                 hidden_act="gelu", hidden_activation="gelu_pytorch_tanh",
                                 max_position_embeddings=8192, bos_token_id=eot, eos_token_id=eot,
                                 pad_token_id=eot)),
        # gemma2: 4 layers, sliding window 4 (< T) on layers 0 and 2, soft-capping that bites
        dict(name="gemma2-softcap-bf16", seed=7, embed_std=0.1, chat=True,
             text="question: where is the dog? answer: the dog",
             config=gemma_config("Gemma2ForCausalLM", "gemma2", num_hidden_layers=4, head_dim=16,
                                 hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=24,
                                 sliding_window=4, attn_logit_softcapping=2.0, final_logit_softcapping=3.0,
                                 max_position_embeddings=8192, cache_implementation="hybrid",
                                 bos_token_id=eot, eos_token_id=ime, pad_token_id=eot)),
        # gemma3 text: q/k norms, sliding_window_pattern 3 (layers 0, 1, 3 sliding with window 3 and local
        # RoPE base 1e4; layer 2 global with rope_theta 1e6 and linear scaling x8), final soft-capping off
        dict(name="gemma3-text-bf16", seed=8, embed_std=0.1, chat=True,
             text="where is the cat? the cat is on the mat.",
             config=gemma_config("Gemma3ForCausalLM", "gemma3_text", num_hidden_layers=4, head_dim=32,
                                 hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=32,
                                 sliding_window=3, sliding_window_pattern=3, rope_theta=1000000.0,
                                 rope_local_base_freq=10000.0, rope_scaling={"rope_type": "linear", "factor": 8.0},
                                 attn_logit_softcapping=None, final_logit_softcapping=None,
                                 max_position_embeddings=32768, cache_implementation="hybrid",
                                 bos_token_id=eot, eos_token_id=ime, pad_token_id=eot)),
        # phi3: fused qkv / gate_up, partial rotary 0.5, longrope (original 8 < T: the long factors and
        # the attention factor sqrt(1 + ln 8 / ln 8)), sliding_window 6 on every layer; stored as fp16
        dict(name="phi3-fused-fp16", seed=9, embed_std=1.0, chat=True,
             text="he reads the book. she reads",
             config=base_config("Phi3ForCausalLM", "phi3", head_dim=16, partial_rotary_factor=0.5,
                                rms_norm_eps=1e-5, max_position_embeddings=64, original_max_position_embeddings=8,
                                rope_scaling={"type": "longrope",
                                              "short_factor": [1.0, 1.25, 1.5, 2.0][:rotary_half],
                                              "long_factor": [1.0, 2.0, 4.0, 8.0][:rotary_half]},
                                sliding_window=6, resid_pdrop=0.0, embd_pdrop=0.0, torch_dtype="float16",
                                bos_token_id=eot, eos_token_id=ime, pad_token_id=eot)),
    ]


def check_llama3_scaling(cfg):
    base = reference.default_inv_freq(cfg)
    scaled, _ = reference.rope_inv_freq(cfg)
    f = cfg["rope_scaling"]["factor"]
    same = torch.isclose(scaled, base, rtol=1e-12, atol=0)
    divided = torch.isclose(scaled, base / f, rtol=1e-12, atol=0)
    medium = ~same & ~divided
    assert same.any() and divided.any() and medium.any(), \
        f"llama3 scaling must hit all three regimes: same={same.tolist()} divided={divided.tolist()}"


def fmt(t):
    """Nested lists of floats with 9 significant digits."""
    return json.loads(json.dumps(np.vectorize(lambda x: float(f"{x:.9g}"))(t.numpy()).tolist()))


def main():
    torch.set_num_threads(1)
    tok = Tokenizer()
    os.makedirs(OUT_REF, exist_ok=True)
    for spec in fixture_specs(tok):
        cfg = spec["config"]
        name = spec["name"]
        assert tok.size <= cfg["vocab_size"], (tok.size, cfg["vocab_size"])
        if (cfg.get("rope_scaling") or {}).get("rope_type") == "llama3":
            check_llama3_scaling(cfg)
        d = os.path.join(OUT_MODELS, name)
        os.makedirs(d, exist_ok=True)
        W = make_weights(cfg, spec["seed"], spec["embed_std"])
        dtype = {"float32": "F32", "float16": "F16"}.get(cfg["torch_dtype"], "BF16")
        write_safetensors(os.path.join(d, "model.safetensors"), W, dtype)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        gen = {"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"], "do_sample": False,
               "transformers_version": TRANSFORMERS_VERSION}
        with open(os.path.join(d, "generation_config.json"), "w") as f:
            json.dump(gen, f, indent=2)
        with open(os.path.join(d, "tokenizer.json"), "w") as f:
            json.dump(tok.tokenizer_json(), f, indent=2, ensure_ascii=False)
        with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
            json.dump(tok.tokenizer_config(spec["chat"]), f, indent=2)

        ids = tok.encode(spec["text"])
        assert 10 <= len(ids) <= 12, (name, len(ids), ids)
        assert len(set(ids)) < len(ids), "ids should repeat"
        out = reference.run(d, ids)  # from the weights as stored (bf16/fp16-rounded)
        hd = reference.head_dim_of(cfg)
        shape = dict(L=cfg["num_hidden_layers"], H=cfg["num_attention_heads"], kvH=cfg["num_key_value_heads"],
                     head_dim=hd, d=cfg["hidden_size"], V=cfg["vocab_size"], T=len(ids))
        ref = {"model": name, "text": spec["text"], "ids": ids, "shape": shape,
               "logits": fmt(out["logits"]), "hidden": fmt(out["hidden"]), "attention": fmt(out["attention"])}
        with open(os.path.join(OUT_REF, name + ".json"), "w") as f:
            json.dump(ref, f, separators=(",", ":"))
        rs = cfg.get("rope_scaling") or {}
        if rs.get("type", rs.get("rope_type")) in ("longrope", "su"):
            # the fixture's T is past original_max_position_embeddings (long factors); a prefix that is not
            # uses the short ones: its logits are not the first rows of the full run
            n = cfg["original_max_position_embeddings"]
            assert len(ids) > n
            short = reference.run(d, ids[:n])
            os.makedirs(os.path.join(ROOT, "fixtures", "longrope"), exist_ok=True)
            with open(os.path.join(ROOT, "fixtures", "longrope", name + ".json"), "w") as f:
                json.dump({"model": name, "ids": ids[:n], "logits": fmt(short["logits"]),
                           "hidden": fmt(short["hidden"])}, f, separators=(",", ":"))
        st = os.path.getsize(os.path.join(d, "model.safetensors"))
        a = out["attention"]
        print(f"{name}: {shape} safetensors={st}B ids={ids} "
              f"logit std={out['logits'].std():.3f} max attn={a.max():.3f} "
              f"argmax={out['logits'].argmax(-1).tolist()}")


if __name__ == "__main__":
    main()
