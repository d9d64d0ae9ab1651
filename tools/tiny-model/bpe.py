"""A byte-level BPE tokenizer trained from scratch, saved in the Qwen2 tokenizer.json
layout (NFC, regex Split + ByteLevel, BPE) that @huggingface/transformers loads.

Pre-tokenisation: every Han and Thai character is its own piece (names and answers keep
identical tokens whether they sit in a context or a question); letters keep their
combining marks (Devanagari, Thai vowel signs are \\p{M}); a number run of up to four
digits takes the space before it, so " 1990" is one piece in every language."""
import collections
import json
import unicodedata

import regex

# JavaScript rejects \p{Han}; \p{Script=Han} works in both Python's regex and JS.
CJK = r"\p{Script=Han}\p{Script=Thai}"
PATTERN = (r"[" + CJK + r"]"
           r"|[^\r\n\p{L}\p{M}\p{N}]?(?:(?![" + CJK + r"])[\p{L}\p{M}])+"
           r"| ?\p{N}{1,4}"
           r"| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+"
           r"|\s+(?!\S)"
           r"|\s+")
PAT = regex.compile(PATTERN)
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


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
    return dict(zip(bs, [chr(c) for c in cs]))


B2U = bytes_to_unicode()
U2B = {v: k for k, v in B2U.items()}


def pieces(text):
    """NFC-normalised text -> list of (piece, char_start)."""
    return [(m.group(0), m.start()) for m in PAT.finditer(text)]


def to_bytes_str(piece):
    return "".join(B2U[b] for b in piece.encode("utf-8"))


def train(texts, vocab_size):
    words = collections.Counter()
    for t in texts:
        for p, _ in pieces(unicodedata.normalize("NFC", t)):
            words[to_bytes_str(p)] += 1
    words = [(list(w), c) for w, c in words.items()]
    n_merges = vocab_size - 256 - len(SPECIALS)
    pairs = collections.Counter()
    where = collections.defaultdict(set)
    for i, (w, c) in enumerate(words):
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += c
            where[(a, b)].add(i)
    merges = []
    while len(merges) < n_merges and pairs:
        best, cnt = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if cnt < 2:
            break
        merges.append(best)
        a, b = best
        for i in list(where[best]):
            w, c = words[i]
            for x, y in zip(w, w[1:]):
                pairs[(x, y)] -= c
                if pairs[(x, y)] <= 0:
                    del pairs[(x, y)]
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = (out, c)
            for x, y in zip(out, out[1:]):
                pairs[(x, y)] += c
                where[(x, y)].add(i)
        where.pop(best, None)
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.vocab = {B2U[b]: i for i, b in enumerate(sorted(B2U))}
        for a, b in self.merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.n_plain = len(self.vocab)
        self.special = {s: self.n_plain + i for i, s in enumerate(SPECIALS)}
        self.eos_id = self.special["<|endoftext|>"]
        self.size = self.n_plain + len(SPECIALS)
        self.id_to_tok = {i: t for t, i in self.vocab.items()}
        self.id_to_tok.update({i: s for s, i in self.special.items()})
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.cache = {}

    def _bpe(self, w):
        if w in self.cache:
            return self.cache[w]
        parts = list(w)
        while len(parts) > 1:
            best, bi = None, -1
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            parts = parts[:bi] + [parts[bi] + parts[bi + 1]] + parts[bi + 2:]
        self.cache[w] = parts
        return parts

    def encode_with_offsets(self, text):
        """-> (ids, [(char_start, char_end)]) over the NFC text (our data is NFC already)."""
        text = unicodedata.normalize("NFC", text)
        ids, offs = [], []
        for p, start in pieces(text):
            pb = p.encode("utf-8")
            # byte offset -> char offset inside the piece
            b2c = []
            for ci, ch in enumerate(p):
                b2c += [ci] * len(ch.encode("utf-8"))
            b2c.append(len(p))
            bpos = 0
            for part in self._bpe(to_bytes_str(p)):
                n = len(part)
                ids.append(self.vocab[part])
                cs, ce = b2c[bpos], b2c[bpos + n - 1] + 1
                offs.append((start + cs, start + ce))
                bpos += n
            assert bpos == len(pb)
        return ids, offs

    def encode(self, text):
        return self.encode_with_offsets(text)[0]

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            t = self.id_to_tok[i]
            if t in self.special:
                out += t.encode("utf-8")
            else:
                out += bytes(U2B[c] for c in t)
        return out.decode("utf-8", errors="replace")

    def tokenizer_json(self):
        added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for s, i in self.special.items()]
        bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
        return {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PATTERN}, "behavior": "Isolated", "invert": False},
                bl]},
            "post_processor": dict(bl),
            "decoder": dict(bl),
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False, "vocab": self.vocab,
                      "merges": [a + " " + b for a, b in self.merges]},
        }

    def tokenizer_config(self):
        return {
            "add_bos_token": False, "add_prefix_space": False,
            "added_tokens_decoder": {str(i): {"content": s, "lstrip": False, "normalized": False,
                                              "rstrip": False, "single_word": False, "special": True}
                                     for s, i in self.special.items()},
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "bos_token": None, "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "unk_token": None,
            "clean_up_tokenization_spaces": False, "model_max_length": 1024,
            "split_special_tokens": False, "tokenizer_class": "Qwen2Tokenizer", "errors": "replace",
        }

    def save(self, folder):
        with open(f"{folder}/tokenizer.json", "w", encoding="utf-8") as f:
            json.dump(self.tokenizer_json(), f, ensure_ascii=False)
        with open(f"{folder}/tokenizer_config.json", "w", encoding="utf-8") as f:
            json.dump(self.tokenizer_config(), f, ensure_ascii=False, indent=2)

    @staticmethod
    def load_merges(path):
        with open(path, encoding="utf-8") as f:
            return Tokenizer([tuple(m) for m in json.load(f)])
